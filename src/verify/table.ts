import { alignColumns, columnWidths } from '../text-table.js';
import type { Verification } from './verify.js';

/** The verification as a plain-text table for a terminal. */
export function verificationTable(v: Verification, lang: string): string {
  const rows: string[][] = [['claim', 'reported', 'recomputed', 'status', 'failed check', 'about']];
  for (const c of v.claims) {
    const r = c.recomputed;
    const recomputed =
      c.kind === 'population'
        ? `${r.count}`
        : r.value !== undefined
          ? `${Number(r.value.toFixed(4))} (${c.kind} of ${r.n})`
          : c.given
            ? // a base the study does not hold: the count the figures stand for, of that n
              `${r.count}/${r.n}${c.given.group ? ` ${c.given.group}` : ''} (n given)`
            : c.weighted
              ? `${Number(r.percent.toFixed(4))} % weighted (${r.count}/${r.n}${c.where ? ` ${c.where[lang] ?? Object.values(c.where)[0]}` : ''} unweighted, effective n ${Number(c.weighted.effectiveN.toFixed(1))}; GRIM not applicable)`
              : `${Number(r.percent.toFixed(4))} % (${r.count}/${r.n}${c.where ? ` ${c.where[lang] ?? Object.values(c.where)[0]}` : ''}${c.base === 'all' ? ' respondents' : ''})`;
    const about = c.about?.[lang] ?? Object.values(c.about ?? {})[0] ?? '';
    rows.push([
      c.id,
      c.printed ?? c.reported,
      recomputed,
      c.status.toUpperCase(),
      c.checks
        .filter((k) => !k.ok)
        .map((k) => k.name)
        .join(', '),
      c.rounding ? (about ? `${about} — ${c.rounding}` : c.rounding) : about,
    ]);
  }
  for (const s of v.sums) {
    const percent = s.of === 'percent';
    rows.push([
      `sum:${s.question}${percent ? '' : ':count'}`,
      percent ? `${s.reportedTotal} %` : `${s.reportedTotal}`,
      percent ? `100 ± ${s.tolerance}` : `${s.expected}`,
      s.status.toUpperCase(),
      s.status === 'fail' ? 'sum' : '',
      `published ${percent ? 'percentages' : 'counts'} of ${s.claims.join(', ')} add up to ${s.expected}`,
    ]);
  }
  const lines = alignColumns(rows);
  const widths = columnWidths(rows);
  lines.splice(1, 0, widths.map((w) => '-'.repeat(Math.min(w, 40))).join('  '));
  lines.push('', `${v.passed} passed, ${v.failed} failed`);
  if (v.convention)
    lines.push(
      `rounding: ${v.convention}${v.inconsistent.length > 0 ? ` · inconsistent rounding (warning): ${v.inconsistent.join(', ')}` : ''}`,
    );
  return lines.join('\n');
}
