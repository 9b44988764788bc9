import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../src/charts/render.js';
import { chartSpec } from '../src/charts/spec.js';
import { loadStudy } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { projectRoot } from './helpers.js';

describe('charts', () => {
  it.each([
    ['the thesis', projectRoot],
    ['another study', join(projectRoot, 'test/fixtures/library-survey')],
  ])(
    'of %s draw the same SVG through a shared compiled spec as compiled one by one',
    async (_, root) => {
      const study = await loadStudy(root);
      const results = resultsOf(study.codebook, study.tally);
      let charts = 0;
      const runtimes = new Map();
      for (const { code: lang, locale } of study.codebook.study.languages) {
        const format = formatter(locale);
        for (const q of study.codebook.questions) {
          const r = results.questions.find((x) => x.id === q.id);
          if (!r) continue;
          const spec = chartSpec(
            q,
            r,
            lang,
            format,
            study.strings[lang] as never,
            'Source Serif 4',
          );
          const shared = await renderSvg(spec, format, runtimes);
          expect(shared).toBe(await renderSvg(spec, format));
          // and the chart is this question's: its title and its bars' labels
          // (printed at the one precision of the chart's labels, as in the table's column)
          const digits = format.columnDigits(r.options.map((x) => x.proportion));
          expect(shared).toContain(
            `>${format.percent(r.options[0]?.proportion ?? 0, digits, true)}<`,
          );
          charts++;
        }
      }
      expect(charts).toBeGreaterThan(3);
      // one compiled spec per language, not one per chart
      expect(runtimes.size).toBeLessThanOrEqual(2);
    },
  );

  it('draw through a reused view what a new view draws, whatever the last chart of that shape held', async () => {
    const study = await loadStudy(join(projectRoot, 'test/fixtures/library-survey'));
    const results = resultsOf(study.codebook, study.tally);
    const { code: lang, locale } = study.codebook.study.languages[0] as never;
    const format = formatter(locale);
    const runtimes = new Map();
    const q = study.codebook.questions.find(
      (x) => (results.questions.find((r) => r.id === x.id)?.options.length ?? 0) > 2,
    );
    if (!q) throw new Error('the fixture has no question of three options');
    const r = results.questions.find((x) => x.id === q.id) as (typeof results.questions)[0];
    // the same bars in another codebook order (drawn in data order), and fewer bars: a view
    // that kept the last chart's groups or domain would order or size these as that one
    const reorder = (order: number[]) =>
      [
        { ...q, options: order.map((i) => q.options[i]) },
        { ...r, options: order.map((i) => r.options[i]) },
      ] as [typeof q, typeof r];
    const all = r.options.map((_, i) => i);
    const orders = [all, [...all].reverse(), all.slice(1), [...all.slice(2), 0, 1], all];
    const drawn = [];
    for (const [qx, rx] of orders.map(reorder)) {
      const spec = chartSpec(qx, rx, lang, format, study.strings[lang] as never, 'Source Serif 4');
      const shared = await renderSvg(spec, format, runtimes);
      expect(shared).toBe(await renderSvg(spec, format));
      drawn.push(shared);
    }
    expect(runtimes.size).toBe(1);
    expect(new Set(drawn).size).toBe(4);
    // drawn at once, the charts of one shape do not share a view that is drawing
    const specs = orders
      .map(reorder)
      .map(([qx, rx]) =>
        chartSpec(qx, rx, lang, format, study.strings[lang] as never, 'Source Serif 4'),
      );
    expect(await Promise.all(specs.map((spec) => renderSvg(spec, format, runtimes)))).toEqual(
      drawn,
    );
  });
});
