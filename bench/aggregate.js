// One aggregation (load + statistics) of a study's responses, streamed; prints its time in ms.
import { aggregate } from '../dist/commands.js';
import { loadDesign } from '../dist/load/study.js';

const [root] = process.argv.slice(2);
const { codebook } = await loadDesign(root);
const started = performance.now();
const { results } = await aggregate(root, codebook);
const ms = performance.now() - started;
if (results.respondents < 1) throw new Error('nothing counted');
process.stdout.write(`${JSON.stringify({ ms, respondents: results.respondents })}\n`);
