import { alignColumns } from '../text-table.js';
import type { Scan, Verdict } from './scan.js';

type Paint = Record<'green' | 'red' | 'yellow' | 'dim', (text: string) => string>;

const LABEL: Record<Verdict, string> = {
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
  const colour: Record<Verdict, (t: string) => string> = {
    verified: paint.green,
    recomputed: paint.green,
    fails: paint.red,
    impossible: paint.red,
    note: paint.yellow,
    unchecked: paint.yellow,
    ignored: paint.dim,
  };
  const rows = scan.numbers.map((n) => [
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
  ]);
  const header = [
    'where',
    'printed',
    'kind',
    'claim',
    'recomputed',
    'verdict',
    'why · words around',
  ];
  const lines = alignColumns([header, ...rows], (cell, row, column) => {
    const verdict = scan.numbers[row - 1]?.verdict;
    return column === 5 && row > 0 && verdict ? colour[verdict](cell) : cell;
  });
  const sums = scan.sums.map(
    (s) =>
      `${s.page === undefined ? s.line : `p${s.page}:${s.line}`}  sum ${s.printed.join(' + ')} = ${s.total}  ${s.ok ? paint.green('adds up') : paint.red('does not add up')}: ${s.note}`,
  );
  return [`${scan.file}: ${scan.numbers.length} numbers`, ...lines, ...sums].join('\n');
}
