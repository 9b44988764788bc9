/**
 * Rows as aligned columns for a terminal: each cell padded to its column's width (the last
 * column is not), two spaces apart. `paint` colours a cell after padding, so colour codes do
 * not count in the widths.
 */
export function alignColumns(
  rows: readonly (readonly string[])[],
  paint?: (cell: string, row: number, column: number) => string,
): string[] {
  const widths = columnWidths(rows);
  return rows.map((row, r) =>
    row
      .map((cell, i) => {
        const padded = i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
        return paint ? paint(padded, r, i) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** The width of each column: its longest cell. */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  return widths;
}
