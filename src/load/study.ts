import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildCache, trim } from '../cache.js';
import { InputError, readError } from '../errors.js';
import type { Strings } from '../locale/strings.js';
import { type Claim, parseClaims } from './claims.js';
import { type Codebook, parseCodebook } from './codebook.js';
import type { CsvDialect } from './responses.js';
import { resolveStrings } from './strings.js';
import { type Tally, tallyBytes } from './tally.js';

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
): Promise<{ codebook: Codebook; claims: Claim[]; inputs: SourceFile[] }> {
  const codebookFile = await readInput(root, layout.codebook);
  const claimsFile = await readInput(root, layout.claims);
  const key = `${root}\n${codebookFile.text}\n${claimsFile.text}`;
  let design = designs?.get(key);
  if (!design) {
    const codebook = parseCodebook(codebookFile.text, codebookFile.path);
    design = { codebook, claims: parseClaims(claimsFile.text, claimsFile.path, codebook) };
    designs?.set(key, design);
    if (designs) trim(designs, 2);
  }
  const { codebook, claims } = design;
  return { codebook, claims, inputs: [codebookFile, claimsFile] };
}

/** Loads and validates everything a study is made of. */
export async function loadStudy(
  root: string,
  options: { templates?: boolean; designs?: BuildCache['designs'] } = {},
): Promise<Study> {
  const design = await loadDesign(root, options.designs);
  const responsesFile = await readInput(root, layout.responses, { binary: true });
  const { tally, dialect } = tallyBytes(
    responsesFile.bytes as Uint8Array,
    responsesFile.path,
    design.codebook,
  );
  const inputs = [...design.inputs, responsesFile];
  const templates: Record<string, SourceFile> = {};
  if (options.templates !== false) {
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
  };
}
