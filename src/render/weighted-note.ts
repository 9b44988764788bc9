import { InputError } from '../errors.js';
import type { QuestionResult } from '../stats/result.js';
import { groupStrings } from './group-strings.js';
import type { TemplateContext } from './helpers.js';

/**
 * The note under a weighted question's table or chart: the percentages are weighted, the counts
 * are not, and the intervals are taken on Kish's effective n of the base, with its design effect.
 */
export function weightedTableNote(ctx: TemplateContext, r: QuestionResult, all: boolean): string {
  const w = r.weighted;
  if (!w) return '';
  const words = groupStrings[ctx.lang];
  // a language without the words is refused, not set in another
  if (!words)
    throw new InputError(
      ctx.template,
      undefined,
      `weighted tables have no note for language "${ctx.lang}"`,
      'weighted studies are reported in es and en',
    );
  const neff = all ? w.effective_n_all : w.effective_n;
  const n = all ? r.n + r.missing : r.n;
  return words.weightedTableNote
    .replace('{neff}', ctx.format.decimal(neff, 1))
    .replace('{deff}', ctx.format.decimal(neff === 0 ? Number.NaN : n / neff, 2));
}
