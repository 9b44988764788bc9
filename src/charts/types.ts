import type { TopLevelSpec } from 'vega-lite';
import type { Question } from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import { fill, type Strings } from '../locale/strings.js';
import type { QuestionResult } from '../stats/result.js';
import {
  CHART_FONT_SIZE,
  CHART_WIDTH,
  type ChartText,
  chartConfig,
  LABEL_CHARS,
  LABEL_EXTENT,
  wrap,
} from './spec.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const INK = '#1d2a3a';
/** Diverging colours from disagreement (warm) to agreement (cool), a grey centre. */
const WARM = ['#8c3b1f', '#c8663c', '#e6a57e', '#f3d2bd'];
const COOL = ['#c6d7ea', '#8fb1d6', '#4a6fa5', '#27406b'];
const NEUTRAL = '#d9d9d9';
/** The width of a text at the charts' size (px): a generous estimate, as vega has no font to measure. */
const textWidth = (text: string) => Math.ceil(text.length * CHART_FONT_SIZE * 0.55) + 4;
/** A diverging chart's plot: the bar charts' whole width less their label column and margin. */
const LIKERT_PLOT = CHART_WIDTH - (LABEL_EXTENT + 8) - 12;
/** Rows of an item's label (up to three lines), and of the legend. */
const ITEM_STEP = 58;
const LEGEND_ROW = 22;
/** A histogram's room for its count axis: title, labels of up to four digits. */
const HISTOGRAM_LEFT = 64;

/** The options left of the centre, the centre (if any) and those right of it. */
export function sides(q: Question): { negative: number[]; neutral?: number; positive: number[] } {
  const k = q.options.length;
  const centre = q.neutral;
  const indices = q.options.map((_, i) => i);
  if (centre === undefined)
    return {
      negative: indices.slice(0, Math.floor(k / 2)),
      positive: indices.slice(Math.floor(k / 2)),
    };
  return {
    negative: indices.slice(0, centre),
    neutral: centre,
    positive: indices.slice(centre + 1),
  };
}

function colours(q: Question): string[] {
  const { negative, neutral, positive } = sides(q);
  const warm = WARM.slice(0, negative.length);
  // the strongest disagreement first, darkest
  const left = negative.map((_, i) => warm[i] ?? (WARM[WARM.length - 1] as string));
  const right = positive.map(
    (_, i) => COOL.slice(-positive.length)[i] ?? (COOL[COOL.length - 1] as string),
  );
  return [...left, ...(neutral === undefined ? [] : [NEUTRAL]), ...right];
}

/** Shares of disagreement and agreement of one item, of the answers given. */
export function leaning(q: Question, r: QuestionResult): { disagree: number; agree: number } {
  const { negative, positive } = sides(q);
  // a withheld cell (study.disclosure) counts as none: its share is not published
  const share = (i: number) => (r.options[i]?.suppressed ? 0 : (r.options[i]?.proportion ?? 0));
  const sum = (list: number[]) => list.reduce((s, i) => s + share(i), 0);
  return { disagree: sum(negative), agree: sum(positive) };
}

/** Items of a battery in the order asked for: most agreement first, most disagreement first, or as given. */
export function sortItems(
  items: { q: Question; r: QuestionResult }[],
  sort: 'agree' | 'disagree' | 'questionnaire',
): { q: Question; r: QuestionResult }[] {
  if (sort === 'questionnaire') return items;
  const key = (x: { q: Question; r: QuestionResult }) => leaning(x.q, x.r)[sort];
  // stable: ties keep the questionnaire's order
  return items
    .map((x, i) => ({ x, i }))
    .sort((a, b) => key(b.x) - key(a.x) || a.i - b.i)
    .map(({ x }) => x);
}

/**
 * A diverging stacked bar per item: the options left of the scale's centre to the left of zero,
 * those right of it to the right, the centre split across zero. Shares of the answers given.
 */
export function likertSpec(
  items: { q: Question; r: QuestionResult }[],
  title: string,
  lang: string,
  format: Formatter,
  strings: Strings,
  font: string,
): TopLevelSpec {
  const first = items[0] as { q: Question; r: QuestionResult };
  const scale = first.q.options.map((o) => o.label[lang] ?? o.code);
  interface Segment {
    order: number;
    item: string;
    option: string | null;
    start: number;
    end: number;
    withheld?: true;
    middle: number;
    text: string;
    light: boolean;
  }
  const bars = items.map(({ q, r }, order) => {
    // an item with withheld cells (study.disclosure) has no bar: where its segments start and
    // end would give them away; its row says "< min_cell"
    const withheld = r.options.some((o) => o.suppressed);
    const { negative, neutral } = sides(q);
    const p = (i: number) => r.options[i]?.proportion ?? 0;
    const left =
      negative.reduce((s, i) => s + p(i), 0) + (neutral === undefined ? 0 : p(neutral) / 2);
    return withheld
      ? { q, r, order, p, neutral, withheld, left: 0, right: 0 }
      : { q, r, order, p, neutral, withheld, left, right: 1 - left };
  });
  // the axis spans what the bars reach, in quarters, so that the bars are as long as they can be
  const quarter = (x: number) => Math.max(0.25, Math.ceil(x * 4 - 1e-9) / 4);
  const low = -quarter(Math.max(...bars.map((b) => b.left)));
  const high = quarter(Math.max(...bars.map((b) => b.right)));
  const pxPerUnit = LIKERT_PLOT / (high - low);
  const step = high - low > 1 ? 0.5 : 0.25;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + 1e-9; t += step) ticks.push(t);
  const values = bars.flatMap(({ q, r, order, p, neutral, withheld, left }): Segment[] => {
    if (withheld)
      return [
        {
          order,
          item: wrap(q.short[lang] ?? q.id, LABEL_CHARS),
          option: null,
          start: 0,
          end: 0,
          withheld: true,
          middle: 0,
          text: `< ${format.count(r.min_cell ?? 0)}`,
          light: true,
        },
      ];
    let x = -left;
    return q.options.map((o, i) => {
      const start = x;
      x += p(i);
      const text = format.percent(p(i), 0);
      return {
        order,
        item: wrap(q.short[lang] ?? q.id, LABEL_CHARS),
        option: o.label[lang] ?? o.code,
        start,
        end: x,
        middle: (start + x) / 2,
        // a share is written in its segment only where it fits there (the table gives them all)
        text: p(i) > 0 && p(i) * pxPerUnit >= textWidth(text) ? text : '',
        light: i === neutral || Math.abs(i - (q.options.length - 1) / 2) < q.options.length / 4,
      };
    });
  });
  const ns = items.map(({ r }) => r.n);
  const fewest = Math.min(...ns);
  const most = Math.max(...ns);
  // the legend in two columns where its labels fit, else one
  // (placed by vega's own estimate of a text's width, 0.8 em a character, without the font)
  const estimate = (l: string) => Math.ceil(l.length * CHART_FONT_SIZE * 0.8);
  const columns = scale.every((l) => estimate(l) + 24 <= (CHART_WIDTH - 8) / 2) ? 2 : 1;
  const legendRows = Math.ceil(scale.length / columns);
  const height = items.length * ITEM_STEP;
  return {
    $schema: SCHEMA,
    // the figure's caption names the battery: the chart's own title gives only n and the base
    title: {
      text: `n = ${fewest === most ? format.count(fewest) : format.countRange(fewest, most)} · ${strings.percentOfAnswers}`,
      anchor: 'start',
      // from the chart's left edge, over the items' labels
      frame: 'group',
      dx: -(LABEL_EXTENT + 8),
      offset: 10,
      limit: 2 * CHART_WIDTH,
    },
    description: likertText(items, title, lang, format, strings).description,
    // sized by hand, as the bar charts are: vega estimates text without the font
    autosize: { type: 'none', contains: 'content' },
    padding: {
      left: LABEL_EXTENT + 8,
      right: 12,
      top: 34,
      bottom: 44 + legendRows * LEGEND_ROW,
    },
    width: LIKERT_PLOT,
    height,
    data: { values },
    encoding: {
      y: {
        field: 'item',
        type: 'nominal',
        sort: null,
        title: null,
        axis: {
          labelLimit: 0,
          labelExpr: "split(datum.label, '\\n')",
          labelPadding: 6,
          minExtent: LABEL_EXTENT,
          maxExtent: LABEL_EXTENT,
        },
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.6 } },
        // a withheld item has no bar, only its text
        transform: [{ filter: '!datum.withheld' }],
        encoding: {
          x: {
            field: 'start',
            type: 'quantitative',
            scale: { domain: [low, high], nice: false },
            axis: {
              title: null,
              values: ticks,
              grid: true,
              labelExpr: "format(abs(datum.value), '.0%')",
              labelOverlap: false,
            },
          },
          x2: { field: 'end' },
          color: {
            field: 'option',
            type: 'nominal',
            sort: scale,
            scale: { domain: scale, range: colours(first.q) },
            legend: {
              title: null,
              orient: 'none',
              legendX: -(LABEL_EXTENT + 8),
              legendY: height + 40,
              direction: columns === 2 ? 'horizontal' : 'vertical',
              symbolType: 'square',
              columns,
              columnPadding: 8,
              rowPadding: LEGEND_ROW - CHART_FONT_SIZE,
              // vega's estimate cuts a label that the font sets well within the chart
              labelLimit: 2 * CHART_WIDTH,
            },
          },
          order: { field: 'start', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'text', fontSize: CHART_FONT_SIZE, baseline: 'middle' },
        encoding: {
          x: { field: 'middle', type: 'quantitative' },
          text: { field: 'text' },
          color: { condition: { test: 'datum.light', value: INK }, value: 'white' },
        },
      },
      {
        mark: { type: 'rule', color: INK, strokeWidth: 1 },
        encoding: { x: { datum: 0 } },
      },
    ],
    config: chartConfig(font),
  } as TopLevelSpec;
}

export function likertText(
  items: { q: Question; r: QuestionResult }[],
  title: string,
  lang: string,
  format: Formatter,
  strings: Strings,
): ChartText {
  const parts = items.map(({ q, r }) => {
    const shares = q.options
      .map(
        (o, i) =>
          `${o.label[lang] ?? o.code} ${r.options[i]?.suppressed ? `< ${format.count(r.min_cell ?? 0)}` : format.percent(r.options[i]?.proportion ?? 0)}`,
      )
      .join(', ');
    return `${q.short[lang] ?? q.id} (n = ${format.count(r.n)}): ${shares}`;
  });
  return {
    title,
    description: fill(strings.likertDescription ?? strings.chartDescription, {
      question: title,
      parts: parts.join('; '),
    }),
  };
}

/** A numeric question without bins: a histogram of counts per class [start, end). */
export function histogramSpec(
  q: Question,
  r: QuestionResult,
  lang: string,
  format: Formatter,
  strings: Strings,
  font: string,
): TopLevelSpec {
  const bins = r.histogram ?? [];
  // a withheld class (study.disclosure): no bar, its "< 3" on the axis
  const below = `< ${format.count(r.min_cell ?? 0)}`;
  const data = bins.map((b) =>
    b.suppressed
      ? { start: b.start, end: b.end, count: null, at: 0, text: below }
      : { ...b, at: b.count, text: b.count > 0 ? format.count(b.count) : '' },
  );
  const s = r.numeric && Number.isFinite(r.numeric.mean) ? r.numeric : undefined;
  const subtitle = s
    ? `n = ${format.count(r.n)} · ${strings.mean ?? 'mean'} ${format.decimal(s.mean, 1)} · ${strings.median ?? 'median'} ${format.decimal(s.median, Number.isInteger(s.median) ? 0 : 1)}`
    : `n = ${format.count(r.n)}`;
  return {
    $schema: SCHEMA,
    // the figure's caption names the question: the chart's own title gives only n and the summary
    title: {
      text: subtitle,
      anchor: 'start',
      frame: 'group',
      dx: -HISTOGRAM_LEFT,
      offset: 10,
      limit: 2 * CHART_WIDTH,
    },
    description: histogramText(q, r, bins, lang, format, strings).description,
    // sized by hand to the bar charts' whole width: vega estimates text without the font
    autosize: { type: 'none', contains: 'content' },
    padding: { left: HISTOGRAM_LEFT, right: 24, top: 34, bottom: 52 },
    width: CHART_WIDTH - HISTOGRAM_LEFT - 24,
    height: 200,
    data: { values: data },
    layer: [
      {
        mark: { type: 'bar', color: '#4a6fa5', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: {
            field: 'start',
            type: 'quantitative',
            bin: { binned: true },
            scale: {
              domain: [bins[0]?.start ?? 0, bins[bins.length - 1]?.end ?? 1],
              nice: false,
              zero: false,
            },
            axis: {
              title: q.short[lang] ?? q.id,
              values: [...bins.map((b) => b.start), bins[bins.length - 1]?.end ?? 0],
              // at the charts' text size, a label that would overlap its neighbour is left out
              labelOverlap: 'greedy',
            },
          },
          x2: { field: 'end' },
          y: {
            field: 'count',
            type: 'quantitative',
            axis: { title: strings.respondents ?? 'n', tickMinStep: 1, grid: true },
          },
        },
      },
      {
        mark: { type: 'text', dy: -8, fontSize: CHART_FONT_SIZE, color: INK },
        encoding: {
          x: { field: 'middle', type: 'quantitative' },
          y: { field: 'at', type: 'quantitative' },
          text: { field: 'text' },
        },
        transform: [{ calculate: '(datum.start + datum.end) / 2', as: 'middle' }],
      },
    ],
    config: chartConfig(font),
  } as TopLevelSpec;
}

export function histogramText(
  q: Question,
  r: QuestionResult,
  bins: { start: number; end: number; count: number; suppressed?: true }[],
  lang: string,
  format: Formatter,
  strings: Strings,
): ChartText {
  const title = q.short[lang] ?? q.id;
  const parts = bins.map(
    (b) =>
      `${format.decimal(b.start, decimalsOf(b.start))}–${format.decimal(b.end, decimalsOf(b.end))}: ${b.suppressed ? `< ${format.count(r.min_cell ?? 0)}` : format.count(b.count)}`,
  );
  return {
    title,
    description: fill(strings.histogramDescription ?? strings.chartDescription, {
      question: title,
      parts: `n = ${format.count(r.n)}; ${parts.join('; ')}`,
    }),
  };
}

const decimalsOf = (x: number) =>
  Number.isInteger(x) ? 0 : (String(x).split('.')[1]?.length ?? 0);
