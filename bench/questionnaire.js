// A study of `questions` single-choice questions and 400 responses, drafted by `report init`
// (a section per group of ten, a table and a chart per question, es + en): the build's growth
// with the questionnaire. Fixed seed; written into `dir`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPTIONS = [
  'muy de acuerdo',
  'de acuerdo',
  'indiferente',
  'en desacuerdo',
  'muy en desacuerdo',
];

export function questionnaireStudy(bin, dir, questions, rows = 400) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let seed = 20261204 + questions;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  const header = ['id', ...Array.from({ length: questions }, (_, q) => `p${q + 1}`)];
  const lines = [header.join(',')];
  for (let r = 1; r <= rows; r++)
    lines.push([`R${r}`, ...header.slice(1).map(() => OPTIONS[next() % OPTIONS.length])].join(','));
  const csv = join(dir, 'encuesta.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const study = join(dir, 'study');
  const init = spawnSync(process.execPath, [bin, 'init', csv, '--lang', 'es,en', '--dir', study], {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`report init failed:\n${init.stderr}`);
  return study;
}
