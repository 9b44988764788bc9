import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type Audit, auditSite } from './audit/audit.js';
import { InputError, readError } from './errors.js';
import { firstYear } from './load/codebook.js';
import { type PackEntry, type Packed, tarGz, writeArchive } from './publish/pack.js';

export interface PackOptions {
  /** The study folder. */
  root: string;
  /** The built site, relative to the study folder (default out). */
  outDir?: string;
  /** Also the study's own files: the inputs the build read, as its manifest lists them. */
  study?: boolean;
  /** The archive (default <study id>.tar.gz beside out/). */
  output?: string;
}

/**
 * One deterministic archive of a built report, ready to deposit (Zenodo, DSpace): the site
 * under `<id>/site/`, and with `study` the inputs the build read under `<id>/study/`. The site
 * is audited first (an altered one is not packed); the entries' time is the study's date.
 */
export async function packReport(
  options: PackOptions,
): Promise<Packed & { audit: Audit; top: string }> {
  const root = resolve(options.root);
  const site = resolve(root, options.outDir ?? 'out');
  const audit = await auditSite(site);
  const manifest = JSON.parse(await readFile(join(site, 'manifest.json'), 'utf8')) as {
    inputs: { path: string; sha256: string }[];
    outputs: { path: string }[];
  };
  // the codebook as published: the audit has just read it, so it parses
  const study = (
    parse(await readFile(join(site, 'data/codebook.yaml'), 'utf8')) as {
      study: { id: string; date?: string; year?: number | string };
    }
  ).study;
  const id = study.id;
  if (!audit.ok) return { file: '', sha256: '', bytes: 0, entries: 0, audit, top: id };
  const date = study.date ?? `${String(firstYear(study.year ?? 1970)).padStart(4, '0')}-01-01`;
  const mtime = Math.max(315532800, Date.parse(`${date}T00:00:00Z`) / 1000);

  const entries: PackEntry[] = [];
  for (const path of ['manifest.json', ...manifest.outputs.map((o) => o.path)])
    entries.push({ path: `${id}/site/${path}`, bytes: await readFile(join(site, path)) });
  if (options.study) {
    for (const input of manifest.inputs) {
      let bytes: Buffer;
      try {
        bytes = await readFile(join(root, input.path));
      } catch (error) {
        throw readError(error, input.path, root);
      }
      if (createHash('sha256').update(bytes).digest('hex') !== input.sha256)
        throw new InputError(
          input.path,
          undefined,
          'changed since the site was built',
          'build again, then pack',
        );
      entries.push({ path: `${id}/study/${input.path}`, bytes });
    }
  }
  const output = resolve(root, options.output ?? `${id}.tar.gz`);
  const packed = await writeArchive(output, await tarGz(entries, mtime));
  return { ...packed, entries: entries.length, audit, top: id };
}
