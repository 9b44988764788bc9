import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { InputError } from '../src/errors.js';
import { acquireLock } from '../src/publish/lock.js';
import { mountPoints } from '../src/publish/mounts.js';
import { openOutput, outputError } from '../src/publish/publish.js';
import { copyStudy, editFile, runCli } from './helpers.js';

const listing = async (dir: string) => (await readdir(dir, { recursive: true })).sort();
const refusal = async (root: string, out: string) => {
  const before = await listing(root);
  const { code, err, out: stdout } = await runCli(['build', '--root', root, '--out', out]);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(await listing(root)).toEqual(before);
  return err;
};

describe('--out refuses what a build must never replace', () => {
  it.each([
    [
      '.',
      'error: .: --out is the study folder: a build would replace the study (choose a new or empty folder for the report, e.g. --out out)',
    ],
    [
      '..',
      'error: ..: --out holds the study folder: a build would replace the study and all beside it (choose a new or empty folder for the report, e.g. --out out)',
    ],
    [
      'templates',
      "error: templates: --out lies inside the study's templates/ folder (choose a folder outside data/ and templates/)",
    ],
    [
      'data',
      "error: data: --out lies inside the study's data/ folder (choose a folder outside data/ and templates/)",
    ],
    [
      'data/responses.csv',
      "error: data/responses.csv: --out lies inside the study's data/ folder (choose a folder outside data/ and templates/)",
    ],
    [
      'templates/site',
      "error: templates/site: --out lies inside the study's templates/ folder (choose a folder outside data/ and templates/)",
    ],
    [
      '/',
      'error: /: --out is the root of the file system: a build replaces the whole folder (choose a new or empty folder for the report, e.g. --out out)',
    ],
  ])('%s', async (out, message) => {
    const root = await copyStudy();
    expect(await refusal(root, out)).toBe(message);
  });

  it('the study reached through another path (a link to it, a trailing slash)', async () => {
    const root = await copyStudy();
    const link = join(await mkdtemp(join(tmpdir(), 'link-')), 'study');
    await symlink(root, link);
    expect(await refusal(root, `${link}/`)).toMatch(/--out is the study folder/);
  });

  it('a file', async () => {
    const root = await copyStudy();
    await writeFile(join(root, 'notes.txt'), 'my notes');
    expect(await refusal(root, 'notes.txt')).toBe(
      'error: notes.txt: --out is a file, not a folder (choose a new or empty folder for the report, e.g. --out out)',
    );
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('my notes');
  });

  it('a mount point', async () => {
    if (!existsSync('/proc/self')) return; // Linux: /proc is a file system of its own
    expect(await refusal(await copyStudy(), '/proc')).toMatch(
      /^error: \/proc: --out is a mount point/,
    );
  });

  it('a folder that holds a mount point', async () => {
    // Linux mounts the cgroup file system inside /sys/fs, which is not a mount point itself
    const points = await mountPoints();
    const inside = points?.find((point) => dirname(point) === '/sys/fs');
    if (!inside || points?.includes('/sys/fs')) return; // not so on this system
    expect(await refusal(await copyStudy(), '/sys/fs')).toBe(
      `error: /sys/fs: --out holds a mount point (${inside}): a build replaces the whole folder (unmount it, or choose another --out)`,
    );
  });

  it('a symbolic link', async () => {
    const root = await copyStudy();
    const target = await mkdtemp(join(tmpdir(), 'target-'));
    await writeFile(join(target, 'keep.txt'), 'kept');
    await symlink(target, join(root, 'site'));
    expect(await refusal(root, 'site')).toBe(
      'error: site: --out is a symbolic link: a build would replace the link (give the folder it points to)',
    );
    expect(await readFile(join(target, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('a folder this tool did not write', async () => {
    const root = await copyStudy();
    await mkdir(join(root, 'thesis'));
    await writeFile(join(root, 'thesis/chapter1.docx'), 'words');
    expect(await refusal(root, 'thesis')).toBe(
      'error: thesis: --out is a folder that survey-report did not write (it has no manifest.json of a build): it is never replaced (choose a new or empty folder, e.g. --out out)',
    );
  });

  it("a folder with someone else's manifest.json", async () => {
    const root = await copyStudy();
    await mkdir(join(root, 'site'));
    await writeFile(join(root, 'site/manifest.json'), '{"name": "my-app", "outputs": []}');
    expect(await refusal(root, 'site')).toMatch(/did not write/);
  });

  it('a build folder holding a file its manifest does not list', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    await writeFile(join(root, 'out/es/my-notes.md'), 'notes');
    expect(await refusal(root, 'out')).toBe(
      'error: out: --out holds "es/my-notes.md", which no build wrote: a build replaces the whole folder (move that file elsewhere, or choose another --out)',
    );
    expect(await readFile(join(root, 'out/es/my-notes.md'), 'utf8')).toBe('notes');
  });

  it('an unlisted link inside a build folder is named, never followed', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    await symlink(join(root, 'data'), join(root, 'out/data-link'));
    expect(await refusal(root, 'out')).toMatch(/--out holds "data-link"/);
  });
});

describe('a refused build leaves no folder it made', () => {
  const brokenTemplate = (root: string) =>
    editFile(root, 'templates/report.en.md.hbs', (t) => `${t}\n{{graph "knowledge"}}\n`);

  it('the folders above a new --out are removed; those that were there are kept', async () => {
    const root = await copyStudy();
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a/keep.txt'), 'kept');
    await mkdir(join(root, 'empty'));
    await brokenTemplate(root);
    const before = await listing(root);
    for (const out of ['a/b/c/site', 'empty/x/site', 'new/site']) {
      const { code, err } = await runCli(['build', '--root', root, '--out', out]);
      expect(code).toBe(2);
      expect(err).toMatch(/unknown helper "graph"/);
      expect(await listing(root)).toEqual(before);
    }
    expect(await readFile(join(root, 'a/keep.txt'), 'utf8')).toBe('kept');
  });

  it('a folder something was put into meanwhile is kept', async () => {
    const root = await copyStudy();
    const output = await openOutput(root, 'a/b/site', 'a/b/site', 'survey-report');
    await writeFile(join(root, 'a/notes.txt'), 'written during the build');
    await output.release();
    expect(await readdir(join(root, 'a'))).toEqual(['notes.txt']);
  });

  it('a build that published keeps the folders it made', async () => {
    const root = await copyStudy();
    await build({ root, outDir: 'a/b/site', formats: ['html'] });
    expect(await readdir(join(root, 'a/b/site'))).toContain('manifest.json');
  });
});

describe('--out replaces what it may', () => {
  it('an empty folder, then its own build', async () => {
    const root = await copyStudy();
    await mkdir(join(root, 'site'));
    expect(
      (await runCli(['build', '--root', root, '--out', 'site', '--format', 'html'])).code,
    ).toBe(0);
    expect(
      (await runCli(['build', '--root', root, '--out', 'site', '--format', 'html'])).code,
    ).toBe(0);
    expect(await readdir(join(root, 'site'))).toContain('manifest.json');
  });

  it('a listed file replaced by a link: the link is removed, what it points to is not', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    const outside = join(await mkdtemp(join(tmpdir(), 'outside-')), 'precious.txt');
    await writeFile(outside, 'precious');
    await rename(join(root, 'out/data/README.txt'), join(root, 'readme-moved'));
    await symlink(outside, join(root, 'out/data/README.txt'));
    await build({ root, formats: ['html'] });
    expect(await readFile(outside, 'utf8')).toBe('precious');
    expect(await readFile(join(root, 'out/data/README.txt'), 'utf8')).toMatch(
      /data behind the report/,
    );
  });
});

describe('publishing is safe against kills and other builds', () => {
  it('a swap cut between its renames is put right: the previous report comes back', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    const manifest = await readFile(join(root, 'out/manifest.json'), 'utf8');
    // killed after moving out/ aside, before the new folder took its place
    await rename(join(root, 'out'), join(root, '.out-old-4242-1700000000000'));
    await mkdir(join(root, '.out-new-4242-1700000000000/es'), { recursive: true });
    await writeFile(join(root, '.out-new-4242-1700000000000/es/index.html'), '<half');
    const output = await openOutput(root, join(root, 'out'), 'out', 'survey-report');
    await output.release();
    expect(await readFile(join(root, 'out/manifest.json'), 'utf8')).toBe(manifest);
    expect((await readdir(root)).filter((n) => n.startsWith('.out'))).toEqual([]);
  });

  it('a half-deleted previous report is not put back', async () => {
    const root = await copyStudy();
    await build({ root, formats: ['html'] });
    await rename(join(root, 'out'), join(root, '.out-old-1-2'));
    await rm(join(root, '.out-old-1-2/es/index.html'));
    const output = await openOutput(root, join(root, 'out'), 'out', 'survey-report');
    await output.release();
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect((await readdir(root)).filter((n) => n.startsWith('.out'))).toEqual([]);
  });

  it('stale staging folders are removed; a link among them is removed, not followed', async () => {
    const root = await copyStudy();
    const elsewhere = await mkdtemp(join(tmpdir(), 'elsewhere-'));
    await writeFile(join(elsewhere, 'keep.txt'), 'kept');
    await mkdir(join(root, '.out-new-77-1'));
    await writeFile(join(root, '.out-new-77-1/x.html'), 'x');
    await symlink(elsewhere, join(root, '.out-old-77-2'));
    await mkdir(join(root, '.out-notes')); // not a staging folder's name: left alone
    await runCli(['build', '--root', root, '--format', 'html']);
    expect((await readdir(root)).filter((n) => n.startsWith('.out'))).toEqual(['.out-notes']);
    expect(await readFile(join(elsewhere, 'keep.txt'), 'utf8')).toBe('kept');
  });

  it('a second build into the same folder exits 2 naming the process that holds it', async () => {
    const root = await copyStudy();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await writeFile(
        join(root, '.out.lock'),
        `${JSON.stringify({ pid: sleeper.pid, host: hostname() })}\n`,
      );
      const { code, err } = await runCli(['build', '--root', root, '--format', 'html']);
      expect(code).toBe(2);
      expect(err).toMatch(
        new RegExp(
          `^error: out: another build \\(process ${sleeper.pid}\\) is publishing into this folder \\(wait for it to end; if no such process runs, delete .*\\.out\\.lock\\)$`,
        ),
      );
      expect(existsSync(join(root, 'out'))).toBe(false);
    } finally {
      sleeper.kill();
    }
  });

  it('two builds at once in one process: one publishes, the other is refused', async () => {
    const root = await copyStudy();
    const results = await Promise.allSettled([
      build({ root, formats: ['html'] }),
      build({ root, formats: ['html'] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(InputError);
    expect(String(failure.reason.message)).toMatch(`process ${process.pid}`);
    expect(await readdir(join(root, 'out'))).toContain('manifest.json');
    expect((await readdir(root)).filter((n) => n.startsWith('.out'))).toEqual([]);
  });

  it('the lock of a process that died is taken over, and released after the build', async () => {
    const root = await copyStudy();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => dead.on('exit', done));
    await writeFile(
      join(root, '.out.lock'),
      `${JSON.stringify({ pid: dead.pid, host: hostname() })}\n`,
    );
    expect((await runCli(['build', '--root', root, '--format', 'html'])).code).toBe(0);
    expect(existsSync(join(root, '.out.lock'))).toBe(false);
    expect(await readdir(join(root, 'out'))).toContain('manifest.json');
  });

  it('the lock: contenders for a dead lock end with exactly one holder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const path = join(dir, '.out.lock');
    await writeFile(path, `${JSON.stringify({ pid: 2 ** 22 + 1, host: hostname() })}\n`);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => acquireLock(path, (h) => new Error(`held by ${h.pid}`))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const release = (
      results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<() => Promise<void>>
    ).value;
    await release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('what the file system says, as what to do', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });
  it.each([
    [
      'EROFS',
      'error: site: cannot write the report: the file system is read-only (choose an --out on a writable disk)',
    ],
    [
      'ENOSPC',
      'error: site: cannot write the report: the disk is full (free some space, or choose an --out on another disk)',
    ],
    [
      'ENAMETOOLONG',
      'error: site: cannot write the report: a path is too long for the file system (choose a shorter --out)',
    ],
    [
      'EACCES',
      'error: site: cannot write the report: permission denied (choose an --out you may write to)',
    ],
  ])('%s', (code, message) => {
    const error = outputError(errno(code), 'site');
    expect(error).toBeInstanceOf(InputError);
    expect(`error: ${(error as InputError).message}`).toBe(message);
  });

  it('a name too long for the file system, for real', async () => {
    const root = await copyStudy();
    const { code, err } = await runCli(['build', '--root', root, '--out', 'x'.repeat(300)]);
    expect(code).toBe(2);
    expect(err).toBe(
      `error: ${'x'.repeat(300)}: cannot write the report: a path is too long for the file system (choose a shorter --out)`,
    );
  });
});
