import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Codebook } from './codebook.js';
import { decode } from './decode.js';
import { sniffDelimiter } from './dialect.js';
import { mapColumns } from './responses.js';

/** The open questions whose answers are not to be published (they may identify people). */
export function unpublishedTexts(codebook: Codebook): string[] {
  return codebook.questions.filter((q) => q.type === 'text' && q.publish !== true).map((q) => q.id);
}

/**
 * A responses file as it may be published: the columns of open questions without
 * `publish: true` left out, everything else as read (UTF-8, the file's delimiter). The file is
 * returned as it was when no column needs leaving out. Called on a file already read and checked.
 */
export function publishableResponses(
  bytes: Uint8Array,
  file: string,
  codebook: Codebook,
): Uint8Array | string {
  const hidden = unpublishedTexts(codebook);
  if (hidden.length === 0) return bytes;
  const { text } = decode(bytes, file, codebook.study.data.csv?.encoding);
  const delimiter = codebook.study.data.csv?.delimiter ?? sniffDelimiter(text);
  const rows = parse(text.replace(/^\uFEFF/, ''), {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  }) as string[][];
  const header = rows[0] ?? [];
  const map = mapColumns(header, file, 1, codebook, (i) =>
    rows.every((r) => (r[i] ?? '').trim() === ''),
  );
  const drop = new Set(hidden.map((id) => map.questionColumn.get(id)));
  return stringify(
    rows.map((r) => r.filter((_, i) => !drop.has(i))),
    { delimiter, record_delimiter: '\n' },
  );
}
