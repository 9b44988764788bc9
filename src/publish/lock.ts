import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Who holds a lock: the process id and the machine it runs on. */
export interface LockHolder {
  pid: number;
  host: string;
}

/** A lock file whose content is not a holder yet this long after it was made was left by a crash. */
const UNREADABLE_STALE_MS = 2000;

let unique = 0;

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // another machine's process cannot be asked
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string')
      return { pid: value.pid as number, host: value.host };
  } catch {}
  return undefined;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates `path` holding `content`, atomically: it appears whole or not at all; false when it exists. */
async function createWhole(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}-${unique++}.tmp`;
  await writeFile(temporary, content);
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    if (errnoOf(error) !== 'EPERM' && errnoOf(error) !== 'ENOTSUP') throw error;
    // a file system without hard links: exclusive creation (a crash between the two steps
    // leaves an empty lock, taken over once it is older than UNREADABLE_STALE_MS)
    try {
      await writeFile(path, content, { flag: 'wx' });
      return true;
    } catch (inner) {
      if (errnoOf(inner) === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/**
 * A lock file holding its owner's pid and host, created exclusively. A lock whose process has
 * died is taken over: moved aside (one contender wins the rename), checked to be the dead one
 * read before, then removed. Returns the release, which removes the lock only while it is ours.
 *
 * Why not a lock library: proper-lockfile (the well-kept one) decides staleness by the age of
 * the lock, refreshed on a timer, so it cannot name the process that holds a lock, takes over
 * a dead one only after the stale period, and may declare a live build stale when its event
 * loop is busy rendering; a pid is what the user needs to see and what tells a dead holder.
 */
export async function acquireLock(
  path: string,
  heldBy: (holder: LockHolder) => Error,
): Promise<() => Promise<void>> {
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`;
  const release = async () => {
    if ((await readOrUndefined(path)) === mine) await unlink(path).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await createWhole(path, mine)) return release;
    const text = await readOrUndefined(path);
    if (text === undefined) continue; // released meanwhile
    const holder = parseHolder(text);
    if (holder && isAlive(holder)) throw heldBy(holder);
    if (!holder) {
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < UNREADABLE_STALE_MS) {
        await new Promise((done) => setTimeout(done, 50));
        continue;
      }
    }
    // the holder is dead: take the lock over
    const aside = `${path}.${process.pid}-${unique++}.stale`;
    try {
      await rename(path, aside);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') continue; // another contender moved it first
      throw error;
    }
    if ((await readOrUndefined(aside)) !== text) {
      // a live lock, made after the one read: put it back
      await link(aside, path).catch(() => undefined);
    }
    await unlink(aside).catch(() => undefined);
  }
  throw new Error(`cannot take the lock ${path}`);
}
