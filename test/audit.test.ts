import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { copyStudy, runCli } from './helpers.js';

let site: string;

beforeAll(async () => {
  const study = await copyStudy();
  await build({ root: study, formats: ['html'] });
  site = join(study, 'out');
});

/** A copy of the freshly built site, to alter. */
async function copySite(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'site-')), 'site');
  await cp(site, dir, { recursive: true });
  return dir;
}

async function edit(dir: string, path: string, change: (text: string) => string) {
  const before = await readFile(join(dir, path), 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(join(dir, path), after);
}

/** Writes the file's new hash into manifest.json, as someone covering an edit would. */
async function rehash(dir: string, path: string) {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const bytes = await readFile(join(dir, path));
  const entry = manifest.outputs.find((o: { path: string }) => o.path === path);
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  entry.bytes = bytes.length;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

describe('report audit', () => {
  it('passes on a fresh site: every file, the data files and every figure of every page', async () => {
    const audit = await auditSite(site);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
    expect(audit.checked.recomputed).toBe(true);
    expect(audit.checked.pages).toBe(2);
    expect(audit.checked.figures).toBeGreaterThan(100);
    expect(audit.checked.charts).toBe(20);
    const { code, out } = await runCli(['audit', site]);
    expect(code).toBe(0);
    expect(out).toMatch(/ok: the site is what its manifest says/);
  });

  it('names the file when one byte changed', async () => {
    const dir = await copySite();
    const font = (await readFile(join(dir, 'manifest.json'), 'utf8')).match(
      /assets\/fonts\/[^"]+\.woff2/,
    )?.[0] as string;
    const bytes = await readFile(join(dir, font));
    bytes[100] = (bytes[100] ?? 0) ^ 1;
    await writeFile(join(dir, font), bytes);
    const { code, out } = await runCli(['audit', dir]);
    expect(code).toBe(1);
    expect(out).toContain(`✗ ${font}: changed`);
    expect(out.match(/✗/g)).toHaveLength(1);
  });

  it('names the page and the figure when one figure was edited, even with the manifest re-hashed', async () => {
    const dir = await copySite();
    await edit(dir, 'es/index.html', (t) => t.replace('El 92.5% no conoce', 'El 93.5% no conoce'));
    let audit = await auditSite(dir);
    expect(audit.problems).toEqual([
      { file: 'es/index.html', problem: expect.stringMatching(/^changed/) },
      { file: 'es/index.html', problem: expect.stringMatching(/"92.5%", the page prints "93.5%"/) },
    ]);
    await rehash(dir, 'es/index.html');
    audit = await auditSite(dir);
    expect(audit.ok).toBe(false);
    expect(audit.problems).toHaveLength(1);
    expect(audit.problems[0]?.file).toBe('es/index.html');
    expect(audit.problems[0]?.problem).toMatch(
      /\{\{pct "knowledge" "does_not_know"\}\} \(template line \d+\) gives "92.5%", the page prints "93.5%"/,
    );
  });

  it('finds an edited table cell, an edited Markdown figure and an edited chart', async () => {
    const dir = await copySite();
    await edit(dir, 'en/index.html', (t) =>
      t.replace(/(<figure id="tbl-knowledge"[\s\S]*?<td align="right"[^>]*>)3</, '$14<'),
    );
    await edit(dir, 'en/report.md', (t) => t.replace('92.5%', '91.5%'));
    await edit(dir, 'es/charts/knowledge.vl.json', (t) =>
      t.replace('"proportion": 0.075', '"proportion": 0.08'),
    );
    for (const path of ['en/index.html', 'en/report.md', 'es/charts/knowledge.vl.json'])
      await rehash(dir, path);
    const audit = await auditSite(dir);
    const byFile = Object.fromEntries(audit.problems.map((p) => [p.file, p.problem]));
    expect(byFile['en/index.html']).toMatch(
      /table #tbl-knowledge, row 2, column 2: the page prints "4", the published data give "3"/,
    );
    expect(byFile['en/report.md']).toMatch(/gives "92.5%", the page prints "91.5%"/);
    expect(byFile['es/charts/knowledge.vl.json']).toMatch(
      /option "knows": proportion is 0.08, the published data give 0.075/,
    );
  });

  it('recomputes results.json and verification.json from the published responses', async () => {
    const dir = await copySite();
    // an altered aggregate
    await edit(dir, 'data/results.json', (t) => t.replace('"count": 3,', '"count": 4,'));
    await rehash(dir, 'data/results.json');
    let audit = await auditSite(dir);
    expect(audit.problems).toContainEqual({
      file: 'data/results.json',
      problem: 'questions[knowledge].options[knows].count is 4, the published responses give 3',
    });
    // altered responses: the published figures no longer follow from them
    const dir2 = await copySite();
    await edit(dir2, 'data/responses.csv', (t) => {
      const lines = t.split('\n');
      const header = (lines[0] as string).split(',');
      const col = header.indexOf('knowledge');
      const row = lines.findIndex((l, i) => i > 0 && l.split(',')[col] === 'knows');
      const cells = (lines[row] as string).split(',');
      cells[col] = 'does_not_know';
      lines[row] = cells.join(',');
      return lines.join('\n');
    });
    await rehash(dir2, 'data/responses.csv');
    audit = await auditSite(dir2);
    const files = new Set(audit.problems.map((p) => p.file));
    expect(files).toContain('data/results.json');
    expect(files).toContain('data/verification.json');
    expect(files).toContain('es/index.html');
  });

  it('refuses files added after the build, missing files and symbolic links', async () => {
    const dir = await copySite();
    await writeFile(join(dir, 'es', 'extra.js'), 'alert(1)');
    await rm(join(dir, 'en', 'report.md'));
    await rm(join(dir, 'assets', 'report.js'));
    await symlink(join(site, 'assets', 'report.js'), join(dir, 'assets', 'report.js'));
    const audit = await auditSite(dir);
    expect(audit.problems).toEqual(
      expect.arrayContaining([
        { file: 'es/extra.js', problem: 'is not in manifest.json (added after the build)' },
        { file: 'en/report.md', problem: 'missing (listed in manifest.json)' },
        { file: 'assets/report.js', problem: 'is a symbolic link, not the file the build wrote' },
      ]),
    );
  });

  it('exits 2 on a folder that is not a site this tool made', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'not-a-site-'));
    let result = await runCli(['audit', empty]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /manifest\.json: not a site made by survey-report: it has no manifest\.json/,
    );

    await writeFile(join(empty, 'manifest.json'), JSON.stringify({ generator: { name: 'other' } }));
    result = await runCli(['audit', empty]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/names another tool/);

    await writeFile(join(empty, 'manifest.json'), '{ not json');
    expect((await runCli(['audit', empty])).code).toBe(2);

    const dir = await copySite();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    manifest.outputs.push({ path: '../../etc/passwd', bytes: 1, sha256: 'x' });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    result = await runCli(['audit', dir]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/could not have written/);

    result = await runCli(['audit', join(empty, 'nowhere')]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/file not found/);
  });
});
