import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Convention } from '../stats/percent.js';
import { CHUNK_SIZE, definitionsOf, segmentChunks } from './chunks.js';
import type { Segment, TextKind } from './extract.js';
import { batchesWithSmallHeap, withSmallHeap } from './heap.js';
import { numberBatches } from './numbers.js';
import {
  baseOf,
  checker,
  conventionOf,
  conventionTally,
  isOk,
  NOTHING_TO_SUGGEST,
  questionFiguresOf,
  type Scan,
  type ScannedNumber,
  type ScanStudy,
  type ScanSum,
  settle,
  splitSums,
  statedBase,
  suggester,
  sumsOf,
  VERDICTS,
  type Verdict,
} from './scan.js';
import { colours, LABEL, type Paint, SCAN_HEADER, scanRow, sumLine } from './table.js';
import { tableSums } from './tables.js';

/** Writes a piece of the output (and waits while the reader is behind). */
export type Write = (text: string) => Promise<void> | void;

/** What a scan comes to, without its numbers and sums: they were written as they came. */
export type ScanSummary = Omit<Scan, 'numbers' | 'sums'> & {
  /** How many numbers, and how many sums and how many of them add up. */
  found: number;
  sums: { count: number; ok: number };
};

type Streamed = Exclude<TextKind, 'pdf' | 'docx'>;

/**
 * Scans a text file in chunks (see chunksOf), writing the table, the JSON or the suggested
 * claim entries as they come, in the very form of a scan of the whole text: memory holds one
 * chunk and running totals, whatever the text's size. The text is read two to four times:
 * Markdown's link definitions first, the n the text states (when there is no study and no
 * `n`), then its numbers with the verdicts before the text's rounding convention is known (and
 * the columns' widths), then again to write them. The sums are kept in a temporary file until
 * the numbers are written.
 */
export async function scanStream(
  file: string,
  kind: Streamed,
  study: ScanStudy | undefined,
  options: {
    n?: number;
    strict?: boolean;
    as: 'table' | 'json' | 'suggest';
    paint: Paint;
    write: Write;
    /** Name shown for the file (the path given). */
    name?: string;
    /** The schema_version of the JSON output. */
    schemaVersion?: number;
    size?: number;
  },
): Promise<ScanSummary> {
  const size = options.size ?? CHUNK_SIZE;
  const strict = options.strict ?? false;
  const name = options.name ?? file;
  const definitions = await definitionsOf(file, kind);
  const read = () => withSmallHeap(segmentChunks(file, kind, size, definitions));
  const batches = (parts: Segment[], from: { group: number; sentence: number }) =>
    batchesWithSmallHeap(numberBatches(parts, from));
  // the n the text states, when nothing else gives the base
  let base: Scan['base'];
  if (options.n === undefined && !study) {
    const stated = statedBase([]);
    const from = { group: 0, sentence: 0 };
    for await (const parts of read())
      for (const batch of batches(parts, from)) statedBase(batch, stated);
    base = baseOf(stated, undefined, undefined);
  } else base = baseOf(statedBase([]), study?.results, options.n);

  // the verdicts before the rounding convention: its tally, and the widths of the table
  const tally = new Map<Convention, number>();
  const unsettled = new Map<string, { n: ScannedNumber; count: number }>();
  const widths = SCAN_HEADER.map((h) => h.length);
  let found = 0;
  if (options.as !== 'suggest') {
    const check = checker(study, base).check;
    const from = { group: 0, sentence: 0 };
    for await (const parts of read())
      for (const batch of batches(parts, from)) {
        const numbers = check(batch);
        // as the second pass will: a total row its column does not add up to is no figure
        tableSums(numbers, base);
        conventionTally(numbers, tally);
        for (const n of numbers) {
          found++;
          // what settle needs of a number, and how many numbers are alike in it
          const key = `${n.verdict}|${n.note.startsWith('inconsistent rounding')}|${(n.conventions ?? []).join(',')}`;
          const alike = unsettled.get(key);
          if (alike) alike.count++;
          else
            unsettled.set(key, {
              n: { verdict: n.verdict, note: n.note, conventions: n.conventions } as ScannedNumber,
              count: 1,
            });
          scanRow(n).forEach((cell, i) => {
            if (i < 5) widths[i] = Math.max(widths[i] ?? 0, cell.length);
          });
        }
      }
  }
  const convention = conventionOf(tally);
  for (const { n } of unsettled.values()) {
    settle(n, convention);
    widths[5] = Math.max(widths[5] ?? 0, LABEL[n.verdict].length);
  }

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const kinds: Scan['kinds'] = {};
  const sums = { count: 0, ok: 0 };
  const spool = await mkdtemp(join(tmpdir(), 'report-scan-'));
  const sumsFile = join(spool, 'sums');
  try {
    await writeFile(sumsFile, '');
    const { write, paint } = options;
    const colour = colours(paint);
    const figures = questionFiguresOf(study);
    const suggest = study
      ? suggester(study.codebook, study.claims, study.results)
      : () => undefined;
    let written = 0;
    if (options.as === 'json') {
      const head: Record<string, unknown> = {
        ...(options.schemaVersion === undefined ? {} : { schema_version: options.schemaVersion }),
        file: name,
        ...(base ? { base } : {}),
      };
      await write(
        `{\n${Object.entries(head)
          .map(([k, v]) => field(k, v))
          .join(',\n')},\n  "numbers": [`,
      );
    } else if (options.as === 'table') {
      await write(`${name}: ${found} numbers\n`);
      await write(
        SCAN_HEADER.map((cell, i) => (i === 6 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
      );
    }
    const check = checker(study, base).check;
    const from = { group: 0, sentence: 0 };
    for await (const parts of read())
      for (const batch of batches(parts, from)) {
        const numbers = check(batch);
        // before the numbers are written: a total row its column does not add up to is no figure
        const tables = tableSums(numbers, base);
        let text = '';
        let spooled = '';
        for (const n of numbers) {
          settle(n, convention);
          counts[n.verdict]++;
          kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
          if (options.as === 'json')
            text += `${written === 0 ? '\n' : ',\n'}    ${JSON.stringify(n, null, 2).replace(/\n/g, '\n    ')}`;
          else if (options.as === 'table')
            text += `\n${scanRow(n)
              .map((cell, i) => {
                const padded = i === 6 ? cell : cell.padEnd(widths[i] ?? 0);
                return i === 5 ? colour[n.verdict](padded) : padded;
              })
              .join('  ')
              .trimEnd()}`;
          else {
            const entry = suggest(n);
            if (entry !== undefined) text += `${written === 0 ? '' : '\n\n'}${entry}`;
            else continue;
          }
          written++;
        }
        const chunkSums = [
          ...sumsOf(numbers, figures),
          ...(study?.results ? [] : splitSums(numbers, base)),
          ...tables,
        ];
        for (const s of chunkSums) {
          sums.count++;
          if (s.ok) sums.ok++;
          spooled += `${sums.count === 1 ? '' : options.as === 'json' ? ',\n' : '\n'}${
            options.as === 'json'
              ? `    ${JSON.stringify(s, null, 2).replace(/\n/g, '\n    ')}`
              : sumLine(s, paint)
          }`;
        }
        if (text) await write(text);
        if (spooled && options.as !== 'suggest') await appendFile(sumsFile, spooled);
      }
    const ok = isOk(counts, [{ ok: sums.ok === sums.count }], strict);
    if (options.as === 'json') {
      await write(written === 0 ? ']' : '\n  ]');
      await write(',\n  "sums": [');
      if (sums.count > 0) {
        await write('\n');
        await copyLines(sumsFile, write);
        await write('\n  ]');
      } else await write(']');
      const tail: Record<string, unknown> = {
        ...(convention ? { convention } : {}),
        counts,
        kinds,
        ok,
        strict,
      };
      await write(
        `,\n${Object.entries(tail)
          .map(([k, v]) => field(k, v))
          .join(',\n')}\n}\n`,
      );
    } else if (options.as === 'table') {
      if (sums.count > 0) {
        await write('\n');
        await copyLines(sumsFile, write);
      }
      await write('\n');
    } else await write(written === 0 ? NOTHING_TO_SUGGEST : '\n');
    return {
      file: name,
      ...(base ? { base } : {}),
      ...(convention ? { convention } : {}),
      counts,
      kinds,
      ok,
      strict,
      found: VERDICTS.reduce((total, v) => total + counts[v], 0),
      sums,
    };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}

/** One field of an object as JSON.stringify(…, null, 2) writes it at the top level. */
function field(key: string, value: unknown): string {
  return `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
}

/** Writes a file's lines as they are (with the newlines between them, none after the last). */
async function copyLines(file: string, write: Write) {
  let first = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: 0 })) {
    await write(first ? line : `\n${line}`);
    first = false;
  }
}

export type { ScanSum };
