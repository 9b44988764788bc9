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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], verdict?: Verdict) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
        return i === 4 && verdict ? colour[verdict](padded) : padded;
      })
      .join('  ');
  return [
    `${scan.file}: ${scan.numbers.length} numbers`,
    line(header),
    ...rows.map((r, i) => line(r, scan.numbers[i]?.verdict)),
  ].join('\n');
}
