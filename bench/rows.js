// The answers row by row of a weighted study (crosstabs, where=, weights), in a process:
// `stream` as the tool reads them (loadRows: csv-parse's stream, shared code strings, the
// weights as numbers), `whole` as it read them before (the file read whole, then parsed whole).
// Prints the time in ms, the rows and the heap in use once they are read.
// Usage: node bench/rows.js STUDY make N   (writes a weighted study of N rows into STUDY)
//        node --expose-gc --import ./bench/peak.js bench/rows.js STUDY stream|whole
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRows, readRows } from '../dist/load/rows.js';
import { loadDesign } from '../dist/load/study.js';
import { codebookYaml, writeResponses } from './study.js';

const [root, mode, n] = process.argv.slice(2);
if (mode === 'make') {
  mkdirSync(join(root, 'data'), { recursive: true });
  writeFileSync(
    join(root, 'data/codebook.yaml'),
    codebookYaml().replace('data: { status: original,', 'data: { status: original, weight: w,'),
  );
  writeFileSync(join(root, 'data/claims.yaml'), 'claims: []\n');
  const plain = join(root, 'plain.csv');
  writeResponses(plain, Number(n));
  // a weight per row: 0.5 + (row mod 7) / 4
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(plain, 'utf8').split('\n');
  writeFileSync(
    join(root, 'data/responses.csv'),
    lines
      .map((l, i) => (l === '' ? l : i === 0 ? `${l},w` : `${l},${(0.5 + (i % 7) / 4).toFixed(2)}`))
      .join('\n'),
  );
  process.exit(0);
}
const { codebook } = await loadDesign(root);
const started = performance.now();
const rows =
  mode === 'whole'
    ? readRows(root, 'data/responses.csv', codebook)
    : await loadRows(root, 'data/responses.csv', codebook, { encoding: 'utf-8', delimiter: ',' });
const ms = performance.now() - started;
globalThis.gc?.();
const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
if (rows.weights?.length !== rows.ids.length) throw new Error('weights not read');
process.stdout.write(`${JSON.stringify({ ms, rows: rows.ids.length, heapMb })}\n`);
