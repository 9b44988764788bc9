import type { TopLevelSpec } from 'vega-lite';
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
    return `${o.label[lang] ?? o.code}: ${format.percent(x?.proportion ?? 0)} (${format.count(x?.count ?? 0)}/${format.count(r.n)}; ${strings.interval} ${format.percentRange(x?.ci[0] ?? 0, x?.ci[1] ?? 1)})`;
  });
  const title = q.short[lang] ?? q.id;
  return {
    title,
    description: fill(strings.chartDescription, { question: title, parts: parts.join('; ') }),
  };
}

/**
 * A question's chart as a declarative Vega-Lite spec: horizontal bars of the percentage of
 * answers per option, with the 95 % Wilson interval as a rule and the value as a label.
 * Data are inlined so the spec reopens anywhere.
 */
export function chartSpec(
  q: Question,
  r: QuestionResult,
  lang: string,
  format: Formatter,
  strings: Strings,
  font: string,
): TopLevelSpec {
  const { title, description } = chartText(q, r, lang, format, strings);
  const values = q.options.map((o, order) => {
    const x = r.options.find((y) => y.code === o.code);
    return {
      order,
      option: wrap(o.label[lang] ?? o.code, 26),
      proportion: x?.proportion ?? 0,
      lower: x?.ci[0] ?? 0,
      upper: x?.ci[1] ?? 1,
      text: format.percent(x?.proportion ?? 0),
    };
  });
  const y = {
    field: 'option',
    type: 'nominal' as const,
    // the data are in the codebook's display order
    sort: null,
    title: null,
    axis: {
      labelLimit: 0,
      labelFontSize: 12,
      labelExpr: "split(datum.label, '\\n')",
      labelPadding: 6,
    },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: `n = ${format.count(r.n)} · ${strings.intervalNote}`,
      anchor: 'start',
    },
    description,
    width: 340,
    height: { step: 40 },
    data: { values },
    encoding: { y },
    layer: [
      {
        mark: { type: 'bar', color: '#4a6fa5', height: { band: 0.6 } },
        encoding: {
          x: {
            field: 'proportion',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: { format: '.0%', title: strings.percentOfAnswers, tickCount: 5, grid: true },
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
          fontSize: 12,
          color: '#1d2a3a',
        },
        encoding: { x: { field: 'upper', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    config: {
      font,
      view: { stroke: null },
      // one weight of one font in every chart: the PDF then embeds one font per chart, in a
      // fixed order (with two, Typst's SVG import writes them in an order that varies by run)
      axis: {
        labelFont: font,
        titleFont: font,
        titleFontWeight: 'normal',
        labelColor: '#1d2a3a',
        titleColor: '#1d2a3a',
      },
      title: {
        font,
        fontWeight: 'normal',
        subtitleFont: font,
        fontSize: 14,
        subtitleFontSize: 11,
        color: '#1d2a3a',
        subtitleColor: '#444',
      },
      background: 'white',
    },
  };
}

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
