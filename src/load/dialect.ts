import { parse } from 'csv-parse/sync';

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The field delimiter of a CSV text: the candidate that splits the first records into the
 * same number of fields, more than one, most often (what Excel writes in a Spanish locale is ';').
 */
export function sniffDelimiter(text: string): string {
  const sample = text.slice(0, 64 * 1024);
  let best: { delimiter: string; score: number; columns: number } = {
    delimiter: ',',
    score: -1,
    columns: 0,
  };
  for (const delimiter of DELIMITERS) {
    let rows: string[][];
    try {
      rows = parse(sample, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        to_line: 30,
      }) as string[][];
    } catch {
      continue;
    }
    const columns = rows[0]?.length ?? 0;
    if (columns < 2) continue;
    const consistent = rows.filter((r) => r.length === columns).length / rows.length;
    const score = consistent * 1000 + columns;
    if (score > best.score) best = { delimiter, score, columns };
  }
  return best.delimiter;
}
