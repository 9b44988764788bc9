import type { TopLevelSpec } from 'vega-lite';
import type { BuildCache } from '../cache.js';
import type { Codebook } from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import type { Strings } from '../locale/strings.js';
import type { Results } from '../stats/frequencies.js';
import { accessibleSvg, renderSvg } from './render.js';
import { chartSpec, chartText } from './spec.js';

/** One question's chart: its Vega-Lite spec and the accessible SVG drawn from it. */
export interface Chart {
  questionId: string;
  spec: TopLevelSpec;
  svg: string;
  /** What the chart shows, in words: the SVG's <desc> and the PDF image's alt text. */
  description: string;
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

/** The charts of every question in one language, in the codebook's order. */
export async function drawCharts(
  codebook: Codebook,
  results: Results,
  options: ChartOptions,
): Promise<Chart[]> {
  const { lang, format, strings } = options;
  const charts: Chart[] = [];
  for (const q of codebook.questions) {
    const r = results.questions.find((x) => x.id === q.id);
    if (!r) continue;
    const spec = chartSpec(q, r, lang, format, strings, options.font);
    const key = `${format.locale}\n${JSON.stringify(spec)}`;
    options.onKey?.(key);
    const text = chartText(q, r, lang, format, strings);
    let svg = options.cache.charts.get(key);
    if (svg === undefined) {
      svg = accessibleSvg(
        await renderSvg(spec, format, options.cache.runtimes),
        text,
        `chart-${q.id}`,
      );
      options.cache.charts.set(key, svg);
    }
    charts.push({ questionId: q.id, spec, svg, description: text.description });
  }
  return charts;
}
