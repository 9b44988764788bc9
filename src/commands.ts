import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { layout, loadDesign, loadStudy } from './load/study.js';
import { reconstructCsv } from './reconstruct.js';
import { tabulate } from './stats/frequencies.js';
import { type Verification, verify } from './verify/verify.js';

/** Load, tabulate and verify a study's claims. */
export async function verifyStudy(root: string): Promise<Verification> {
  const study = await loadStudy(root, { templates: false });
  return verify(study.codebook, tabulate(study.codebook, study.responses), study.claims);
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
