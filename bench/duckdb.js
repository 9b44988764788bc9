// The peer: the same counts with DuckDB (per question, each distinct cell; and count(DISTINCT id)).
// Run with the folder @duckdb/node-api was installed into: node bench/duckdb.js MODULES FILE QUESTIONS
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, file, questions] = process.argv.slice(2);
const require = createRequire(join(modules, 'index.js'));
const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
const ids = questions.split(',');
const started = performance.now();
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const q = (s) => `"${s.replaceAll('"', '""')}"`;
await c.run(
  `CREATE TABLE t AS SELECT * FROM read_csv(${`'${file.replaceAll("'", "''")}'`}, header = true, all_varchar = true)`,
);
const sets = ids.map((id) => `(${q(id)})`).join(', ');
const counts = await c.runAndReadAll(
  `SELECT ${ids.map(q).join(', ')}, count(*) FROM t GROUP BY GROUPING SETS (${sets})`,
);
const distinct = await c.runAndReadAll('SELECT count(*), count(DISTINCT id) FROM t');
const [[rows, unique]] = distinct.getRows();
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, rows: Number(rows), unique: Number(unique), groups: counts.getRows().length })}\n`,
);
