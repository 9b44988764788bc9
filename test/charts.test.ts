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
});
