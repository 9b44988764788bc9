import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, readError } from './errors.js';
import type { Codebook } from './load/codebook.js';
import type { CsvDialect } from './load/responses.js';
import { layout, loadDesign } from './load/study.js';
import { tallyFile } from './load/tally.js';
import { reconstructCsv } from './reconstruct.js';
import { kindOf, pdfSegments, type Segment, segments, type TextKind } from './scan/extract.js';
import { type Scan, scanText, suggestions } from './scan/scan.js';
import { type Results, resultsOf } from './stats/frequencies.js';
import { type Verification, verify } from './verify/verify.js';

/** Load, tabulate and verify a study's claims. */
export async function verifyStudy(root: string): Promise<Verification> {
  const { codebook, claims } = await loadDesign(root);
  return verify(codebook, (await aggregate(root, codebook)).results, claims);
}

/**
 * Load and statistics of a study's responses, streamed: the answers are counted as the file
 * is read, never held (see ByteTally), so a national survey verifies in flat memory.
 */
export async function aggregate(
  root: string,
  codebook: Codebook,
): Promise<{ results: Results; dialect: CsvDialect }> {
  const { tally, dialect } = await tallyFile(root, layout.responses, codebook);
  return { results: resultsOf(codebook, tally), dialect };
}

/** Writes (or returns) the reconstructed responses of a study whose data are a reconstruction. */
export async function reconstructStudy(
  root: string,
  options: { seed?: number; write: boolean },
): Promise<string> {
  const { codebook, claims } = await loadDesign(root);
  const seed = options.seed ?? codebook.study.data.seed ?? 0;
  const csv = reconstructCsv(codebook, claims, seed);
  if (options.write) await writeFile(join(root, layout.responses), csv);
  return csv;
}

/** Reads a text (plain, Markdown, HTML or PDF) and checks every number it prints against the study. */
export async function scanFile(
  root: string,
  file: string,
  options: { as?: TextKind; stdin?: () => Promise<Buffer> } = {},
): Promise<{ scan: Scan; suggest: () => string }> {
  let bytes: Buffer;
  try {
    bytes = file === '-' && options.stdin ? await options.stdin() : await readFile(file);
  } catch (error) {
    throw readError(error, file);
  }
  const kind = options.as ?? kindOf(file);
  let parts: Segment[];
  if (kind === 'pdf') {
    try {
      parts = await pdfSegments(bytes);
    } catch (error) {
      throw new InputError(file, undefined, `not a readable PDF (${(error as Error).message})`);
    }
  } else {
    if (bytes.includes(0))
      throw new InputError(
        file,
        undefined,
        'a binary file',
        'give a plain text, Markdown, HTML or PDF file',
      );
    parts = segments(bytes.toString('utf8').replace(/^\uFEFF/, ''), kind);
  }
  const { codebook, claims } = await loadDesign(root);
  const { results } = await aggregate(root, codebook);
  const scan = scanText(file, parts, codebook, claims, results);
  return { scan, suggest: () => suggestions(scan, codebook, claims, results) };
}
