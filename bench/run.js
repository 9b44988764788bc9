// `npm run bench`: times the tool on this machine and writes bench/results.md.
// Never part of `npm test`. Data are generated here with a fixed seed.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseCodebook } from '../dist/load/codebook.js';
import { questionnaireStudy } from './questionnaire.js';
import {
  codebookYaml,
  numbersText,
  writeResponses,
  writeSav,
  writeShape,
  writeWorkbook,
} from './study.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The peer's version: 1.5 (its releases are numbered 1.5.x-r.y). */
const DUCKDB = '@duckdb/node-api@1.5.6-r.1';
const root = join(here, '..');
const tmp = join(here, 'tmp');
const quick = process.argv.includes('--quick');
/** Only the aggregation against its peer (the builds and preview are skipped). */
const peerOnly = process.argv.includes('--peer-only');
/** Only the goals measured against a peer (4c) and the start-up ratios; written to results-goals.md. */
const goalsOnly = process.argv.includes('--goals');
mkdirSync(tmp, { recursive: true });
const loadStart = loadavg();

/**
 * The peer, `@duckdb/node-api`, installed into bench/tmp/duckdb (never a dependency of the
 * tool); undefined when it cannot be installed (then each target is reported as missing it).
 */
function duckdb() {
  const dir = join(tmp, 'duckdb');
  const modules = join(dir, 'node_modules');
  const manifest = join(modules, '@duckdb/node-api/package.json');
  if (!existsSync(manifest)) {
    mkdirSync(dir, { recursive: true });
    const npm = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, DUCKDB],
      { encoding: 'utf8' },
    );
    if (npm.status !== 0 || !existsSync(manifest)) {
      process.stderr.write(`DuckDB could not be installed:\n${npm.stderr}\n`);
      return undefined;
    }
  }
  const version = JSON.parse(readFileSync(manifest, 'utf8')).version;
  const engine = /^(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version;
  return { modules, version, engine };
}

/** Runs node with the peak-memory hook; returns wall ms, CPU ms, peak RSS in MB and stdout. */
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
  const cpuMs = Number(/CPU_US=(\d+)/.exec(run.stderr)?.[1] ?? 0) / 1000;
  return { ms, cpuMs, peakMb: peak, stdout: run.stdout };
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

writeFileSync(join(tmp, 'codebook.yaml'), codebookYaml());
/** A study of n responses: a codebook, the responses (linked), the population claim. */
const studyOf = (name, codebookFile, file, n) => {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  cpSync(codebookFile, join(dir, 'data/codebook.yaml'));
  symlinkSync(file, join(dir, 'data/responses.csv'));
  writeFileSync(
    join(dir, 'data/claims.yaml'),
    `claims:\n  - id: population\n    kind: population\n    count: ${n}\n    about: { es: todos, en: everyone }\n    source: { position: 1 }\n`,
  );
  return dir;
};

// 1–2. the thesis report, cold: a new process each time
const study = studyCopy('thesis');
if (!peerOnly && !goalsOnly) {
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
    const study = studyOf(`study-${n}`, join(tmp, 'codebook.yaml'), file, n);
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
  }
}

if (!peerOnly && !goalsOnly) {
  // 4b. the other formats: the same 100,000 responses as an Excel workbook (row by row) and an SPSS file (case by case)
  //    (written here with exceljs's streaming writer, and with PSPP where it is installed)
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
      `Aggregate ${n.toLocaleString('en-US')} responses as .${ext} (${(statSync(file).size / 1e6).toFixed(1)} MB), ${ext === 'sav' ? 'read case by case' : 'read row by row'}, in a process`,
      inside,
      undefined,
      'memory: see Peak memory',
    );
  }
}

// 4b. report init's memory: a study drafted from 100,000 responses as a workbook and from
//    1,000,000 as a CSV, read row by row (a summary of each column kept, not its values); the
//    peak must not grow with rows × columns (see bench/init-memory.md for before and after)
if (!peerOnly && !goalsOnly) {
  const inputs = [
    [1e5, 'xlsx', (csv, file) => writeWorkbook(csv, file)],
    [1e6, 'csv', undefined],
  ];
  for (const [n, ext, write] of inputs) {
    const csv = join(tmp, `responses-${n}.csv`);
    if (!existsSync(csv)) writeResponses(csv, n);
    const file = join(tmp, `responses-${n}.${ext}`);
    if (write && !existsSync(file)) await write(csv, file);
    const dir = join(tmp, `init-${n}-${ext}`);
    rmSync(dir, { recursive: true, force: true });
    const run = node([bin, 'init', file, '--dir', dir]);
    record(
      `report init from ${n.toLocaleString('en-US')} responses as .${ext} (${(statSync(file).size / 1e6).toFixed(1)} MB)`,
      [run],
      undefined,
      'peak: see the memory column',
    );
  }
}

// 4b. report scan's memory: prose of 2, 4 and 50 MB read in chunks; the peak must not grow with
// the text's size (≤ 200 MiB whatever the size), the time only linearly; and a line that
// cannot be cut, read whole
if (!peerOnly && !goalsOnly) {
  const corpus = parseYaml(readFileSync(join(root, 'test/fixtures/scan/corpus.yaml'), 'utf8'));
  const paragraph = `${corpus.texts.map((t) => t.text).join(' ')}\n\n`;
  const scans = [];
  for (const mb of quick ? [2, 4] : [2, 4, 50]) {
    const file = join(tmp, `prose-${mb}.txt`);
    if (!existsSync(file))
      writeFileSync(file, paragraph.repeat(Math.ceil((mb * 2 ** 20) / paragraph.length)));
    const run = node([bin, 'scan', file, '--root', tmp, '--n', '40']);
    scans.push({ mb, ...run });
    record(`report scan, ${mb} MB of prose`, [run], undefined, `${(run.ms / mb) | 0} ms per MB`);
  }
  // what cannot be cut is read whole: one line of 25,000 numbers (about 150 KB)
  const line = join(tmp, 'numbers-one-line.txt');
  if (!existsSync(line))
    writeFileSync(
      line,
      `${Array.from({ length: 25000 }, (_, i) => `${i % 100}.${i % 10}%`).join(' ')}\n`,
    );
  const oneLine = node([bin, 'scan', line, '--root', tmp, '--n', '40']);
  scans.push({ mb: 0.15, ...oneLine });
  record('report scan, 25,000 numbers on one line', [oneLine], undefined, 'read whole');
  // one line of sentences up to the 1 MB refused past (about 84,000 numbers): judged and
  // written in batches cut between sentences
  const sentences = join(tmp, 'sentences-one-line.txt');
  if (!existsSync(sentences)) {
    const said = (i) => {
      const no = 10 + (i % 30);
      return `Of them, ${no} (${((100 * no) / 40).toFixed(1)}%) said no and ${40 - no} (${((100 * (40 - no)) / 40).toFixed(1)}%) yes.`;
    };
    writeFileSync(sentences, Array.from({ length: 21000 }, (_, i) => said(i)).join(' '));
  }
  const sentenceLine = node([bin, 'scan', sentences, '--root', tmp, '--n', '40']);
  scans.push({ mb: 1, ...sentenceLine });
  record(
    'report scan, 84,000 numbers in sentences on one 1 MB line',
    [sentenceLine],
    undefined,
    'in batches of sentences',
  );
  const worst = Math.max(...scans.map((r) => r.peakMb));
  if (worst > 200 * 1.048576)
    process.stderr.write(`report scan: peak ${worst.toFixed(0)} MB, over the 200 MiB bound\n`);
}

// 4c. speed goals of #18 measured against a peer in the same run, interleaved run by run:
//   - `report scan` over 1 MB of prose with 50,000 numbers against `grep -oE` over the same file
//   - the build's growth with the questionnaire: 10, 50 and 200 questions (es + en), each
//     against the 10-question build
const goals = [];
const interleaved = (times, ...runs) => {
  const out = runs.map(() => []);
  for (let i = 0; i < times; i++)
    runs.forEach((run, j) => {
      out[j].push(run());
    });
  return out;
};
if (!peerOnly) {
  const file = join(tmp, 'numbers-1mb.txt');
  if (!existsSync(file)) writeFileSync(file, numbersText(2 ** 20));
  const grep = () => {
    const started = performance.now();
    const run = spawnSync('grep', ['-oE', '[0-9]+([.,][0-9]+)?%?', file], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`grep failed: ${run.stderr}`);
    return {
      ms: performance.now() - started,
      peakMb: 0,
      numbers: run.stdout.split('\n').length - 1,
    };
  };
  const [ours, theirs] = interleaved(
    quick ? 1 : 3,
    () => node([bin, 'scan', file, '--root', tmp, '--n', '40']),
    grep,
  );
  const o = median(ours.map((r) => r.ms));
  const g = median(theirs.map((r) => r.ms));
  goals.push({
    what: `\`report scan\`, 1 MB of prose with ${theirs[0].numbers.toLocaleString('en-US')} numbers, against \`grep -oE '[0-9]+([.,][0-9]+)?%?'\``,
    ours: o,
    peer: g,
    ratio: o / g,
    goal: 10,
    peak: Math.max(...ours.map((r) => r.peakMb)),
  });

  const sizes = quick ? [10, 200] : [10, 50, 200];
  const studies = sizes.map((q) => questionnaireStudy(bin, join(tmp, `questions-${q}`), q));
  for (const [label, format, goal] of [
    ['HTML + PDF', [], 3],
    ['HTML only', ['--format', 'html'], 2],
  ]) {
    const runs = interleaved(
      quick ? 1 : 3,
      ...studies.map((study) => () => node([bin, 'build', '--root', study, ...format])),
    );
    const base = median(runs[0].map((r) => r.ms));
    sizes.forEach((q, i) => {
      const ms = median(runs[i].map((r) => r.ms));
      goals.push({
        what: `build of ${q} questions (a table and a chart each), es + en, ${label}, against the 10-question build`,
        ours: ms,
        peer: base,
        ratio: ms / base,
        goal: q === 200 ? goal : undefined,
        peak: Math.max(...runs[i].map((r) => r.peakMb)),
        peakGoal: q === 200 && label === 'HTML + PDF' ? 400 * 1.048576 : undefined,
      });
    });
  }
  for (const g of goals) process.stderr.write(`${JSON.stringify(g)}\n`);
}

// 5. aggregation against its peer, DuckDB, in the same run: the shapes exports take
const peer = goalsOnly ? undefined : duckdb();
const thesis = parseCodebook(readFileSync(join(root, 'data/codebook.yaml'), 'utf8'), 'codebook');
const shapes = [
  { name: 'numeric ids, 1-byte codes (9 questions)', key: 'plain' },
  { name: 'ids r1…, option codes', key: 'r-codes', shape: { ids: 'r', cells: 'codes' } },
  {
    name: 'ids R0000001…, labels, all quoted, CRLF, BOM',
    key: 'R-labels-quoted',
    shape: { ids: 'R0001', cells: 'labels', quoted: true, crlf: true, bom: true },
  },
  {
    name: 'UUID ids (random), labels, all quoted',
    key: 'uuid-labels-quoted',
    shape: { ids: 'uuid', cells: 'labels', quoted: true },
  },
];
const peerCases = [
  ...(goalsOnly ? [] : shapes.map((s) => ({ ...s, n: 1e6 }))),
  // 10 million quoted rows (3.5 GB: over the 2 GiB a file read whole can be): the memory test
  ...(quick || goalsOnly ? [] : [shapes[2]].map((s) => ({ ...s, n: 1e7 }))),
];
const versus = [];
const floors = {
  start: median(Array.from({ length: reps }, () => node(['-e', '0']).ms)),
};
// a small study: `report verify` on the shipped 40 rows against `node -e 0`
const small = median(
  Array.from({ length: reps }, () => node([bin, 'verify', '--root', studyCopy('small')]).ms),
);
// and \`report scan\` on a short text (a paragraph of the scan corpus) with the shipped study
const paragraphFile = join(tmp, 'paragraph.txt');
writeFileSync(
  paragraphFile,
  parseYaml(readFileSync(join(root, 'test/fixtures/scan/corpus.yaml'), 'utf8')).texts[0].text,
);
const smallScan = median(
  Array.from(
    { length: reps },
    () => node([bin, 'scan', paragraphFile, '--root', studyCopy('small')]).ms,
  ),
);
for (const c of peerCases) {
  const file = join(tmp, `${c.key}-${c.n}.csv`);
  if (!existsSync(file)) {
    if (c.shape) writeShape(file, c.n, thesis, c.shape);
    else writeResponses(file, c.n);
  }
  const mb = statSync(file).size / 1e6;
  const codebookFile = c.shape ? join(root, 'data/codebook.yaml') : join(tmp, 'codebook.yaml');
  const study = studyOf(`peer-${c.key}-${c.n}`, codebookFile, file, c.n);
  const questions = (
    c.shape
      ? thesis.questions.map((q) => q.id)
      : ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']
  ).join(',');
  const runs = c.n >= 1e7 || quick ? 1 : 2;
  const ours = [];
  const theirs = [];
  const read = [];
  for (let r = 0; r < runs; r++) {
    read.push(node([join(here, 'read.js'), file]));
    ours.push(node([bin, 'verify', '--root', study]));
    if (peer) {
      const run = node([join(here, 'duckdb.js'), peer.modules, file, questions]);
      const out = JSON.parse(run.stdout);
      if (out.rows !== c.n || out.unique !== c.n) throw new Error(`DuckDB counted ${out.rows}`);
      theirs.push(run);
    }
  }
  const m = (xs, k = 'ms') => median(xs.map((x) => x[k]));
  const peak = (xs) => Math.max(...xs.map((x) => x.peakMb));
  versus.push({
    what: `${c.name}, ${c.n.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB)`,
    runs,
    read: m(read),
    ours: m(ours),
    oursCpu: m(ours, 'cpuMs'),
    oursPeak: peak(ours),
    peer: peer ? m(theirs) : undefined,
    peerCpu: peer ? m(theirs, 'cpuMs') : undefined,
    peerPeak: peer ? peak(theirs) : undefined,
  });
  process.stderr.write(`${JSON.stringify(versus.at(-1))}\n`);
}

// page weight: each language's HTML page, fonts apart
const pages = (peerOnly || goalsOnly ? [] : ['es', 'en']).map((lang) => ({
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
const s1 = (ms) => `${(ms / 1000).toFixed(2)} s`;
const versusTable = [
  '| Aggregation (`report verify`, a new process) | Runs | Plain read | Ours | CPU | Peak | DuckDB | CPU | Peak | Ratio (wall) | ≤ 1.0 | Ratio (CPU) | Ours ≤ 200 MiB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | :---: |',
  ...versus.map((v) => {
    const ratio = v.peer ? v.ours / v.peer : undefined;
    return `| ${v.what} | ${v.runs} | ${s1(v.read)} | ${s1(v.ours)} | ${s1(v.oursCpu)} | ${v.oursPeak.toFixed(0)} MiB | ${v.peer ? s1(v.peer) : 'peer missing'} | ${v.peerCpu ? s1(v.peerCpu) : ''} | ${v.peerPeak ? `${v.peerPeak.toFixed(0)} MiB` : ''} | ${ratio ? ratio.toFixed(2) : '–'} | ${ratio ? (ratio <= 1 ? 'yes' : '**no**') : '**peer missing**'} | ${v.peerCpu ? (v.oursCpu / v.peerCpu).toFixed(2) : '–'} | ${v.oursPeak <= 200 ? 'yes' : '**no**'} |`;
  }),
  '',
  `Start-up: \`report verify\` on the shipped study (40 rows) ${s1(small)}, \`node -e 0\` ${s1(floors.start)}: **${(small / floors.start).toFixed(1)}×** (goal ≤ 2.5×${small / floors.start <= 2.5 ? ', met' : ', not met'}).`,
  '',
  `Start-up: \`report scan\` of a paragraph with the shipped study ${s1(smallScan)}, \`node -e 0\` ${s1(floors.start)}: **${(smallScan / floors.start).toFixed(1)}×** (goal ≤ 2.5×${smallScan / floors.start <= 2.5 ? ', met' : ', not met'}).`,
];
const cpu = cpus();
const load = loadavg();
const md = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench${[
    quick && '--quick',
    peerOnly && '--peer-only',
    goalsOnly && '--goals',
  ]
    .filter(Boolean)
    .map((o, i) => (i ? ` ${o}` : ` -- ${o}`))
    .join(
      '',
    )}\`. Machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}; load average ${load.map((l) => l.toFixed(1)).join(', ')} at the end (${loadStart.map((l) => l.toFixed(1)).join(', ')} at the start). Peer: ${peer ? `@duckdb/node-api ${peer.version} (DuckDB ${peer.engine}), default threads` : goalsOnly ? 'DuckDB not run (--goals)' : 'DuckDB missing (could not be installed)'}.`,
  'Median wall time: builds in a new process each (start-up included); preview from saving a file to the reload sent to the page (the 10 ms quiet period included); aggregation timed inside its process, and `report verify` as a whole new process. Notes give the range of the runs. Peak memory is the peak resident set of the process.',
  '',
  ...(peerOnly || goalsOnly
    ? [
        `(Run with \`${goalsOnly ? '--goals' : '--peer-only'}\`: the builds and preview were not timed.)`,
      ]
    : table),
  '',
  ...(goals.length
    ? [
        '## Goals measured against a peer in the same run',
        '',
        'Each row: ours and the peer (or the 10-question build) run interleaved, each a new process; medians. Read the ratios.',
        '',
        '| What | Ours | Peer | Ratio | Goal | Met | Peak memory | Goal |',
        '| --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: |',
        ...goals.map(
          (g) =>
            `| ${g.what} | ${s1(g.ours)} | ${s1(g.peer)} | ${g.ratio.toFixed(2)} | ${g.goal ? `≤ ${g.goal}×` : ''} | ${g.goal ? (g.ratio <= g.goal ? 'yes' : '**no**') : ''} | ${g.peak.toFixed(0)} MB | ${g.peakGoal ? `≤ 400 MiB: ${g.peak <= g.peakGoal ? 'yes' : '**no**'}` : ''} |`,
        ),
        '',
      ]
    : []),
  ...(goalsOnly
    ? ['## Start-up', '', ...versusTable.slice(-3)]
    : ['## Aggregation against DuckDB, in the same run']),
  '',
  ...(goalsOnly
    ? []
    : [
        "Each case: the file read plainly (a floor), `report verify` (start-up, streamed count, statistics, the population claim), and DuckDB (`read_csv` into a table, the count of every distinct cell per question with `GROUPING SETS`, and `count(DISTINCT id)`), each a new process, interleaved run by run; medians. The ratio is ours over DuckDB's wall time; CPU is user + system time of the whole process (every thread). On a loaded machine the wall times stretch with the load: read the ratios.",
        '',
        ...versusTable,
      ]),
  '',
  '',
].join('\n');
writeFileSync(join(here, goalsOnly ? 'results-goals.md' : 'results.md'), md);
process.stdout.write(md);
