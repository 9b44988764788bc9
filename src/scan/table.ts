import { alignColumns } from '../text-table.js';
import type { Scan, Verdict } from './scan.js';

type Paint = Record<'green' | 'red' | 'yellow' | 'dim', (text: string) => string>;

/** One line per number: where, as printed, bound to, recomputed, verdict, and its words. */
export function scanTable(scan: Scan, paint: Paint): string {
  const colour: Record<Verdict, (t: string) => string> = {
    verified: paint.green,
    fails: paint.red,
    impossible: paint.red,
    unchecked: paint.yellow,
    ignored: paint.dim,
  };
  const rows = scan.numbers.map((n) => [
    n.page === undefined ? `${n.line}:${n.column}` : `p${n.page}:${n.line}`,
    n.printed,
    n.claim ? `${n.claim.id}${n.claim.by === 'words' ? ' (suggested)' : ''}` : '—',
    n.recomputed ?? '',
    n.verdict,
    `${n.note} · «${n.context}»`,
  ]);
  const header = ['where', 'printed', 'claim', 'recomputed', 'verdict', 'why · words around'];
  const lines = alignColumns([header, ...rows], (cell, row, column) => {
    const verdict = scan.numbers[row - 1]?.verdict;
    return column === 4 && row > 0 && verdict ? colour[verdict](cell) : cell;
  });
  return [`${scan.file}: ${scan.numbers.length} numbers`, ...lines].join('\n');
}
