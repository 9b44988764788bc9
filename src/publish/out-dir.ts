import { lstat, readdir, readFile, realpath, rename, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, parse, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { acquireLock } from './lock.js';
import { mountPoints } from './mounts.js';

/** Where a build may be published, and who may replace it: the rules of `--out`. */
export interface OutputFolder {
  /** The folder as the user named it, for messages. */
  shown: string;
  path: string;
  /** The lock beside the folder: one build publishes into it at a time. */
  lock: string;
  /** `.NAME-new-PID-TIME` (being written) and `.NAME-old-PID-TIME` (being replaced) beside it. */
  staging: RegExp;
  generator: string;
}

const isWithin = (inner: string, outer: string) => {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !parse(rel).root);
};

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's, resolved. */
async function realPathOf(path: string): Promise<string> {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(await realpath(at), ...rest.reverse());
    } catch (error) {
      const code = errnoOf(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(at);
      if (parent === at) return path;
      rest.push(basename(at));
      at = parent;
    }
  }
}

/**
 * Refuses an output folder a build must never replace: the study itself, a folder that holds
 * it, one inside its data/ or templates/, a file, a symbolic link, the root of a file system
 * or a mount point. (Whether an existing folder is the tool's own is `checkOwnership`'s.)
 */
export async function outputFolder(
  root: string,
  out: string,
  shown: string,
  generator: string,
): Promise<OutputFolder> {
  const path = resolve(root, out);
  const refuse = (problem: string, hint: string): never => {
    throw new InputError(shown, undefined, `--out ${problem}`, hint);
  };
  const elsewhere = 'choose a new or empty folder for the report, e.g. --out out';
  if (parse(path).root === path)
    refuse('is the root of the file system: a build replaces the whole folder', elsewhere);
  const study = await realPathOf(resolve(root));
  const real = await realPathOf(path);
  if (real === study) refuse('is the study folder: a build would replace the study', elsewhere);
  if (isWithin(study, real))
    refuse('holds the study folder: a build would replace the study and all beside it', elsewhere);
  for (const own of ['data', 'templates'])
    if (isWithin(real, join(study, own)))
      refuse(
        `lies inside the study's ${own}/ folder`,
        'choose a folder outside data/ and templates/',
      );
  const stats = await lstatOrUndefined(path);
  if (stats?.isSymbolicLink())
    refuse('is a symbolic link: a build would replace the link', 'give the folder it points to');
  if (stats && !stats.isDirectory()) refuse('is a file, not a folder', elsewhere);
  if (stats) {
    // the system's list of mounts sees bind mounts, which share the device of their parent;
    // where there is no such list, a device other than the parent's tells a mount point
    const mounts = await mountPoints();
    const parentStats = await lstat(dirname(path));
    if (mounts?.includes(real) || parentStats.dev !== stats.dev || parentStats.ino === stats.ino)
      refuse('is a mount point: a build replaces the whole folder', elsewhere);
    const inside = mounts?.find((point) => point !== real && isWithin(point, real));
    if (inside)
      refuse(
        `holds a mount point (${inside}): a build replaces the whole folder`,
        'unmount it, or choose another --out',
      );
  }
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    shown,
    path,
    lock: join(dirname(path), `.${basename(path)}.lock`),
    staging: new RegExp(`^\\.${name}-(new|old)-(\\d+)-(\\d+)$`),
    generator,
  };
}

/** The files a build's manifest lists (and the manifest itself), or undefined when it is not one. */
async function listedFiles(dir: string, generator: string): Promise<Set<string> | undefined> {
  const manifestPath = join(dir, 'manifest.json');
  const stats = await lstatOrUndefined(manifestPath);
  if (!stats?.isFile()) return undefined;
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      generator?: { name?: unknown };
      outputs?: { path?: unknown }[];
    };
    if (manifest.generator?.name !== generator || !Array.isArray(manifest.outputs))
      return undefined;
    const paths = manifest.outputs.map((o) => o.path);
    if (!paths.every((p): p is string => typeof p === 'string')) return undefined;
    return new Set([...paths, 'manifest.json']);
  } catch {
    return undefined;
  }
}

/** Every entry that is not a folder, by path relative to `dir` ("/"-separated); links are not followed. */
async function* filesUnder(dir: string, prefix = ''): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* filesUnder(join(dir, entry.name), rel);
    else yield rel;
  }
}

/**
 * An existing output folder may be replaced only when it is empty, or when its manifest.json
 * shows this tool wrote it and it holds no file that manifest does not list.
 */
export async function checkOwnership(folder: OutputFolder): Promise<void> {
  const stats = await lstatOrUndefined(folder.path);
  if (!stats) return;
  if (!stats.isDirectory()) throw new InputError(folder.shown, undefined, '--out is not a folder');
  if ((await readdir(folder.path)).length === 0) return;
  const listed = await listedFiles(folder.path, folder.generator);
  if (!listed)
    throw new InputError(
      folder.shown,
      undefined,
      `--out is a folder that ${folder.generator} did not write (it has no manifest.json of a build): it is never replaced`,
      'choose a new or empty folder, e.g. --out out',
    );
  for await (const file of filesUnder(folder.path))
    if (!listed.has(file))
      throw new InputError(
        folder.shown,
        undefined,
        `--out holds "${file}", which no build wrote: a build replaces the whole folder`,
        'move that file elsewhere, or choose another --out',
      );
}

/** A folder of a complete build: its manifest and every file it lists are there. */
async function isComplete(dir: string, generator: string): Promise<boolean> {
  const listed = await listedFiles(dir, generator);
  if (!listed) return false;
  for (const file of listed) if (!(await lstatOrUndefined(join(dir, file)))?.isFile()) return false;
  return true;
}

/**
 * Puts things right after a build that was killed while publishing (under the lock, so no other
 * build is at work): when the swap was cut between its two renames, the previous report is put
 * back; staging folders left behind are removed (links among them removed, never followed).
 */
export async function recover(folder: OutputFolder): Promise<void> {
  const parent = dirname(folder.path);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  const staged = names
    .map((name) => ({ name, match: folder.staging.exec(name) }))
    .filter((s): s is { name: string; match: RegExpExecArray } => s.match !== null)
    // newest first
    .sort(
      (a, b) => Number(b.match[3]) - Number(a.match[3]) || Number(b.match[2]) - Number(a.match[2]),
    );
  if (!(await lstatOrUndefined(folder.path))) {
    for (const { name, match } of staged) {
      const dir = join(parent, name);
      if (
        match[1] === 'old' &&
        (await lstat(dir)).isDirectory() &&
        (await isComplete(dir, folder.generator))
      ) {
        await rename(dir, folder.path);
        break;
      }
    }
  }
  for (const { name } of staged) {
    const dir = join(parent, name);
    const stats = await lstatOrUndefined(dir);
    if (!stats) continue;
    if (stats.isDirectory()) await rm(dir, { recursive: true, force: true });
    else await unlink(dir);
  }
}

/** Takes the folder's lock (exit 2 naming the holder when another build holds it). */
export function lockOutput(folder: OutputFolder) {
  return acquireLock(folder.lock, (holder) => {
    const who =
      holder.host === hostname()
        ? `process ${holder.pid}`
        : `process ${holder.pid} on ${holder.host}`;
    return new InputError(
      folder.shown,
      undefined,
      `another build (${who}) is publishing into this folder`,
      `wait for it to end; if no such process runs, delete ${relative(process.cwd(), folder.lock) || folder.lock}`,
    );
  });
}
