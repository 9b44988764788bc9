import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildCache, trim } from '../cache.js';
import { InputError, readError } from '../errors.js';
import { resolveStrings, type Strings } from '../render/strings.js';
import { type Claim, parseClaims } from './claims.js';
import { type Codebook, parseCodebook, reportStudy } from './codebook.js';
import type { CsvDialect } from './responses.js';
import { findResponses, tallyTableFile } from './responses-file.js';
import { type Tally, tallyFile } from './tally.js';

/** Where a study's files live, relative to its folder. */
export const layout = {
  codebook: 'data/codebook.yaml',
  claims: 'data/claims.yaml',
  responses: 'data/responses.csv',
  template: (lang: string) => `templates/report.${lang}.md.hbs`,
  strings: 'templates/strings.yaml',
} as const;

/** One input file: its path as shown to users, and its text. */
export interface SourceFile {
  path: string;
  text: string;
  /** The bytes as read, where they are not UTF-8 text to begin with. */
  bytes?: Uint8Array;
  /** SHA-256 of the bytes, where it was taken as the file streamed by. */
  sha256?: string;
}

/**
 * The responses file as streamed: its checksum, and its bytes read only when asked for (a
 * responses file of any size is counted without being held).
 */
function streamedInput(root: string, path: string, sha256: string): SourceFile {
  let bytes: Uint8Array | undefined;
  return {
    path,
    text: '',
    sha256,
    get bytes() {
      try {
        bytes ??= readFileSync(join(root, path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_FS_FILE_TOO_LARGE')
          throw new InputError(path, undefined, 'too large to be copied whole (over 2 GiB)');
        throw readError(error, path, root);
      }
      return bytes;
    },
  };
}

export interface Study {
  root: string;
  codebook: Codebook;
  claims: Claim[];
  /** The answers, counted (not kept: a responses file of any size loads in little memory). */
  tally: Tally;
  /** How the responses file was read. */
  dialect: CsvDialect;
  /** Every input read, by path relative to the study folder (for the manifest). */
  inputs: SourceFile[];
  templates: Record<string, SourceFile>;
  /** The interface words of every language (built in, overridden by templates/strings.yaml). */
  strings: Record<string, Strings>;
  /** What the reader had to change to read an older file (see load/format.ts). */
  warnings: string[];
}

export async function readInput(
  root: string,
  path: string,
  options: { binary?: boolean } = {},
): Promise<SourceFile> {
  try {
    if (options.binary) {
      const bytes = await readFile(join(root, path));
      return { path, text: '', bytes };
    }
    return { path, text: await readFile(join(root, path), 'utf8') };
  } catch (error) {
    throw readError(error, path, root);
  }
}

async function readOptionalInput(root: string, path: string): Promise<SourceFile | undefined> {
  try {
    return await readInput(root, path);
  } catch (error) {
    if (error instanceof InputError && error.problem === 'file not found') return undefined;
    throw error;
  }
}

/**
 * Loads the codebook and the claims: all a reconstruction needs. `designs` keeps them parsed
 * between builds, by the text of their files (treated as read-only by every stage).
 */
export async function loadDesign(
  root: string,
  designs?: BuildCache['designs'],
): Promise<{ codebook: Codebook; claims: Claim[]; inputs: SourceFile[]; warnings: string[] }> {
  const codebookFile = await readInput(root, layout.codebook);
  const claimsFile = await readInput(root, layout.claims);
  const key = `${root}\n${codebookFile.text}\n${claimsFile.text}`;
  let design = designs?.get(key);
  if (!design) {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    const codebook = parseCodebook(codebookFile.text, codebookFile.path, warn);
    const claims = parseClaims(claimsFile.text, claimsFile.path, codebook, warn);
    design = { codebook, claims, warnings };
    designs?.set(key, design);
    if (designs) trim(designs, 2);
  }
  const { codebook, claims, warnings } = design;
  return { codebook, claims, inputs: [codebookFile, claimsFile], warnings };
}

/** Loads and validates everything a study is made of. */
export async function loadStudy(
  root: string,
  options: { templates?: boolean; designs?: BuildCache['designs'] } = {},
): Promise<Study> {
  const design = await loadDesign(root, options.designs);
  const responses = await findResponses(root);
  let read: { tally: Tally; dialect: CsvDialect };
  let responsesFile: SourceFile;
  if (responses.kind === 'csv') {
    const hash = createHash('sha256');
    read = await tallyFile(root, responses.path, design.codebook, {
      onChunk: (chunk) => hash.update(chunk),
    });
    responsesFile = streamedInput(root, responses.path, hash.digest('hex'));
  } else {
    responsesFile = await readInput(root, responses.path, { binary: true });
    read = await tallyTableFile(
      responsesFile.bytes as Uint8Array,
      responsesFile.path,
      responses.kind,
      design.codebook,
    );
  }
  const { tally, dialect } = read;
  const inputs = [...design.inputs, responsesFile];
  const templates: Record<string, SourceFile> = {};
  if (options.templates !== false) {
    const codebookText = design.inputs[0]?.text ?? '';
    const studyLine = codebookText.split('\n').findIndex((l) => /^study:/.test(l));
    reportStudy(design.codebook, layout.codebook, studyLine < 0 ? undefined : studyLine + 1);
    for (const { code } of design.codebook.study.languages) {
      const file = await readInput(root, layout.template(code));
      templates[code] = file;
      inputs.push(file);
    }
  }
  const stringsFile = await readOptionalInput(root, layout.strings);
  if (stringsFile) inputs.push(stringsFile);
  const strings = resolveStrings(
    design.codebook.study.languages.map((l) => l.code),
    stringsFile,
  );
  return {
    root,
    codebook: design.codebook,
    claims: design.claims,
    tally,
    dialect,
    inputs,
    templates,
    strings,
    warnings: design.warnings,
  };
}
