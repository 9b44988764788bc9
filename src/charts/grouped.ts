import type { TopLevelSpec } from 'vega-lite';
import type { Question } from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import { fill } from '../locale/strings.js';
import { type Crosstab, cellPercent } from '../stats/crosstab.js';
import type { WithheldTable } from '../stats/disclosure.js';
import type { ChartText } from './spec.js';
import {
  CHART_FONT_SIZE,
  chartConfig,
  LABEL_CHARS,
  LABEL_EXTENT,
  OPTION_AXIS,
  wrap,
} from './spec.js';

/** The words of a grouped chart, per language. */
export interface GroupedWords {
  /** The chart in words: {question}, {group}, {parts}. */
  description: string;
  /** A group's share in words: {group}, {n}, {options}. */
  part: string;
  /** The axis: percentage of each group's answers (or respondents, for a multiple question). */
  axis: string;
  axisMultiple: string;
  /** Beside a weighted share: the unweighted counts it rests on. */
  unweighted: string;
}

export const groupedWords: Record<string, GroupedWords> = {
  es: {
    description: 'Gráfico de barras agrupadas: {question} por {group}. {parts}.',
    part: '{group} (n = {n}): {options}',
    axis: '% de las respuestas del grupo',
    axisMultiple: '% de los encuestados del grupo',
    unweighted: 'sin ponderar',
  },
  en: {
    description: 'Grouped bar chart: {question} by {group}. {parts}.',
    part: '{group} (n = {n}): {options}',
    axis: '% of the group’s answers',
    axisMultiple: '% of the group’s respondents',
    unweighted: 'unweighted',
  },
};

/** Four colours told apart in colour vision deficiency (Okabe and Ito), then a grey. */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8f98a3'];

const PLOT_WIDTH = 165;

/**
 * A question by a group question as a grouped bar chart: per option of `q`, one bar per group,
 * the percentage of that group's answers (a crosstab's column percentages, weighted when the
 * study is), each bar labelled with its value; a legend names the groups. Static, like the others.
 */
export function groupedSpec(
  q: Question,
  g: Question,
  t: Crosstab,
  lang: string,
  format: Formatter,
  font: string,
  description: string,
  withheld?: WithheldTable,
): TopLevelSpec {
  const words = groupedWords[lang] ?? (groupedWords.en as GroupedWords);
  const hidden = (i: number, j: number) => Boolean(withheld?.cells[i]?.[j]);
  const shares = t.rows.flatMap((_, i) =>
    t.columns.flatMap((_, j) => (hidden(i, j) ? [] : [cellPercent(t, i, j, 'column') / 100])),
  );
  const digits = format.columnDigits(shares.filter((x) => Number.isFinite(x)));
  const groups = g.options.map((o) => o.label[lang] ?? o.code);
  const values = q.options.flatMap((o, i) =>
    g.options.map((_, j) => {
      const base = {
        order: i,
        option: wrap(o.label[lang] ?? o.code, LABEL_CHARS),
        group: groups[j],
        groupOrder: j,
      };
      // a withheld cell (study.disclosure) has no bar, only "< min"
      if (hidden(i, j))
        return {
          ...base,
          proportion: 0,
          withheld: true,
          text: `< ${format.count(withheld?.min ?? 0)}`,
        };
      const p = cellPercent(t, i, j, 'column') / 100;
      const share = Number.isFinite(p) ? p : 0;
      return {
        ...base,
        proportion: share,
        text: Number.isFinite(p) ? format.percent(share, digits, true) : '—',
      };
    }),
  );
  const bars = g.options.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description,
    autosize: { type: 'none', contains: 'content' },
    padding: { left: LABEL_EXTENT + 8, right: 52, top: 4 + 24 * Math.ceil(bars / 3), bottom: 46 },
    width: PLOT_WIDTH,
    height: { step: Math.max(58, 22 * bars + 14) },
    data: { values },
    encoding: {
      y: {
        field: 'option',
        type: 'nominal',
        sort: null,
        title: null,
        axis: OPTION_AXIS,
      },
      yOffset: { field: 'groupOrder', type: 'ordinal', sort: null },
    },
    layer: [
      {
        mark: { type: 'bar' },
        ...(withheld?.any ? { transform: [{ filter: '!datum.withheld' }] } : {}),
        encoding: {
          x: {
            field: 'proportion',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            axis: {
              format: '.0%',
              title: q.type === 'multiple' ? words.axisMultiple : words.axis,
              values: [0, 0.5, 1],
              labelOverlap: false,
              grid: true,
              labelFontSize: CHART_FONT_SIZE,
              titleFontSize: CHART_FONT_SIZE,
            },
          },
          color: {
            field: 'group',
            type: 'nominal',
            sort: groups,
            scale: {
              domain: groups,
              range: groups.map((_, j) => PALETTE[j % PALETTE.length] as string),
            },
            legend: {
              title: g.short[lang] ?? g.id,
              orient: 'top',
              direction: 'horizontal',
              columns: 3,
              labelFontSize: CHART_FONT_SIZE,
              titleFontSize: CHART_FONT_SIZE,
              titleOrient: 'left',
              titleFontWeight: 'normal',
              offset: 8,
            },
          },
        },
      },
      {
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 4,
          fontSize: CHART_FONT_SIZE - 3,
          color: '#1d2a3a',
        },
        encoding: {
          x: { field: 'proportion', type: 'quantitative' },
          text: { field: 'text' },
        },
      },
    ],
    config: chartConfig(font),
  };
}

/** The grouped chart's title and description: each group's n and its share per option. */
export function groupedText(
  q: Question,
  g: Question,
  t: Crosstab,
  lang: string,
  format: Formatter,
  title: string,
  withheld?: WithheldTable,
): ChartText {
  const words = groupedWords[lang] ?? (groupedWords.en as GroupedWords);
  const below = `< ${format.count(withheld?.min ?? 0)}`;
  const parts = g.options.map((group, j) => {
    const options = q.options
      .map((o, i) => {
        if (withheld?.cells[i]?.[j]) return `${o.label[lang] ?? o.code} — (${below})`;
        const p = cellPercent(t, i, j, 'column') / 100;
        const count = format.count(t.unweighted[i]?.[j] ?? 0);
        return `${o.label[lang] ?? o.code} ${Number.isFinite(p) ? format.percent(p) : '—'} (${count})`;
      })
      .join(', ');
    const n = `${withheld?.columnTotals[j] ? below : format.count(t.columnN[j] ?? 0)}${t.weighted ? ` ${words.unweighted}` : ''}`;
    return fill(words.part, { group: group.label[lang] ?? group.code, n, options });
  });
  return {
    title,
    description: fill(words.description, {
      question: q.short[lang] ?? q.id,
      group: g.short[lang] ?? g.id,
      parts: parts.join('; '),
    }),
  };
}
