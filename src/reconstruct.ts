import { stringify } from 'csv-stringify/sync';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { InputError } from './errors.js';
import type { Claim } from './load/claims.js';
import type { Codebook, Question } from './load/codebook.js';
import { layout } from './load/study.js';
import { matchesPercent } from './stats/percent.js';

/**
 * Counts per option that reproduce every published claim, inventing no split:
 * a share claim fixes its option's count, a claim in words fixes its options' total
 * only when that total can go to one option, and whatever the source leaves unexplained
 * goes to the question's option marked `unreported`.
 */
export function reconstructCounts(
  codebook: Codebook,
  claims: readonly Claim[],
): Map<string, Map<string, number>> {
  const fail = (claimOrQuestion: string, problem: string, hint?: string): never => {
    throw new InputError(
      layout.claims,
      undefined,
      `cannot reconstruct: ${claimOrQuestion}: ${problem}`,
      hint,
    );
  };
  const population = claims.find((c) => c.kind === 'population');
  if (!population)
    return fail('population', 'no claim of kind "population" gives the number of respondents');
  const n = population.count;
  const all = new Map<string, Map<string, number>>();
  for (const question of codebook.questions) {
    if (question.type !== 'single' && question.type !== 'ordinal')
      fail(
        question.id,
        `a ${question.type} question cannot be reconstructed from published shares`,
        'reconstruction takes single and ordinal questions only',
      );
    const counts = new Map<string, number>(question.options.map((o) => [o.code, 0]));
    const fixed = new Set<string>();
    const set = (code: string, count: number, by: string) => {
      if (fixed.has(code) && counts.get(code) !== count)
        fail(
          by,
          `gives option "${code}" of "${question.id}" ${count} answers, another claim gives it ${counts.get(code)}`,
        );
      counts.set(code, count);
      fixed.add(code);
    };
    for (const claim of claims) {
      if (claim.kind === 'population' || claim.question !== question.id) continue;
      // a test or a subgroup's share says nothing of the marginals a reconstruction draws
      if (claim.kind === 'test' || (claim.kind === 'share' && claim.where !== undefined)) continue;
      if (claim.kind === 'mean' || claim.kind === 'median')
        return fail(claim.id, `a ${claim.kind} cannot be reconstructed into answers`);
      if (claim.kind === 'share' && claim.base === 'all')
        return fail(
          claim.id,
          'a share of all respondents cannot be reconstructed',
          'reconstruction takes shares of the answers given',
        );
      // a count and a percentage that disagree come first: no option can hide that
      if (
        claim.kind === 'share' &&
        claim.count !== undefined &&
        typeof claim.percent === 'string' &&
        !matchesPercent(claim.percent, claim.count, n)
      )
        fail(
          claim.id,
          `its count ${claim.count} and its percentage ${claim.percent} % disagree (${claim.count}/${n} = ${Number(((100 * claim.count) / n).toFixed(2))} %)`,
          'check the source: one of the two is misprinted',
        );
      const target =
        claim.options.length === 1 ? claim.options[0] : unreportedAmong(question, claim.options);
      if (target === undefined)
        fail(
          claim.id,
          `spreads over ${claim.options.join(', ')} without a split`,
          'mark one of these options "unreported: true" to hold them',
        );
      const code = target as string;
      if (claim.kind === 'all') set(code, n, claim.id);
      else set(code, claim.count ?? countFor(claim.id, claim.percent as string, n, fail), claim.id);
    }
    const assigned = [...counts.values()].reduce((a, b) => a + b, 0);
    const remainder = n - assigned;
    if (remainder < 0)
      fail(question.id, `the claims give ${assigned} answers, more than the ${n} respondents`);
    if (remainder > 0) {
      const holder = question.options.find((o) => o.unreported && !fixed.has(o.code));
      if (!holder)
        fail(
          question.id,
          `${remainder} answers are not described by any claim`,
          'add an option with "unreported: true" to hold them',
        );
      else counts.set(holder.code, remainder);
    }
    all.set(question.id, counts);
  }
  return all;
}

function unreportedAmong(question: Question, codes: readonly string[]): string | undefined {
  const candidates = question.options.filter((o) => o.unreported && codes.includes(o.code));
  return candidates.length === 1 ? candidates[0]?.code : undefined;
}

function countFor(
  id: string,
  percent: string,
  n: number,
  fail: (who: string, problem: string) => never,
): number {
  const fits: number[] = [];
  for (let k = 0; k <= n; k++) if (matchesPercent(percent, k, n)) fits.push(k);
  if (fits.length !== 1)
    return fail(
      id,
      fits.length
        ? `${percent} % fits ${fits.join(' or ')} of ${n}: give the count`
        : `${percent} % is not achievable with n = ${n}`,
    );
  return fits[0] as number;
}

/** The responses CSV of a reconstruction: every column shuffled on its own with a seeded generator. */
export function reconstructCsv(codebook: Codebook, claims: readonly Claim[], seed: number): string {
  const counts = reconstructCounts(codebook, claims);
  const population = claims.find((c) => c.kind === 'population')?.count ?? 0;
  const rng = xoroshiro128plus(seed);
  const columns = codebook.questions.map((q) => {
    const column: string[] = [];
    for (const o of q.options)
      for (let i = 0; i < (counts.get(q.id)?.get(o.code) ?? 0); i++) column.push(o.code);
    for (let i = column.length - 1; i > 0; i--) {
      const j = uniformInt(rng, 0, i);
      [column[i], column[j]] = [column[j] as string, column[i] as string];
    }
    return column;
  });
  const width = String(population).length;
  const rows = Array.from({ length: population }, (_, r) => [
    `R${String(r + 1).padStart(width, '0')}`,
    ...columns.map((c) => c[r] ?? ''),
  ]);
  return stringify(
    [[codebook.study.data.respondent_id, ...codebook.questions.map((q) => q.id)], ...rows],
    {
      record_delimiter: '\n',
    },
  );
}
