import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Codebook } from './load/codebook.js';
import type { CsvDialect } from './load/responses.js';
import { layout, loadDesign } from './load/study.js';
import { tallyFile } from './load/tally.js';
import { reconstructCsv } from './reconstruct.js';
import { type Results, resultsOf } from './stats/frequencies.js';
import { type Verification, verify } from './verify/verify.js';

/** Load, tabulate and verify a study's claims. */
export async function verifyStudy(root: string): Promise<Verification> {
  const { codebook, claims } = await loadDesign(root);
  return verify(codebook, (await aggregate(root, codebook)).results, claims);
}

/**
 * Load and statistics of a study's responses, streamed: the answers are counted as the file
 * is read, never held (see PlainTally), so a national survey verifies in flat memory.
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
