import { z } from 'zod';
import { InputError, throwAll } from '../errors.js';
import { FORMAT, upgradeFormat } from './format.js';
import { parseYamlWith } from './yaml.js';

/** Ids name files (charts/<question>.svg, <study>.<lang>.pdf): short enough for any file system. */
export const MAX_ID_LENGTH = 64;

export const id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]*$/,
    'ids are lower-case letters, digits, "-" or "_", starting with a letter',
  )
  .max(MAX_ID_LENGTH, `an id is at most ${MAX_ID_LENGTH} characters`);

/** A BCP 47 locale tag that Intl accepts (it formats the numbers and dates of a language). */
const locale = z.string().refine(
  (tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  },
  { message: 'not a valid locale (a BCP 47 tag such as "es-PE", "en-US" or "pt-BR")' },
);

/** A text in every language of the study, keyed by language code. */
const localized = z.record(z.string(), z.string().min(1, 'text must not be empty'));

const optionSchema = z.strictObject({
  code: id,
  label: localized,
  /** Explicit remainder: answers the source reports without detail. */
  unreported: z.boolean().optional(),
  /** Other spellings that mean this option in a responses file (labels and the code are accepted anyway). */
  accept: z.array(z.string().min(1)).optional(),
});

/** What a question asks for, and so how its answers are read, counted and shown. */
export const QUESTION_TYPES = ['single', 'ordinal', 'multiple', 'numeric', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Which answers percentages are taken of: those who answered (valid), or every respondent. */
const baseSchema = z.enum(['valid', 'all']);
export type Base = z.infer<typeof baseSchema>;

/** How a multiple-choice question's answers sit in a responses file. */
const multipleLayout = z.strictObject({
  /** Between the choices of one cell ("a b", "a, b"); by default any of ; , | or spaces. */
  separator: z.string().min(1).optional(),
  /** The header of one 0/1 column per option: "{q}/{option}" (also q.option by default). */
  columns: z
    .string()
    .regex(/\{q\}/, 'the pattern names the question as {q}')
    .regex(/\{option\}/, 'the pattern names the option as {option}')
    .optional(),
});

/** An option with a score (ordinal scales) or an exclusive mark (multiple choice). */
const scaleOptionSchema = optionSchema.extend({
  /** The option's value on the scale, for means and standard deviations. */
  score: z.number().optional(),
  /** Multiple choice: this option ("none of these") cannot be chosen with another. */
  exclusive: z.boolean().optional(),
});

/** A numeric question's class: values from `from` (inclusive) to the next class's `from`. */
const binSchema = z.strictObject({
  code: id,
  label: localized,
  from: z.number(),
});

const scaleSchema = z.strictObject({
  options: z.array(scaleOptionSchema).min(2, 'a scale needs at least two options'),
  /** The scale's centre (an odd scale's middle option by default); "none" for no centre. */
  neutral: z.string().optional(),
});

const questionSchema = z.strictObject({
  id,
  section: id,
  text: localized,
  short: localized,
  type: z.enum(QUESTION_TYPES).default('single'),
  /** Other column headers that name this question in a responses file (the id and wordings are accepted anyway). */
  columns: z.array(z.string().min(1)).optional(),
  options: z.array(scaleOptionSchema).min(1, 'a question needs at least one option').optional(),
  /** An ordinal question's options, from a scale of the codebook's `scales:`. */
  scale: id.optional(),
  /** Percentages of those who answered (valid, the default) or of every respondent (all). */
  base: baseSchema.optional(),
  /** Multiple choice: how its answers are written, overriding study.data.multiple. */
  multiple: multipleLayout.optional(),
  /** Numeric: the smallest and largest value an answer may have. */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Numeric: classes for tables, charts and share claims. */
  bins: z.array(binSchema).min(2, 'bins need at least two classes').optional(),
  /** Text: open answers are shown and published only when true (they may identify people). */
  publish: z.boolean().optional(),
  /**
   * Labelled missing categories ("don't know", "refused"; SPSS's user-missing values): answers
   * counted apart, per category, with the blanks outside n, so outside `base: valid`.
   */
  missing: z
    .array(optionSchema)
    .min(1, 'give at least one missing category, or leave missing: out')
    .optional(),
});

const languageSchema = z.strictObject({
  code: z.string().regex(/^[a-z]{2,3}$/, 'a language code such as "es" or "en"'),
  locale,
  name: z.string().min(1),
});

const author = z.strictObject({
  family: z.string().min(1),
  given: z.string().min(1).optional(),
  orcid: z
    .string()
    .regex(
      /^(https:\/\/orcid\.org\/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/,
      'an ORCID iD such as 0000-0002-1825-0097',
    )
    .optional(),
});

export const codebookSchema = z.strictObject({
  /** The layout this file is written in (see load/format.ts). */
  format: z.literal(FORMAT.codebook).optional(),
  study: z.strictObject({
    id,
    title: localized,
    subtitle: localized.optional(),
    authors: z.array(author).min(1).optional(),
    /** The report's date (ISO 8601, e.g. 2024-05-31). */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date such as 2024-05-31')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date in the calendar')
      .optional(),
    /** The study's title exactly as its source published it, for citing it; else the title. */
    source_title: z.string().min(1).optional(),
    /** The report's version, e.g. "1.0.0" (quoted). */
    version: z.string().min(1).optional(),
    /** Where the study was made and is kept: optional for `verify` and `scan`, needed for a report. */
    institution: z.string().min(1).optional(),
    /** The year, or a range of years ("2019-2020"). */
    year: z
      .union([z.number().int(), z.string()])
      .refine((y) => typeof y === 'number' || /^\d{4}([-–]\d{4})?$/.test(y), {
        message: 'expected a year such as 2016, or a range such as 2019-2020',
      })
      .optional(),
    repository: z.string().min(1).optional(),
    handle: z.string().min(1).optional(),
    url: z.string().url().optional(),
    population: localized,
    /** The CSL style of citations: a .csl file of the study (default: APA 7, in Spanish its "y" variant). */
    citation_style: z.string().min(1).optional(),
    languages: z.array(languageSchema).min(1),
    /** Suppress counts below min_cell (and the cells that would reveal them) in what is published. */
    disclosure: z
      .strictObject({
        min_cell: z.number().int().min(2, 'min_cell is at least 2 (1 would hide nothing)'),
      })
      .optional(),
    /** Languages whose texts are still copies of another's (a study drafted by `report init`): `report check` warns. */
    untranslated: z.array(z.string()).optional(),
    data: z.strictObject({
      status: z.enum(['original', 'reconstruction']),
      note: localized,
      seed: z.number().int().nonnegative().optional(),
      /** The column holding respondent ids; null when rows are numbered instead. */
      respondent_id: z.string().min(1).nullable().default('id'),
      /** Pin the CSV dialect instead of detecting it. */
      csv: z
        .strictObject({
          delimiter: z.enum([',', ';', '\t', '|']).optional(),
          encoding: z.string().min(1).optional(),
        })
        .optional(),
      /** A workbook's sheet: its name, or its number from 1 (default: the first). */
      sheet: z.union([z.string().min(1), z.number().int().positive()]).optional(),
      /** A workbook's row that names the columns (default 1; rows above it, such as a title, are skipped). */
      header_row: z.number().int().positive().optional(),
      /** Columns of a responses file to skip (besides the usual export metadata: timestamps, Kobo's _id…). */
      ignore_columns: z.array(z.string().min(1)).default([]),
      /** The decimal mark of numeric answers. */
      decimal: z.enum(['.', ',']).default('.'),
      /** How multiple-choice answers are written, unless a question says otherwise. */
      multiple: multipleLayout.optional(),
      /** The column of the responses file holding each respondent's survey weight. */
      weight: z.string().min(1).optional(),
    }),
  }),
  /** Answer scales shared by ordinal questions (e.g. agree5). */
  scales: z.record(id, scaleSchema).optional(),
  sections: z.array(z.strictObject({ id, title: localized })).min(1),
  questions: z.array(questionSchema).min(1),
});

type RawCodebook = z.infer<typeof codebookSchema>;
type RawQuestion = RawCodebook['questions'][number];
export type Option = z.infer<typeof scaleOptionSchema> & { from?: number };
/**
 * A question as the stages see it: its options resolved (an ordinal's from its scale, a numeric's
 * from its bins; none for a numeric without bins or a text), its base and neutral option settled.
 */
export type Question = Omit<RawQuestion, 'options' | 'base'> & {
  options: Option[];
  base: Base;
  /** Ordinal: index of the centre option, or undefined for none (an even scale). */
  neutral?: number;
};
export type Codebook = Omit<RawCodebook, 'questions'> & { questions: Question[] };
export type Localized = Record<string, string>;

/** Parses and cross-checks a codebook (ids unique, sections known, every text in every language). */
export function parseCodebook(
  text: string,
  file: string,
  warn?: (message: string) => void,
): Codebook {
  const { value, lineOf } = parseYamlWith(text, file, codebookSchema, (raw, at) =>
    upgradeFormat(raw, 'codebook', file, at, warn),
  );
  // every problem is listed, not only the first: a problem that leaves nothing to check further
  // (an unknown scale) stops its question alone
  const problems: InputError[] = [];
  const note = (path: (string | number)[], problem: string, hint?: string): void => {
    problems.push(new InputError(file, lineOf(path), `at ${path.join('.')}: ${problem}`, hint));
  };
  const languages = value.study.languages.map((l) => l.code);
  const checkText = (path: (string | number)[], text: Localized | undefined) => {
    if (!text) return;
    for (const lang of languages) {
      if (!(lang in text))
        note(path, `missing the "${lang}" text`, `add ${lang}: … beside the others`);
    }
    for (const lang of Object.keys(text)) {
      if (!languages.includes(lang))
        note(
          path,
          `"${lang}" is not a language of the study`,
          `study.languages lists ${languages.join(', ')}`,
        );
    }
  };
  unique(
    value.study.languages.map((l) => l.code),
    (i, code) => note(['study', 'languages', i], `language "${code}" is listed twice`),
  );
  checkText(['study', 'title'], value.study.title);
  checkText(['study', 'subtitle'], value.study.subtitle);
  checkText(['study', 'population'], value.study.population);
  checkText(['study', 'data', 'note'], value.study.data.note);
  const sectionIds = value.sections.map((s) => s.id);
  unique(sectionIds, (i, sid) => note(['sections', i, 'id'], `section id "${sid}" is used twice`));
  value.sections.forEach((s, i) => {
    checkText(['sections', i, 'title'], s.title);
  });
  unique(
    value.questions.map((q) => q.id),
    (i, qid) => note(['questions', i, 'id'], `question id "${qid}" is used twice`),
  );
  for (const [name, scale] of Object.entries(value.scales ?? {})) {
    scale.options.forEach((o, j) => {
      checkText(['scales', name, 'options', j, 'label'], o.label);
      if (o.exclusive)
        note(['scales', name, 'options', j, 'exclusive'], 'a scale has no exclusive option');
    });
    unique(
      scale.options.map((o) => o.code),
      (j, code) =>
        note(['scales', name, 'options', j, 'code'], `option code "${code}" is used twice`),
    );
    if (
      scale.neutral !== undefined &&
      scale.neutral !== 'none' &&
      !scale.options.some((o) => o.code === scale.neutral)
    )
      note(
        ['scales', name, 'neutral'],
        `unknown option "${scale.neutral}"`,
        `its options are ${scale.options.map((o) => o.code).join(', ')}, or none`,
      );
  }
  const resolved = value.questions.map((q, i) => {
    try {
      return resolveQuestion(q, i, value, (key, problem, hint) => {
        const path = ['questions', i, ...(Array.isArray(key) ? key : [key])];
        throw new InputError(file, lineOf(path), `at ${path.join('.')}: ${problem}`, hint);
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(error);
      return undefined;
    }
  });
  const questions = resolved.filter((q): q is Question => q !== undefined);
  resolved.forEach((q, i) => {
    if (!q) return;
    if (q.id === value.study.data.respondent_id)
      note(['questions', i, 'id'], `"${q.id}" is the respondent id column`);
    if (!sectionIds.includes(q.section))
      note(
        ['questions', i, 'section'],
        `unknown section "${q.section}"`,
        `sections are ${sectionIds.join(', ')}`,
      );
    checkText(['questions', i, 'text'], q.text);
    checkText(['questions', i, 'short'], q.short);
    const optionsKey = q.scale
      ? ['scales', q.scale]
      : q.bins
        ? ['questions', i, 'bins']
        : ['questions', i, 'options'];
    unique(
      q.options.map((o) => o.code),
      (j, code) =>
        note([...optionsKey, j, 'code'], `option code "${code}" is used twice in "${q.id}"`),
    );
    q.options.forEach((o, j) => {
      checkText([...optionsKey, j, 'label'], o.label);
    });
    const codes = new Set(q.options.map((o) => o.code));
    (q.missing ?? []).forEach((o, j) => {
      checkText(['questions', i, 'missing', j, 'label'], o.label);
      if (codes.has(o.code))
        note(
          ['questions', i, 'missing', j, 'code'],
          `code "${o.code}" of "${q.id}" is both an option and a missing category`,
        );
      codes.add(o.code);
    });
    const spellings = new Map<string, string>();
    categories(q).forEach((o, j) => {
      for (const spelling of optionSpellings(o)) {
        const other = spellings.get(spelling);
        if (other !== undefined && other !== o.code)
          note(
            j < q.options.length
              ? [...optionsKey, j]
              : ['questions', i, 'missing', j - q.options.length],
            `"${spelling}" would mean both "${other}" and "${o.code}"`,
            'labels and accept: spellings must differ between options',
          );
        spellings.set(spelling, o.code);
      }
    });
  });
  throwAll(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return { ...value, questions };
}

type Fail = (key: string | (string | number)[], problem: string, hint?: string) => never;

/** Which keys each type of question takes, besides those every question has. */
const TYPE_KEYS: Record<QuestionType, readonly string[]> = {
  single: ['options', 'base', 'missing'],
  ordinal: ['options', 'scale', 'base', 'missing'],
  multiple: ['options', 'base', 'multiple'],
  numeric: ['min', 'max', 'bins', 'base'],
  text: ['publish'],
};
const TYPED_KEYS = [
  'options',
  'scale',
  'base',
  'multiple',
  'min',
  'max',
  'bins',
  'publish',
  'missing',
] as const;

/** A question's options, base and centre, from its type's keys; keys its type does not take are errors. */
function resolveQuestion(
  q: RawQuestion,
  _index: number,
  codebook: RawCodebook,
  fail: Fail,
): Question {
  const allowed = TYPE_KEYS[q.type];
  for (const key of TYPED_KEYS)
    if (q[key] !== undefined && !allowed.includes(key))
      fail(
        key,
        `"${key}" does not apply to a ${q.type} question`,
        `a ${q.type} question takes ${['id', 'section', 'text', 'short', 'type', 'columns', ...allowed].join(', ')}`,
      );
  const { options: given, base, ...rest } = q;
  let options: Option[] = given ?? [];
  let neutral: number | undefined;
  if (q.type === 'single' || q.type === 'multiple' || q.type === 'ordinal') {
    if (q.type === 'ordinal' && q.scale !== undefined) {
      if (given) fail('scale', 'give either options or a scale, not both');
      const scale = codebook.scales?.[q.scale];
      if (!scale)
        fail(
          'scale',
          `unknown scale "${q.scale}"`,
          `scales: ${Object.keys(codebook.scales ?? {}).join(', ') || 'none (define them under scales:)'}`,
        );
      options = (scale as z.infer<typeof scaleSchema>).options;
      const centre = (scale as z.infer<typeof scaleSchema>).neutral;
      neutral =
        centre === 'none'
          ? undefined
          : centre !== undefined
            ? options.findIndex((o) => o.code === centre)
            : options.length % 2 === 1
              ? (options.length - 1) / 2
              : undefined;
    } else {
      if (!given)
        fail(
          'options',
          'a required key is missing',
          q.type === 'ordinal' ? 'add options: or scale:' : 'add options:',
        );
      if (q.type === 'ordinal' && options.length % 2 === 1) neutral = (options.length - 1) / 2;
    }
    options.forEach((o, j) => {
      if (o.score !== undefined && q.type !== 'ordinal')
        fail(['options', j, 'score'], 'only the options of an ordinal question have scores');
      if (o.exclusive && q.type !== 'multiple')
        fail(['options', j, 'exclusive'], 'only an option of a multiple question is exclusive');
    });
    if (q.type === 'ordinal') {
      const scored = options.filter((o) => o.score !== undefined).length;
      if (scored !== 0 && scored !== options.length)
        fail(
          q.scale ? 'scale' : 'options',
          'some options have a score and some do not',
          'give every option a score, or none',
        );
    }
  }
  if (q.type === 'numeric') {
    if (q.min !== undefined && q.max !== undefined && q.min > q.max)
      fail('min', `min ${q.min} is above max ${q.max}`);
    if (q.bins) {
      q.bins.forEach((b, j) => {
        const previous = q.bins?.[j - 1];
        if (previous && b.from <= previous.from)
          fail(['bins', j, 'from'], `bins go up: ${b.from} is not above ${previous.from}`);
      });
      const first = q.bins[0] as { from: number };
      if (q.min === undefined || q.min < first.from)
        fail(
          'bins',
          `values below ${first.from} would fall in no bin`,
          `set min: ${first.from} (or lower the first bin's from:)`,
        );
      options = q.bins.map((b) => ({ code: b.code, label: b.label, from: b.from }));
    }
  }
  return { ...rest, options, base: base ?? 'valid', ...(neutral === undefined ? {} : { neutral }) };
}

/** The bin a numeric value falls in (its option index), -1 below the first. */
export function binOf(question: Question, value: number): number {
  let index = -1;
  question.options.forEach((o, i) => {
    if (o.from !== undefined && value >= o.from) index = i;
  });
  return index;
}

function unique(values: readonly string[], onDuplicate: (index: number, value: string) => void) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) onDuplicate(i, v);
    seen.add(v);
  });
}

export function findQuestion(codebook: Codebook, id: string): Question | undefined {
  return codebook.questions.find((q) => q.id === id);
}

/**
 * Compares what people type: Unicode NFC, trimmed, inner spaces collapsed, lower case, and
 * typographic quotes and apostrophes as the plain ones a keyboard types.
 */
export function normalizeSpelling(value: string): string {
  return value
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[“”„«»]/g, '"')
    .replace(/[‘’]/g, "'")
    .toLocaleLowerCase('und');
}

/** Every normalised spelling that stands for an option in a responses file. */
export function optionSpellings(option: Option): string[] {
  return [option.code, ...Object.values(option.label), ...(option.accept ?? [])].map(
    normalizeSpelling,
  );
}

/**
 * What an answer to a question can be: its options, then its labelled missing categories (an
 * answer's index at or past the options' count is a missing category).
 */
export function categories(question: Question): Option[] {
  return question.missing ? [...question.options, ...question.missing] : question.options;
}

/**
 * A question's options (and missing categories, after them: see `categories`) by every
 * normalised spelling that stands for them, as their index.
 */
export function optionBySpelling(question: Question): Map<string, number> {
  const map = new Map<string, number>();
  categories(question).forEach((o, index) => {
    for (const s of optionSpellings(o)) map.set(s, index);
  });
  return map;
}

/** Every normalised header that names a question's column. */
export function questionHeaders(question: Question): string[] {
  return [
    question.id,
    ...Object.values(question.text),
    ...Object.values(question.short),
    ...(question.columns ?? []),
  ].map(normalizeSpelling);
}

/** The study's languages named by `wanted` (all of them when undefined), or an error naming the unknown one. */
export function selectLanguages(
  codebook: Codebook,
  wanted: readonly string[] | undefined,
  file: string,
): Codebook['study']['languages'] {
  const all = codebook.study.languages;
  if (!wanted) return all;
  return wanted.map((code) => {
    const language = all.find((l) => l.code === code);
    if (!language)
      throw new InputError(
        file,
        undefined,
        `language "${code}" is not one of the study's`,
        `languages: ${all.map((l) => l.code).join(', ')}`,
      );
    return language;
  });
}

/** The study's keys a report needs (its title page and citation); `verify` and `scan` do without. */
export const REPORT_KEYS = ['institution', 'year', 'repository', 'handle'] as const;
export type ReportStudy = Codebook['study'] & {
  institution: string;
  year: number | string;
  repository: string;
  handle: string;
};

/** The study as a report needs it, or an error listing every key it lacks. */
export function reportStudy(
  codebook: Codebook,
  file = 'data/codebook.yaml',
  line?: number,
): ReportStudy {
  const missing = REPORT_KEYS.filter((key) => codebook.study[key] === undefined);
  if (missing.length > 0)
    throw new InputError(
      file,
      line,
      `at study: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
      `a report names the study's ${REPORT_KEYS.join(', ')}; verify and scan do without them`,
    );
  return codebook.study as ReportStudy;
}

/** The first year of a study's year or range of years ("2019-2020" → 2019). */
export function firstYear(year: number | string): number {
  return typeof year === 'number' ? year : Number(year.slice(0, 4));
}

/** The open questions whose answers are not published (they may identify people). */
export function unpublishedTexts(codebook: Codebook): string[] {
  return codebook.questions.filter((q) => q.type === 'text' && q.publish !== true).map((q) => q.id);
}
