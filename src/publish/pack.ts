import { createHash } from 'node:crypto';
import { lstat, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { InputError, readError } from '../errors.js';

/** One file of the archive: its path inside it and its bytes. */
export interface PackEntry {
  path: string;
  bytes: Uint8Array;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A gzipped tar of the entries, the same bytes for the same files: entries sorted by path,
 * every one with the same time (`mtime`, seconds), mode 0644, owner 0 and no user names;
 * gzip's header without a time or name.
 */
export async function tarGz(entries: readonly PackEntry[], mtime: number): Promise<Uint8Array> {
  const archive = tarPack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  const date = new Date(mtime * 1000);
  for (const entry of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    await new Promise<void>((resolve, reject) => {
      archive.entry(
        {
          name: entry.path,
          size: entry.bytes.length,
          mode: 0o644,
          mtime: date,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
          type: 'file',
        },
        Buffer.from(entry.bytes),
        (error) => (error ? reject(error) : resolve()),
      );
    });
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

export interface Packed {
  file: string;
  sha256: string;
  bytes: number;
  entries: number;
}

/**
 * Writes the archive and, beside it, `<archive>.sha256` (the `sha256sum` format). A file already
 * at that path is replaced only when its own .sha256 says it is an archive written here before:
 * nobody's other file is overwritten.
 */
export async function writeArchive(file: string, bytes: Uint8Array): Promise<Packed> {
  const sumFile = `${file}.sha256`;
  const existing = await lstat(file).catch(() => undefined);
  if (existing) {
    const previous = existing.isFile() ? await readFile(file) : undefined;
    const recorded = await readFile(sumFile, 'utf8').catch(() => '');
    if (!previous || recorded.split(/\s/)[0] !== sha256(previous))
      throw new InputError(
        file,
        undefined,
        'already exists and is not an archive this tool wrote',
        'choose another --output, or move the file away',
      );
  }
  const hash = sha256(bytes);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    throw readError(error, file);
  }
  await writeFile(sumFile, `${hash}  ${basename(file)}\n`);
  return { file, sha256: hash, bytes: bytes.length, entries: 0 };
}
