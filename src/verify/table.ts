import { alignColumns, columnWidths } from '../text-table.js';
import type { Verification } from './verify.js';

/** The verification as a plain-text table for a terminal. */
export function verificationTable(v: Verification, lang: string): string {
  const rows: string[][] = [['claim', 'reported', 'recomputed', 'status', 'about']];
  for (const c of v.claims) {
    const r = c.recomputed;
    const recomputed =
      c.kind === 'population'
        ? `${r.count}`
        : r.value !== undefined
          ? `${Number(r.value.toFixed(4))} (${c.kind} of ${r.n})`
          : `${Number(r.percent.toFixed(4))} % (${r.count}/${r.n}${c.base === 'all' ? ' respondents' : ''})`;
    rows.push([
      c.id,
      c.reported,
      recomputed,
      c.status.toUpperCase(),
      c.about[lang] ?? Object.values(c.about)[0] ?? '',
    ]);
  }
  for (const s of v.sums) {
    rows.push([
      `sum:${s.question}`,
      `${s.reportedTotal} %`,
      `100 ± ${s.tolerance}`,
      s.status.toUpperCase(),
      `published percentages of ${s.claims.join(', ')} add up to 100`,
    ]);
  }
  const lines = alignColumns(rows);
  const widths = columnWidths(rows);
  lines.splice(1, 0, widths.map((w) => '-'.repeat(Math.min(w, 40))).join('  '));
  lines.push('', `${v.passed} passed, ${v.failed} failed`);
  return lines.join('\n');
}
