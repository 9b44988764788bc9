import { z } from 'zod';
import { InputError, throwAll } from '../errors.js';
import { type Codebook, id } from './codebook.js';
import { FORMAT, upgradeFormat } from './format.js';
import { isWhereProblem, parseWhere, RECONSTRUCTION_REASON } from './where.js';
import { parseYamlWith } from './yaml.js';

const localized = z.record(z.string(), z.string().min(1));
// a percentage as printed: "92.5", "62%", "56 %", "31,2", "0,0"; read with a decimal point and
// its precision ("31,2" → "31.2"), and kept as printed for display (Claim.printed)
const percentText = z
  .string()
  .regex(
    /^\d{1,3}([.,]\d+)?\s?%?$/,
    'a percentage as published, e.g. "92.5", "62%" or "31,2" (a quoted string keeps its precision)',
  );

/** A printed percentage with a decimal point and no sign ("31,2 %" → "31.2"). */
export function percentValue(printed: string): string {
  return printed.replace(/\s?%$/, '').replace(',', '.');
}

const source = z.strictObject({
  /** Position of the claim in reading order of the source text. */
  position: z.number().int().positive(),
  /** The figures exactly as printed in the source ("92.5%", "7.5", "30"); empty for claims made in words. */
  printed: z.array(z.string().min(1)).default([]),
});

/** What every claim has: an id; a paraphrase per language and its place in the source, when given. */
const base = { id, about: localized.optional(), source: source.optional() };
/**
 * The base of a share the study does not hold row by row (a figure about a subgroup, a second
 * column or another year): its n, and a label for it ("men"). Verify, GRIM and the sum check use
 * it; the claim's count cannot be recounted from the responses.
 */
const claimBase = {
  n: z.number().int().positive('a base n is at least 1').optional(),
  group: z.string().min(1).optional(),
};
/** Which answers a percentage is of: those who answered (valid) or every respondent (all); the question's by default. */
const percentBase = z.enum(['valid', 'all']).optional();
const valueText = z
  .string()
  .regex(
    /^-?\d+(\.\d+)?$/,
    'a value as published, e.g. "34.5" (a quoted string keeps its precision)',
  );

/** A subgroup: per question, an option or a list of options (any of them). */
const whereSchema = z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]));

const claimSchema = z.discriminatedUnion('kind', [
  /** The number of respondents. */
  z.strictObject({ ...base, kind: z.literal('population'), count: z.number().int().nonnegative() }),
  /** A share of the answers to a question falling in a set of options: a percentage, a count, or both. */
  z
    .strictObject({
      ...base,
      kind: z.literal('share'),
      question: z.string(),
      options: z.array(z.string()).min(1),
      percent: z.union([percentText, z.number()]).optional(),
      count: z.number().int().nonnegative().optional(),
      base: percentBase,
      ...claimBase,
      /** A subgroup's share (a crosstab cell, as a column percentage): { sex: female, region: [north, south] }. */
      where: whereSchema.optional(),
      /**
       * `row`: the cell as a share of its row instead ("of the satisfied, 47 % are men"): the
       * respondents in `where` among those whose answer is in `options` (and who answered `where`'s questions).
       */
      of: z.enum(['column', 'row']).optional(),
    })
    .refine((c) => c.of !== 'row' || c.where !== undefined, {
      message: 'a share of a row (of: row) names its column with where:',
      path: ['of'],
    })
    .refine((c) => c.percent !== undefined || c.count !== undefined, {
      message: 'a share claim gives a percent, a count, or both',
    })
    .refine((c) => c.n === undefined || c.count === undefined || c.count <= c.n, {
      message: "the count is above the claim's n",
      path: ['count'],
    }),
  /** A statement in words that every answer falls in a set of options ("none", "in its totality", "from fair to acceptable"). */
  z.strictObject({
    ...base,
    kind: z.literal('all'),
    question: z.string(),
    options: z.array(z.string()).min(1),
  }),
  /** The mean of a numeric question's answers (or of an ordinal question's scores), as published. */
  z.strictObject({
    ...base,
    kind: z.literal('mean'),
    question: z.string(),
    value: z.union([valueText, z.number()]),
  }),
  /**
   * A test of a question by a group question, as published: the statistic (χ², Mann-Whitney U;
   * none for Fisher's exact test), its degrees of freedom (χ²) and the p-value ("0.040", "<0.001").
   */
  z.strictObject({
    ...base,
    kind: z.literal('test'),
    test: z.enum(['chi2', 'fisher', 'mann-whitney']),
    question: z.string(),
    by: z.string(),
    where: whereSchema.optional(),
    statistic: valueText.optional(),
    df: z.number().int().positive().optional(),
    p: z
      .string()
      .regex(/^[<>]?\s?(0?\.\d+|1(\.0+)?)$/, 'a p-value as published, e.g. "0.040" or "<0.001"'),
  }),
  /** The median of a numeric question's answers (or of an ordinal question's scores), as published. */
  z.strictObject({
    ...base,
    kind: z.literal('median'),
    question: z.string(),
    value: z.union([valueText, z.number()]),
  }),
]);

export const claimsSchema = z.strictObject({
  /** The layout this file is written in (see load/format.ts). */
  format: z.literal(FORMAT.claims).optional(),
  claims: z.array(claimSchema),
});

/** A claim as the stages see it: a share's percentage read with a decimal point, `printed` as published. */
export type Claim = z.infer<typeof claimSchema> & {
  /** A share's percentage exactly as published ("31,2", "62%"), for display. */
  printed?: string;
};
export type ShareClaim = Extract<Claim, { kind: 'share' }>;
export type ValueClaim = Extract<Claim, { kind: 'mean' | 'median' }>;

/** Parses the claims file and checks every reference against the codebook. */
export function parseClaims(
  text: string,
  file: string,
  codebook: Codebook,
  warn?: (message: string) => void,
): Claim[] {
  const { value, lineOf } = parseYamlWith(text, file, claimsSchema, (raw, at) =>
    upgradeFormat(raw, 'claims', file, at, warn),
  );
  const languages = codebook.study.languages.map((l) => l.code);
  const seen = new Set<string>();
  const problems: InputError[] = [];
  value.claims.forEach((claim, i) => {
    try {
      checkClaim(claim, i);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
    }
  });
  throwAll(problems);
  return value.claims.map((claim) =>
    claim.kind === 'share' && typeof claim.percent === 'string'
      ? { ...claim, percent: percentValue(claim.percent), printed: claim.percent }
      : claim,
  ) as Claim[];

  function checkClaim(claim: (typeof value.claims)[number], i: number): void {
    const fail = (
      key: string | number | (string | number)[],
      problem: string,
      hint?: string,
    ): never => {
      const path = ['claims', i, ...(Array.isArray(key) ? key : [key])];
      throw new InputError(file, lineOf(path), `claim "${claim.id}": ${problem}`, hint);
    };
    if (seen.has(claim.id)) fail('id', 'this id is used twice');
    seen.add(claim.id);
    for (const lang of claim.about ? languages : []) {
      if (!(lang in (claim.about ?? {}))) fail('about', `missing the "${lang}" paraphrase`);
    }
    if (typeof (claim as { percent?: unknown }).percent === 'number') {
      fail(
        'percent',
        'the percentage must be quoted',
        'write it as printed, e.g. percent: "92.5", so its precision is kept',
      );
    }
    if (typeof (claim as { value?: unknown }).value === 'number')
      fail(
        'value',
        'the value must be quoted',
        'write it as printed, e.g. value: "34.5", so its precision is kept',
      );
    if (claim.kind === 'population') return;
    const where = (claim as { where?: Record<string, string | string[]> }).where;
    if (where !== undefined || claim.kind === 'test') {
      if (codebook.study.data.status === 'reconstruction')
        fail(
          where !== undefined ? 'where' : 'kind',
          `${where !== undefined ? 'a subgroup claim' : 'a test claim'} is not checked on this study`,
          RECONSTRUCTION_REASON,
        );
    }
    if (where !== undefined) {
      const parsed = parseWhere(codebook, where);
      if (isWhereProblem(parsed)) fail('where', parsed.problem, parsed.hint);
    }
    if (claim.kind === 'test') {
      for (const key of ['question', 'by'] as const)
        if (!codebook.questions.some((q) => q.id === claim[key]))
          fail(
            key,
            `unknown question "${claim[key]}"`,
            `the codebook has ${codebook.questions.map((q) => q.id).join(', ')}`,
          );
      if (claim.test === 'chi2' && (claim.statistic === undefined || claim.df === undefined))
        fail('statistic', 'a χ² claim gives its statistic and df as published');
      if (claim.test === 'mann-whitney' && claim.statistic === undefined)
        fail('statistic', 'a Mann-Whitney claim gives its U as published');
      return;
    }
    const question = codebook.questions.find((q) => q.id === claim.question);
    if (!question) {
      fail(
        'question',
        `unknown question "${claim.question}"`,
        `the codebook has ${codebook.questions.map((q) => q.id).join(', ')}`,
      );
      return;
    }
    if (claim.kind === 'mean' || claim.kind === 'median') {
      const scored =
        question.type === 'ordinal' && question.options.every((o) => o.score !== undefined);
      if (question.type !== 'numeric' && !scored)
        fail(
          'kind',
          `a ${claim.kind} needs a numeric question, or an ordinal one with scores; "${question.id}" is ${question.type}`,
        );
      return;
    }
    if (question.type === 'text')
      fail(
        'question',
        `"${question.id}" is an open question: it has no options to claim a share of`,
      );
    if (question.type === 'numeric' && question.options.length === 0)
      fail(
        'question',
        `"${question.id}" is numeric without bins: a share needs bins`,
        'give the question bins:, or claim its mean or median',
      );
    const codes = question.options.map((o) => o.code);
    claim.options.forEach((code, j) => {
      if (!codes.includes(code))
        fail(
          ['options', j],
          `unknown option "${code}" of question "${question.id}"`,
          `its options are ${codes.join(', ')}`,
        );
    });
    if (new Set(claim.options).size !== claim.options.length)
      fail('options', 'an option is listed twice');
  }
}

/** Number of decimals a published percentage was given with ("92.5" → 1, "75" → 0). */
export function decimalsOf(percent: string): number {
  return percent.split('.')[1]?.length ?? 0;
}
