import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { copyStudy, runCli } from './helpers.js';

/** Every entry of a .tar.gz: name, time, mode, owner and bytes. */
async function entriesOf(archive: Uint8Array) {
  const out: { name: string; mtime?: Date; mode?: number; uid?: number; bytes: Buffer }[] = [];
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  reader.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      out.push({
        name: header.name,
        mtime: header.mtime,
        mode: header.mode,
        uid: header.uid,
        bytes: Buffer.concat(chunks),
      });
      next();
    });
  });
  reader.end(gunzipSync(archive));
  await done;
  return out;
}

const roots: string[] = [];

beforeAll(async () => {
  // two builds in two folders: their archives must be the same bytes
  for (let i = 0; i < 2; i++) {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    roots.push(root);
  }
});

describe('report pack', () => {
  it('writes one archive of the site and the study, the same bytes from two builds, with its SHA-256', async () => {
    const archives: Buffer[] = [];
    for (const root of roots) {
      const { code, out, err } = await runCli(['pack', '--root', root, '--study']);
      expect(code, err).toBe(0);
      const file = join(root, 'el-porvenir-footwear-cluster.tar.gz');
      const bytes = await readFile(file);
      const hash = createHash('sha256').update(bytes).digest('hex');
      expect(out).toBe(`${hash}  ${file}`);
      expect(await readFile(`${file}.sha256`, 'utf8')).toBe(
        `${hash}  el-porvenir-footwear-cluster.tar.gz\n`,
      );
      archives.push(bytes);
    }
    expect(archives[1]?.equals(archives[0] as Buffer)).toBe(true);

    const entries = await entriesOf(archives[0] as Buffer);
    const names = entries.map((e) => e.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('el-porvenir-footwear-cluster/site/manifest.json');
    expect(names).toContain('el-porvenir-footwear-cluster/site/es/index.html');
    expect(names).toContain('el-porvenir-footwear-cluster/study/data/responses.csv');
    expect(names).toContain('el-porvenir-footwear-cluster/study/templates/report.es.md.hbs');
    for (const e of entries) {
      // the report's date (study.date)
      expect(e.mtime?.toISOString()).toBe('2026-11-29T00:00:00.000Z');
      expect(e.mode).toBe(0o644);
      expect(e.uid).toBe(0);
    }
    // the site inside is the site, byte for byte
    const page = entries.find((e) => e.name.endsWith('site/es/index.html'));
    expect(page?.bytes.equals(await readFile(join(roots[0] as string, 'out/es/index.html')))).toBe(
      true,
    );

    // without --study: the site alone
    const { code } = await runCli([
      'pack',
      '--root',
      roots[0] as string,
      '--output',
      'site-only.tar.gz',
    ]);
    expect(code).toBe(0);
    const siteOnly = await entriesOf(await readFile(join(roots[0] as string, 'site-only.tar.gz')));
    expect(siteOnly.some((e) => e.name.includes('/study/'))).toBe(false);
  });

  it('never overwrites a file it did not write, and packs no altered site', async () => {
    const root = roots[1] as string;
    await writeFile(join(root, 'mine.tar.gz'), 'my own file');
    let result = await runCli(['pack', '--root', root, '--output', 'mine.tar.gz']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /mine\.tar\.gz: already exists and is not an archive this tool wrote/,
    );
    expect(await readFile(join(root, 'mine.tar.gz'), 'utf8')).toBe('my own file');

    await writeFile(join(root, 'out/es/index.html'), 'altered');
    result = await runCli(['pack', '--root', root, '--output', 'altered.tar.gz']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/✗ es\/index\.html: changed/);
    expect(result.err).toMatch(/not packed/);
    await expect(readFile(join(root, 'altered.tar.gz'))).rejects.toThrow();
  });
});
