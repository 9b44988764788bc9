import type { Question } from '../load/codebook.js';
import type { QuestionTally } from '../load/tally.js';
import type { NumericSummary, QuestionResult } from './result.js';
import { optionResults } from './single.js';

/**
 * The p-quantile of sorted values given as distinct values with counts, by Hyndman and Fan's
 * definition 6 (SPSS's HAVERAGE, R's quantile(type = 6), Minitab's): the value at rank
 * (n + 1)·p, interpolated between neighbours, clamped to the smallest and largest value.
 */
export function quantile6(values: readonly (readonly [number, number])[], p: number): number {
  const n = values.reduce((sum, [, c]) => sum + c, 0);
  if (n === 0) return Number.NaN;
  const h = (n + 1) * p;
  const at = (rank: number): number => {
    // the value of 1-based rank, rank in [1, n]
    let seen = 0;
    for (const [value, count] of values) {
      seen += count;
      if (rank <= seen) return value;
    }
    return (values[values.length - 1] as readonly [number, number])[0];
  };
  if (h <= 1) return at(1);
  if (h >= n) return at(n);
  const low = Math.floor(h);
  const lower = at(low);
  const fraction = h - low;
  return fraction === 0 ? lower : lower + fraction * (at(low + 1) - lower);
}

/** n, mean, standard deviation (n − 1), quartiles (definition 6), min and max, from value counts. */
export function summarize(
  values: readonly (readonly [number, number])[],
): NumericSummary | undefined {
  const sorted = [...values].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((sum, [, c]) => sum + c, 0);
  if (n === 0) return undefined;
  const mean = sorted.reduce((sum, [v, c]) => sum + v * c, 0) / n;
  const squares = sorted.reduce((sum, [v, c]) => sum + c * (v - mean) ** 2, 0);
  return {
    n,
    mean,
    sd: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    min: (sorted[0] as [number, number])[0],
    q1: quantile6(sorted, 0.25),
    median: quantile6(sorted, 0.5),
    q3: quantile6(sorted, 0.75),
    max: (sorted[sorted.length - 1] as [number, number])[0],
  };
}

/** A numeric question: its summary, and its bins' counts when it has bins. */
export function numericResult(q: Question, t: QuestionTally | undefined): QuestionResult {
  const values = (t?.values ?? []).map(([key, count]) => [Number(key), count] as const);
  const n = values.reduce((sum, [, c]) => sum + c, 0);
  const result: QuestionResult = {
    id: q.id,
    type: 'numeric',
    n,
    missing: t?.missing ?? 0,
    options: optionResults(q, t?.counts ?? [], n),
  };
  if (q.base === 'all') result.base = 'all';
  const summary = summarize(values);
  if (summary) result.numeric = summary;
  if (q.options.length === 0 && summary) result.histogram = histogramBins(values);
  return result;
}

/** The distinct values of a numeric question as [value, count], ascending. */
export function numericValues(t: QuestionTally | undefined): [number, number][] {
  return (t?.values ?? []).map(([key, count]) => [Number(key), count]);
}

/** Classes of equal width for a histogram: about Sturges' number, at a round width. */
export function histogramBins(
  values: readonly (readonly [number, number])[],
): { start: number; end: number; count: number }[] {
  const sorted = [...values].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return [];
  const min = (sorted[0] as readonly [number, number])[0];
  const max = (sorted[sorted.length - 1] as readonly [number, number])[0];
  const sturges = Math.ceil(Math.log2(n) + 1);
  const raw = (max - min) / sturges || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  if (values.every(([v]) => Number.isInteger(v))) step = Math.max(1, Math.ceil(step));
  const first = Math.floor(min / step) * step;
  const bins: { start: number; end: number; count: number }[] = [];
  const classes = Math.floor((max - first) / step + 1e-9) + 1;
  for (let i = 0; i < classes; i++)
    bins.push({ start: round(first + i * step), end: round(first + (i + 1) * step), count: 0 });
  for (const [v, c] of sorted) {
    const i = Math.min(bins.length - 1, Math.floor((v - first) / step + 1e-9));
    (bins[i] as { count: number }).count += c;
  }
  return bins;
}

const round = (x: number) => Number(x.toPrecision(12));
