import type ExcelJS from 'exceljs';
import { InputError } from '../errors.js';
import { cellValue, loadWorkbook } from './xlsx.js';

/** A question of an XLSForm, as `report init` uses it. */
export interface FormQuestion {
  /** The `type` column's first word: select_one, select_multiple, integer, decimal, text, … */
  type: string;
  name: string;
  /** The choice list of a select_one or select_multiple. */
  list?: string;
  /** Label by language code (`default` for a plain `label` column). */
  labels: Record<string, string>;
  /** The top-level group holding it, if any. */
  group?: string;
  /** The path of groups Kobo puts before its name in an export's header (`group_x/q1`). */
  path: string[];
  /** The row of the survey sheet. */
  row: number;
}

export interface FormGroup {
  name: string;
  labels: Record<string, string>;
}

export interface Form {
  title?: string;
  id?: string;
  /** Languages of the label columns, in column order: `label::Español (es)` gives code es. */
  languages: { code: string; name: string }[];
  /** Questions in form order; notes, calculations and metadata fields are left out. */
  questions: FormQuestion[];
  /** Top-level groups, in form order. */
  groups: FormGroup[];
  /** Choice lists: each choice's name and labels, in form order. */
  choices: Map<string, { name: string; labels: Record<string, string> }[]>;
}

/** Field types that hold no answer of the respondent's. */
const NOT_QUESTIONS =
  /^(note|calculate|hidden|start|end|today|deviceid|phonenumber|username|simserial|subscriberid|audit|begin[ _]repeat|end[ _]repeat)$/;

/**
 * Reads an XLSForm questionnaire (`survey` and `choices` sheets, optional `settings`): question
 * types and names, groups, choice lists, and labels in every language of its
 * `label::Language (code)` columns (a plain `label` column stands for the form's default language).
 */
export async function readXlsForm(bytes: Uint8Array, file: string): Promise<Form> {
  const workbook = await loadWorkbook(bytes, file);
  const survey = sheet(workbook, 'survey', file);
  const choicesSheet = workbook.worksheets.find((s) => s.name.trim().toLowerCase() === 'choices');
  const settings = workbook.worksheets.find((s) => s.name.trim().toLowerCase() === 'settings');
  const surveyRows = records(survey, file);
  const languages: Form['languages'] = [];
  const labelColumns = (headers: string[]) =>
    headers
      .map((h) => ({ h, lang: labelLanguage(h) }))
      .filter(
        (x): x is { h: string; lang: { code: string; name: string } } => x.lang !== undefined,
      );
  for (const { lang } of labelColumns(surveyRows.headers))
    if (!languages.some((l) => l.code === lang.code)) languages.push(lang);
  const labelsOf = (record: Record<string, string>, headers: string[]) => {
    const labels: Record<string, string> = {};
    for (const { h, lang } of labelColumns(headers)) {
      const text = record[h]?.trim();
      if (text) labels[lang.code] = text;
    }
    return labels;
  };
  if (!surveyRows.headers.includes('type') || !surveyRows.headers.includes('name'))
    throw new InputError(
      file,
      1,
      'the survey sheet has no "type" and "name" columns',
      'an XLSForm names its columns type, name, label (or label::Language (code))',
    );
  const questions: FormQuestion[] = [];
  const groups: FormGroup[] = [];
  const path: string[] = [];
  for (const { record, row } of surveyRows.rows) {
    const typeText = (record.type ?? '').trim().replace(/\s+/g, ' ');
    if (typeText === '') continue;
    const [type = '', list] = typeText.split(' ');
    const name = (record.name ?? '').trim();
    if (/^begin[ _]group$/.test(typeText) || type === 'begin_group') {
      if (path.length === 0) groups.push({ name, labels: labelsOf(record, surveyRows.headers) });
      path.push(name);
      continue;
    }
    if (/^end[ _]group$/.test(typeText) || type === 'end_group') {
      path.pop();
      continue;
    }
    if (type === 'begin' || type === 'end') {
      // "begin group" / "end group" written with a space
      if (list === 'group') {
        if (type === 'begin') {
          if (path.length === 0)
            groups.push({ name, labels: labelsOf(record, surveyRows.headers) });
          path.push(name);
        } else path.pop();
      }
      continue;
    }
    if (NOT_QUESTIONS.test(type) || name === '') continue;
    questions.push({
      type,
      name,
      list: type.startsWith('select_') ? list : undefined,
      labels: labelsOf(record, surveyRows.headers),
      group: path[0],
      path: [...path],
      row,
    });
  }
  const choices: Form['choices'] = new Map();
  if (choicesSheet) {
    const c = records(choicesSheet, file);
    for (const { h, lang } of labelColumns(c.headers))
      if (h && !languages.some((l) => l.code === lang.code)) languages.push(lang);
    const listColumn = c.headers.includes('list_name') ? 'list_name' : 'list name';
    for (const { record } of c.rows) {
      const list = (record[listColumn] ?? '').trim();
      const name = (record.name ?? '').trim();
      if (list === '' || name === '') continue;
      const entries = choices.get(list) ?? [];
      entries.push({ name, labels: labelsOf(record, c.headers) });
      choices.set(list, entries);
    }
  }
  for (const q of questions)
    if (q.list && !choices.has(q.list) && !/^or_other$/.test(q.list))
      throw new InputError(
        file,
        q.row,
        `question "${q.name}" uses the choice list "${q.list}", which the choices sheet does not have`,
      );
  let title: string | undefined;
  let id: string | undefined;
  if (settings) {
    const s = records(settings, file).rows[0]?.record;
    title = s?.form_title?.trim() || undefined;
    id = s?.form_id?.trim() || undefined;
  }
  return { title, id, languages, questions, groups, choices };
}

/** The language of a label column: `label::Español (es)` → es; `label` → default. */
function labelLanguage(header: string): { code: string; name: string } | undefined {
  if (header === 'label') return { code: 'default', name: 'default' };
  const match = /^label\s*::\s*(.*?)\s*(?:\(([A-Za-z]{2,3})(?:-[A-Za-z0-9]+)?\))?\s*$/.exec(header);
  if (!match) return undefined;
  const name = match[1] ?? '';
  const code = (match[2] ?? name.slice(0, 2)).toLowerCase();
  return { code, name };
}

function sheet(workbook: ExcelJS.Workbook, name: string, file: string): ExcelJS.Worksheet {
  const found = workbook.worksheets.find((s) => s.name.trim().toLowerCase() === name);
  if (!found)
    throw new InputError(
      file,
      undefined,
      `not an XLSForm: it has no "${name}" sheet`,
      `its sheets are ${workbook.worksheets.map((s) => `"${s.name}"`).join(', ')}`,
    );
  return found;
}

/** A sheet's rows as records keyed by the header of the first row (lower-cased). */
function records(
  sheet: ExcelJS.Worksheet,
  file: string,
): { headers: string[]; rows: { record: Record<string, string>; row: number }[] } {
  const headers: string[] = [];
  const first = sheet.getRow(1);
  for (let c = 1; c <= sheet.columnCount; c++) {
    const v = cellValue(first.getCell(c).value, file, 1);
    headers.push(v === null ? '' : normalizeHeader(String(v)));
  }
  const rows: { record: Record<string, string>; row: number }[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const record: Record<string, string> = {};
    headers.forEach((h, i) => {
      if (h === '') return;
      const v = cellValue(row.getCell(i + 1).value, file, r);
      if (v !== null) record[h] = v instanceof Date ? v.toISOString() : String(v);
    });
    rows.push({ record, row: r });
  }
  return { headers, rows };
}

/** Column names are matched without regard to case, except the language part of label::…. */
function normalizeHeader(header: string): string {
  const text = header.trim();
  const label = /^label\s*::\s*(.*)$/i.exec(text);
  return label ? `label::${label[1]}` : text.toLowerCase();
}
