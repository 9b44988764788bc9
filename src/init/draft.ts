import { InputError } from '../errors.js';
import { normalizeSpelling } from '../load/codebook.js';
import { EXPORT_METADATA } from '../load/responses.js';
import { type Cell, cellText, isBlank, type Table, type TableColumn } from '../load/table.js';
import type { Form, FormQuestion } from '../load/xlsform.js';
import {
  codebookTakes,
  guessType,
  likertLike,
  multipleSeparator,
  type QuestionType,
} from './guess.js';
import { ColumnSummary, DISTINCT_CAP } from './summary.js';
import { languageOf, wordsOf } from './words.js';

type Localized = Record<string, string>;

export interface DraftOption {
  code: string;
  label: Localized;
  accept?: string[];
}

export interface DraftQuestion {
  id: string;
  section: string;
  type?: QuestionType;
  text: Localized;
  short: Localized;
  columns?: string[];
  options?: DraftOption[];
  /** Labelled missing categories: an SPSS variable's user-missing values that have a label. */
  missing?: DraftOption[];
  /** A multiple question's 0/1 columns: how their headers are made. */
  multiple?: { columns: string };
}

/** A study drafted from data: the codebook as plain data, and what was left out and why. */
export interface Draft {
  codebook: {
    study: Record<string, unknown> & { id: string; languages: { code: string }[] };
    sections: { id: string; title: Localized }[];
    questions: DraftQuestion[];
  };
  /** Columns that are not questions of the draft, with the reason (a comment in codebook.yaml). */
  leftOut: { header: string; why: string }[];
  /** Languages whose texts are copies of another's. */
  untranslated: string[];
  /** Each question's guessed or given type, including those left out. */
  types: { id: string; type: QuestionType | string; emitted: boolean }[];
}

export interface DraftOptions {
  /** The data file's name as the user gave it (shown in the study's texts). */
  fileName: string;
  form?: Form;
  /** The report's languages; the first is the language of the data's own texts. */
  langs?: string[];
  /** Where the workbook's header is (written to the codebook). */
  sheet?: string | number;
  headerRow?: number;
  year?: number;
}

/** Headers that name the respondent id (normalized as `normalizeSpelling` does). */
const ID_HEADERS = [
  'id',
  '_id',
  'respondent_id',
  'respondent',
  'folio',
  'caso',
  'case',
  'id_encuesta',
];

/**
 * A data file as `report init` keeps it once read: its columns, how many rows, and a summary of
 * each column's values (not the values themselves); for each column that may hold the
 * respondent id, whether its values are all different.
 */
export interface SummarizedTable {
  headerLine: number;
  columns: TableColumn[];
  /** How many rows (respondents). */
  rows: number;
  /** Each column's non-blank values, summarized, in column order. */
  summaries: ColumnSummary[];
  /** Whether the values of a column named as an id (`id`, `folio`…) are all different, by its index. */
  distinct: Map<number, boolean>;
}

/**
 * Reads the rows of a data file one at a time into what `draftStudy` needs (`SummarizedTable`):
 * memory grows with the distinct values of each column up to a cap, and with the values of the
 * one or two columns named as an id (to tell whether they are all different), not with the rows.
 */
export async function summarizeRows(
  head: Omit<Table, 'rows'>,
  rows: Iterable<{ cells: Cell[] }> | AsyncIterable<{ cells: Cell[] }>,
  cap = DISTINCT_CAP,
): Promise<SummarizedTable> {
  const columns = head.columns;
  const summaries = columns.map(() => new ColumnSummary(cap));
  /** The values met so far of each column named as an id, until one repeats. */
  const ids = new Map<number, Set<string> | undefined>();
  columns.forEach((c, i) => {
    if (ID_HEADERS.includes(normalizeSpelling(c.header))) ids.set(i, new Set());
  });
  let count = 0;
  for await (const row of rows) {
    count++;
    for (let i = 0; i < columns.length; i++) {
      const cell = row.cells[i] ?? null;
      if (isBlank(cell, columns[i])) continue;
      const text = cellText(cell);
      (summaries[i] as ColumnSummary).add(text);
      const seen = ids.get(i);
      if (seen === undefined) continue;
      if (seen.has(text)) {
        // a repeated value: not the id; what was kept of it is let go
        seen.clear();
        ids.set(i, undefined);
      } else seen.add(text);
    }
  }
  return {
    headerLine: head.headerLine,
    columns,
    rows: count,
    summaries,
    distinct: new Map([...ids].map(([i, seen]) => [i, seen !== undefined])),
  };
}

/** Drafts a codebook from the responses read and, if given, the XLSForm they were collected with. */
export function draftStudy(table: SummarizedTable, options: DraftOptions): Draft {
  const form = options.form;
  const formLangs = (form?.languages ?? []).map((l) => l.code).filter((c) => c !== 'default');
  const langs = options.langs ?? (formLangs.length > 1 ? formLangs : ['es', 'en']);
  for (const lang of langs)
    if (!/^[a-z]{2,3}$/.test(lang))
      throw new InputError('--lang', undefined, `"${lang}" is not a language code`, 'e.g. es,en');
  const source = formLangs.find((l) => langs.includes(l)) ?? langs[0] ?? 'es';
  const untranslated = new Set<string>();

  /** A text in every language: the form's own where it has one, else a copy (to translate). */
  const localize = (labels: Localized | undefined, fallback: string): Localized => {
    const out: Localized = {};
    const any = labels?.[source] ?? labels?.default ?? Object.values(labels ?? {})[0] ?? fallback;
    for (const lang of langs) {
      const own = labels?.[lang] ?? (lang === source ? labels?.default : undefined);
      if (own?.trim()) out[lang] = own.trim();
      else {
        out[lang] = any.trim() || fallback;
        if (lang !== source) untranslated.add(lang);
      }
    }
    return out;
  };
  const words = (pick: (w: ReturnType<typeof wordsOf>['words']) => string): Localized => {
    const out: Localized = {};
    for (const lang of langs) {
      const { words: w, own } = wordsOf(lang);
      out[lang] = pick(w);
      if (!own) untranslated.add(lang);
    }
    return out;
  };

  const columns = table.columns.map((column, index) => ({
    column,
    index,
    key: normalizeSpelling(column.header),
    values: table.summaries[index] as ColumnSummary,
  }));
  columns.forEach(({ column, key, values }) => {
    if (key === '' && values.count > 0)
      throw new InputError(
        options.fileName,
        table.headerLine,
        `column ${columns.findIndex((c) => c.column === column) + 1} has values but no header`,
        'name it on the header row',
      );
  });

  // the respondent id: a column so named whose values are all there and all different
  const idColumn = ID_HEADERS.map((h) => columns.find((c) => c.key === h)).find(
    (c) => c && c.values.count === table.rows && table.distinct.get(c.index) === true,
  );

  const usedIds = new Set<string>();
  const uniqueId = (base: string) => {
    let id = slugId(base, 'q');
    if (idColumn && id === slugId(idColumn.column.header, 'q')) id = `${id}_q`;
    let n = 2;
    const stem = id;
    while (usedIds.has(id)) id = `${stem}_${n++}`;
    usedIds.add(id);
    return id;
  };

  const leftOut: Draft['leftOut'] = [];
  const types: Draft['types'] = [];
  const questions: DraftQuestion[] = [];
  /** The values of the numeric questions drafted: their decimal mark is the study's. */
  const numbers: ColumnSummary[] = [];
  const claimed = new Set<number>();
  const sectionOf = (group: string | undefined) => (group ? slugId(group, 's') : undefined);

  // with a form: its questions in its order, each matched to its column(s)
  const formQuestion = new Map<number, FormQuestion>();
  /** Without a form: a column's 0/1 columns, one per option. */
  const dichotomyOf = new Map<number, number[]>();
  /** Without a form: 0/1 columns with no column of their question, by their first: the question's path. */
  const questionOfParts = new Map<number, string>();
  const dichotomies = new Map<FormQuestion, number[]>();
  /** Form questions that have a column of their own (not only 0/1 columns). */
  const withCell = new Set<FormQuestion>();
  if (form) {
    for (const q of form.questions) {
      const full = [...q.path, q.name].join('/');
      const column = columns.find(
        (c) =>
          !claimed.has(c.index) &&
          (c.key === normalizeSpelling(full) || c.key === normalizeSpelling(q.name)),
      );
      if (column) {
        claimed.add(column.index);
        formQuestion.set(column.index, q);
        withCell.add(q);
      }
      if (q.type === 'select_multiple') {
        const parts = columns.filter(
          (c) =>
            !claimed.has(c.index) &&
            (c.key.startsWith(`${normalizeSpelling(full)}/`) ||
              c.key.startsWith(`${normalizeSpelling(q.name)}/`)),
        );
        for (const p of parts) claimed.add(p.index);
        dichotomies.set(
          q,
          parts.map((p) => p.index),
        );
        if (!column && parts.length > 0) formQuestion.set(parts[0]?.index as number, q);
      }
    }
  }

  // without a form: the 0/1 columns `q/option` that Kobo writes beside a select_multiple `q`
  if (!form) {
    for (const parent of columns) {
      if (parent.key === '' || claimed.has(parent.index)) continue;
      const parts = columns.filter(
        (c) =>
          c.key.startsWith(`${parent.key}/`) &&
          !c.key.slice(parent.key.length + 1).includes('/') &&
          c.values.allZeroOne,
      );
      if (parts.length < 2) continue;
      for (const p of parts) claimed.add(p.index);
      dichotomyOf.set(
        parent.index,
        parts.map((p) => p.index),
      );
    }
    // and those exported alone (no column of the question itself): grouped by their common path
    const groups = new Map<string, typeof columns>();
    for (const c of columns) {
      const slash = c.column.header.lastIndexOf('/');
      if (claimed.has(c.index) || slash <= 0 || c.values.count === 0) continue;
      if (!c.values.allZeroOne) continue;
      const path = c.column.header.slice(0, slash);
      groups.set(path, [...(groups.get(path) ?? []), c]);
    }
    for (const [path, parts] of groups) {
      if (parts.length < 2 || columns.some((c) => c.key === normalizeSpelling(path))) continue;
      for (const p of parts) claimed.add(p.index);
      const first = parts[0]?.index as number;
      dichotomyOf.set(
        first,
        parts.map((p) => p.index),
      );
      questionOfParts.set(first, path);
    }
  }

  for (const c of columns) {
    if (c === idColumn) continue;
    if (c.key === '') continue;
    const q = formQuestion.get(c.index);
    const partsOf = questionOfParts.get(c.index);
    // a 0/1 column of a select_multiple, taken with it
    if (!q && claimed.has(c.index) && partsOf === undefined) continue;
    if (!q && (EXPORT_METADATA.has(c.key) || c.key.startsWith('_'))) continue;
    const header = partsOf ?? c.column.header;
    // a Kobo group path (group_x/q1) names the question by its last part
    const own = q?.name ?? (header.split('/').pop()?.trim() || header);
    const id = uniqueId(own);
    const type: QuestionType | string = q
      ? formType(q.type)
      : dichotomyOf.has(c.index)
        ? 'multiple'
        : guessType({
            values: c.values,
            labelled: Boolean(c.column.valueLabels),
            level: c.column.level,
          });
    const text = q
      ? localize(q.labels, header)
      : localize(undefined, (partsOf === undefined ? c.column.label : undefined) ?? own);
    const short = Object.fromEntries(Object.entries(text).map(([l, t]) => [l, shorten(t)]));
    const question: DraftQuestion = { id, section: sectionOf(q?.group) ?? '', text, short };
    const named = new Set(
      [id, ...Object.values(text), ...Object.values(short)].map(normalizeSpelling),
    );
    /** The question's own cell (a Kobo export also has it beside the 0/1 columns), if any. */
    const ownCell = q ? withCell.has(q) : partsOf === undefined;
    const parts = (q ? (dichotomies.get(q) ?? []) : (dichotomyOf.get(c.index) ?? [])).map(
      (i) => columns[i]?.column.header ?? '',
    );
    if (ownCell && header !== '' && !named.has(normalizeSpelling(header)))
      question.columns = [header];
    let kind: QuestionType | string = type;
    /** Options drawn from the values, when there are more distinct values than were counted. */
    const tooMany =
      !q?.list &&
      !dichotomyOf.has(c.index) &&
      c.values.overflowed &&
      !(type === 'multiple' && multipleSeparator(c.values) !== undefined);
    if (tooMany && (type === 'single' || type === 'multiple' || type === 'ordinal'))
      kind = `${type} (more than ${DISTINCT_CAP} distinct answers)`;
    else if (type === 'single' || type === 'multiple' || type === 'ordinal') {
      const ordered = Boolean(q?.list) || Boolean(c.column.valueLabels);
      const options = q?.list
        ? (form?.choices.get(q.list) ?? []).map((choice) => ({
            value: choice.name,
            label: localize(choice.labels, choice.name),
          }))
        : dichotomyOf.has(c.index)
          ? (dichotomyOf.get(c.index) ?? []).map((i) => {
              const option = (columns[i]?.column.header ?? '').slice(header.length + 1);
              return { value: option, label: localize(undefined, option) };
            })
          : valueOptions(c.column, c.values, type === 'multiple').map((o) => ({
              value: o.value,
              label: localize(undefined, o.label),
            }));
      question.options = optionsOf(options);
      // a rating scale in a known order (value labels, a form's choices) is ordinal
      if (
        type === 'single' &&
        ordered &&
        likertLike(question.options.map((o) => o.label[source] ?? ''))
      )
        kind = 'ordinal';
    }
    if (kind !== 'single') question.type = kind as QuestionType;
    // SPSS's labelled user-missing values: missing categories, outside the valid answers
    if ((kind === 'single' || kind === 'ordinal') && !q?.list) {
      const missing = missingOptions(c.column).map((o) => ({
        value: o.value,
        label: localize(undefined, o.label),
      }));
      if (missing.length > 0)
        question.missing = optionsOf(missing, new Set((question.options ?? []).map((o) => o.code)));
    }
    // the 0/1 columns of a multiple question, one per option, named "{prefix}{q}/{option}"
    let partsLeftOut: string[] = [];
    if (kind === 'multiple' && parts.length > 0) {
      const layout = optionColumnsLayout(id, own, header, parts, question.options ?? [], ownCell);
      if (layout === undefined) {
        // they do not name the options: the question's own cell is read, they are skipped
        if (ownCell) partsLeftOut = parts;
      } else if (layout !== '{q}/{option}') question.multiple = { columns: layout };
      if (layout === undefined && !ownCell) kind = 'multiple (0/1 columns that name no option)';
    }
    let emitted =
      typeof kind === 'string' &&
      ['single', 'ordinal', 'multiple', 'numeric', 'text'].includes(kind) &&
      (question.options?.length ?? 1) > 0 &&
      codebookTakes({ ...question });
    if (!emitted && kind === 'ordinal') {
      // an ordinal question the codebook does not take (one option): a single one
      delete question.type;
      kind = 'single';
      emitted = codebookTakes({ ...question });
    }
    types.push({ id, type: kind, emitted });
    if (!emitted) {
      usedIds.delete(id);
      for (const h of [...(ownCell ? [header] : []), ...parts])
        leftOut.push({
          header: h,
          why:
            kind === 'single'
              ? 'no answers to draw options from'
              : `${kind} question: the codebook does not take it as drafted`,
        });
      continue;
    }
    for (const h of partsLeftOut)
      leftOut.push({ header: h, why: `the 0/1 columns of ${id}, read from its own column` });
    // the type next to the texts, as a codebook is written by hand
    const { type: typed, ...rest } = question;
    const { id: _, section, text: t, short: sh, ...tail } = rest;
    questions.push({ id, section, ...(typed ? { type: typed } : {}), text: t, short: sh, ...tail });
    if (kind === 'numeric' && ownCell) numbers.push(c.values);
  }
  // numbers written with a decimal comma, and none with a point: the study reads commas
  const decimalComma = numbers.some((v) => v.decimalComma) && !numbers.some((v) => v.decimalPoint);
  if (questions.length === 0)
    throw new InputError(
      options.fileName,
      table.headerLine,
      'no column holds a question the codebook can take',
      `columns: ${table.columns.map((c) => c.header).join(', ')}`,
    );

  // sections: the form's top-level groups that hold questions, then one for the rest
  const sections: Draft['codebook']['sections'] = [];
  for (const g of form?.groups ?? []) {
    const id = slugId(g.name, 's');
    if (questions.some((q) => q.section === id) && !sections.some((s) => s.id === id))
      sections.push({ id, title: localize(g.labels, g.name) });
  }
  if (questions.some((q) => q.section === '')) {
    const id = sections.length > 0 ? 'general' : 'results';
    const rest = { id, title: words((w) => (id === 'general' ? w.general : w.results)) };
    for (const q of questions) if (q.section === '') q.section = id;
    if (id === 'general') sections.push(rest);
    else sections.unshift(rest);
  }

  const name = form?.title ?? options.fileName.replace(/\.[^.]+$/, '');
  const study: Draft['codebook']['study'] = {
    id: slugId(form?.id ?? name, 'study'),
    title: form?.title ? localize(undefined, form.title) : words((w) => w.title(name)),
    subtitle: words((w) => w.subtitle(options.fileName)),
    institution: 'not stated',
    year: options.year ?? new Date().getUTCFullYear(),
    repository: 'not stated',
    handle: 'not stated',
    population: words((w) => w.population),
    languages: langs.map(languageOf),
    data: {
      status: 'original',
      note: words((w) => w.note(options.fileName)),
      respondent_id: idColumn ? idColumn.column.header : null,
      ...(decimalComma ? { decimal: ',' as const } : {}),
      ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
      ...(options.headerRow !== undefined && options.headerRow !== 1
        ? { header_row: options.headerRow }
        : {}),
      ...(leftOut.length > 0 ? { ignore_columns: leftOut.map((l) => l.header) } : {}),
    },
  };
  const list = langs.filter((l) => untranslated.has(l));
  if (list.length > 0) study.untranslated = list;
  return { codebook: { study, sections, questions }, leftOut, untranslated: list, types };
}

/**
 * The pattern that names a multiple question's 0/1 columns (`{q}/{option}`, or with the group
 * path before it: `opinion/{q}/{option}`), when every option has exactly one of them and every
 * one of them is an option's; else undefined.
 */
function optionColumnsLayout(
  id: string,
  name: string,
  header: string,
  parts: readonly string[],
  options: readonly DraftOption[],
  ownCell: boolean,
): string | undefined {
  if (options.length !== parts.length) return undefined;
  // the group path before the question's name: from its own header, else from a 0/1 column's
  const path = ownCell
    ? header.slice(0, Math.max(0, header.length - name.length))
    : (parts[0] ?? '').slice(0, Math.max(0, (parts[0] ?? '').lastIndexOf(`${name}/`)));
  if (
    normalizeSpelling(`${path}${name}`) !== normalizeSpelling(ownCell ? header : `${path}${name}`)
  )
    return undefined;
  if (path.includes('{') || path.includes('}')) return undefined;
  const pattern = `${path}{q}/{option}`;
  const wanted = new Set(
    options.map((o) => normalizeSpelling(pattern.replace('{q}', id).replace('{option}', o.code))),
  );
  const have = new Set(parts.map(normalizeSpelling));
  if (wanted.size !== have.size || [...wanted].some((h) => !have.has(h))) return undefined;
  return pattern;
}

function formType(type: string): QuestionType | string {
  switch (type) {
    case 'select_one':
    case 'select_one_from_file':
      return 'single';
    case 'select_multiple':
    case 'select_multiple_from_file':
      return 'multiple';
    case 'integer':
    case 'decimal':
    case 'range':
      return 'numeric';
    case 'text':
      return 'text';
    default:
      return type;
  }
}

/** An SPSS variable's user-missing values that have a value label, in value order. */
function missingOptions(column: TableColumn): { value: string; label: string }[] {
  const test = column.userMissing;
  if (!test || !column.valueLabels) return [];
  return [...column.valueLabels]
    .filter(([v]) => Number.isFinite(Number(v)) && test(Number(v)))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([value, label]) => ({ value, label }));
}

/** Options from the values themselves: SPSS value labels (user-missing ones left out) in value order, then values met without a label. */
function valueOptions(
  column: TableColumn,
  values: ColumnSummary,
  multiple: boolean,
): { value: string; label: string }[] {
  const seen = new Map<string, { value: string; label: string }>();
  const add = (value: string, label: string) => {
    const key = normalizeSpelling(value);
    if (key !== '' && !seen.has(key)) seen.set(key, { value, label });
  };
  if (column.valueLabels) {
    const labelled = [...column.valueLabels].filter(
      ([v]) => !(column.userMissing && Number.isFinite(Number(v)) && column.userMissing(Number(v))),
    );
    labelled.sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b));
    for (const [v, label] of labelled) add(v, label);
  }
  const separator = multiple ? multipleSeparator(values) : undefined;
  // the distinct values (or codes), in order of first appearance
  const tokens = separator ? values.codes(separator) : values.values();
  const numeric = tokens.every((v) => Number.isFinite(Number(v.trim())));
  const ordered = numeric
    ? [...new Set(tokens.map((v) => v.trim()))].sort((a, b) => Number(a) - Number(b))
    : tokens;
  for (const v of ordered) add(v, v.trim());
  return [...seen.values()];
}

/** Option codes from the values (or their labels when the values are numbers), other spellings accepted. */
function optionsOf(
  options: { value: string; label: Localized }[],
  used = new Set<string>(),
): DraftOption[] {
  const spellings = new Set<string>();
  for (const o of options)
    for (const l of Object.values(o.label)) spellings.add(normalizeSpelling(l));
  return options.map((o) => {
    const first = Object.values(o.label)[0] ?? o.value;
    const numeric = /^[-+]?\d+([.,]\d+)?$/.test(o.value.trim());
    let code = slugId(numeric ? first : o.value, 'o');
    if (numeric && code === 'o') code = slugId(`o_${o.value}`, 'o');
    const stem = code;
    let n = 2;
    while (used.has(code)) code = `${stem}_${n++}`;
    used.add(code);
    const option: DraftOption = { code, label: o.label };
    const value = normalizeSpelling(o.value);
    if (
      value !== normalizeSpelling(code) &&
      !Object.values(o.label).some((l) => normalizeSpelling(l) === value)
    ) {
      if (!spellings.has(value)) option.accept = [o.value.trim()];
    }
    return option;
  });
}

/** An id for the codebook: lower-case ASCII letters, digits, "_", starting with a letter. */
export function slugId(text: string, prefix: string): string {
  const slug = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  if (slug === '') return prefix;
  return /^[a-z]/.test(slug) ? slug : `${prefix}_${slug}`;
}

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if ([...t].length <= 60) return t;
  const cut = t.slice(0, 59);
  return `${cut.replace(/\s+\S*$/, '')}…`;
}
