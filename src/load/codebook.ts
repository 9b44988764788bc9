import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseYamlWith } from './yaml.js';

const id = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]*$/,
    'ids are lower-case letters, digits, "-" or "_", starting with a letter',
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

const questionSchema = z.strictObject({
  id,
  section: id,
  text: localized,
  short: localized,
  /** Other column headers that name this question in a responses file (the id and wordings are accepted anyway). */
  columns: z.array(z.string().min(1)).optional(),
  options: z.array(optionSchema).min(1, 'a question needs at least one option'),
});

const languageSchema = z.strictObject({
  code: z.string().regex(/^[a-z]{2,3}$/, 'a language code such as "es" or "en"'),
  locale: z.string().min(2),
  name: z.string().min(1),
});

export const codebookSchema = z.strictObject({
  study: z.strictObject({
    id,
    title: localized,
    subtitle: localized.optional(),
    author: z.string().min(1).optional(),
    /** The study's authors, as APA and CITATION.cff name them; leave out when the source names none. */
    authors: z
      .array(
        z.strictObject({
          family: z.string().min(1),
          given: z.string().min(1),
          orcid: z.string().min(1).optional(),
        }),
      )
      .optional(),
    /** The study's title exactly as its source published it, for citing it; else the title. */
    source_title: z.string().min(1).optional(),
    /** The report's date (ISO, YYYY-MM-DD) and version, printed on its title page and in how to cite it. */
    date: z.iso.date().optional(),
    version: z.string().min(1).optional(),
    institution: z.string().min(1),
    year: z.number().int(),
    repository: z.string().min(1),
    handle: z.string().min(1),
    url: z.string().url().optional(),
    population: localized,
    languages: z.array(languageSchema).min(1),
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
      /** Columns of a responses file to skip (besides the usual export metadata: timestamps, Kobo's _id…). */
      ignore_columns: z.array(z.string().min(1)).default([]),
    }),
  }),
  sections: z.array(z.strictObject({ id, title: localized })).min(1),
  questions: z.array(questionSchema).min(1),
});

export type Codebook = z.infer<typeof codebookSchema>;
export type Question = Codebook['questions'][number];
export type Option = Question['options'][number];
export type Localized = Record<string, string>;

/** Parses and cross-checks a codebook (ids unique, sections known, every text in every language). */
export function parseCodebook(text: string, file: string): Codebook {
  const { value, lineOf } = parseYamlWith(text, file, codebookSchema);
  const fail = (path: (string | number)[], problem: string, hint?: string): never => {
    throw new InputError(file, lineOf(path), `at ${path.join('.')}: ${problem}`, hint);
  };
  const languages = value.study.languages.map((l) => l.code);
  const checkText = (path: (string | number)[], text: Localized | undefined) => {
    if (!text) return;
    for (const lang of languages) {
      if (!(lang in text))
        fail(path, `missing the "${lang}" text`, `add ${lang}: … beside the others`);
    }
    for (const lang of Object.keys(text)) {
      if (!languages.includes(lang))
        fail(
          path,
          `"${lang}" is not a language of the study`,
          `study.languages lists ${languages.join(', ')}`,
        );
    }
  };
  unique(
    value.study.languages.map((l) => l.code),
    (i, code) => fail(['study', 'languages', i], `language "${code}" is listed twice`),
  );
  checkText(['study', 'title'], value.study.title);
  checkText(['study', 'subtitle'], value.study.subtitle);
  checkText(['study', 'population'], value.study.population);
  checkText(['study', 'data', 'note'], value.study.data.note);
  const sectionIds = value.sections.map((s) => s.id);
  unique(sectionIds, (i, sid) => fail(['sections', i, 'id'], `section id "${sid}" is used twice`));
  value.sections.forEach((s, i) => {
    checkText(['sections', i, 'title'], s.title);
  });
  unique(
    value.questions.map((q) => q.id),
    (i, qid) => fail(['questions', i, 'id'], `question id "${qid}" is used twice`),
  );
  value.questions.forEach((q, i) => {
    if (q.id === value.study.data.respondent_id)
      fail(['questions', i, 'id'], `"${q.id}" is the respondent id column`);
    if (!sectionIds.includes(q.section))
      fail(
        ['questions', i, 'section'],
        `unknown section "${q.section}"`,
        `sections are ${sectionIds.join(', ')}`,
      );
    checkText(['questions', i, 'text'], q.text);
    checkText(['questions', i, 'short'], q.short);
    unique(
      q.options.map((o) => o.code),
      (j, code) =>
        fail(
          ['questions', i, 'options', j, 'code'],
          `option code "${code}" is used twice in "${q.id}"`,
        ),
    );
    q.options.forEach((o, j) => {
      checkText(['questions', i, 'options', j, 'label'], o.label);
    });
    const spellings = new Map<string, string>();
    q.options.forEach((o, j) => {
      for (const spelling of optionSpellings(o)) {
        const other = spellings.get(spelling);
        if (other !== undefined && other !== o.code)
          fail(
            ['questions', i, 'options', j],
            `"${spelling}" would mean both "${other}" and "${o.code}"`,
            'labels and accept: spellings must differ between options',
          );
        spellings.set(spelling, o.code);
      }
    });
  });
  return value;
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

/** A question's options by every normalised spelling that stands for them, as their index. */
export function optionBySpelling(question: Question): Map<string, number> {
  const map = new Map<string, number>();
  question.options.forEach((o, index) => {
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
