import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers.js';

const run = (command: string, args: string[], cwd: string) =>
  spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
  });

describe('install anywhere', () => {
  it('the packed tarball installs into a fresh prefix, and its report builds the second fixture study outside the repository', async (ctx) => {
    if (run('npm', ['--version'], projectRoot).status !== 0) {
      console.warn('skipped: npm is not on the PATH, so the package cannot be packed here');
      ctx.skip();
    }
    const dir = await mkdtemp(join(tmpdir(), 'install-'));
    // dist/ is compiled by the test setup: pack it as it is
    const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], projectRoot);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz')) as string;
    expect(tarball).toMatch(/^survey-report-\d+\.\d+\.\d+\.tgz$/);

    const prefix = join(dir, 'prefix');
    const install = run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        join(dir, tarball),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      dir,
    );
    if (
      install.status !== 0 &&
      /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(install.stderr)
    ) {
      console.warn(
        `skipped: the npm registry cannot be reached to install the dependencies (${install.stderr.split('\n')[0]})`,
      );
      ctx.skip();
    }
    expect(install.status, install.stderr).toBe(0);
    const report = join(prefix, 'bin', 'report');

    const { version } = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8'));
    const v = run(report, ['--version'], dir);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(version);

    const study = join(dir, 'study');
    await cp(join(projectRoot, 'test/fixtures/library-survey'), study, { recursive: true });
    const built = run(report, ['build'], study);
    expect(built.status, built.stderr).toBe(0);
    const out = await readdir(join(study, 'out'), { recursive: true });
    for (const file of [
      'pt/index.html',
      'fr/index.html',
      'pt/municipal-library.pt.pdf',
      'fr/municipal-library.fr.pdf',
      'CITATION.cff',
    ])
      expect(out).toContain(file);
    const audit = run(report, ['audit', 'out'], study);
    expect(audit.status, audit.stdout).toBe(0);
    // verify starts from the smaller bundle without the renderers: it must be in the package too
    const verify = run(report, ['verify'], study);
    expect(verify.status, verify.stderr).toBe(0);
  }, 600_000);
});
