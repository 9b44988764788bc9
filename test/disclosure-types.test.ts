import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSite } from '../src/audit/audit.js';
import { build } from '../src/build.js';
import { loadStudy } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import { cumulativeCounts, disclose, withheldCells } from '../src/stats/disclosure.js';
import { type Results, resultsOf } from '../src/stats/frequencies.js';
import type { QuestionResult } from '../src/stats/result.js';
import { wilson } from '../src/stats/wilson.js';
import { copyStudy, editFile, projectRoot } from './helpers.js';

const MIN = 10;

describe('disclosure control of every question type', () => {
  let root: string;
  let files: Map<string, string | Uint8Array>;
  /** The full results, as verify sees them. */
  let full: Results;
  let published: Results;
  const text = (path: string) => String(files.get(path));
  const textFiles = () => [...files.keys()].filter((p) => /\.(html|md|typ|json|svg|txt)$/.test(p));

  beforeAll(async () => {
    root = await copyStudy(join(projectRoot, 'test/fixtures/town-survey'));
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  languages:', `  disclosure: { min_cell: ${MIN} }\n  languages:`),
    );
    // the texts that print one respondent's answer (the youngest, the oldest) or a mean that
    // would solve for withheld cells are left out; every table and chart of a withheld kind
    // is added
    for (const lang of ['es', 'en'])
      await editFile(
        root,
        `templates/report.${lang}.md.hbs`,
        (t) =>
          `${t
            .replace(/\{\{(min|max) "age"\}\}/g, '—')
            .replace(
              /\{\{mean "safety" digits=2\}\}/g,
              '—',
            )}\n\n## Withheld {#withheld}\n\n{{table "lighting"}}\n\n{{frequencies "lighting"}}\n\n{{frequencies "safety"}}\n\n{{summary "lighting"}}\n\n{{summary "age"}}\n\n{{table "services"}}\n\n{{chart "lighting"}}\n\n{{likert "lighting" "parks" "safety"}}\n`,
      );
    const study = await loadStudy(root, { templates: false });
    full = resultsOf(study.codebook, study.tally);
    published = disclose(study.codebook, full);
    ({ files } = await build({ root, formats: ['html', 'pdf'] }));
  }, 600_000);

  it('withholds small cells of every kind in results.json, and what would give them back', () => {
    const results = JSON.parse(text('data/results.json'));
    const q = (id: string) => results.questions.find((x: QuestionResult) => x.id === id);
    // ordinal: lighting's 7 and 21 (7 alone would be worked out from n); the cumulative share
    // between them, and the scores' summary (the mean solves for two withheld cells)
    expect(q('lighting').options.map((o: { count: number | null }) => o.count)).toEqual([
      null,
      null,
      22,
      84,
      51,
    ]);
    expect(q('lighting').ordinal.cumulative[0]).toBeNull();
    expect(q('lighting').ordinal.cumulative[1]).toBeCloseTo(28 / 185, 12);
    expect(q('safety').ordinal.cumulative[3]).toBeNull();
    for (const id of ['lighting', 'safety', 'parks'])
      expect(
        Object.values(q(id).ordinal.scores)
          .slice(1)
          .every((v) => v === null),
      ).toBe(true);
    // an ordinal question with no small cell keeps its figures
    expect(q('transport').ordinal.scores.mean).toBeCloseTo(
      full.questions[7]?.ordinal?.scores?.mean ?? 0,
      12,
    );
    // numeric: the extremes are one respondent each; a histogram's small classes and the next
    expect(q('age').numeric).toMatchObject({ min: null, max: null, median: 44 });
    expect(q('income').histogram.map((b: { count: number | null }) => b.count)).toEqual([
      null,
      null,
      31,
      37,
      52,
      22,
      null,
    ]);
    // multiple: how many options each chose, and the combinations, below min_cell
    expect(q('channels').multiple.perRespondent).toEqual([22, 36, 66, 50, null, null]);
    expect(q('channels').multiple.withheld).toBe(true);
    for (const id of ['channels', 'services'])
      for (const [, count] of q(id).multiple.combinations)
        expect(count).toBeGreaterThanOrEqual(MIN);
  });

  it('prints no withheld count, percentage or interval in any output file', () => {
    const leaks: string[] = [];
    for (const lang of [
      { code: 'es', locale: 'es-PE' },
      { code: 'en', locale: 'en-US' },
    ]) {
      const format = formatter(lang.locale);
      const needles = new Set<string>();
      for (const p of published.questions) {
        const f = full.questions.find((x) => x.id === p.id) as QuestionResult;
        p.options.forEach((o, i) => {
          if (!o.suppressed) return;
          const c = f.options[i]?.count ?? 0;
          for (const n of [f.n, f.n + f.missing]) {
            for (const d of [1, 2]) needles.add(format.percent(c / n, d, true));
            needles.add(`${format.count(c)}/${format.count(n)}`);
          }
          const [lo, hi] = wilson(c, f.n);
          needles.add(format.percentRange(lo, hi, 1, true));
        });
        if (f.numeric && p.numeric)
          for (const key of ['min', 'max'] as const)
            if (Number.isNaN(p.numeric[key]) && p.id === 'income')
              for (const d of [0, 1, 2]) needles.add(format.decimal(f.numeric[key], d));
        f.histogram?.forEach((b, i) => {
          if (p.histogram?.[i]?.suppressed)
            needles.add(`${format.decimal(b.start, 0)}–${format.decimal(b.end, 0)}: ${b.count}`);
        });
      }
      const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const path of textFiles()) {
        // the pages of this language, and the data files every language shares
        if (/^(es|en)\//.test(path) && !path.startsWith(`${lang.code}/`)) continue;
        const body = text(path).replaceAll('&#x3C;', '<');
        for (const needle of needles)
          if (new RegExp(`(?<![\\d.,])${literal(needle)}(?![\\d])`).test(body))
            leaks.push(`${path}: ${needle}`);
      }
      expect(needles.size).toBeGreaterThan(20);
    }
    expect(leaks).toEqual([]);
  });

  it('prints the row of a withheld option in every table as "< 10" and dashes only', async () => {
    const study = await loadStudy(root, { templates: false });
    for (const lang of ['es', 'en']) {
      const md = text(`${lang}/report.md`);
      let rows = 0;
      for (const p of published.questions) {
        const q = study.codebook.questions.find((x) => x.id === p.id);
        for (const table of md.match(
          new RegExp(`:::table\\{#tbl-(frequencies-)?${p.id}\\b[\\s\\S]*?\\n:::`, 'g'),
        ) ?? [])
          p.options.forEach((o, i) => {
            if (!o.suppressed) return;
            const label = q?.options[i]?.label[lang] ?? '';
            const row = table.split('\n').find((l) => l.includes(`| ${label} `)) ?? '';
            const cells = row
              .split('|')
              .slice(1, -1)
              .map((c) => c.trim());
            const figures = cells.filter((c) => /\d/.test(c));
            // the cumulative share after the last withheld option is every withheld one together
            const last = Math.max(...p.options.flatMap((x, j) => (x.suppressed ? [j] : [])));
            expect(figures.slice(1), `${lang} ${p.id} ${label}: ${row}`).toEqual(
              i === last && /cumul|acumul/i.test(table.split('\n')[1] ?? '')
                ? figures.slice(1, 2)
                : [],
            );
            expect(figures[0]).toBe('< 10');
            rows++;
          });
      }
      expect(rows).toBeGreaterThanOrEqual(8);
    }
  });

  it('marks withheld cells in tables, summaries and charts', () => {
    const md = text('en/report.md');
    const frequencies =
      /:::table\{#tbl-frequencies-lighting[\s\S]*?:::\n\n.*\n/.exec(md)?.[0] ?? '';
    expect(frequencies).toMatch(/Strongly disagree\s*\|\s*< 10\s*\|\s*—\s*\|\s*—\s*\|\s*—\s*\|/);
    expect(frequencies).toMatch(/fewer than 10 answers/);
    const summary = /:::table\{#tbl-summary-age[\s\S]*?:::\n\n.*\n/.exec(md)?.[0] ?? '';
    expect(summary).toMatch(/Minimum\s*\|\s*—/);
    expect(summary).toMatch(/Median\s*\|\s*44/);
    expect(summary).toMatch(/each is one respondent’s answer/);
    const likert = JSON.parse(text('en/charts/likert-lighting-parks-safety.vl.json'));
    // an item with a withheld cell has no segment at all, only its mark
    expect(likert.data.values).toHaveLength(3);
    for (const v of likert.data.values)
      expect(v).toMatchObject({ withheld: true, start: 0, end: 0, text: '< 10' });
    expect(text('en/charts/likert-lighting-parks-safety.svg')).toContain('&#x3C; 10');
    const histogram = JSON.parse(text('en/charts/income.vl.json'));
    expect(histogram.data.values[0]).toMatchObject({ count: null, text: '< 10' });
    expect(text('en/charts/income.svg')).toContain('&#x3C; 10');
    // a top box that holds every withheld option of the question is n less the rest
    expect(md).toMatch(/only (\d+(\.\d)?%) feel safe/);
  });

  it('verify still checks the full data, and audit passes on the published form', async () => {
    const verification = JSON.parse(text('data/verification.json'));
    expect(verification.claims.length).toBeGreaterThan(10);
    expect(verification.claims.filter((c: { status: string }) => c.status !== 'pass')).toEqual([]);
    // every figure of the pages and every chart (batteries with withheld items among them)
    // follows from the published (withheld) aggregates
    const audit = await auditSite(join(root, 'out'));
    expect(audit.problems, JSON.stringify(audit.problems)).toEqual([]);
    expect(audit.ok).toBe(true);
    expect(audit.checked.figures).toBeGreaterThan(50);
    expect(audit.checked.charts).toBe(28);
  });
});

describe('disclosure rules', () => {
  it('withholds small cells and their complements, never a zero', () => {
    expect([...withheldCells([1, 5, 10, 0], 3)]).toEqual([0, 1]);
    expect([...withheldCells([0, 12, 10], 3)]).toEqual([]);
  });

  it("withholds a tiny group's summary and answers, and a multiple question's small combinations", async () => {
    const study = await loadStudy(join(projectRoot, 'test/fixtures/town-survey'), {
      templates: false,
    });
    const codebook = {
      ...study.codebook,
      study: { ...study.codebook.study, disclosure: { min_cell: 30 } },
    };
    const full = resultsOf(study.codebook, study.tally);
    const out = disclose(codebook, full);
    const q = (id: string) => out.questions.find((x) => x.id === id) as QuestionResult;
    // 24 open answers, fewer than 30: not published
    expect(q('comment').text).toEqual({ withheld: true });
    expect(JSON.stringify(q('comment'))).not.toMatch(/parque/);
    // no combination below 30 is listed, and their count is not either
    expect(q('channels').multiple?.combinations).toEqual([]);
    expect(q('services').multiple?.combinations.map(([k]) => k)).toEqual([
      'health_centre market',
      'market',
    ]);
    // a summary of fewer than min_cell answers is withheld whole
    const tiny = disclose(
      { ...codebook, study: { ...codebook.study, disclosure: { min_cell: 200 } } },
      full,
    );
    const age = tiny.questions.find((x) => x.id === 'age')?.numeric;
    expect(age?.n).toBe(195);
    expect([age?.mean, age?.median, age?.min].every(Number.isNaN)).toBe(true);
  });

  it('gives cumulative counts only where the shown cells give them', () => {
    const r = {
      id: 'q',
      n: 40,
      missing: 0,
      options: [5, Number.NaN, 10, Number.NaN, 15].map((count, i) => ({
        code: `o${i}`,
        count,
        proportion: 0,
        ci: [0, 0] as [number, number],
        ...(Number.isNaN(count) ? { suppressed: true as const } : {}),
      })),
    };
    expect(cumulativeCounts(r)).toEqual([5, Number.NaN, Number.NaN, 25, 40]);
  });
});
