import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { copyStudy, editFile, projectRoot } from './helpers.js';

/** A copy of a built site, to alter. */
async function copySite(site: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'site-')), 'site');
  await cp(site, dir, { recursive: true });
  return dir;
}

/** Edits a file of a site and writes its new hash into manifest.json, as someone covering it would. */
async function editCovered(dir: string, path: string, change: (text: string) => string) {
  const before = await readFile(join(dir, path), 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(join(dir, path), after);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  const entry = manifest.outputs.find((o: { path: string }) => o.path === path);
  entry.sha256 = createHash('sha256').update(after).digest('hex');
  entry.bytes = Buffer.byteLength(after);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

// the town survey: a ";" export with decimal commas, an open question not published, batteries
// of ordinal items sorted by agreement, a multiple question on base: all sorted by share, lists
// of open answers
describe('report audit on the town survey', () => {
  let site: string;

  beforeAll(async () => {
    const root = await copyStudy(join(projectRoot, 'test/fixtures/town-survey'));
    await build({ root, formats: ['html'] });
    site = join(root, 'out');
  }, 300_000);

  it('passes on a fresh site: reads its own responses back, and every chart', async () => {
    const audit = await auditSite(site);
    expect(audit.problems, JSON.stringify(audit.problems)).toEqual([]);
    expect(audit.ok).toBe(true);
    // the published responses are read as written (commas, UTF-8), not as the export was
    expect(audit.checked.recomputed).toBe(true);
    expect(audit.notes.join(' ')).toMatch(/answers of contact are not published/);
    // the bar charts, the ordinal questions' and the batteries ({{likert}}) of both languages
    expect(audit.checked.charts).toBe(26);
  });

  it('names the page of an edited figure, and the chart of an edited battery', async () => {
    const dir = await copySite(site);
    const page = await readFile(join(site, 'en/index.html'), 'utf8');
    const figure = /\b(\d+\.\d)%/.exec(page)?.[1] as string;
    await editCovered(dir, 'en/index.html', (t) =>
      t.replace(`${figure}%`, `${(Number(figure) + 1).toFixed(1)}%`),
    );
    const battery = 'en/charts/likert-transport-waste-cleanliness.vl.json';
    await editCovered(dir, battery, (t) => t.replace(/"end": 0\.\d+/, '"end": 0.5'));
    const audit = await auditSite(dir);
    expect(audit.ok).toBe(false);
    expect(audit.problems.map((p) => p.file)).toEqual(['en/index.html', battery]);
    expect(audit.problems[0]?.problem).toMatch(new RegExp(`gives "${figure}%"`));
    expect(audit.problems[1]?.problem).toMatch(/^data\.values\[\d+\]\.end is 0\.5, the published/);
  });
});

describe('report audit on the town survey with large cells withheld', () => {
  let root: string;

  beforeAll(async () => {
    root = await copyStudy(join(projectRoot, 'test/fixtures/town-survey'));
    // 30: an option of services (base: all, its chart sorted by share) is withheld, and so are
    // cells of every battery's items
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  languages:', '  disclosure: { min_cell: 30 }\n  languages:'),
    );
    // the texts that print what is withheld at 30 are left out
    for (const lang of ['es', 'en'])
      await editFile(root, `templates/report.${lang}.md.hbs`, (t) =>
        t
          .replace(/\{\{(min|max) "age"\}\}/g, '—')
          .replace(/\{\{mean "(safety|transport)" digits=2\}\}/g, '—')
          .replace(/\{\{pct "age" "age45" "age60"\}\}/g, '—'),
      );
  }, 60_000);

  it('builds: a withheld option of a question on base: all has no share', async () => {
    await build({ root, formats: ['html'] });
    const spec = JSON.parse(await readFile(join(root, 'out/en/charts/services.vl.json'), 'utf8'));
    const withheld = spec.data.values.filter((v: { text: string }) => v.text === '< 30');
    expect(withheld.length).toBeGreaterThan(0);
    for (const v of withheld) expect(v).toMatchObject({ proportion: null, lower: null });
  }, 300_000);

  it('audit passes on it: sorted charts, base: all, withheld batteries, notes under tables', async () => {
    const audit = await auditSite(join(root, 'out'));
    expect(audit.problems, JSON.stringify(audit.problems)).toEqual([]);
    expect(audit.checked.charts).toBe(26);
  });
});
