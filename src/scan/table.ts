import { alignColumns } from '../text-table.js';
import type { Scan, ScannedNumber, ScanSum, Verdict } from './scan.js';

export type Paint = Record<'green' | 'red' | 'yellow' | 'dim', (text: string) => string>;

export const LABEL: Record<Verdict, string> = {
  verified: 'verified',
  recomputed: 'recomputed',
  fails: 'fails',
  impossible: 'impossible',
  note: 'note',
  unchecked: 'unchecked',
  ignored: 'not a claim',
};

/** One line per number: where, as printed, its kind, bound to, recomputed, verdict, and its words; then the sums. */
export function scanTable(scan: Scan, paint: Paint): string {
  const colour = colours(paint);
  const rows = scan.numbers.map(scanRow);
  const header = SCAN_HEADER;
  const lines = alignColumns([header, ...rows], (cell, row, column) => {
    const verdict = scan.numbers[row - 1]?.verdict;
    return column === 5 && row > 0 && verdict ? colour[verdict](cell) : cell;
  });
  const sums = scan.sums.map((s) => sumLine(s, paint));
  return [`${scan.file}: ${scan.numbers.length} numbers`, ...lines, ...sums].join('\n');
}

export const SCAN_HEADER = [
  'where',
  'printed',
  'kind',
  'claim',
  'recomputed',
  'verdict',
  'why · words around',
];

/** A number's row of the table. */
export function scanRow(n: ScannedNumber): string[] {
  return [
    n.page === undefined ? `${n.line}:${n.column}` : `p${n.page}:${n.line}`,
    n.printed,
    n.kind,
    n.claim
      ? `${n.claim.id}${n.claim.by === 'words' ? ' (suggested)' : ''}`
      : n.question
        ? `${n.question.id}${n.question.option ? `:${n.question.option}` : ''}`
        : '—',
    n.recomputed ?? '',
    LABEL[n.verdict],
    `${n.note} · «${n.context}»`,
  ];
}

/** A sum's line, after the table. */
export function sumLine(s: ScanSum, paint: Paint): string {
  return `${s.page === undefined ? s.line : `p${s.page}:${s.line}`}  sum ${s.printed.join(' + ')} = ${s.total}  ${s.ok ? paint.green('adds up') : paint.red('does not add up')}: ${s.note}`;
}

/** The colour of each verdict. */
export function colours(paint: Paint): Record<Verdict, (t: string) => string> {
  return {
    verified: paint.green,
    recomputed: paint.green,
    fails: paint.red,
    impossible: paint.red,
    note: paint.yellow,
    unchecked: paint.yellow,
    ignored: paint.dim,
  };
}
