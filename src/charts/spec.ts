import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../errors.js';
import type { Question } from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import { fill, type Strings } from '../locale/strings.js';
import type { QuestionResult } from '../stats/frequencies.js';

export interface ChartText {
  title: string;
  description: string;
}

/** Title and description of a question's chart, in the page's language. */
export function chartText(
  q: Question,
  r: QuestionResult,
  lang: string,
  format: Formatter,
  strings: Strings,
): ChartText {
  const parts = q.options.map((o) => {
    const x = r.options.find((y) => y.code === o.code);
    if (x?.suppressed) return `${o.label[lang] ?? o.code}: < ${format.count(min(r))}`;
    // a weighted share is printed with the unweighted count it rests on, said so
    const counts = `${format.count(x?.count ?? 0)}/${format.count(r.n)}${r.weighted ? ` ${unweighted(strings, lang)}` : ''}`;
    return `${o.label[lang] ?? o.code}: ${format.percent(x?.proportion ?? 0)} (${counts}; ${format.level(strings.interval)} ${format.percentRange(x?.ci[0] ?? 0, x?.ci[1] ?? 1)})`;
  });
  const title = q.short[lang] ?? q.id;
  const description =
    q.type === 'multiple'
      ? (strings.multipleDescription ?? strings.chartDescription)
      : strings.chartDescription;
  return { title, description: fill(description, { question: title, parts: parts.join('; ') }) };
}

/** Said of the counts beside a weighted share: a language without the word is refused, not set in another. */
function unweighted(strings: Strings, lang: string): string {
  if (strings.unweighted) return strings.unweighted;
  throw new InputError(
    'templates/strings.yaml',
    undefined,
    `no "unweighted" for language "${lang}" (a weighted study's charts say their counts are not weighted)`,
    'add unweighted: … under it',
  );
}

/**
 * The order of a question's bars: the codebook's, except a multiple question's options, by
 * share, largest first (ties in the codebook's order; withheld ones last: their share is not
 * published). The option indices, bar by bar.
 */
export function chartOrder(q: Question, r: QuestionResult): number[] {
  const order = q.options.map((_, i) => i);
  const share = (i: number) => (r.options[i]?.suppressed ? -1 : (r.options[i]?.proportion ?? 0));
  if (q.type === 'multiple') order.sort((a, b) => share(b) - share(a) || a - b);
  return order;
}

/** The chart's text size in CSS px: body scale on a desktop, at least 11 px on a 320 px phone. */
export const CHART_FONT_SIZE = 15;
/** The chart's whole width stays near this (px), so that it scales down little on a phone. */
const PLOT_WIDTH = 165;
/** The whole width of every chart (px): label column, plot and margin, as the bars take. */
export const CHART_WIDTH = 391;
/** Characters per line of an option's label, and the room its column takes (px). */
export const LABEL_CHARS = 21;
export const LABEL_EXTENT = Math.ceil(LABEL_CHARS * CHART_FONT_SIZE * 0.5) + 8;
/** The axis of the options' labels, wrapped on "\n", in a column of its own width. */
export const OPTION_AXIS = {
  labelLimit: 0,
  labelFontSize: CHART_FONT_SIZE,
  labelExpr: "split(datum.label, '\\n')",
  labelPadding: 6,
  // vega measures text without a font; the column is sized for the wrapped labels instead
  minExtent: LABEL_EXTENT,
  maxExtent: LABEL_EXTENT,
};

/** Bars of answers the source leaves without detail: a neutral grey, not the answers' blue. */
export const BAR_COLOR = '#4a6fa5';
export const UNREPORTED_COLOR = '#8f98a3';

/**
 * A question's chart as a declarative Vega-Lite spec: horizontal bars of the percentage of
 * answers per option, with the 95 % Wilson interval as a rule and the value as a label.
 * It has no title: the figure's caption names it. Data are inlined so the spec reopens anywhere.
 */
export function chartSpec(
  q: Question,
  r: QuestionResult,
  lang: string,
  format: Formatter,
  strings: Strings,
  font: string,
): TopLevelSpec {
  const { description } = chartText(q, r, lang, format, strings);
  const shown = chartOrder(q, r).map((i) => ({
    o: q.options[i] as Question['options'][number],
    i,
  }));
  // one precision for every bar's label, as in the table's column
  const digits = format.columnDigits(
    r.options.filter((x) => !x.suppressed).map((x) => x.proportion),
  );
  const values = shown.map(({ o }, order) => {
    const x = r.options.find((y) => y.code === o.code);
    // a withheld cell: no bar, no interval, its "< 3" at the axis
    if (x?.suppressed)
      return {
        order,
        option: wrap(o.label[lang] ?? o.code, LABEL_CHARS),
        proportion: null,
        lower: null,
        upper: 0,
        text: `< ${format.count(min(r))}`,
      };
    return {
      order,
      option: wrap(o.label[lang] ?? o.code, LABEL_CHARS),
      unreported: o.unreported === true,
      proportion: x?.proportion ?? 0,
      lower: x?.ci[0] ?? 0,
      upper: x?.ci[1] ?? 1,
      text: format.percent(x?.proportion ?? 0, digits, true),
    };
  });
  const y = {
    field: 'option',
    type: 'nominal' as const,
    // the data are in the codebook's display order
    sort: null,
    title: null,
    axis: OPTION_AXIS,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description,
    // sized by hand: vega estimates text without the font and would reserve far too much room
    autosize: { type: 'none', contains: 'content' },
    padding: { left: LABEL_EXTENT + 8, right: 52, top: 4, bottom: 46 },
    width: PLOT_WIDTH,
    // room for three lines of an option's label
    height: { step: 58 },
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.55 } },
        encoding: {
          x: {
            field: 'proportion',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: {
              format: '.0%',
              title:
                q.type === 'multiple'
                  ? (strings.percentOfRespondents ?? strings.percentOfAnswers)
                  : strings.percentOfAnswers,
              values: [0, 0.5, 1],
              labelOverlap: false,
              grid: true,
              labelFontSize: CHART_FONT_SIZE,
              titleFontSize: CHART_FONT_SIZE,
            },
          },
          color: {
            condition: { test: 'datum.unreported', value: UNREPORTED_COLOR },
            value: BAR_COLOR,
          },
        },
      },
      {
        mark: { type: 'rule', color: '#1d2a3a', strokeWidth: 1.5 },
        encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
      {
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 5,
          fontSize: CHART_FONT_SIZE,
          color: '#1d2a3a',
        },
        encoding: { x: { field: 'upper', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    config: chartConfig(font),
  };
}

/** The look every chart shares: one font, one weight, the report's colours. */
export function chartConfig(font: string): NonNullable<TopLevelSpec['config']> {
  return {
    font,
    view: { stroke: null },
    // one weight of one font in every chart: the PDF then embeds one font per chart, in a
    // fixed order (with two, Typst's SVG import writes them in an order that varies by run)
    axis: {
      labelFont: font,
      titleFont: font,
      titleFontWeight: 'normal' as const,
      labelColor: '#1d2a3a',
      titleColor: '#1d2a3a',
      labelFontSize: CHART_FONT_SIZE,
      titleFontSize: CHART_FONT_SIZE,
    },
    legend: { labelFont: font, labelColor: '#1d2a3a', labelFontSize: CHART_FONT_SIZE },
    title: {
      font,
      fontWeight: 'normal' as const,
      subtitleFont: font,
      fontSize: CHART_FONT_SIZE,
      subtitleFontSize: CHART_FONT_SIZE,
      color: '#1d2a3a',
      subtitleColor: '#444',
    },
    // transparent: the page's background shows through, light or dark
    background: 'transparent',
  };
}

/** The threshold under which a question's cells were withheld. */
const min = (r: QuestionResult) => r.min_cell ?? 0;

/** Breaks a label into lines of at most `width` characters, at spaces, for the axis. */
export function wrap(label: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
