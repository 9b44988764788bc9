import { constants, existsSync } from 'node:fs';
import { access, copyFile, lstat, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError, readError } from './errors.js';
import type { Claim } from './load/claims.js';
import { type Codebook, selectLanguages } from './load/codebook.js';
import type { CsvDialect } from './load/responses.js';
import {
  findResponses,
  RESPONSES_FILES,
  readBytes,
  tallyTableFile,
} from './load/responses-file.js';
import { needsRows, type StudyRows, studyRows } from './load/rows.js';
import { layout, loadDesign } from './load/study.js';
import { tallyFile } from './load/tally.js';
import { outputError } from './publish/publish.js';
import { reconstructCsv } from './reconstruct.js';
import {
  docxSegments,
  kindOf,
  MAX_DEPTH,
  pdfSegments,
  type Segment,
  segments,
  type TextKind,
  tooDeep,
} from './scan/extract.js';
import { type Scan, type ScanStudy, scanText, suggestions } from './scan/scan.js';
import { type ScanSummary, scanStream } from './scan/stream.js';
import { type Results, resultsOf } from './stats/frequencies.js';
import { weightResults } from './stats/weighted.js';
import { type Verification, verify } from './verify/verify.js';

/**
 * Load, tabulate and verify a study's claims; `lang` (checked against the study's languages)
 * is the language to describe them in, by default English when the study has it, else its first.
 * What the reader had to change to read an older codebook or claims file is told to `warn`.
 */
export async function verifyStudy(
  root: string,
  lang?: string,
  warn?: (message: string) => void,
): Promise<{ verification: Verification; lang: string }> {
  const { codebook, claims, warnings } = await loadDesign(root);
  if (warn) for (const warning of warnings) warn(warning);
  const languages = codebook.study.languages;
  const [language] =
    lang === undefined
      ? [
          languages.find((l) => l.code === 'en') ??
            (languages[0] as Codebook['study']['languages'][number]),
        ]
      : selectLanguages(codebook, [lang], layout.codebook);
  const { results, rows } = await aggregate(root, codebook, claims);
  const verification = verify(codebook, results, claims, rows);
  return { verification, lang: language?.code ?? 'en' };
}

/**
 * Load and statistics of a study's responses, streamed: the answers are counted as the file
 * is read, never held (see ByteTally), so a national survey verifies in flat memory. A weighted
 * study's shares are weighted (see weightResults); `rows` gives the answers row by row.
 */
export async function aggregate(
  root: string,
  codebook: Codebook,
  claims: readonly Claim[] = [],
): Promise<{ results: Results; dialect: CsvDialect; rows: () => StudyRows }> {
  const responses = await findResponses(root);
  const { tally, dialect } =
    responses.kind === 'csv'
      ? await tallyFile(root, responses.path, codebook)
      : await tallyTableFile(
          await readBytes(root, responses.path),
          responses.path,
          responses.kind,
          codebook,
        );
  const rows = await studyRows(
    root,
    responses.path,
    codebook,
    dialect,
    needsRows(codebook, claims),
  );
  const results = resultsOf(codebook, tally);
  // a weighted study's weights are read (and checked) whatever is asked of it
  return {
    results: codebook.study.data.weight ? weightResults(codebook, results, rows()) : results,
    dialect,
    rows,
  };
}

/**
 * Writes (or returns) the reconstructed responses of a study. Original data are never replaced
 * unless `force` says so; the file is never written through a link; it is replaced atomically
 * and the file it replaces is kept beside it (`backup`).
 */
export async function reconstructStudy(
  root: string,
  options: { seed?: number; write: boolean; force?: boolean },
): Promise<{ csv: string; backup?: string }> {
  const { codebook, claims, inputs } = await loadDesign(root);
  if (options.write) await refuseOtherResponses(root);
  if (options.write && codebook.study.data.status === 'original' && !options.force) {
    const lines = (inputs[0]?.text ?? '').split('\n');
    const at = lines.findIndex((l) => /^\s*status:\s*["']?original/.test(l));
    throw new InputError(
      layout.codebook,
      at === -1 ? undefined : at + 1,
      `study.data.status is "original": ${layout.responses} holds real responses, which reconstruct does not replace`,
      'print a reconstruction with --stdout; to replace the file deliberately, run report reconstruct --force (the current file is kept as a backup)',
    );
  }
  const seed = options.seed ?? codebook.study.data.seed ?? 0;
  const csv = reconstructCsv(codebook, claims, seed);
  if (!options.write) return { csv };
  try {
    return { csv, backup: await replaceFile(root, layout.responses, csv) };
  } catch (error) {
    throw outputError(error, layout.responses, 'the file');
  }
}

/**
 * Refuses to write data/responses.csv beside a workbook or SPSS responses file: the study would
 * then hold two responses files, which every command refuses.
 */
async function refuseOtherResponses(root: string): Promise<void> {
  for (const path of [RESPONSES_FILES.xlsx, RESPONSES_FILES.sav]) {
    const found = await lstat(join(root, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw readError(error, path, root);
    });
    if (found)
      throw new InputError(
        path,
        undefined,
        `the study's responses are this file; reconstruct writes ${RESPONSES_FILES.csv}, which would be a second responses file`,
        `print a reconstruction with --stdout, or move ${path} out of data/ first`,
      );
  }
}

/**
 * Replaces a file of the study: refuses a link (it would write wherever it points), writes a
 * temporary file beside it and renames it over the old one, which is first kept as
 * NAME.bak (NAME.bak.1, … when that exists). Returns the backup's path, if one was made.
 */
async function replaceFile(
  root: string,
  path: string,
  content: string,
): Promise<string | undefined> {
  const target = join(root, path);
  const current = await lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (current?.isSymbolicLink())
    throw new InputError(
      path,
      undefined,
      'is a symbolic link: it is never written through (that would overwrite the file it points to)',
      'replace the link by a copy of the file, or use --stdout',
    );
  if (current && !current.isFile()) throw new InputError(path, undefined, 'is not a file');
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  await writeFile(temporary, content, { flag: 'wx' });
  try {
    let backup: string | undefined;
    if (current && !(await readFile(target)).equals(Buffer.from(content))) {
      for (let i = 0; backup === undefined; i++) {
        const name = `${path}.bak${i === 0 ? '' : `.${i}`}`;
        try {
          await copyFile(target, join(root, name), constants.COPYFILE_EXCL);
          backup = name;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
    }
    await rename(temporary, target);
    return backup;
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * Reads a text (plain, Markdown, HTML, PDF or Word) and checks every number it prints: against
 * the study in `root` when there is one, else against the text's own n (or `options.n`).
 */
export async function scanFile(
  root: string,
  file: string,
  options: {
    as?: TextKind;
    stdin?: () => Promise<Buffer>;
    n?: number;
    strict?: boolean;
    /** Scan the text alone, even where a study is. */
    noStudy?: boolean;
  } = {},
): Promise<{ scan: Scan; suggest: () => string }> {
  let bytes: Buffer;
  try {
    bytes = file === '-' && options.stdin ? await options.stdin() : await readFile(file);
  } catch (error) {
    throw readError(error, file);
  }
  const kind = options.as ?? kindOf(file);
  let parts: Segment[];
  if (kind === 'pdf' || kind === 'docx') {
    try {
      parts = kind === 'pdf' ? await pdfSegments(bytes) : await docxSegments(bytes);
    } catch (error) {
      throw new InputError(
        file,
        undefined,
        `not a readable ${kind === 'pdf' ? 'PDF' : 'Word (.docx) file'} (${(error as Error).message})`,
      );
    }
  } else {
    if (bytes.includes(0))
      throw new InputError(
        file,
        undefined,
        'a binary file',
        'give a plain text, Markdown, HTML, PDF or Word (.docx) file',
      );
    const source = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const deep = tooDeep(source, kind);
    if (deep !== undefined)
      throw new InputError(
        file,
        deep,
        `nested more than ${MAX_DEPTH} levels deep`,
        'scan reads texts nested at most that deep',
      );
    parts = segments(source, kind);
  }
  const hasStudy = !options.noStudy && existsSync(join(root, layout.codebook));
  if (!hasStudy) {
    const scan = scanText(file, parts, undefined, { n: options.n, strict: options.strict });
    return { scan, suggest: () => '# no study: nothing to suggest\n' };
  }
  const { codebook, claims } = await loadDesign(root);
  const { results, rows } = await aggregate(root, codebook, claims);
  const study = { codebook, claims, results, rows };
  const scan = scanText(file, parts, study, { n: options.n, strict: options.strict });
  return { scan, suggest: () => suggestions(scan, codebook, claims, results) };
}

/**
 * Scans a plain text, Markdown or HTML file as scanFile does, in chunks, writing its table,
 * JSON or suggested claims as they come (see scanStream): for texts of any size.
 */
export async function scanFileStreamed(
  root: string,
  file: string,
  options: Omit<Parameters<typeof scanStream>[3], 'name'> & {
    kind: 'text' | 'markdown' | 'html';
    name?: string;
    noStudy?: boolean;
  },
): Promise<ScanSummary> {
  try {
    await access(file, constants.R_OK);
  } catch (error) {
    throw readError(error, options.name ?? file);
  }
  let study: ScanStudy | undefined;
  if (!options.noStudy && existsSync(join(root, layout.codebook))) {
    const { codebook, claims } = await loadDesign(root);
    // the rows too: subgroup and test claims are recounted from them
    const { results, rows } = await aggregate(root, codebook, claims);
    study = { codebook, claims, results, rows };
  }
  return scanStream(file, options.kind, study, options);
}
