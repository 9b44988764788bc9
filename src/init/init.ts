import { copyFile, lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CsvError } from 'csv-parse';
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { InputError, readError } from '../errors.js';
import { parseClaims } from '../load/claims.js';
import { type Codebook, parseCodebook } from '../load/codebook.js';
import { sniffDelimiter } from '../load/dialect.js';
import { csvRecords } from '../load/records.js';
import { RESPONSES_FILES, type ResponsesKind, tallyTableFile } from '../load/responses-file.js';
import { openSav } from '../load/sav.js';
import { detectEncoding, fileChunks, textChunks } from '../load/stream.js';
import { layout } from '../load/study.js';
import { tallyFile } from '../load/tally.js';
import { readXlsForm } from '../load/xlsform.js';
import { guessHeaderRow, openWorkbook } from '../load/xlsx.js';
import { builtInStrings } from '../locale/strings.js';
import { type Draft, draftStudy, type SummarizedTable, summarizeRows } from './draft.js';
import { wordsOf } from './words.js';

export interface InitOptions {
  /** The data file (.csv, .xlsx or .sav). */
  data: string;
  /** An XLSForm questionnaire the data were collected with. */
  form?: string;
  langs?: string[];
  /** The study folder to write (default: a folder named after the data file). */
  dir?: string;
  /** Overwrite files that exist. */
  force?: boolean;
  sheet?: string | number;
  headerRow?: number;
}

export interface InitResult {
  dir: string;
  written: string[];
  draft: Draft;
}

/**
 * Drafts a complete study folder from a data file: the data copied in as data/responses.*,
 * a codebook (questions, options, types guessed or taken from the XLSForm), a claims file with
 * no claims, and a template per language that gives a full report. Never overwrites a file
 * unless `force`.
 */
export async function initStudy(options: InitOptions): Promise<InitResult> {
  const kind = kindOf(options.data);
  // a workbook or an SPSS file is read from memory (as the loader reads it); a CSV from disk
  const bytes = kind === 'csv' ? undefined : await readBytes(options.data);
  const fileName = basename(options.data);
  const headerRow =
    bytes && kind === 'xlsx' && options.headerRow === undefined
      ? await guessHeaderRow(bytes, options.data, options.sheet)
      : options.headerRow;
  const table = await readAny(bytes, options.data, kind, { ...options, headerRow });
  const form = options.form
    ? await readXlsForm(await readBytes(options.form), options.form)
    : undefined;
  const draft = draftStudy(table, {
    fileName,
    form,
    langs: options.langs,
    sheet: options.sheet,
    headerRow,
  });
  const dir = resolve(options.dir ?? fileName.replace(/\.[^.]+$/, ''));

  const codebookText = codebookYaml(draft, fileName);
  const claimsText = claimsYaml(draft);
  let codebook: Codebook;
  try {
    codebook = parseCodebook(codebookText, layout.codebook);
    parseClaims(claimsText, layout.claims, codebook);
  } catch (error) {
    // what init drafts must load: if it does not, the fault is the tool's (exit 3)
    if (error instanceof InputError)
      throw new Error(`the drafted study does not load: ${error.message}`);
    throw error;
  }
  // the data must load under the codebook just drafted, read as the loader reads them (an
  // error names the file as given)
  if (bytes) await tallyTableFile(bytes, options.data, kind as 'xlsx' | 'sav', codebook);
  else await tallyFile('', options.data, codebook);

  /** What to write: a text, bytes, or the data file copied. */
  const files = new Map<string, string | Uint8Array | { copy: string }>();
  const target = RESPONSES_FILES[kind];
  const dataPath = resolve(options.data);
  if (dataPath !== join(dir, target)) files.set(target, bytes ?? { copy: dataPath });
  files.set(layout.codebook, codebookText);
  files.set(layout.claims, claimsText);
  for (const lang of draft.codebook.study.languages)
    files.set(layout.template(lang.code), templateOf(draft, lang.code));
  const strings = stringsYaml(draft);
  if (strings) files.set(layout.strings, strings);

  // never a second responses file, never an existing file without --force, never through a link
  for (const other of Object.values(RESPONSES_FILES))
    if (other !== target && (await exists(join(dir, other))))
      throw new InputError(
        join(dir, other),
        undefined,
        `the study folder already has a responses file (${other})`,
        'a study reads exactly one responses file: choose another --dir, or remove it',
      );
  for (const path of files.keys()) {
    const full = join(dir, path);
    const stat = await lstat(full).catch(() => undefined);
    if (stat?.isSymbolicLink())
      throw new InputError(full, undefined, 'is a symbolic link: not written through', 'remove it');
    if (stat && !options.force)
      throw new InputError(
        full,
        undefined,
        'already exists: not overwritten',
        'use --force to overwrite it',
      );
  }
  for (const [path, content] of files) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    if (typeof content === 'string' || content instanceof Uint8Array)
      await writeFile(full, content);
    else await copyFile(content.copy, full);
  }
  return { dir, written: [...files.keys()], draft };
}

function kindOf(file: string): ResponsesKind {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.sav') return 'sav';
  throw new InputError(
    file,
    undefined,
    `"${ext || 'no extension'}" is not a data file init reads`,
    'give a .csv, .xlsx or .sav file',
  );
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw readError(error, file);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

/** Reads a data file row by row, keeping a summary of each column (see `summarizeRows`). */
async function readAny(
  bytes: Uint8Array | undefined,
  file: string,
  kind: ResponsesKind,
  options: InitOptions,
): Promise<SummarizedTable> {
  if (!bytes) return readCsv(file);
  const { head, rows } =
    kind === 'sav'
      ? await openSav(bytes, file)
      : await openWorkbook(bytes, file, { sheet: options.sheet, headerRow: options.headerRow });
  return summarizeRows(head, rows());
}

/**
 * A CSV file read as a stream, row by row, in any encoding and common delimiter, as the loader
 * reads it: the encoding detected from the bytes, the delimiter from the first 64 KB of text.
 */
async function readCsv(file: string): Promise<SummarizedTable> {
  const chunks = () => fileChunks('', file);
  const encoding = await detectEncoding(chunks(), file);
  let sample = '';
  for await (const text of textChunks(chunks(), encoding)) {
    sample += text;
    if (sample.length >= 64 * 1024 && sample.trim() !== '') break;
  }
  if (sample.trim() === '')
    throw new InputError(file, 1, 'the file is empty', 'the first row names the columns');
  const delimiter = sniffDelimiter(sample);
  const records = csvRecords(chunks(), { encoding: encoding.encoding, delimiter })[
    Symbol.asyncIterator
  ]();
  const next = async () => {
    try {
      return await records.next();
    } catch (error) {
      if (error instanceof CsvError)
        throw new InputError(
          file,
          (error as CsvError & { lines?: number }).lines,
          `CSV: ${error.message.replace(/^[^:]+:\s*/, '')}`,
        );
      throw error;
    }
  };
  const first = await next();
  if (first.done) throw new InputError(file, 1, 'the file is empty');
  const header = first.value;
  // a record's fields as cells (a missing field is blank, one past the header is not read)
  async function* rows() {
    for (let r = await next(); !r.done; r = await next()) yield { cells: r.value.record };
  }
  return summarizeRows(
    {
      source: `CSV, ${encoding.encoding}, delimiter ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}`,
      headerLine: header.info.lines,
      columns: header.record.map((h) => ({ header: h.trim() })),
    },
    rows(),
  );
}

/** The codebook as YAML: texts and options on one line each, a header saying what was guessed. */
export function codebookYaml(draft: Draft, fileName: string): string {
  const doc = new Document(draft.codebook);
  visit(doc, {
    Map(_, node) {
      if (
        node.items.every(
          (p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every(isScalar)),
        )
      )
        node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((i) => isMap(i))) return;
      node.flow = true;
    },
  });
  visit(doc, {
    Pair(_, pair) {
      // an option: one line
      if (
        isScalar(pair.key) &&
        (pair.key.value === 'options' || pair.key.value === 'missing') &&
        isSeq(pair.value)
      )
        for (const item of pair.value.items) if (isMap(item)) item.flow = true;
    },
  });
  const types = draft.types.map((t) => `${t.id}: ${t.type}${t.emitted ? '' : ' (left out)'}`);
  const header = [
    `Drafted by "report init" from ${fileName}. Edit freely: this file is the study's own now.`,
    'Question types as read or guessed:',
    ...wrap(types, 90).map((l) => `  ${l}`),
    ...(draft.leftOut.length > 0
      ? [
          'Columns left out (listed in study.data.ignore_columns):',
          ...draft.leftOut.map((l) => `  ${l.header}: ${l.why}`),
        ]
      : []),
    ...(draft.untranslated.length > 0
      ? [
          `Texts in ${draft.untranslated.join(', ')} are copies to translate; then remove study.untranslated.`,
        ]
      : []),
    'The study metadata marked "not stated" (institution, repository, handle) is yours to fill in.',
  ];
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function wrap(entries: string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const entry of entries) {
    if (line && line.length + entry.length + 2 > width) {
      lines.push(`${line},`);
      line = entry;
    } else line = line ? `${line}, ${entry}` : entry;
  }
  if (line) lines.push(line);
  return lines;
}

/** An empty claims file with a commented example on the first question's first option. */
export function claimsYaml(draft: Draft): string {
  const q = draft.codebook.questions.find((x) => x.options && x.options.length > 0);
  const o = q?.options?.[0];
  const langs = draft.codebook.study.languages.map((l) => l.code);
  const about = langs.map((l) => `${l}: …`).join(', ');
  return [
    '# The figures the study published, each checked against the data by "report verify" and',
    '# shown in the verification appendix of the report. None yet: add one entry per published',
    '# figure under claims:, for example',
    '#',
    '# claims:',
    `#   - id: ${q?.id ?? 'question'}-${o?.code ?? 'option'}`,
    '#     kind: share',
    `#     question: ${q?.id ?? 'question'}`,
    `#     options: [${o?.code ?? 'option'}]`,
    '#     percent: "40.5"          # quoted, as printed, so that its precision is kept',
    `#     about: { ${about} }`,
    '#     source: { position: 1, printed: ["40.5%"] }',
    'claims: []',
    '',
  ].join('\n');
}

/** A starter template: one section per questionnaire group, a table and a chart per question, the verification appendix. */
export function templateOf(draft: Draft, lang: string): string {
  const { words } = wordsOf(lang);
  const anchor = (id: string) => (/\d/.test(id) ? '' : ` {#${id}}`);
  const lines = [
    `# {{title}} {#title}`,
    '',
    '{{subtitle}}',
    '',
    `## ${words.summary} {#summary}`,
    '',
    words.summaryText,
    '',
  ];
  const sectionAnchors = new Set(draft.codebook.sections.map((s) => s.id));
  for (const section of draft.codebook.sections) {
    lines.push(`## {{section "${section.id}"}}${anchor(section.id)}`, '');
    for (const q of draft.codebook.questions.filter((x) => x.section === section.id)) {
      const id =
        sectionAnchors.has(q.id) ||
        q.id === 'title' ||
        q.id === 'summary' ||
        q.id === 'verification'
          ? `q-${q.id}`
          : q.id;
      lines.push(`### {{short "${q.id}"}}${anchor(id)}`, '', words.question(q.id), '');
      // an open question has no table nor chart, and its answers are not published by default
      if (q.type === 'text') lines.push(words.openText(q.id), '');
      else lines.push(`{{table "${q.id}"}}`, '', `{{chart "${q.id}"}}`, '');
    }
  }
  lines.push(
    `## ${words.verification} {#verification}`,
    '',
    words.verificationText,
    '',
    '{{claims}}',
    '',
  );
  return lines.join('\n');
}

/** Interface strings for languages the tool has none of: the English ones, to translate. */
function stringsYaml(draft: Draft): string | undefined {
  const others = draft.codebook.study.languages
    .map((l) => l.code)
    .filter((c) => !(c in builtInStrings));
  if (others.length === 0) return undefined;
  const doc = new Document(Object.fromEntries(others.map((c) => [c, builtInStrings.en])));
  doc.commentBefore = ` Interface words of the report (table headers, captions) in ${others.join(', ')}: copies of the English ones, to translate.`;
  return doc.toString({ lineWidth: 0 });
}
