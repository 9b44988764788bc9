// `npm run bench`: times the tool on this machine and writes bench/results.md.
// Never part of `npm test`. Data are generated here with a fixed seed.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codebookYaml, writeResponses, writeSav, writeWorkbook } from './study.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const tmp = join(here, 'tmp');
const quick = process.argv.includes('--quick');
mkdirSync(tmp, { recursive: true });

/** Runs node with the peak-memory hook; returns wall ms, peak RSS in MB and stdout. */
function node(args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', join(here, 'peak.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1700000000' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${run.stderr}`);
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024;
  return { ms, peakMb: peak, stdout: run.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A fresh copy of the thesis study (data and templates), built into its own out/. */
function studyCopy(name) {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(join(root, 'templates'), join(dir, 'templates'), { recursive: true });
  return dir;
}

const rows = [];
const record = (what, runs, target, extra = '') => {
  const med = median(runs.map((r) => r.ms));
  const peak = Math.max(...runs.map((r) => r.peakMb));
  const ms = runs.map((r) => r.ms);
  const range = `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)} ms`;
  rows.push({
    what,
    med,
    peak,
    n: runs.length,
    target,
    extra: [range, extra].filter(Boolean).join('; '),
  });
  process.stderr.write(
    `${what}: ${med.toFixed(0)} ms median of ${runs.length}, peak ${peak.toFixed(0)} MB\n`,
  );
  return med;
};

const bin = join(root, 'bin/report.js');
const reps = quick ? 3 : 7;

// 1–2. the thesis report, cold: a new process each time
const study = studyCopy('thesis');
node([bin, 'build', '--root', study]); // first run of a fresh copy: disk caches warm
record(
  'Cold build, es + en, HTML + PDF',
  Array.from({ length: reps }, () => node([bin, 'build', '--root', study])),
  1000,
);
record(
  'Cold build, es + en, HTML only',
  Array.from({ length: reps }, () => node([bin, 'build', '--root', study, '--format', 'html'])),
);

// 3. preview: edit → reload sent
for (const kind of ['template', 'data']) {
  const dir = studyCopy(`preview-${kind}`);
  const run = node([join(here, 'preview.js'), dir, kind, String(reps)]);
  const { times } = JSON.parse(run.stdout);
  record(
    `Preview rebuild after a one-${kind === 'template' ? 'word template' : 'cell data'} edit (save → reload)`,
    times.map((ms) => ({ ms, peakMb: run.peakMb })),
    150,
  );
}

// 4. aggregation: load + statistics, streamed; inside a process, and as `report verify`
//    (a new process: start-up, codebook, streamed count, statistics, the claim checked)
writeFileSync(join(tmp, 'codebook.yaml'), codebookYaml());
const sizes = quick ? [1e4, 1e6] : [1e4, 1e6, 1e7];
for (const n of sizes) {
  const file = join(tmp, `responses-${n}.csv`);
  if (!existsSync(file)) writeResponses(file, n);
  const mb = statSync(file).size / 1e6;
  const study = join(tmp, `study-${n}`);
  rmSync(study, { recursive: true, force: true });
  mkdirSync(join(study, 'data'), { recursive: true });
  cpSync(join(tmp, 'codebook.yaml'), join(study, 'data/codebook.yaml'));
  symlinkSync(file, join(study, 'data/responses.csv'));
  writeFileSync(
    join(study, 'data/claims.yaml'),
    `claims:\n  - id: population\n    kind: population\n    count: ${n}\n    about: { es: todos, en: everyone }\n    source: { position: 1 }\n`,
  );
  const times = n >= 1e7 ? 3 : reps;
  const inside = Array.from({ length: times }, () => {
    const r = node([join(here, 'aggregate.js'), study]);
    return { ...r, ms: JSON.parse(r.stdout).ms };
  });
  const mbs = (mb / (median(inside.map((r) => r.ms)) / 1000)).toFixed(0);
  record(
    `Aggregate ${n.toLocaleString('en-US')} responses (${mb.toFixed(1)} MB), in a process`,
    inside,
    n === 1e6 ? 500 : undefined,
    `${mbs} MB/s`,
  );
  record(
    `\`report verify\` on the same ${n.toLocaleString('en-US')} responses`,
    Array.from({ length: times }, () => node([bin, 'verify', '--root', study])),
    n === 1e6 ? 750 : undefined,
    n === 1e6 ? 'target: ahead of DuckDB (0.75 s)' : '',
  );
}

// 5. the formats read whole: the same 100,000 responses as an Excel workbook and an SPSS file
//    (written here with exceljs's streaming writer, and with PSPP where it is installed)
{
  const n = 1e5;
  const csv = join(tmp, `responses-${n}.csv`);
  if (!existsSync(csv)) writeResponses(csv, n);
  const variants = [['xlsx', () => writeWorkbook(csv, join(tmp, `responses-${n}.xlsx`))]];
  if (spawnSync('pspp', ['--version']).status === 0)
    variants.push(['sav', () => writeSav(csv, join(tmp, `responses-${n}.sav`))]);
  for (const [ext, write] of variants) {
    const file = join(tmp, `responses-${n}.${ext}`);
    if (!existsSync(file)) await write();
    const study = join(tmp, `study-${n}-${ext}`);
    rmSync(study, { recursive: true, force: true });
    mkdirSync(join(study, 'data'), { recursive: true });
    cpSync(join(tmp, 'codebook.yaml'), join(study, 'data/codebook.yaml'));
    symlinkSync(file, join(study, `data/responses.${ext}`));
    writeFileSync(
      join(study, 'data/claims.yaml'),
      `claims:\n  - id: population\n    kind: population\n    count: ${n}\n    about: { es: todos, en: everyone }\n    source: { position: 1 }\n`,
    );
    const inside = Array.from({ length: 3 }, () => {
      const r = node([join(here, 'aggregate.js'), study]);
      return { ...r, ms: JSON.parse(r.stdout).ms };
    });
    record(
      `Aggregate ${n.toLocaleString('en-US')} responses as .${ext} (${(statSync(file).size / 1e6).toFixed(1)} MB), read whole, in a process`,
      inside,
      undefined,
      'memory: see Peak memory',
    );
  }
}

// page weight: each language's HTML page, fonts apart
const pages = ['es', 'en'].map((lang) => ({
  lang,
  kb: statSync(join(study, 'out', lang, 'index.html')).size / 1024,
}));

const table = [
  '| What | Median | Peak memory | Runs | Target | Met | Notes |',
  '| --- | ---: | ---: | ---: | ---: | :---: | --- |',
  ...rows.map(
    (r) =>
      `| ${r.what} | ${r.med.toFixed(0)} ms | ${r.peak.toFixed(0)} MB | ${r.n} | ${r.target ? `≤ ${r.target} ms` : ''} | ${r.target ? (r.med <= r.target ? 'yes' : '**no**') : ''} | ${r.extra} |`,
  ),
  ...pages.map(
    (p) =>
      `| HTML page, ${p.lang}, without fonts | ${p.kb.toFixed(0)} KB | | | ≤ 250 KB | ${p.kb <= 250 ? 'yes' : '**no**'} | |`,
  ),
];
const cpu = cpus();
const md = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\`${quick ? ' --quick' : ''}. Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}.`,
  'Median wall time: builds in a new process each (start-up included); preview from saving a file to the reload sent to the page (the 10 ms quiet period included); aggregation timed inside its process, and `report verify` as a whole new process. Notes give the range of the runs. Peak memory is the peak resident set of the process.',
  '',
  ...table,
  '',
  'For comparison, figures measured for other tools on a 2-core machine of the same kind: R Markdown renders the same 40-row report as HTML in 2.6 s for one language and 4.2 s for both (its PDF through LaTeX another 2.6 s); pandoc alone turns Markdown into HTML in 0.07 s; Node starts in 0.09 s. On a 1,000,000-row, 25 MB file of 9 single-choice questions: DuckDB 0.75 s, pandas 1.1 s, csv-parse streaming 2.6 s (arrays) or 5.1 s (objects), a plain split loop 0.5 s, reading the file 0.11 s.',
  '',
].join('\n');
writeFileSync(join(here, 'results.md'), md);
process.stdout.write(md);
