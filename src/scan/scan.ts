import { Document, type Scalar, type YAMLMap } from 'yaml';
import type { Claim } from '../load/claims.js';
import type { Codebook, Localized } from '../load/codebook.js';
import type { Results } from '../stats/frequencies.js';
import { achievable, matchesPercent, matchesValue } from '../stats/percent.js';
import { type ClaimResult, verify } from '../verify/verify.js';
import type { Segment } from './extract.js';

/** A number as the text prints it. */
export interface Found {
  /** In a PDF, the page; line is then the line on it. */
  page?: number;
  line: number;
  column: number;
  /** Exactly as printed, e.g. "92.5%", "7,5", "30". */
  printed: string;
  /** The value with a decimal point, e.g. "92.5". */
  value: string;
  /** Followed by a percent sign or word. */
  percentSign: boolean;
  /** Read as a percentage: it has a sign or decimals (a whole number alone is a count). */
  percentLike: boolean;
  /** The words around it, for people. */
  context: string;
  /** The words around it, normalised, for binding. */
  words: string[];
  /** Why it is not a claim, when it is not one (a year, a page number…). */
  notAClaim?: string;
}

export type Verdict = 'verified' | 'fails' | 'impossible' | 'unchecked' | 'ignored';

export interface ScannedNumber extends Found {
  /** The claim it is bound to, and how: by the claims file's source, or suggested by its words. */
  claim?: { id: string; by: 'source' | 'words' };
  /** Read as a percentage or as a count. */
  as?: 'percent' | 'count' | 'value';
  /** What the data give for it: "92.5 % (37/40)", "30 (of 40)". */
  recomputed?: string;
  verdict: Verdict;
  /** Why, in a few words. */
  note: string;
}

export interface Scan {
  file: string;
  numbers: ScannedNumber[];
  counts: Record<Verdict, number>;
  ok: boolean;
}

// a number not glued to a word, a path or another number; "7.5", "7,5", "1 234" is two
const NUMBER =
  /(?<![\p{L}\p{N}/_\-.,])(\d+(?:[.,]\d+)?)(?![\p{L}\p{N}/_]|[.,]\d)(\s?(?:%|por ?ciento|percent\b|per ?cent\b))?/gu;
const PAGE_BEFORE =
  /(?:\bp{1,2}\.|\bpág(?:ina)?s?\.?|\bpages?|\bfig(?:ura|ure)?\.?|\btabla|\btable|\bcapítulo|\bchapter|\bsección|\bsection)\s*$/iu;

const MONTHS =
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|january|february|march|april|may|june|july|august|september|october|november|december';
const MONTH_AFTER = new RegExp(`^\\s*(?:de\\s+)?(?:${MONTHS})\\b`, 'iu');
const MONTH_BEFORE = new RegExp(`\\b(?:${MONTHS})\\s*$`, 'iu');

const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** Content words, folded and cut to a stem (enough to match "conocen" with "conoce"). */
export function stems(text: string): string[] {
  return (fold(text).match(/\p{L}{4,}/gu) ?? []).map((w) => w.slice(0, 5));
}

/**
 * A printed number's value with a decimal point. Three digits after the separator and no
 * percent sign is a thousands separator ("1.234 empresas", "1,234 firms"), not a fraction.
 */
function numberValue(printed: string, percent: boolean): string {
  if (!percent && /^[1-9]\d{0,2}[.,]\d{3}$/.test(printed)) return printed.replace(/[.,]/, '');
  return printed.replace(',', '.');
}

/** Every number of the text, in reading order, with its place and the words around it. */
export function findNumbers(segments: readonly Segment[]): Found[] {
  const out: Found[] = [];
  for (const segment of segments) {
    for (const match of segment.text.matchAll(NUMBER)) {
      const index = match.index ?? 0;
      const printed = match[0].trimEnd();
      const before = segment.text.slice(Math.max(0, index - 80), index);
      const after = segment.text.slice(index + match[0].length, index + match[0].length + 80);
      const wordsBefore = before.split(/\s+/).slice(-8).join(' ');
      const wordsAfter = after.split(/\s+/).slice(0, 9).join(' ');
      // a table cell's words are its row's: the whole line of the source, when it is short
      const around =
        segment.around && segment.around.length <= 300
          ? segment.around
          : `${wordsBefore} ${wordsAfter}`;
      const percentSign = match[2] !== undefined;
      const value = numberValue(match[1] as string, percentSign);
      const reason = notAClaim(
        { printed, value, percentSign },
        segment.text.slice(0, index),
        segment.text.slice(index + match[0].length),
      );
      out.push({
        ...(segment.page === undefined ? {} : { page: segment.page }),
        ...(reason === undefined ? {} : { notAClaim: reason }),
        line: segment.line,
        column: segment.column + index,
        printed,
        value,
        percentSign,
        percentLike: percentSign || value.includes('.'),
        context: `${wordsBefore}${printed}${wordsAfter}`.replace(/\s+/g, ' ').trim(),
        words: stems(around),
      });
    }
  }
  return out;
}

/**
 * Not a claim: a year, a date, a page, figure, table, section or heading number, the end of
 * an interval, a tolerance, a confidence level. `before` and `after`: the text of its line.
 */
function notAClaim(
  found: Pick<Found, 'printed' | 'value' | 'percentSign'>,
  before: string,
  after: string,
): string | undefined {
  // "80.1% – 97.4%", "± 1.5%": the ends of an interval, a tolerance
  if (/(?:±|\+\/-|[–—]|\s-)\s*$/u.test(before) || /^\s*[–—]\s*\d|^\s+-\s+\d/u.test(after))
    return 'an interval bound or a tolerance';
  // "95 % CI", "IC 95 %"
  if (/^\s*(?:CI|IC|confidence|de confianza)\b/iu.test(after) || /\b(?:CI|IC)\s*$/u.test(before))
    return 'a confidence level';
  if (found.percentSign) return undefined;
  if (PAGE_BEFORE.test(before)) return 'a page, figure, table or section number';
  // "4.1 Results": a numbered heading
  if (before.trim() === '' && /^\d+(?:\.\d+)+$/.test(found.printed) && /^\s+\p{Lu}/u.test(after))
    return 'a heading number';
  if (MONTH_AFTER.test(after) || MONTH_BEFORE.test(before)) return 'a date';
  if (/^\d{4}$/.test(found.value) && Number(found.value) >= 1900 && Number(found.value) <= 2100)
    return 'a year';
  return undefined;
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
  const texts: Localized[] = [claim.about];
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

/**
 * Binds every number of a text to the study's claims and checks it against the data.
 * A claims file that says where its figures are printed (source.position, source.printed)
 * binds them in that order, again for each language the text repeats itself in; any other
 * number is bound by the words around it (suggested), or left unchecked. Every percentage is
 * also tested for being possible at all with the study's n (GRIM).
 */
export function scanText(
  file: string,
  segments: readonly Segment[],
  codebook: Codebook,
  claims: readonly Claim[],
  results: Results,
): Scan {
  const found = findNumbers(segments);
  // what the data give for each claim, as `report verify` recomputes it
  const recomputed = new Map(
    verify(codebook, results, claims).claims.map((c) => [c.id, c.recomputed]),
  );
  const ignored = found.map((f) => f.notAClaim);

  // 1. explicit: the printed figures in the claims' order (the source's), matched in reading order
  const sequence = [...claims]
    .sort((a, b) => a.source.position - b.source.position)
    .flatMap((claim) =>
      claim.source.printed.map((printed) => ({ claim, printed: normalPrinted(printed) })),
    );
  const bound = new Map<number, { claim: Claim; by: 'source' | 'words' }>();
  let next = 0;
  found.forEach((f, i) => {
    if (ignored[i] || sequence.length === 0) return;
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

  const targets: Target[] = claims
    .filter((c) => c.kind !== 'all')
    .map((claim) => ({ claim, vocabulary: vocabulary(codebook, claim) }));
  const sharedWords = (f: Found, t: Target) =>
    new Set(f.words.filter((w) => t.vocabulary.has(w))).size;
  const unique = <T extends { shared: number; claim: Claim }>(list: T[]) => {
    const [best, second] = [...list].sort((a, b) => b.shared - a.shared);
    return best && (!second || second.shared < best.shared) ? best.claim : undefined;
  };

  // 1b. out of the source's order (another text): a figure printed as a claim prints it, among
  // that claim's words
  found.forEach((f, i) => {
    if (ignored[i] || bound.has(i)) return;
    const key = normalPrinted(f.printed);
    const claim = unique(
      targets
        .filter((t) => t.claim.source.printed.some((p) => normalPrinted(p) === key))
        .map((t) => ({ claim: t.claim, shared: sharedWords(f, t) }))
        .filter((c) => c.shared >= 1),
    );
    if (claim) bound.set(i, { claim, by: 'source' });
  });

  // 2. suggested: the claim whose question, options and paraphrase share most words with the context
  found.forEach((f, i) => {
    if (ignored[i] || bound.has(i)) return;
    const { percentLike } = f;
    const value = Number(f.value);
    const candidates = targets.flatMap(({ claim, vocabulary }) => {
      // a whole number without a sign is a count: only claims that give one
      const givesCount =
        claim.kind === 'population' ||
        claim.kind === 'mean' ||
        claim.kind === 'median' ||
        (claim.kind === 'share' && claim.count !== undefined);
      if (!percentLike && !givesCount) return [];
      // a mean or median binds to a plain number, even one that could read as a percentage
      const reported =
        claim.kind === 'mean' || claim.kind === 'median'
          ? reportedValue(claim, PERCENT_SIGN.test(f.printed))
          : reportedValue(claim, percentLike);
      if (reported === undefined) return [];
      return [{ claim, reported: Number(reported), shared: sharedWords(f, { claim, vocabulary }) }];
    });
    // the claim's own figure, among its words
    let claim = unique(candidates.filter((c) => c.reported === value && c.shared >= 1));
    // or a misprint of a percentage: close to the figure, among the words of one claim only
    if (!claim && percentLike)
      claim = unique(
        candidates.filter(
          (c) =>
            c.shared >= 2 &&
            c.reported !== value &&
            Math.abs(c.reported - value) <= Math.max(2.5, 0.1 * c.reported),
        ),
      );
    if (claim) bound.set(i, { claim, by: 'words' });
  });

  const numbers = found.map((f, i): ScannedNumber => {
    const reason = ignored[i];
    if (reason) return { ...f, verdict: 'ignored', note: reason };
    const binding = bound.get(i);
    if (!binding) {
      if (f.percentLike && !achievable(f.value, results.respondents))
        return {
          ...f,
          verdict: 'impossible',
          note: `no count out of ${results.respondents} gives ${f.value} %`,
        };
      return { ...f, verdict: 'unchecked', note: 'bound to no claim' };
    }
    return { ...f, ...check(f, binding, recomputed.get(binding.claim.id)) };
  });
  const counts: Record<Verdict, number> = {
    verified: 0,
    fails: 0,
    impossible: 0,
    unchecked: 0,
    ignored: 0,
  };
  for (const n of numbers) counts[n.verdict]++;
  return { file, numbers, counts, ok: counts.fails === 0 && counts.impossible === 0 };
}

const PERCENT_SIGN = /%|por ?ciento|per ?cent/i;

function reportedValue(claim: Claim, percent: boolean): string | undefined {
  if (claim.kind === 'population') return percent ? undefined : String(claim.count);
  if (claim.kind === 'all') return undefined;
  if (claim.kind === 'mean' || claim.kind === 'median')
    return percent ? undefined : String(claim.value);
  const value = percent || claim.count === undefined ? claim.percent : claim.count;
  return value === undefined ? undefined : String(value);
}

function check(
  f: Found,
  binding: { claim: Claim; by: 'source' | 'words' },
  data: ClaimResult['recomputed'] = { count: 0, n: 0, percent: 0 },
): Pick<ScannedNumber, 'claim' | 'as' | 'recomputed' | 'verdict' | 'note'> {
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
  const shown = `${Number(percent.toFixed(2))} % (${count}/${n})`;
  if (!achievable(f.value, n))
    return {
      claim: claimRef,
      as: 'percent',
      recomputed: shown,
      verdict: 'impossible',
      note: `no count out of ${n} gives ${f.value} %`,
    };
  const ok = matchesPercent(f.value, count, n);
  return {
    claim: claimRef,
    as: 'percent',
    recomputed: shown,
    verdict: ok ? 'verified' : 'fails',
    note: ok ? 'equal at the printed precision' : `the data give ${shown}`,
  };
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
  const entries: string[] = [];
  let position = Math.max(0, ...claims.map((c) => c.source.position)) + 1;
  for (const n of scan.numbers) {
    if (n.verdict === 'ignored' || n.claim?.by === 'source') continue;
    const { percentLike } = n;
    const printed = JSON.stringify(n.printed);
    if (n.claim) {
      entries.push(
        `# line ${n.line}: ${printed} is bound to "${n.claim.id}" by its words; to make it explicit, add ${printed} to that claim's source.printed`,
      );
      continue;
    }
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
    if (!best?.question || !best.option) {
      entries.push(`# line ${n.line}: ${printed}: no option of the data gives this figure`);
      continue;
    }
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
    entries.push(yaml.trimEnd().replace(/^/gm, '  '));
    position++;
  }
  return entries.length === 0
    ? '# every number is bound by the claims file: nothing to add\n'
    : `${entries.join('\n\n')}\n`;
}
