import type { Codebook } from '../load/codebook.js';
import { answerOptions, type Rows } from './crosstab.js';
import type { Results } from './frequencies.js';
import type { QuestionResult } from './result.js';
import { designEffect, effectiveN, wilsonOf } from './weights.js';
import { wilson } from './wilson.js';

/**
 * A weighted study's results: each option's share is of weights (Σw of the respondents who chose
 * it over Σw of those who answered), its 95 % Wilson interval is taken on Kish's effective sample
 * size of those weights, and the counts stay the unweighted ones, printed beside the shares. The
 * sums of weights and effective sizes are kept with each question (`weighted`) and the study's
 * design effect with the results, so results.json says what was weighted and gives both.
 */
export function weightResults(codebook: Codebook, results: Results, rows: Rows): Results {
  const weights = rows.weights;
  if (!weights) return results;
  const questions = results.questions.map((r) => {
    const q = codebook.questions.find((x) => x.id === r.id);
    if (!q || q.options.length === 0) return r;
    const column = rows.answers[q.id] ?? [];
    const sums = q.options.map(() => 0);
    const answered: number[] = [];
    const unanswered: number[] = [];
    weights.forEach((w, i) => {
      const answer = column[i] ?? null;
      const chosen = answerOptions(q, answer);
      if (chosen.length > 0 || (q.type === 'multiple' && answer === '')) {
        answered.push(w);
        for (const k of chosen) sums[k] = (sums[k] ?? 0) + w;
      } else unanswered.push(w);
    });
    const n = sum(answered);
    const neff = effectiveN(answered);
    const out: QuestionResult = {
      ...r,
      options: r.options.map((o, i) => {
        const w = sums[i] ?? 0;
        const p = n === 0 ? 0 : w / n;
        return { ...o, weighted_count: w, proportion: p, ci: wilsonOf(p, neff) };
      }),
      weighted: {
        n,
        missing: sum(unanswered),
        effective_n: neff,
        effective_n_all: effectiveN([...answered, ...unanswered]),
      },
    };
    if (r.ordinal) {
      // of the running sum of weights over their total, so that the last share is exactly 1
      const total = out.options.reduce((t, o) => t + (o.weighted_count ?? 0), 0);
      let running = 0;
      const cumulative = out.options.map((o) => {
        running += o.weighted_count ?? 0;
        return total > 0 ? running / total : 0;
      });
      const median = out.options.find((_, i) => 2 * (cumulative[i] ?? 0) >= 1 - 1e-12)?.code;
      out.ordinal = { ...r.ordinal, cumulative, median: n > 0 ? (median ?? null) : null };
    }
    if (r.multiple) {
      const responses = sum(sums);
      out.multiple = {
        ...r.multiple,
        ofResponses: sums.map((w) => (responses === 0 ? 0 : w / responses)),
      };
    }
    return out;
  });
  return {
    ...results,
    weighted: {
      column: codebook.study.data.weight ?? '',
      respondents: sum(weights),
      effective_n: effectiveN(weights),
      design_effect: designEffect(weights),
    },
    questions,
  };
}

const sum = (values: readonly number[]) => values.reduce((s, x) => s + x, 0);

/**
 * An option's share and interval on its question's base: of the answers given (valid) or of
 * every respondent (all); weighted when the results are. NaN for a withheld cell.
 */
export function optionShare(
  r: QuestionResult,
  i: number,
  all: boolean,
): { proportion: number; ci: [number, number] } {
  const o = r.options[i];
  if (!o) return { proportion: 0, ci: [0, 1] };
  // a withheld cell (study.disclosure) has no share on either base
  if (o.suppressed) return { proportion: Number.NaN, ci: [Number.NaN, Number.NaN] };
  if (!all) return { proportion: o.proportion, ci: o.ci };
  const w = r.weighted;
  if (w) {
    const n = w.n + w.missing;
    const p = n === 0 ? 0 : (o.weighted_count ?? 0) / n;
    return { proportion: p, ci: wilsonOf(p, w.effective_n_all) };
  }
  const n = r.n + r.missing;
  const p = n === 0 ? 0 : o.count / n;
  return { proportion: p, ci: wilson(o.count, n) };
}

/** The share of the base a number of respondents is: weighted results take Σw of the missing. */
export function missingShare(r: QuestionResult, all: boolean): number {
  const w = r.weighted;
  const [missing, n] = w
    ? [w.missing, all ? w.n + w.missing : w.n]
    : [r.missing, all ? r.n + r.missing : r.n];
  return n === 0 ? 0 : missing / n;
}
