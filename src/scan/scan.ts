import { Document, type Scalar, type YAMLMap } from 'yaml';
import { type Claim, decimalsOf } from '../load/claims.js';
import type { Codebook, Localized } from '../load/codebook.js';
import type { Rows } from '../stats/crosstab.js';
import type { Results } from '../stats/frequencies.js';
import {
  achievable,
  type Convention,
  conventionsOf,
  matchesPercent,
  matchesValue,
} from '../stats/percent.js';
import { checkTest } from '../stats/tests.js';
import { type ClaimResult, verify } from '../verify/verify.js';
import { type CellFigure, type CrossFigures, crossFigures } from './crosstabs.js';
import type { Segment } from './extract.js';
import { CLAIM_KINDS, type Found, findNumbers, type Kind, stems } from './numbers.js';
import { tableSums } from './tables.js';

export type { Found, Kind } from './numbers.js';
export { findNumbers, stems } from './numbers.js';

/**
 * verified: bound to a claim and equal to the data (or a test statistic consistent with its p);
 * recomputed: equal to a figure of the study's results, beside that question's words;
 * fails: bound to a claim and not what the data give (or an inconsistent test statistic);
 * impossible: a share of a known base that no count of it gives (GRIM);
 * note: worth a look but not proven wrong (a share no count of the respondents gives, with no
 * question named; a figure only another rounding convention explains; a test without its df);
 * unchecked: a share or count bound to nothing; ignored: not a claim (its kind says what it is).
 */
export type Verdict =
  | 'verified'
  | 'recomputed'
  | 'fails'
  | 'impossible'
  | 'note'
  | 'unchecked'
  | 'ignored';

export const VERDICTS: readonly Verdict[] = [
  'verified',
  'recomputed',
  'fails',
  'impossible',
  'note',
  'unchecked',
  'ignored',
];

export interface ScannedNumber extends Found {
  /** The claim it is bound to, and how: by the claims file's source, or suggested by its words. */
  claim?: { id: string; by: 'source' | 'words' };
  /** The question (and option) its words name, when bound to no claim. */
  question?: { id: string; option?: string };
  /** Read as a percentage or as a count. */
  as?: 'percent' | 'count' | 'value';
  /** What the data give for it: "92.5 % (37/40)", "30 (of 40)". */
  recomputed?: string;
  /** The rounding conventions that give the printed share from its count and base. */
  conventions?: Convention[];
  verdict: Verdict;
  /** Why, in a few words. */
  note: string;
}

/** Percentages printed for every option of a question (or counts for every option), added up. */
export interface ScanSum {
  question: string;
  line: number;
  page?: number;
  printed: string[];
  total: number;
  expected: number;
  tolerance: number;
  ok: boolean;
  note: string;
}

export interface Scan {
  file: string;
  /** The base shares are tested against when no question is named, and where it comes from. */
  base?: { n: number; from: string };
  numbers: ScannedNumber[];
  sums: ScanSum[];
  /** The rounding convention that explains most of the text's shares. */
  convention?: Convention;
  counts: Record<Verdict, number>;
  /** Kinds found, with how many of each. */
  kinds: Partial<Record<Kind, number>>;
  ok: boolean;
  strict: boolean;
}

/** A study to check a text against (its codebook, claims and results); absent: the text alone. */
export interface ScanStudy {
  codebook: Codebook;
  claims: readonly Claim[];
  results: Results;
  /** The answers row by row, for claims of a subgroup or of a test (read on first use). */
  rows?: () => Rows;
}

const normalPrinted = (printed: string) =>
  printed
    .replace(/\s+/g, '')
    .replace(',', '.')
    .replace(/(por ?ciento|percent|per ?cent)$/i, '%');

interface Target {
  claim: Claim;
  vocabulary: Set<string>;
}

function vocabulary(codebook: Codebook, claim: Claim): Set<string> {
  const texts: Localized[] = claim.about ? [claim.about] : [];
  if (claim.kind !== 'population') {
    const q = codebook.questions.find((x) => x.id === claim.question);
    if (q) {
      texts.push(q.text, q.short);
      const options = 'options' in claim ? claim.options : [];
      for (const o of q.options) if (options.includes(o.code)) texts.push(o.label);
    }
  } else {
    texts.push(codebook.study.population);
  }
  return new Set(texts.flatMap((t) => Object.values(t).flatMap(stems)));
}

const half = (printed: string) => 0.5 * 10 ** -decimalsOf(printed);

/**
 * Checks every number of a text. Each gets a kind first; only shares, counts and numbers of
 * respondents are bound to the study's claims (by the claims file's source.position/printed,
 * in order, again for each language; else by the words around them) and tested against a base;
 * test statistics are recomputed from their degrees of freedom; percentages printed for all
 * the options of a question are added up. With no study, shares are tested against the n the
 * text states (or `n`).
 */
export function scanText(
  file: string,
  segments: readonly Segment[],
  study: ScanStudy | undefined,
  options: { n?: number; strict?: boolean } = {},
): Scan {
  const found = findNumbers(segments);
  const strict = options.strict ?? false;
  // the base of a share bound to nothing: the study's respondents, or the n the text states
  const base = baseOf(statedBase(found), study?.results, options.n);
  const numbers = checker(study, base).check(found);
  const sums = [
    ...sumsOf(numbers, questionFiguresOf(study)),
    ...(study?.results ? [] : splitSums(numbers, base)),
    ...tableSums(numbers, base),
  ];
  const convention = conventionOf(conventionTally(numbers));
  for (const n of numbers) settle(n, convention);
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const kinds: Partial<Record<Kind, number>> = {};
  for (const n of numbers) {
    counts[n.verdict]++;
    kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
  }
  return {
    file,
    ...(base ? { base } : {}),
    numbers,
    sums,
    ...(convention ? { convention } : {}),
    counts,
    kinds,
    ok: isOk(counts, sums, strict),
    strict,
  };
}

/** Whether a scan passes: no failing figure, every sum adds up (and under --strict, no note). */
export function isOk(
  counts: Record<Verdict, number>,
  sums: readonly Pick<ScanSum, 'ok'>[],
  strict: boolean,
): boolean {
  return (
    counts.fails === 0 &&
    counts.impossible === 0 &&
    sums.every((s) => s.ok) &&
    (!strict || counts.note === 0)
  );
}

/** The question figures sums are checked against (none without a study). */
export function questionFiguresOf(study: ScanStudy | undefined): QuestionFigures[] {
  return study ? questionFigures(study.codebook, study.results) : [];
}

/** How many shares each rounding convention gives. */
export function conventionTally(
  numbers: Iterable<ScannedNumber>,
  tally = new Map<Convention, number>(),
): Map<Convention, number> {
  for (const n of numbers)
    for (const c of n.conventions ?? []) tally.set(c, (tally.get(c) ?? 0) + 1);
  return tally;
}

/** The text's rounding convention: the one that gives most of its shares. */
export function conventionOf(tally: Map<Convention, number>): Convention | undefined {
  // a tie goes to rounding (half up, then half to even) before truncation
  const order: Convention[] = ['half-up', 'half-even', 'truncation'];
  return [...tally].sort(
    (a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]),
  )[0]?.[0];
}

/** A number's verdict once the text's rounding convention is known. */
export function settle(n: ScannedNumber, convention: Convention | undefined): ScannedNumber {
  if (!convention || !n.conventions || n.conventions.length === 0) return n;
  if (n.verdict === 'note' && n.note.startsWith(ONLY_TRUNCATION)) {
    // a share bound to nothing that truncation gives: possible, where the text truncates
    if (convention === 'truncation') {
      n.verdict = 'unchecked';
      const of = /\((\d+\/\d+)/.exec(n.note)?.[1];
      n.note = `possible: ${of} truncated, as the text rounds its figures; bound to no claim`;
    } else n.note = `inconsistent rounding: ${n.note}; the text rounds ${convention}`;
    return n;
  }
  if (n.conventions.includes(convention)) {
    if (n.verdict === 'note' && n.note.startsWith('inconsistent rounding')) {
      n.verdict = 'verified';
      n.note = `equal, rounded by ${convention} as the rest of the text`;
    }
    return n;
  }
  if (n.verdict === 'verified' || n.verdict === 'recomputed') {
    n.verdict = 'note';
    n.note = `inconsistent rounding: only ${n.conventions.join(' or ')} gives it, the text rounds ${convention}`;
  }
  return n;
}

/**
 * Checks the numbers of a text, in reading order, one chunk after another: binds shares,
 * counts and numbers of respondents to the study's claims (by the claims file's
 * source.position/printed, in order, the order carried from chunk to chunk; else by the words
 * around them) and tests them against a base. The verdicts are those before the text's rounding
 * convention is known (see settle).
 */
export function checker(
  study: ScanStudy | undefined,
  base: Scan['base'],
): { check(found: readonly Found[]): ScannedNumber[] } {
  const codebook = study?.codebook;
  const claims = study?.claims ?? [];
  const results = study?.results;
  const verified = study ? verify(study.codebook, study.results, claims, study.rows).claims : [];
  const recomputed = new Map(verified.map((c) => [c.id, c.recomputed]));
  // a weighted study's shares are of weights: checked against the weighted share, never by GRIM
  const weightedClaims = new Set(verified.filter((c) => c.weighted).map((c) => c.id));
  // a mean or median is bound to a claim of one where the study makes such claims
  const averages = claims.some((c) => c.kind === 'mean' || c.kind === 'median');
  // 1. explicit: the printed figures in the claims' order (the source's), matched in reading order
  const sequence = [...claims]
    .filter((c) => c.source)
    .sort((a, b) => (a.source?.position ?? 0) - (b.source?.position ?? 0))
    .flatMap((claim) =>
      (claim.source?.printed ?? []).map((printed) => ({ claim, printed: normalPrinted(printed) })),
    );
  let next = 0;
  const targets: Target[] = codebook
    ? claims
        .filter((c) => c.kind !== 'all')
        .map((claim) => ({ claim, vocabulary: vocabulary(codebook, claim) }))
    : [];
  const figures = codebook && results ? questionFigures(codebook, results) : [];
  // the cross-tables' cells and group sizes, read from the rows on first use
  const cross = () => (study ? crossFigures(study, study.codebook, study.rows) : undefined);
  return { check: checkChunk };

  function checkChunk(found: readonly Found[]): ScannedNumber[] {
    // the whole numbers each sentence prints, and the numbers of respondents it states
    const sentences = new Map<number, Printed>();
    for (const f of found) {
      if (f.percentLike || !/^\d+$/.test(f.value)) continue;
      const p = sentences.get(f.sentence) ?? { wholes: [], stated: [] };
      sentences.set(f.sentence, p);
      p.wholes.push(Number(f.value));
      if (f.kind === 'n' && f.why === 'a number of respondents') p.stated.push(Number(f.value));
    }
    const printedIn = (sentence: number): Printed =>
      sentences.get(sentence) ?? { wholes: [], stated: [] };
    const claimLike = found.map((f) => CLAIM_KINDS.has(f.kind) || (averages && f.kind === 'mean'));
    const bound = new Map<number, { claim: Claim; by: 'source' | 'words' }>();
    found.forEach((f, i) => {
      if (!claimLike[i] || sequence.length === 0) return;
      const key = normalPrinted(f.printed);
      // look a few figures ahead, so that a figure the text leaves out does not stop the rest
      for (let step = 0; step < Math.min(4, sequence.length); step++) {
        const at = (next + step) % sequence.length;
        if (sequence[at]?.printed === key) {
          bound.set(i, { claim: (sequence[at] as { claim: Claim }).claim, by: 'source' });
          next = (at + 1) % sequence.length;
          return;
        }
      }
    });

    // a claim's count printed as a share of every respondent (its claim's of those who
    // answered): another figure, no misprint of the claim's
    const ofEveryone = (f: Found, claim: Claim) => {
      const data = recomputed.get(claim.id);
      return (
        data !== undefined &&
        results !== undefined &&
        !weightedClaims.has(claim.id) &&
        data.n !== results.respondents &&
        matchesPercent(f.value, data.count, results.respondents)
      );
    };
    const sharedWords = (f: Found, t: Target) =>
      new Set(f.words.filter((w) => t.vocabulary.has(w))).size;
    const unique = <T extends { shared: number; claim: Claim }>(list: T[]) => {
      const [best, second] = [...list].sort((a, b) => b.shared - a.shared);
      return best && (!second || second.shared < best.shared) ? best.claim : undefined;
    };

    // 1b. out of the source's order (another text): a figure printed as a claim prints it, among
    // that claim's words
    found.forEach((f, i) => {
      if (!claimLike[i] || bound.has(i)) return;
      const key = normalPrinted(f.printed);
      const claim = unique(
        targets
          .filter((t) => (t.claim.source?.printed ?? []).some((p) => normalPrinted(p) === key))
          .map((t) => ({ claim: t.claim, shared: sharedWords(f, t) }))
          .filter((c) => c.shared >= 1),
      );
      if (claim) bound.set(i, { claim, by: 'source' });
    });

    // 2. suggested: the claim whose question, options and paraphrase share most words with the context
    found.forEach((f, i) => {
      // a mean or median is a claim only where the study published one
      const average = f.kind === 'mean';
      if ((!claimLike[i] && !average) || bound.has(i) || f.kind === 'total' || f.base) return;
      const { percentLike } = f;
      const value = Number(f.value);
      const candidates = targets.flatMap(({ claim, vocabulary }) => {
        // (a word such as "mean" nearby can also stand beside a share's count it equals)
        if (
          average &&
          claim.kind !== 'mean' &&
          claim.kind !== 'median' &&
          !(claim.kind === 'share' && claim.count === value)
        )
          return [];
        // a whole number without a sign is a count: only claims that give one
        const givesCount =
          claim.kind === 'population' ||
          claim.kind === 'mean' ||
          claim.kind === 'median' ||
          (claim.kind === 'share' && claim.count !== undefined);
        if (!percentLike && !givesCount) return [];
        // a number of people binds to a population, or to a share's count that it equals
        if (
          f.kind === 'n' &&
          claim.kind !== 'population' &&
          !(claim.kind === 'share' && claim.count === value)
        )
          return [];
        // a mean or median binds to a plain number, even one that could read as a percentage
        const reported =
          claim.kind === 'mean' || claim.kind === 'median'
            ? reportedValue(claim, PERCENT_SIGN.test(f.printed))
            : reportedValue(claim, percentLike);
        if (reported === undefined) return [];
        // a share printed with its count binds only to a claim of that count
        if (
          f.withCount !== undefined &&
          claim.kind === 'share' &&
          claim.count !== undefined &&
          claim.count !== f.withCount
        )
          return [];
        return [
          { claim, reported: Number(reported), shared: sharedWords(f, { claim, vocabulary }) },
        ];
      });
      // the claim's own figure, among its words
      let claim = unique(candidates.filter((c) => c.reported === value && c.shared >= 1));
      // or a misprint of a percentage: close to the figure, among the words of one claim only
      if (!claim && percentLike && !f.bound && value !== 100)
        claim = unique(
          candidates.filter(
            (c) =>
              c.shared >= 2 &&
              c.reported !== value &&
              Math.abs(c.reported - value) <= Math.max(2.5, 0.1 * c.reported) &&
              !ofEveryone(f, c.claim) &&
              !anyFigure(f, figures),
          ),
        );
      if (claim) {
        bound.set(i, { claim, by: 'words' });
        claimLike[i] = true;
      }
    });

    return found.map((f, i): ScannedNumber => {
      if (f.kind === 'test-statistic' && f.test) return { ...f, ...checkStatistic(f) };
      if (!claimLike[i]) return { ...f, verdict: 'ignored', note: f.why };
      const binding = bound.get(i);
      if (!binding && !CLAIM_KINDS.has(f.kind)) return { ...f, verdict: 'ignored', note: f.why };
      if (binding) {
        const { claim } = binding;
        const option =
          claim.kind === 'share' && claim.options.length === 1 ? claim.options[0] : undefined;
        return {
          ...f,
          ...(claim.kind === 'share'
            ? { question: { id: claim.question, ...(option ? { option } : {}) } }
            : {}),
          ...check(
            f,
            binding,
            recomputed.get(binding.claim.id),
            weightedClaims.has(binding.claim.id),
          ),
        };
      }
      return { ...f, ...unbound(f, figures, base, results, cross, printedIn(f.sentence)) };
    });
  }
}

/**
 * The numbers of respondents a text states, as far as the base needs them: its first two
 * distinct values, and those of a sample (with the words of the first of each). Bounded, so that
 * a text read in chunks can gather it as it goes.
 */
export interface StatedBase {
  values: number[];
  context?: string;
  sample: number[];
  sampleContext?: string;
}

/** Adds the numbers of respondents among `found` to what a text states (`into`). */
export function statedBase(
  found: readonly Found[],
  into: StatedBase = { values: [], sample: [] },
): StatedBase {
  for (const f of found) {
    if (f.kind !== 'n' || f.why !== 'a number of respondents') continue;
    const value = Number(f.value);
    if (into.context === undefined) into.context = f.context;
    if (into.values.length < 2 && !into.values.includes(value)) into.values.push(value);
    // a population and a sample: the sample, when the text says which is which
    // the words right before the number, or the word right after it, name it a sample
    const at = f.context.indexOf(f.printed);
    const sample =
      /\b(?:muestra|sample|encuest|entrevist|respondent|particip|surveyed|interviewed|aplic[oó]|total (?:of|de))/iu.test(
        `${f.context.slice(Math.max(0, at - 30), at)} ${f.context
          .slice(at + f.printed.length)
          .split(/\s+/)
          .slice(0, 2)
          .join(' ')}`,
      );
    if (!sample) continue;
    if (into.sampleContext === undefined) into.sampleContext = f.context;
    if (into.sample.length < 2 && !into.sample.includes(value)) into.sample.push(value);
  }
  return into;
}

/** The n that shares bound to nothing are tested against. */
export function baseOf(
  stated: StatedBase,
  results: Results | undefined,
  n: number | undefined,
): Scan['base'] {
  if (n !== undefined) return { n, from: '--n' };
  if (results) return { n: results.respondents, from: 'the respondents of the study' };
  if (stated.values.length === 1)
    return { n: stated.values[0] as number, from: `"${stated.context}"` };
  if (stated.sample.length === 1)
    return { n: stated.sample[0] as number, from: `the sample: "${stated.sampleContext}"` };
  return undefined;
}

export interface QuestionFigures {
  id: string;
  n: number;
  vocabulary: Set<string>;
  options: {
    code: string;
    count: number;
    ci: [number, number];
    vocabulary: Set<string>;
    /** A weighted study's: the option's weighted share (a proportion); counts stay unweighted. */
    share?: number;
  }[];
  missing: number;
  /**
   * The other bases its shares are printed of: every respondent, blanks included (a frequency
   * table's "Percent" column), and a multiple question's options chosen ("% of responses").
   */
  bases: { n: number; of: string }[];
  /** A single or ordinal question's: its options' cumulative counts, in order. */
  cumulative?: number[];
}

function questionFigures(codebook: Codebook, results: Results): QuestionFigures[] {
  return results.questions.map((q) => {
    const question = codebook.questions.find((x) => x.id === q.id);
    const words = (t: Localized | undefined) => Object.values(t ?? {}).flatMap(stems);
    return {
      id: q.id,
      n: q.n,
      missing: q.missing,
      vocabulary: new Set([
        ...stems(q.id.replace(/[-_]/g, ' ')),
        ...words(question?.short),
        ...words(question?.text),
      ]),
      options: q.options.map((o) => ({
        code: o.code,
        count: o.count,
        ci: o.ci,
        vocabulary: new Set(words(question?.options.find((x) => x.code === o.code)?.label)),
        ...(results.weighted ? { share: o.proportion } : {}),
      })),
      // (a weighted study's shares are of weights: no other base of counts gives them)
      bases: results.weighted
        ? []
        : [
            ...(q.missing > 0 ? [{ n: q.n + q.missing, of: 'every respondent' }] : []),
            ...(q.multiple && q.multiple.responses > 0
              ? [{ n: q.multiple.responses, of: 'the options chosen' }]
              : []),
          ],
      ...(!results.weighted && !q.multiple && q.options.length > 1
        ? {
            cumulative: ((total) => q.options.map((o) => (total += o.count)))(0),
          }
        : {}),
    };
  });
}

/**
 * The question (and option) whose words the number's words name, best first. The option is the
 * one its own clause names (the words after it first, then those before it), else the one the
 * words around it name most.
 */
function named(f: Found, figures: readonly QuestionFigures[]) {
  const uniqueBest = <T>(scored: { o: T; shared: number }[]) => {
    const best = [...scored].sort((a, b) => b.shared - a.shared);
    return best[0] && best[0].shared > 0 && (best[1]?.shared ?? 0) < best[0].shared
      ? best[0]
      : undefined;
  };
  return figures
    .map((q) => {
      const inQuestion = f.words.filter((w) => q.vocabulary.has(w)).length;
      const score = (words: readonly string[]) =>
        q.options.map((o) => ({ o, shared: words.filter((w) => o.vocabulary.has(w)).length }));
      const best =
        uniqueBest(score(f.clause?.after ?? [])) ??
        uniqueBest(score(f.clause?.before ?? [])) ??
        uniqueBest(score(f.words));
      const around = Math.max(0, ...score(f.words).map((x) => x.shared));
      // an option its own clause names weighs most
      return { q, option: best?.o, score: inQuestion + around + 2 * (best?.shared ?? 0) };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score);
}

const trim = (x: number) => String(Number(x.toFixed(2)));

/** Whether a printed share is count/n at its precision; in a weighted study, the weighted share. */
const shareFits = (printed: string, count: number, n: number, share?: number) =>
  share === undefined ? matchesPercent(printed, count, n) : matchesValue(printed, 100 * share);
/** The rounding conventions that print it (none for a weighted share: a sum of weights). */
const conventionsFor = (printed: string, count: number, n: number, share?: number) =>
  share === undefined ? conventionsOf(printed, count, n) : [];
const shareShown = (count: number, n: number, share?: number) =>
  share === undefined
    ? `${trim((100 * count) / n)} % (${count}/${n})`
    : `${trim(100 * share)} % weighted (${count}/${n} unweighted)`;

/** The whole numbers a sentence prints, and the numbers of respondents it states. */
interface Printed {
  wholes: number[];
  stated: number[];
}

function unbound(
  f: Found,
  figures: readonly QuestionFigures[],
  textBase: Scan['base'],
  results: Results | undefined,
  cross: () => CrossFigures | undefined = () => undefined,
  sentence: Printed = { wholes: [], stated: [] },
): Pick<ScannedNumber, 'verdict' | 'note' | 'as' | 'question' | 'recomputed' | 'conventions'> {
  const value = Number(f.value);
  const weighted = results?.weighted !== undefined;
  // with no study, a sentence that states one number of respondents ("n = 40") is of those
  const own = [...new Set(sentence.stated)];
  const base: Scan['base'] =
    !results && own.length === 1 && own[0] !== textBase?.n
      ? { n: own[0] as number, from: 'the n its sentence states' }
      : textBase;
  // a base the same sentence prints ("de los 13 hombres, 9 (69,2 %)") for a count and its share
  const printedBase = (pct: string, count: number) =>
    results
      ? undefined
      : sentence.wholes.find((b) => b > count && b !== base?.n && matchesPercent(pct, count, b));
  // a cross-table's cell, margin or group size, with the base its count gives
  // (of the tables whose question and group its words name most)
  const cell = (count: number, fits: (x: CellFigure) => boolean) => {
    const hits = (cross()?.of(count) ?? []).filter(fits);
    if (hits.length < 2) return hits[0];
    const names = named(f, figures);
    const score = new Map(names.map((x) => [x.q.id, x.score]));
    // a row's label names an option of the table's question
    const row = names.find((x) => x.option)?.q.id;
    const of = (x: CellFigure) =>
      (score.get(x.question) ?? 0) + (score.get(x.by) ?? 0) + (x.question === row ? 1 : 0);
    return hits.reduce((best, x) => (of(x) > of(best) ? x : best));
  };
  // a weighted study's share printed with its (unweighted) count and base: a figure of one of
  // its tables, or not checkable (the count and base cannot give a share of weights)
  if (weighted && f.base && (f.kind === 'share' || f.withPercent !== undefined)) {
    const { count, n } = f.base;
    const pct = f.kind === 'share' ? f.value : (f.withPercent as string);
    const q = figures.find(
      (x) =>
        x.n === n && x.options.some((o) => o.count === count && shareFits(pct, count, n, o.share)),
    );
    const hit = q ? undefined : cell(count, (x) => x.n === n && shareFits(pct, count, n, x.share));
    const share = q?.options.find(
      (o) => o.count === count && shareFits(pct, count, n, o.share),
    )?.share;
    if (q || hit)
      return {
        as: f.kind === 'share' ? 'percent' : 'count',
        ...(q ? { question: { id: q.id } } : {}),
        recomputed: shareShown(count, n, q ? share : hit?.share),
        verdict: 'recomputed',
        note: q ? `a weighted share of "${q.id}"` : `a cross-table's weighted cell: ${hit?.what}`,
      };
    return {
      as: f.kind === 'share' ? 'percent' : 'count',
      verdict: 'unchecked',
      note: `a weighted share printed with its unweighted count ${count}/${n}: no table of the study gives it, not checkable (GRIM does not apply)`,
    };
  }
  // a share whose count and base are printed beside it
  if (f.kind === 'share' && f.base) {
    const { count, n } = f.base;
    const conventions = conventionsOf(f.value, count, n);
    const ok = conventions.length > 0;
    return {
      as: 'percent',
      recomputed: `${trim((100 * count) / n)} % (${count}/${n})`,
      conventions,
      verdict: ok ? 'verified' : 'fails',
      note: ok
        ? `its own count and base, ${count}/${n}`
        : `${count}/${n} is ${trim((100 * count) / n)} %`,
    };
  }
  if (f.kind === 'count' && f.base) {
    const { count, n } = f.base;
    const q = figures.find((x) => x.n === n && x.options.some((o) => o.count === count));
    if (q)
      return {
        as: 'count',
        question: { id: q.id },
        recomputed: `${count} of ${n}`,
        verdict: 'recomputed',
        note: `a count of "${q.id}" out of its ${n} answers`,
      };
  }
  if (f.kind === 'count' && f.base && f.withPercent) {
    const { count, n } = f.base;
    const ok = matchesPercent(f.withPercent, count, n);
    return {
      as: 'count',
      recomputed: `${trim((100 * count) / n)} %`,
      verdict: ok ? 'verified' : 'fails',
      note: ok
        ? `${count}/${n} is the ${f.withPercent} % printed with it`
        : `${count}/${n} is ${trim((100 * count) / n)} %, not the ${f.withPercent} % printed with it`,
    };
  }
  if (f.kind === 'n' && figures.some((q) => q.n === value))
    return {
      as: 'count',
      recomputed: `${value}`,
      verdict: 'recomputed',
      note: `the answers to "${figures.find((q) => q.n === value)?.id}"`,
    };
  if (f.kind === 'n' && f.why === 'the base of a count' && results && cross()?.isGroupSize(value))
    return {
      as: 'count',
      recomputed: `${value}`,
      verdict: 'recomputed',
      note: "the size of one of the study's groups",
    };
  // a count printed with its percentage: the two agree with some question's answers, or the base's
  if (f.kind === 'count' && f.withPercent) {
    const pct = f.withPercent;
    const q = figures.find((x) =>
      x.options.some((o) => o.count === value && shareFits(pct, value, x.n, o.share)),
    );
    if (q)
      return {
        as: 'count',
        question: { id: q.id },
        recomputed: `${value} of ${q.n}`,
        verdict: 'recomputed',
        note: `a count of "${q.id}", ${pct} % of its ${q.n} answers${weighted ? ' (weighted)' : ''}`,
      };
    const hit = results ? cell(value, (x) => shareFits(pct, value, x.n, x.share)) : undefined;
    if (hit)
      return {
        as: 'count',
        recomputed: `${value} of ${hit.n}`,
        verdict: 'recomputed',
        note: `a cross-table's count, ${pct} % of ${hit.n}${hit.share === undefined ? '' : ' (weighted)'}: ${hit.what}`,
      };
    const printed = printedBase(pct, value);
    if (!results && printed !== undefined && !(base && matchesPercent(pct, value, base.n)))
      return {
        as: 'count',
        verdict: 'verified',
        note: `${value}/${printed} is ${pct} %, of the ${printed} its sentence prints`,
      };
    if (base && !results)
      return matchesPercent(pct, value, base.n)
        ? { as: 'count', verdict: 'verified', note: `${value}/${base.n} is ${pct} %` }
        : {
            as: 'count',
            verdict: 'note',
            note: `${value}/${base.n} is not ${pct} %: the count and its percentage disagree, unless the base is another`,
          };
  }
  if (f.kind === 'total') {
    const expected = f.percentLike ? 100 : (results?.respondents ?? base?.n);
    if (expected === undefined)
      return { verdict: 'unchecked', note: 'a total, no n to test it against' };
    const ok = f.percentLike
      ? Math.abs(value - 100) <= half(f.value)
      : value === expected ||
        figures.some((q) => q.n === value) ||
        (cross()?.isGroupSize(value) ?? false);
    return {
      as: f.percentLike ? 'percent' : 'count',
      recomputed: f.percentLike ? '100 %' : `${expected}`,
      verdict: ok ? (results ? 'recomputed' : 'verified') : 'unchecked',
      note: ok ? 'a total' : `a total; the data give ${expected}`,
    };
  }
  const names = named(f, figures);
  // equal to a figure of the results, beside the words of its question
  for (const { q, option } of names.filter((x) => x.score === names[0]?.score)) {
    const found = figureOf(f, q, option?.code);
    if (found) {
      // a figure of the whole question (its answers, its 100 %) is no option's, whatever words are near
      const { of, ...hit } = found;
      return {
        ...hit,
        question: { id: q.id, ...(of ? { option: of } : {}) },
        verdict: 'recomputed',
      };
    }
  }
  // or equal to a figure of another question whose option its words name (a chart's labels
  // read with the next heading's words): that figure, not an impossible share of the first
  const others = f.kind === 'share' ? names.filter((x) => x.option && x !== names[0]) : [];
  for (const { q, option } of others) {
    const found = figureOf(f, q, option?.code);
    if (found?.of && f.words.some((w) => option?.vocabulary.has(w))) {
      const { of, ...hit } = found;
      return { ...hit, question: { id: q.id, option: of }, verdict: 'recomputed' };
    }
  }
  // a cell of a cross-table, printed after its count: a share of its column, row or table
  if (f.kind === 'share' && f.withCount !== undefined && !f.bound) {
    const count = f.withCount;
    const hit = cell(count, (x) =>
      x.share === undefined
        ? conventionsOf(f.value, count, x.n).length > 0
        : matchesValue(f.value, 100 * x.share),
    );
    if (hit)
      return {
        as: 'percent',
        conventions: conventionsFor(f.value, count, hit.n, hit.share),
        recomputed: shareShown(count, hit.n, hit.share),
        verdict: 'recomputed',
        note: `a cross-table's cell: ${hit.what}`,
      };
  }
  // a frequency table's missing row ("Perdidos | Sin respuesta | 7 | 3.5") and the share of its
  // valid total ("Total | 193 | 96.5"): figures of a question's blanks, or answers, of everyone
  if (results && !weighted) {
    // (a table cell's words are its row's: their stems)
    const says = (words: string) => stems(words).some((w) => f.words.includes(w));
    const missingRow =
      says('missing perdidos blank') || /\b(?:no answer|sin respuesta)\b/iu.test(f.context);
    const totalRow = says('total');
    const hit = figures.find(
      (q) =>
        q.missing > 0 &&
        ((missingRow && f.kind === 'count' && value === q.missing) ||
          (missingRow &&
            f.kind === 'share' &&
            conventionsOf(f.value, q.missing, q.n + q.missing).length > 0) ||
          (totalRow &&
            f.kind === 'share' &&
            conventionsOf(f.value, q.n, q.n + q.missing).length > 0)),
    );
    if (hit)
      return f.kind === 'count'
        ? {
            as: 'count',
            question: { id: hit.id },
            recomputed: `${hit.missing}`,
            verdict: 'recomputed',
            note: `the blank answers to "${hit.id}"`,
          }
        : {
            as: 'percent',
            question: { id: hit.id },
            recomputed: `${trim((100 * (missingRow ? hit.missing : hit.n)) / (hit.n + hit.missing))} %`,
            verdict: 'recomputed',
            note: `the ${missingRow ? 'blank answers' : 'answers given'} to "${hit.id}", of every respondent`,
          };
  }
  if ((f.kind === 'n' || f.kind === 'count') && results && value === results.respondents)
    return {
      as: 'count',
      recomputed: `${results.respondents} respondents`,
      verdict: 'recomputed',
      note: 'the number of respondents',
    };
  if (f.kind === 'n' && textBase && !results && value === textBase.n)
    return { as: 'count', verdict: 'verified', note: `the base, ${textBase.from}` };
  if (f.kind !== 'share' || f.bound)
    return {
      verdict: 'unchecked',
      note: f.bound ? `a bound (${f.bound} than ${f.value} %), not a figure` : 'bound to no claim',
    };
  // a weighted study's shares are of weights: no count of a base need give them
  if (weighted)
    return {
      as: 'percent',
      verdict: 'unchecked',
      note: 'a share of a weighted study, bound to no claim or table (GRIM does not apply)',
    };
  // a share of one question, by its words: tested against those who answered it
  const top = names[0];
  // printed with its count, a share says its own base: when it is not one the study's tables
  // give (a subgroup's, a restricted table's), it cannot be checked, and is never impossible
  const implied = f.withCount === undefined ? undefined : impliedBase(f.value, f.withCount);
  const printed = f.withCount === undefined ? undefined : printedBase(f.value, f.withCount);
  if (
    f.withCount !== undefined &&
    printed !== undefined &&
    !(base && matchesPercent(f.value, f.withCount, base.n))
  )
    return {
      as: 'percent',
      conventions: conventionsOf(f.value, f.withCount, printed),
      recomputed: `${trim((100 * f.withCount) / printed)} % (${f.withCount}/${printed})`,
      verdict: 'verified',
      note: `its count out of the ${printed} its sentence prints, ${f.withCount}/${printed}`,
    };
  if (f.withCount !== undefined && (top?.option || (base && !achievable(f.value, base.n))))
    return {
      as: 'percent',
      verdict: 'unchecked',
      note:
        implied === undefined
          ? `printed with its count ${f.withCount}: no base gives ${f.value} %`
          : `printed with its count, ${f.withCount}/${implied}: a base ${results ? "the study's tables do not give" : 'the text does not print'}, not checkable`,
    };
  if (top && (names[1]?.score ?? 0) < top.score && top.option) {
    // a share of one of its groups (a cross-table's column or row) is possible too
    // (its words name the group: "58.8 % of the women")
    const group = achievable(f.value, top.q.n)
      ? undefined
      : figures
          .filter((g) => g.id !== top.q.id)
          .flatMap((g) =>
            g.options
              .filter((o) =>
                f.words.some(
                  (w) =>
                    o.vocabulary.has(w) &&
                    !top.q.vocabulary.has(w) &&
                    !top.option?.vocabulary.has(w),
                ),
              )
              .flatMap((o) => [...(cross()?.groupBases(top.q.id, g.id, o.code) ?? [])]),
          )
          .find((n) => achievable(f.value, n));
    if (group !== undefined)
      return {
        as: 'percent',
        question: { id: top.q.id, option: top.option.code },
        verdict: 'unchecked',
        note: `not a share of the ${top.q.n} answers to "${top.q.id}"; possible for the group of ${group} its words name, not checkable`,
      };
    const truncated = truncatedCount(f.value, top.q.n);
    if (!achievable(f.value, top.q.n) && truncated !== undefined)
      return {
        as: 'percent',
        question: { id: top.q.id, option: top.option.code },
        conventions: ['truncation'],
        verdict: 'note',
        note: `${ONLY_TRUNCATION} (${truncated}/${top.q.n} answers to "${top.q.id}"), not rounding`,
      };
    const other = top.q.bases.find((b) => achievable(f.value, b.n));
    if (!achievable(f.value, top.q.n) && other)
      return {
        as: 'percent',
        question: { id: top.q.id, option: top.option.code },
        verdict: 'unchecked',
        note: `not a share of the ${top.q.n} answers to "${top.q.id}"; possible of ${other.of} (${other.n}), not its data`,
      };
    // a figure of another question, read with this one's words (a page's lines run together)
    const elsewhere = achievable(f.value, top.q.n) ? undefined : anyFigure(f, figures);
    if (elsewhere) {
      const { of, ...hit } = elsewhere.found;
      return {
        ...hit,
        question: { id: elsewhere.q.id, ...(of ? { option: of } : {}) },
        verdict: 'recomputed',
        note: `${hit.note}, printed among the words of "${top.q.id}"`,
      };
    }
    if (!achievable(f.value, top.q.n))
      return {
        as: 'percent',
        question: { id: top.q.id, option: top.option.code },
        verdict: 'impossible',
        note: `no count out of ${top.q.n} answers to "${top.q.id}" gives ${f.value} %`,
      };
    return {
      as: 'percent',
      question: { id: top.q.id, option: top.option.code },
      verdict: 'unchecked',
      note: `a possible share of the ${top.q.n} answers to "${top.q.id}", not its data`,
    };
  }
  const truncated = base ? truncatedCount(f.value, base.n) : undefined;
  if (base && !achievable(f.value, base.n) && truncated !== undefined)
    return {
      as: 'percent',
      conventions: ['truncation'],
      verdict: 'note',
      note: `${ONLY_TRUNCATION} (${truncated}/${base.n}), not rounding: if it is a share of all respondents it is truncated`,
    };
  if (base && !achievable(f.value, base.n))
    return {
      as: 'percent',
      verdict: 'note',
      note: `no count out of ${base.n} gives ${f.value} %: if it is a share of all respondents it is wrong`,
    };
  if (base) {
    const count = Math.round((value * base.n) / 100);
    return {
      as: 'percent',
      conventions: conventionsOf(f.value, count, base.n),
      verdict: 'unchecked',
      note: `possible with n = ${base.n} (${count}/${base.n}); bound to no claim`,
    };
  }
  return { as: 'percent', verdict: 'unchecked', note: 'no n to test it against' };
}

/** A count out of n that gives the printed share by truncation only (none when rounding does). */
function truncatedCount(percent: string, n: number): number | undefined {
  const k = Math.floor((Math.abs(Number(percent)) * n) / 100);
  return [k - 1, k, k + 1].find(
    (x) => x >= 0 && x <= n && conventionsOf(percent, x, n).includes('truncation'),
  );
}

const ONLY_TRUNCATION = 'only truncation gives it';

/** The smallest base a count and its printed share agree with, up to 100 000. */
function impliedBase(percent: string, count: number): number | undefined {
  const value = Number(percent);
  if (!(value > 0)) return undefined;
  const guess = Math.max(count, Math.floor((100 * count) / (value + half(percent))));
  for (let n = Math.max(1, guess); n <= Math.min(100_000, guess + 1000); n++)
    if (matchesPercent(percent, count, n)) return n;
  return undefined;
}

/** A figure of some question's results the number equals (its words aside), if any. */
function anyFigure(f: Found, figures: readonly QuestionFigures[]) {
  for (const q of figures) {
    const found = figureOf(f, q, undefined);
    if (found) return { q, found };
  }
  return undefined;
}

/** The figure of a question's results the number equals, at its printed precision. */
function figureOf(
  f: Found,
  q: QuestionFigures,
  option: string | undefined,
):
  | (Pick<ScannedNumber, 'as' | 'recomputed' | 'note' | 'conventions'> & { of?: string })
  | undefined {
  // `of`: the option whose figure it is (none for a figure of the whole question)
  const value = Number(f.value);
  const options = option ? q.options.filter((o) => o.code === option) : q.options;
  if (f.kind === 'share') {
    for (const o of options) {
      const conventions = conventionsFor(f.value, o.count, q.n, o.share);
      if (
        o.share === undefined ? conventions.length > 0 : shareFits(f.value, o.count, q.n, o.share)
      )
        return {
          as: 'percent',
          conventions,
          recomputed: shareShown(o.count, q.n, o.share),
          note: `the share of "${o.code}" in "${q.id}"`,
          of: o.code,
        };
      // of another base: every respondent, or the options chosen
      for (const b of q.bases) {
        const of = conventionsOf(f.value, o.count, b.n);
        if (of.length > 0)
          return {
            as: 'percent',
            conventions: of,
            recomputed: `${trim((100 * o.count) / b.n)} % (${o.count}/${b.n})`,
            note: `the share of "${o.code}" in "${q.id}", of ${b.of}`,
            of: o.code,
          };
      }
      // a cumulative share, to this option
      const i = q.options.indexOf(o);
      const upTo = q.cumulative?.[i];
      if (upTo !== undefined && i > 0 && conventionsOf(f.value, upTo, q.n).length > 0)
        return {
          as: 'percent',
          conventions: conventionsOf(f.value, upTo, q.n),
          recomputed: `${trim((100 * upTo) / q.n)} % (${upTo}/${q.n})`,
          note: `the cumulative share of "${q.id}" up to "${o.code}"`,
          of: o.code,
        };
      // an interval bound, as printed with decimals beside its option
      for (const bound of option && decimalsOf(f.value) > 0 ? o.ci : [])
        if (Math.abs(100 * bound - value) <= half(f.value) + 1e-9)
          return {
            as: 'percent',
            recomputed: `${trim(100 * bound)} %`,
            note: `an interval bound of "${o.code}"`,
            of: o.code,
          };
    }
    if (Math.abs(value - 100) <= half(f.value) && q.n > 0)
      return { as: 'percent', recomputed: '100 %', note: `the whole of "${q.id}"` };
    return undefined;
  }
  if (f.kind === 'count' || f.kind === 'n') {
    for (const o of options)
      if (o.count === value)
        return {
          as: 'count',
          recomputed: `${o.count} of ${q.n}`,
          note: `the count of "${o.code}" in "${q.id}"`,
          of: o.code,
        };
    if (q.n === value)
      return { as: 'count', recomputed: `${q.n}`, note: `the answers to "${q.id}"` };
    if (q.missing === value && q.missing > 0)
      return { as: 'count', recomputed: `${q.missing}`, note: `the blank answers to "${q.id}"` };
  }
  return undefined;
}

/**
 * Shares (or counts) printed in one sentence or table for every option of one question, each
 * once: they must add up to 100 (or to the question's n) within rounding.
 */
export function* sumsOf(
  numbers: readonly ScannedNumber[],
  figures: readonly QuestionFigures[],
): Generator<ScanSum> {
  const groups = new Map<string, ScannedNumber[]>();
  for (const n of numbers) {
    const option = n.question?.option;
    if (!option || (n.kind !== 'share' && n.kind !== 'count')) continue;
    const key = `${n.sentence}|${n.question?.id}|${n.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  for (const [key, list] of groups) {
    const q = figures.find((x) => x.id === list[0]?.question?.id);
    // a sum has two figures at least: one option's share alone is checked as that share
    if (!q || list.length < 2) continue;
    const codes = list.map((n) => n.question?.option);
    if (new Set(codes).size !== codes.length || q.options.some((o) => !codes.includes(o.code)))
      continue;
    const percent = key.endsWith('share');
    const total = list.reduce((s, n) => s + Number(n.value), 0);
    const expected = percent ? 100 : q.n;
    const tolerance = percent ? list.reduce((s, n) => s + half(n.value), 0) : 0;
    const ok = Math.abs(total - expected) <= tolerance + 1e-9;
    const first = list[0] as ScannedNumber;
    yield {
      question: q.id,
      line: first.line,
      ...(first.page === undefined ? {} : { page: first.page }),
      printed: list.map((n) => n.printed),
      total: Number(total.toFixed(6)),
      expected,
      tolerance: Number(tolerance.toFixed(6)),
      ok,
      note: ok
        ? `the ${percent ? 'percentages' : 'counts'} of every option of "${q.id}" add up to ${expected}`
        : `the ${percent ? 'percentages' : 'counts'} printed for every option of "${q.id}" add up to ${trim(total)}, not ${expected}${percent ? ` ± ${trim(tolerance)}` : ''}`,
    };
  }
}

/**
 * With no study, the counts of one sentence printed with their percentages ("5 (25 %) y 15
 * (75 %)"): when the percentages add up to 100 within rounding, the counts are every answer and
 * add up to the text's n, or to a base the same sentence prints (a subgroup: "de los 13 hombres").
 */
export function* splitSums(
  numbers: readonly ScannedNumber[],
  base: Scan['base'] | undefined,
): Generator<ScanSum> {
  if (!base) return;
  const sentences = new Map<number, ScannedNumber[]>();
  for (const n of numbers)
    if (n.kind === 'count' && n.withPercent !== undefined)
      sentences.set(n.sentence, [...(sentences.get(n.sentence) ?? []), n]);
  for (const [sentence, pairs] of sentences) {
    if (pairs.length < 2) continue;
    const percents = pairs.map((n) => n.withPercent as string);
    const percentTotal = percents.reduce((s, p) => s + Number(p), 0);
    const tolerance = percents.reduce((s, p) => s + half(p), 0);
    if (Math.abs(percentTotal - 100) > tolerance + 1e-9) continue;
    const total = pairs.reduce((s, n) => s + Number(n.value), 0);
    const others = numbers.filter(
      (n) => n.sentence === sentence && !pairs.includes(n) && !n.percentLike,
    );
    // a base the sentence itself prints, other than the counts: that subgroup's size
    const named = total !== base.n && others.some((n) => Number(n.value) === total);
    // or the one number of respondents it states ("se encuestó a 21 dueños")
    const stated = [
      ...new Set(
        others
          .filter((n) => n.kind === 'n' && n.why === 'a number of respondents')
          .map((n) => Number(n.value)),
      ),
    ];
    const expected = named ? total : stated.length === 1 ? (stated[0] as number) : base.n;
    const ok = total === expected;
    const first = pairs[0] as ScannedNumber;
    yield {
      question: '',
      line: first.line,
      ...(first.page === undefined ? {} : { page: first.page }),
      printed: pairs.map((n) => n.printed),
      total,
      expected,
      tolerance: 0,
      ok,
      note: ok
        ? `the counts printed with percentages adding up to 100 add up to ${expected}${named ? ', the base the sentence names' : ` (the text's n)`}`
        : `the counts printed with percentages adding up to 100 (every answer) add up to ${total}, not n = ${expected}${expected === base.n ? '' : ' (the n their sentence states)'}`,
    };
  }
}

function checkStatistic(f: Found): Pick<ScannedNumber, 'verdict' | 'note' | 'recomputed'> {
  const t = f.test as NonNullable<Found['test']>;
  const num = (x: string | undefined) =>
    x === undefined ? undefined : Number(x.replace(',', '.'));
  const p = Number(t.p.replace(',', '.').replace(/^\./, '0.'));
  const decimals = (x: string) => x.replace(/^[-−]/, '').split(/[.,]/)[1]?.length ?? 0;
  const needsDf = t.test !== 'z';
  const df1 = num(t.df1);
  const df2 = num(t.df2);
  if (needsDf && df1 === undefined && df2 === undefined)
    return { verdict: 'note', note: `${t.printed}: degrees of freedom missing, p not recomputed` };
  const result = checkTest({
    test: t.test,
    stat: Number(t.stat.replace(',', '.')),
    statDecimals: decimals(t.stat),
    statComparison: t.statComparison,
    ...(df1 === undefined ? {} : { df1 }),
    ...(df2 === undefined ? {} : { df2 }),
    p,
    pDecimals: decimals(t.p),
    pComparison: t.pComparison,
    twoTailed: !t.oneTailed,
  });
  if (!result)
    return { verdict: 'note', note: `${t.printed}: p cannot be recomputed (degrees of freedom?)` };
  const shown = `p = ${result.computed < 0.001 ? result.computed.toExponential(2) : result.computed.toFixed(4)}`;
  if (result.consistent)
    return { verdict: 'verified', recomputed: shown, note: `${t.printed}: consistent` };
  return {
    verdict: 'fails',
    recomputed: shown,
    note: `${t.printed}: the statistic gives ${shown}${result.decisionError ? ' (decision error: the other side of 0.05)' : ''}`,
  };
}

const PERCENT_SIGN = /%|por ?ciento|per ?cent/i;

function reportedValue(claim: Claim, percent: boolean): string | undefined {
  if (claim.kind === 'population') return percent ? undefined : String(claim.count);
  if (claim.kind === 'all') return undefined;
  if (claim.kind === 'mean' || claim.kind === 'median')
    return percent ? undefined : String(claim.value);
  if (claim.kind === 'test') return percent ? undefined : claim.statistic;
  const value = percent || claim.count === undefined ? claim.percent : claim.count;
  return value === undefined ? undefined : String(value);
}

function check(
  f: Found,
  binding: { claim: Claim; by: 'source' | 'words' },
  data: ClaimResult['recomputed'] = { count: 0, n: 0, percent: 0 },
  weighted = false,
): Pick<ScannedNumber, 'claim' | 'as' | 'recomputed' | 'verdict' | 'note' | 'conventions'> {
  const { claim } = binding;
  const claimRef = { id: claim.id, by: binding.by };
  const { count, n, percent } = data;
  if (claim.kind === 'population') {
    const ok = Number(f.value) === n;
    return {
      claim: claimRef,
      as: 'count',
      recomputed: `${n} respondents`,
      verdict: ok ? 'verified' : 'fails',
      note: ok ? 'the number of respondents' : `the data hold ${n} respondents`,
    };
  }
  if (claim.kind === 'mean' || claim.kind === 'median') {
    const value = data.value ?? Number.NaN;
    // a mean or median is a plain number: a figure printed with a percent sign is not one
    const ok = !PERCENT_SIGN.test(f.printed) && matchesValue(f.value, value);
    const shown = `${claim.kind} ${Number(value.toFixed(4))} of ${n}`;
    return {
      claim: claimRef,
      as: 'value',
      recomputed: shown,
      verdict: ok ? 'verified' : 'fails',
      note: ok ? 'equal at the printed precision' : `the data give ${shown}`,
    };
  }
  const asCount =
    !f.percentLike &&
    claim.kind === 'share' &&
    claim.count !== undefined &&
    (claim.percent === undefined || Number(f.value) === claim.count);
  if (asCount) {
    const ok = Number(f.value) === count;
    return {
      claim: claimRef,
      as: 'count',
      recomputed: `${count} of ${n}`,
      verdict: ok ? 'verified' : 'fails',
      note: ok ? 'the count' : `the data count ${count}`,
    };
  }
  if (weighted) {
    // a share of weights: equal to the weighted share at its printed precision (no GRIM)
    const ok = matchesValue(f.value, percent);
    const shown = `${Number(percent.toFixed(2))} % weighted (${count}/${n} unweighted)`;
    return {
      claim: claimRef,
      as: 'percent',
      recomputed: shown,
      verdict: ok ? 'verified' : 'fails',
      note: ok ? 'the weighted share, at the printed precision' : `the data give ${shown}`,
    };
  }
  const shown = `${Number(percent.toFixed(2))} % (${count}/${n})`;
  const conventions = conventionsOf(f.value, count, n);
  if (matchesPercent(f.value, count, n))
    return {
      claim: claimRef,
      as: 'percent',
      recomputed: shown,
      conventions,
      verdict: 'verified',
      note: tieNote(f.value, count, n) ?? 'equal at the printed precision',
    };
  if (conventions.length > 0)
    return {
      claim: claimRef,
      as: 'percent',
      recomputed: shown,
      conventions,
      verdict: 'note',
      note: `inconsistent rounding: only ${conventions.join(' or ')} gives it from ${count}/${n}`,
    };
  if (!achievable(f.value, n)) {
    const k = Math.floor((Number(f.value) * n) / 100);
    const truncated = [k, k + 1].some((x) => conventionsOf(f.value, x, n).includes('truncation'));
    return {
      claim: claimRef,
      as: 'percent',
      recomputed: shown,
      verdict: 'impossible',
      note: `no count out of ${n} gives ${f.value} % rounded${truncated ? ' (truncation would)' : ''}`,
    };
  }
  return {
    claim: claimRef,
    as: 'percent',
    recomputed: shown,
    conventions,
    verdict: 'fails',
    note: `the data give ${shown}`,
  };
}

/** At an exact half, the rounding the printed figure assumed. */
function tieNote(printed: string, k: number, n: number): string | undefined {
  const c = conventionsOf(printed, k, n);
  if (c.includes('half-up') && !c.includes('half-even'))
    return 'an exact half, rounded half up (half-even would give another figure)';
  if (c.includes('half-even') && !c.includes('half-up'))
    return 'an exact half, rounded half to even (half up would give another figure)';
  return undefined;
}

/**
 * Claim entries ready to paste into claims.yaml, for the numbers bound by words or not at all;
 * new entries take the positions after the file's last, in the order the text gives them.
 */
export function suggestions(
  scan: Scan,
  codebook: Codebook,
  claims: readonly Claim[],
  results: Results,
): string {
  const suggest = suggester(codebook, claims, results);
  const entries = scan.numbers.flatMap((n) => suggest(n) ?? []);
  return entries.length === 0 ? NOTHING_TO_SUGGEST : `${entries.join('\n\n')}\n`;
}

export const NOTHING_TO_SUGGEST = '# every number is bound by the claims file: nothing to add\n';

/** The claim entry for one number, or none (new entries take the next positions, in reading order). */
export function suggester(
  codebook: Codebook,
  claims: readonly Claim[],
  results: Results,
): (n: ScannedNumber) => string | undefined {
  let position = Math.max(0, ...claims.map((c) => c.source?.position ?? 0)) + 1;
  return (n) => {
    if (n.verdict === 'ignored' || !CLAIM_KINDS.has(n.kind) || n.claim?.by === 'source')
      return undefined;
    const { percentLike } = n;
    const printed = JSON.stringify(n.printed);
    if (n.claim)
      return `# line ${n.line}: ${printed} is bound to "${n.claim.id}" by its words; to make it explicit, add ${printed} to that claim's source.printed`;
    // the options whose recomputed share (or count) equals the printed figure
    const matches = results.questions.flatMap((q) =>
      q.options
        .filter((o) =>
          percentLike
            ? matchesPercent(n.value, o.count, q.n)
            : o.count === Number(n.value) || matchesPercent(n.value, o.count, q.n),
        )
        .map((o) => ({ q, o })),
    );
    const ranked = matches
      .map((m) => {
        const question = codebook.questions.find((x) => x.id === m.q.id);
        const option = question?.options.find((x) => x.code === m.o.code);
        const words = new Set(
          [question?.text, question?.short, option?.label].flatMap((t) =>
            Object.values(t ?? {}).flatMap(stems),
          ),
        );
        return { ...m, question, option, score: n.words.filter((w) => words.has(w)).length };
      })
      .sort((a, b) => b.score - a.score);
    const best = ranked[0];
    if (!best?.question || !best.option)
      return `# line ${n.line}: ${printed}: no option of the data gives this figure`;
    const about = Object.fromEntries(
      Object.entries(best.question.short).map(([lang, short]) => [
        lang,
        `${short}: ${best.option?.label[lang] ?? best.option?.code}`,
      ]),
    );
    const asCount = !percentLike && best.o.count === Number(n.value);
    // a list item of claims.yaml, written by the YAML library, indented to paste under `claims:`
    const entry = new Document([
      {
        id: `${best.q.id}-${best.o.code}`.replace(/_/g, '-'),
        kind: 'share',
        question: best.q.id,
        options: [best.o.code],
        ...(asCount ? { count: Number(n.value) } : { percent: n.value }),
        about,
        source: { position, printed: [n.printed] },
      },
    ]);
    for (const key of ['options', 'source']) (entry.getIn([0, key], true) as YAMLMap).flow = true;
    // the figure as printed, quoted as the claims file writes it
    (entry.getIn([0, 'source', 'printed', 0], true) as Scalar).type = 'QUOTE_DOUBLE';
    (entry.getIn([0], true) as YAMLMap).commentBefore = ` line ${n.line}: «${n.context}»`;
    const yaml = entry.toString({ flowCollectionPadding: false });
    position++;
    return yaml.trimEnd().replace(/^/gm, '  ');
  };
}
