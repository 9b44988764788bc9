import type { TopLevelSpec } from 'vega-lite';
import type { BuildCache } from '../cache.js';
import type { Codebook, Question } from '../load/codebook.js';
import { isWhereProblem, parseWhere } from '../load/where.js';
import type { Formatter } from '../locale/format.js';
import type { Strings } from '../locale/strings.js';
import { crosstab, type Rows, selectRows } from '../stats/crosstab.js';
import { tableWithheld } from '../stats/disclosure.js';
import type { QuestionResult, Results } from '../stats/frequencies.js';
import { optionShare } from '../stats/weighted.js';
import { groupedSpec, groupedText } from './grouped.js';
import { accessibleSvg, renderSvg } from './render.js';
import { type ChartText, chartSpec, chartText } from './spec.js';
import { histogramSpec, histogramText, likertSpec, likertText, sortItems } from './types.js';

/** One question's chart: its Vega-Lite spec and the accessible SVG drawn from it. */
export interface Chart {
  questionId: string;
  spec: TopLevelSpec;
  svg: string;
  /** What the chart shows, in words: the SVG's <desc> and the PDF image's alt text. */
  description: string;
  /** Its size in CSS pixels, as drawn. */
  width: number;
  height: number;
}

export interface ChartOptions {
  lang: string;
  format: Formatter;
  strings: Strings;
  font: string;
  /** Drawn charts and compiled specs: a chart whose spec did not change is not drawn again. */
  cache: Pick<BuildCache, 'charts' | 'runtimes'>;
  /** Called with the cache key of every chart of the language. */
  onKey?: (key: string) => void;
}

/** The charts of every question in one language, in the codebook's order (open questions have none). */
export async function drawCharts(
  codebook: Codebook,
  results: Results,
  options: ChartOptions,
): Promise<Chart[]> {
  const { lang, format, strings, font } = options;
  const charts: Chart[] = [];
  for (const q of codebook.questions) {
    const r = results.questions.find((x) => x.id === q.id);
    if (!r || q.type === 'text') continue;
    const title = q.short[lang] ?? q.id;
    const [spec, text] =
      q.type === 'ordinal'
        ? [
            likertSpec([{ q, r }], title, lang, format, strings, font),
            likertText([{ q, r }], title, lang, format, strings),
          ]
        : q.type === 'numeric' && q.options.length === 0
          ? [
              histogramSpec(q, r, lang, format, strings, font),
              histogramText(q, r, r.histogram ?? [], lang, format, strings),
            ]
          : [
              chartSpec(q, onBase(r), lang, format, strings, font),
              chartText(q, onBase(r), lang, format, strings),
            ];
    charts.push(await draw(q.id, spec, text, options));
  }
  return charts;
}

/** A result with its shares taken of every respondent when its question's base is all. */
function onBase(r: QuestionResult): QuestionResult {
  if (r.base !== 'all') return r;
  return {
    ...r,
    n: r.n + r.missing,
    // weighted in a weighted study
    options: r.options.map((o, i) => ({ ...o, ...optionShare(r, i, true) })),
  };
}

/** A battery of ordinal items on one scale as one diverging chart, its items sorted as asked. */
export async function drawLikert(
  codebook: Codebook,
  results: Results,
  request: {
    id: string;
    questions: string[];
    sort: 'agree' | 'disagree' | 'questionnaire';
    title: string;
  },
  options: ChartOptions,
): Promise<Chart> {
  const { lang, format, strings, font } = options;
  const items = sortItems(
    request.questions.map((id) => ({
      q: codebook.questions.find((x) => x.id === id) as Question,
      r: results.questions.find((x) => x.id === id) as QuestionResult,
    })),
    request.sort,
  );
  return draw(
    request.id,
    likertSpec(items, request.title, lang, format, strings, font),
    likertText(items, request.title, lang, format, strings),
    options,
  );
}

/**
 * A question by a group question as a grouped bar chart (see groupedSpec), in a subgroup when
 * `where` is given (written as in a helper's where=, checked by the helper that asked).
 */
export async function drawGrouped(
  codebook: Codebook,
  rows: Rows,
  request: { id: string; question: string; by: string; where?: string },
  options: ChartOptions,
): Promise<Chart> {
  const { lang, format, font } = options;
  const q = codebook.questions.find((x) => x.id === request.question) as Question;
  const g = codebook.questions.find((x) => x.id === request.by) as Question;
  const where = request.where === undefined ? undefined : parseWhere(codebook, request.where);
  const keep = where && !isWhereProblem(where) ? selectRows(rows, where) : undefined;
  const t = crosstab(q, g, rows, keep);
  const min = codebook.study.disclosure?.min_cell;
  const withheld = min ? tableWithheld(t, min) : undefined;
  const title = `${q.short[lang] ?? q.id} × ${g.short[lang] ?? g.id}`;
  const text = groupedText(q, g, t, lang, format, title, withheld);
  return draw(
    request.id,
    groupedSpec(q, g, t, lang, format, font, text.description, withheld),
    text,
    options,
  );
}

/** Draws a spec to an accessible SVG, or takes it from the cache when the spec is unchanged. */
async function draw(
  id: string,
  spec: TopLevelSpec,
  text: ChartText,
  options: ChartOptions,
): Promise<Chart> {
  const key = `${options.format.locale}\n${JSON.stringify(spec)}`;
  options.onKey?.(key);
  let drawn = options.cache.charts.get(key);
  if (drawn === undefined) {
    drawn = accessibleSvg(
      await renderSvg(spec, options.format, options.cache.runtimes),
      text,
      `chart-${id}`,
    );
    options.cache.charts.set(key, drawn);
  }
  return { questionId: id, spec, ...drawn, description: text.description };
}
