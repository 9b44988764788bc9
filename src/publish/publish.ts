import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { checkOwnership, lockOutput, type OutputFolder, outputFolder, recover } from './out-dir.js';

/** The files of a build, by path relative to the output folder. */
export type OutputFiles = Map<string, string | Uint8Array>;

/** An output folder taken for one build: its lock held, a cut-off earlier swap put right. */
export interface Output {
  folder: OutputFolder;
  /** Writes the build beside the folder and swaps it in. */
  publish: (files: OutputFiles) => Promise<void>;
  /** Gives up the lock. */
  release: () => Promise<void>;
}

/**
 * Takes the output folder for a build, before any work is done: refuses a folder that must not
 * be replaced (see `outputFolder`, `checkOwnership`), takes its lock, and recovers from a build
 * killed while publishing.
 */
export async function openOutput(
  root: string,
  out: string,
  shown: string,
  generator: string,
): Promise<Output> {
  let folder: OutputFolder;
  try {
    folder = await outputFolder(root, out, shown, generator);
  } catch (error) {
    throw outputError(error, shown);
  }
  let unlock: (() => Promise<void>) | undefined;
  // the first of the folders above --out this build made, if it made any
  let created: string | undefined;
  let published = false;
  // gives up the lock and, unless a report was published, removes the folders this build made
  const release = async () => {
    await unlock?.();
    if (created && !published) await removeMadeFolders(dirname(folder.path), created);
  };
  try {
    created = await mkdir(dirname(folder.path), { recursive: true }).catch((error) => {
      // Node's recursive mkdir says ENOENT where a parent cannot be made (read-only, say)
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new InputError(
        shown,
        undefined,
        'cannot create the folder that holds --out',
        'check that the disk is writable, or choose another --out',
      );
    });
    unlock = await lockOutput(folder);
    await recover(folder);
    await checkOwnership(folder);
  } catch (error) {
    await release();
    throw outputError(error, shown);
  }
  return {
    folder,
    publish: async (files) => {
      try {
        await checkOwnership(folder);
        await publish(folder.path, files);
        published = true;
      } catch (error) {
        throw outputError(error, shown);
      }
    },
    release,
  };
}

/**
 * Removes the folders a refused or failed build made above --out, from `dir` up to `first` (the
 * first one it made), each only while it is empty: nothing that was there before, nor anything
 * put in them since, is removed.
 */
async function removeMadeFolders(dir: string, first: string): Promise<void> {
  for (let at = dir; ; at = dirname(at)) {
    try {
      await rmdir(at);
    } catch {
      return;
    }
    if (at === first || dirname(at) === at) return;
  }
}

/**
 * Writes the build into a new folder beside `outDir`, then swaps it in: readers never see a
 * half-written report, and a failed build leaves the previous one intact. A kill between the
 * two renames is put right by the next build (`recover`); nothing is written through a link.
 */
export async function publish(outDir: string, files: OutputFiles): Promise<void> {
  const parent = dirname(outDir);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basename(outDir)}-new-${stamp}`);
  const previous = join(parent, `.${basename(outDir)}-old-${stamp}`);
  await mkdir(parent, { recursive: true });
  await mkdir(staging); // a new folder: fails if anything, a link included, has the name
  try {
    const paths = [...files.keys()].sort();
    for (const dir of [...new Set(paths.map((path) => dirname(path)))].sort())
      if (dir !== '.') await mkdir(join(staging, dir), { recursive: true });
    await Promise.all(
      paths.map((path) =>
        writeFile(join(staging, path), files.get(path) as string | Uint8Array, { flag: 'wx' }),
      ),
    );
    let hadPrevious = true;
    await rename(outDir, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      hadPrevious = false;
    });
    try {
      await rename(staging, outDir);
    } catch (error) {
      if (hadPrevious) await rename(previous, outDir);
      throw error;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** What the file system said when the report could not be written, as what to do about it. */
export function outputError(error: unknown, shown: string, what = 'the report'): unknown {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const say = (problem: string, hint: string) =>
    new InputError(shown, undefined, `cannot write ${what}: ${problem}`, hint);
  switch (code) {
    case 'EROFS':
      return say('the file system is read-only', 'choose an --out on a writable disk');
    case 'ENOSPC':
    case 'EDQUOT':
      return say(
        code === 'ENOSPC' ? 'the disk is full' : 'the disk quota is used up',
        'free some space, or choose an --out on another disk',
      );
    case 'ENAMETOOLONG':
      return say('a path is too long for the file system', 'choose a shorter --out');
    case 'EACCES':
    case 'EPERM':
      return say('permission denied', 'choose an --out you may write to');
    case 'ENOTDIR':
    case 'EEXIST':
      return say(
        'a file stands where a folder is needed',
        'check the folders along --out, or choose another',
      );
    case 'EMFILE':
    case 'ENFILE':
      return say('too many open files', 'raise the limit of open files (ulimit -n) and retry');
    case 'EIO':
      return say('an input/output error of the disk', 'check the disk, or choose another --out');
    default:
      return error;
  }
}
