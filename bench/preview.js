// Rebuilds inside `report preview`: the time from a saved edit to the reload sent to the page.
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { startPreview } from '../dist/preview.js';

const [root, kind, runs] = process.argv.slice(2);
const preview = await startPreview({ root, port: 0, log: () => {} });
const events = await new Promise((resolve) => get(`${preview.url}__report/events`, resolve));
let waiting;
events.on('data', (chunk) => {
  if (String(chunk).includes('data: reload')) waiting?.();
});
const edits = {
  // one word of the English template, changed back and forth
  template: (i) => {
    const path = join(root, 'templates/report.en.md.hbs');
    const text = readFileSync(path, 'utf8');
    return [
      path,
      i % 2
        ? text.replace('A reproducible report', 'A reproducible account')
        : text.replace('A reproducible account', 'A reproducible report'),
    ];
  },
  // one cell of the responses: the first answer of the first question's column, swapped
  data: (i) => {
    const path = join(root, 'data/responses.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    const cells = lines[1].split(',');
    const [a, b] = ['knows', 'does_not_know'];
    const at = cells.findIndex((c) => c === a || c === b);
    cells[at] = i % 2 ? a : b;
    lines[1] = cells.join(',');
    return [path, lines.join('\n')];
  },
};
const times = [];
for (let i = 0; i < Number(runs) + 1; i++) {
  const [path, text] = edits[kind](i);
  const reloaded = new Promise((resolve) => {
    waiting = resolve;
  });
  const started = performance.now();
  writeFileSync(path, text);
  await reloaded;
  if (i > 0) times.push(performance.now() - started); // the first edit warms the watcher up
}
if (preview.error) throw new Error(preview.error);
events.destroy();
await preview.close();
process.stdout.write(`${JSON.stringify({ times })}\n`);
