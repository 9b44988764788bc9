// One aggregation (load + statistics) of a responses file, streamed; prints its time in ms.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseCodebook } from '../dist/load/codebook.js';
import { tallyFile } from '../dist/load/tally.js';
import { resultsOf } from '../dist/stats/frequencies.js';

const [codebookPath, csvPath] = process.argv.slice(2);
const codebook = parseCodebook(readFileSync(codebookPath, 'utf8'), codebookPath);
const started = performance.now();
const { tally } = await tallyFile(dirname(csvPath), basename(csvPath), codebook);
const results = resultsOf(codebook, tally);
const ms = performance.now() - started;
if (results.respondents < 1) throw new Error('nothing counted');
process.stdout.write(`${JSON.stringify({ ms, respondents: results.respondents })}\n`);
