import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Command, CommanderError, Option } from 'commander';
import { createColors } from 'picocolors';
import { auditReport } from './audit/report.js';
import type { Format } from './build.js';
import { reconstructStudy, scanFile, scanFileStreamed, verifyStudy } from './commands.js';
import { escapeInvisible, isInputError } from './errors.js';
import { packageRoot } from './paths.js';
import { SCHEMA_VERSION, verificationJson } from './publish/data-files.js';
import { kindOf, type TextKind } from './scan/extract.js';
import { scanTable } from './scan/table.js';
import { verificationTable } from './verify/table.js';

/** Exit codes: 0 all good, 1 a published claim does not verify, 2 bad input or usage, 3 a fault of the tool. */
// The stages that render (charts, Markdown, Typst), and the other commands' modules, are imported
// when their command runs: `verify` and `scan` do not load or set up what only `build` needs.
export const EXIT = { ok: 0, claimFails: 1, badInput: 2, internal: 3 } as const;

export interface Io {
  out: (text: string) => void;
  /** Writes a piece of the output as it comes (no newline added); absent: gathered for `out`. */
  write?: (text: string) => Promise<void> | void;
  err: (text: string) => void;
  /** Colour only on a terminal, and never when NO_COLOR is set. */
  color?: boolean;
}

const defaultIo = (): Io => ({
  out: (text) => process.stdout.write(`${text}\n`),
  write: (text) =>
    process.stdout.write(text)
      ? undefined
      : new Promise<void>((done) => process.stdout.once('drain', () => done())),
  err: (text) => process.stderr.write(`${text}\n`),
  color:
    !('NO_COLOR' in process.env) && Boolean(process.stderr.isTTY) && Boolean(process.stdout.isTTY),
});

const usage = (message: string) => new CommanderError(EXIT.badInput, 'report.usage', message);
const list = (option: string, example: string) => (value: string) => {
  const values = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length === 0) throw usage(`${option} is empty: give at least one, e.g. ${example}`);
  return values;
};
const formatsOf = (values: string[]): Format[] => {
  const unknown = values.find((f) => f !== 'html' && f !== 'pdf' && f !== 'docx');
  if (unknown) throw usage(`--format: unknown format "${unknown}" (html, pdf, docx)`);
  return values as Format[];
};
const sourceDateEpoch = () => {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) : undefined;
};

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const c = createColors(io.color ?? false);
  let code: number = EXIT.ok;
  const rootOption = () =>
    new Option('--root <dir>', 'study folder holding data/ and templates/').default('.');
  const langOption = () =>
    new Option('--lang <codes>', "languages, e.g. es,en (default: all of the study's)").argParser(
      list('--lang', 'es,en'),
    );
  const stageLog = (name: string, ms: number) =>
    io.err(c.dim(`${name.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms`));
  const summary = (v: { passed: number; failed: number }) =>
    `claims: ${c.green(`${v.passed} passed`)}, ${v.failed ? c.red(`${v.failed} failed`) : '0 failed'}`;

  // commander writes a usage error, then what to do on a line of its own: one line is printed
  let usageError: string | undefined;
  const flushUsage = () => {
    if (usageError !== undefined) io.err(usageError);
    usageError = undefined;
  };
  const writeUsage = (text: string) => {
    if (text.startsWith('error:')) {
      flushUsage();
      usageError = text.replace(/\n+/g, ' ');
    } else if (usageError !== undefined && text.startsWith('(')) {
      io.err(`${usageError} ${text}`);
      usageError = undefined;
    } else {
      flushUsage();
      io.err(text);
    }
  };
  const program = new Command('report')
    .description('Rebuild, verify and publish a survey report from its raw responses.')
    .version(
      (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string })
        .version,
      '-V, --version',
      "print the tool's version",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      // commander repeats what was typed ("unknown command …"): shown escaped
      writeErr: (s) => writeUsage(s.trimEnd().split('\n').map(escapeInvisible).join('\n')),
    })
    .showHelpAfterError('(run "report --help" for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 a published claim does not verify, 2 bad input or usage, 3 internal error.',
    );

  program
    .command('build')
    .description('build the report (HTML site, PDF per language, charts, data, manifest) into out/')
    .addOption(rootOption())
    .option('--out <dir>', 'output folder, relative to the study folder', 'out')
    .addOption(langOption())
    .addOption(
      new Option('--format <formats>', 'html, pdf, docx (Word), comma-separated')
        .default(['html', 'pdf'], 'html,pdf')
        .argParser(list('--format', 'html,pdf')),
    )
    .action(async (opts: { root: string; out: string; lang?: string[]; format: string[] }) => {
      const result = await (await import('./build.js')).build({
        root: opts.root,
        outDir: opts.out,
        langs: opts.lang,
        formats: formatsOf(opts.format),
        timestamp: sourceDateEpoch(),
        onStage: stageLog,
      });
      for (const warning of result.warnings) io.err(`${c.yellow('warning')}: ${warning}`);
      io.err(
        `wrote ${result.files.size} files to ${result.outDir} · ${summary(result.verification)}`,
      );
      code = result.verification.ok ? EXIT.ok : EXIT.claimFails;
    });

  program
    .command('init')
    .description(
      'draft a study folder from a data file (.csv, .xlsx or .sav): codebook, empty claims, a template per language',
    )
    .argument('<datafile>', 'the responses: .csv, .xlsx or .sav')
    .option('--form <xlsform>', 'the XLSForm (.xlsx) the data were collected with')
    .addOption(
      new Option(
        '--lang <codes>',
        "languages of the report; the first is the data's (default: the form's, or es,en)",
      ).argParser(list('--lang', 'es,en')),
    )
    .option(
      '--dir <dir>',
      'the study folder to write (default: a folder named after the data file)',
    )
    .option('--sheet <name>', "a workbook's sheet (default: the first)")
    .option('--header-row <n>', "a workbook's header row (default 1)", (v) => {
      if (!/^[1-9]\d*$/.test(v)) throw usage(`--header-row takes a row number, got "${v}"`);
      return Number(v);
    })
    .option('--force', 'overwrite files that exist')
    .action(
      async (
        datafile: string,
        opts: {
          form?: string;
          lang?: string[];
          dir?: string;
          sheet?: string;
          headerRow?: number;
          force?: boolean;
        },
      ) => {
        const result = await (await import('./init/init.js')).initStudy({
          data: datafile,
          form: opts.form,
          langs: opts.lang,
          dir: opts.dir,
          sheet: opts.sheet,
          headerRow: opts.headerRow,
          force: opts.force,
        });
        const { draft } = result;
        for (const path of result.written) io.err(`wrote ${path}`);
        io.err(
          `${draft.codebook.questions.length} questions in ${draft.codebook.sections.length} sections, ${draft.codebook.study.languages.map((l) => l.code).join(', ')}` +
            (draft.leftOut.length > 0
              ? ` · ${draft.leftOut.length} columns left out (see data/codebook.yaml)`
              : ''),
        );
        for (const lang of draft.untranslated)
          io.err(
            `${c.yellow('warning')}: the "${lang}" texts are copies, to translate in data/codebook.yaml`,
          );
        io.err(`next: report build --root ${result.dir}`);
      },
    );

  program
    .command('verify')
    .description('recompute every published claim and check it against the data')
    .addOption(rootOption())
    .option('--json', 'print the verification as JSON')
    .option(
      '--lang <code>',
      "language of the claim descriptions (default: en, else the study's first)",
    )
    .option('--strict', 'exit 1 on inconsistent rounding too')
    .action(async (opts: { root: string; json?: boolean; lang?: string; strict?: boolean }) => {
      if (opts.lang !== undefined && opts.lang.trim() === '')
        throw usage('--lang is empty: give a language code, e.g. en');
      const { verification, lang } = await verifyStudy(resolve(opts.root), opts.lang, (warning) =>
        io.err(`${c.yellow('warning')}: ${warning}`),
      );
      if (opts.json) io.out(verificationJson(verification).trimEnd());
      else
        io.out(
          verificationTable(verification, lang)
            .replace(/ PASS /g, ` ${c.green('PASS')} `)
            .replace(/ FAIL /g, ` ${c.red('FAIL')} `),
        );
      code =
        verification.ok && !(opts.strict && verification.inconsistent.length > 0)
          ? EXIT.ok
          : EXIT.claimFails;
    });

  program
    .command('check')
    .description(
      'validate data, codebook, claims and templates, rendering everything in memory; writes nothing',
    )
    .addOption(rootOption())
    .addOption(langOption())
    .action(async (opts: { root: string; lang?: string[] }) => {
      const result = await (await import('./build.js')).build({
        root: opts.root,
        langs: opts.lang,
        dryRun: true,
        // every back-end sets the document in memory: what one of them cannot set fails here
        formats: ['html', 'pdf', 'docx'],
        onStage: stageLog,
      });
      const d = result.dialect;
      const delimiter = d.delimiter === '\t' ? 'tab' : `"${d.delimiter}"`;
      io.err(
        d.source
          ? `${d.file}: ${d.rows} rows · ${d.source}`
          : `data/responses.csv: ${d.rows} rows · encoding ${d.encoding} (${d.encodingBy}) · delimiter ${delimiter} (${d.delimiterBy})`,
      );
      for (const column of d.columns)
        io.err(`  ${escapeInvisible(JSON.stringify(column.header))} → ${column.as}`);
      for (const warning of result.warnings) io.err(`${c.yellow('warning')}: ${warning}`);
      io.err(
        `${c.green('ok')}: data, codebook, claims and templates are valid · ${summary(result.verification)}`,
      );
      code = result.verification.ok ? EXIT.ok : EXIT.claimFails;
    });

  program
    .command('scan')
    .description(
      "find every number a text prints (plain text, Markdown, HTML or PDF) and check it against the study's claims and data",
    )
    .argument('<file>', 'the text to check; - reads standard input')
    .addOption(rootOption())
    .addOption(
      new Option('--as <kind>', 'read the file as this, whatever its name').choices([
        'text',
        'markdown',
        'html',
        'pdf',
        'docx',
      ]),
    )
    .option('--json', 'print the scan as JSON')
    .option('--suggest', 'print claim entries for the numbers the claims file does not place')
    .option(
      '--n <n>',
      'the number of respondents shares are tested against, when the text names no study',
      (v) => {
        if (!/^[1-9]\d*$/.test(v)) throw usage(`--n takes a positive whole number, got "${v}"`);
        return Number(v);
      },
    )
    .option(
      '--strict',
      'exit 1 on notes too (unbound impossible shares, inconsistent rounding, tests without df)',
    )
    .action(
      async (
        file: string,
        opts: {
          root: string;
          as?: TextKind;
          json?: boolean;
          suggest?: boolean;
          n?: number;
          strict?: boolean;
        },
      ) => {
        const kind = opts.as ?? kindOf(file);
        if (kind !== 'pdf' && kind !== 'docx') {
          const summary = await scanStreamed(resolve(opts.root), file, kind, io, {
            ...(opts.n === undefined ? {} : { n: opts.n }),
            strict: opts.strict ?? false,
            as: opts.suggest ? 'suggest' : opts.json ? 'json' : 'table',
            paint: c,
            schemaVersion: SCHEMA_VERSION,
          });
          const k = summary.counts;
          io.err(
            `${summary.ok ? c.green('ok') : c.red('not ok')}: ${k.verified} verified · ${k.recomputed} recomputed · ${k.fails} fail · ${k.impossible} impossible · ${k.note} notes · ${k.unchecked} unchecked · ${k.ignored} not claims${summary.sums.count > 0 ? ` · sums: ${summary.sums.ok} of ${summary.sums.count} add up` : ''}${summary.base ? ` · n = ${summary.base.n} (${summary.base.from})` : ''}`,
          );
          code = summary.ok ? EXIT.ok : EXIT.claimFails;
          return;
        }
        const { scan, suggest } = await scanFile(resolve(opts.root), file, {
          as: opts.as,
          ...(opts.n === undefined ? {} : { n: opts.n }),
          strict: opts.strict ?? false,
          stdin: async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks);
          },
        });
        if (opts.suggest) io.out(suggest().trimEnd());
        else if (opts.json)
          io.out(JSON.stringify({ schema_version: SCHEMA_VERSION, ...scan }, null, 2));
        else io.out(scanTable(scan, c));
        const k = scan.counts;
        io.err(
          `${scan.ok ? c.green('ok') : c.red('not ok')}: ${k.verified} verified · ${k.recomputed} recomputed · ${k.fails} fail · ${k.impossible} impossible · ${k.note} notes · ${k.unchecked} unchecked · ${k.ignored} not claims${scan.sums.length > 0 ? ` · sums: ${scan.sums.filter((s) => s.ok).length} of ${scan.sums.length} add up` : ''}${scan.base ? ` · n = ${scan.base.n} (${scan.base.from})` : ''}`,
        );
        code = scan.ok ? EXIT.ok : EXIT.claimFails;
      },
    );

  program
    .command('audit')
    .description(
      'check a published site (out/ or any copy) against its manifest, and every figure against its published data',
    )
    .argument('<dir>', "the site's folder")
    .option('--json', 'print the audit as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const audit = await (await import('./audit/audit.js')).auditSite(dir);
      if (opts.json) io.out(JSON.stringify(audit, null, 2));
      else io.out(auditReport(audit, c));
      code = audit.ok ? EXIT.ok : EXIT.claimFails;
    });

  program
    .command('pack')
    .description(
      'write one deterministic archive (.tar.gz) of the built site, and with --study its inputs, with its SHA-256',
    )
    .addOption(rootOption())
    .option('--out <dir>', 'the built site, relative to the study folder', 'out')
    .option('--study', 'also the study files the build read (data/, templates/)')
    .option('--output <file>', 'the archive (default: <study id>.tar.gz in the study folder)')
    .action(async (opts: { root: string; out: string; study?: boolean; output?: string }) => {
      const packed = await (await import('./pack.js')).packReport({
        root: opts.root,
        outDir: opts.out,
        study: opts.study,
        output: opts.output,
      });
      if (!packed.audit.ok) {
        io.out(auditReport(packed.audit, c));
        io.err(`${c.red('not packed')}: the site is not what its manifest says; build it again`);
        code = EXIT.claimFails;
        return;
      }
      io.out(`${packed.sha256}  ${packed.file}`);
      io.err(
        `wrote ${packed.file} (${packed.entries} files, ${packed.bytes} bytes) and its .sha256`,
      );
    });

  program
    .command('reconstruct')
    .description(
      'write data/responses.csv as a reconstruction that reproduces every published claim',
    )
    .addOption(rootOption())
    .option('--seed <n>', "seed of the shuffle (default: the codebook's)", (v) => {
      if (!/^\d+$/.test(v)) throw usage(`--seed takes a whole number, got "${v}"`);
      return Number(v);
    })
    .option('--stdout', 'print the CSV instead of writing the file')
    .option(
      '--force',
      'replace the responses even when the codebook says they are original (a backup is kept)',
    )
    .action(async (opts: { root: string; seed?: number; stdout?: boolean; force?: boolean }) => {
      const { csv, backup } = await reconstructStudy(resolve(opts.root), {
        seed: opts.seed,
        write: !opts.stdout,
        force: opts.force,
      });
      if (opts.stdout) process.stdout.write(csv);
      else
        io.err(
          `wrote data/responses.csv (a reconstruction of the published marginals)${backup ? `; the previous file is kept as ${backup}` : ''}`,
        );
    });

  program
    .command('preview')
    .description(
      'serve the report on 127.0.0.1, rebuild on every change to data/ or templates/, reload the page',
    )
    .addOption(rootOption())
    .option(
      '--port <n>',
      'port to listen on (0 picks a free one)',
      (v) => {
        if (!/^\d+$/.test(v) || Number(v) > 65535)
          throw usage(`--port takes a port number, got "${v}"`);
        return Number(v);
      },
      4321,
    )
    .addOption(langOption())
    .addOption(
      new Option('--format <formats>', 'html, pdf or both')
        .default(['html'], 'html')
        .argParser(list('--format', 'html,pdf')),
    )
    .action(async (opts: { root: string; port: number; lang?: string[]; format: string[] }) => {
      const preview = await (await import('./preview.js')).startPreview({
        root: opts.root,
        port: opts.port,
        langs: opts.lang,
        formats: formatsOf(opts.format),
        log: (line, kind) => io.err(kind === 'error' ? c.red(line) : line),
      });
      io.err(
        `${c.bold('preview')} at ${c.cyan(preview.url)} · watching data/ and templates/ · Ctrl-C stops`,
      );
      await new Promise<void>((done) => {
        const stop = () => void preview.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    flushUsage();
    return code;
  } catch (error) {
    flushUsage();
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return EXIT.ok;
      if (error.code.startsWith('report.'))
        io.err(`${c.red('error')}: ${escapeInvisible(error.message)}`);
      return EXIT.badInput;
    }
    if (isInputError(error)) {
      for (const line of error.message.split('\n')) io.err(`${c.red('error')}: ${line}`);
      return EXIT.badInput;
    }
    if (process.env.REPORT_DEBUG) throw error;
    io.err(
      `internal error: ${escapeInvisible((error as Error).message?.split('\n')[0] ?? String(error))} (REPORT_DEBUG=1 shows the stack)`,
    );
    return EXIT.internal;
  }
}

/**
 * Scans a text in chunks, writing the output as it comes (standard input is first copied to a
 * temporary file, as it is read more than once).
 */
async function scanStreamed(
  root: string,
  file: string,
  kind: 'text' | 'markdown' | 'html',
  io: Io,
  options: Omit<Parameters<typeof scanFileStreamed>[2], 'kind' | 'write' | 'name'>,
) {
  const gathered: string[] = [];
  const write = io.write ?? ((text: string) => void gathered.push(text));
  let spool: string | undefined;
  try {
    let path = file;
    if (file === '-') {
      spool = await mkdtemp(join(tmpdir(), 'report-stdin-'));
      path = join(spool, 'stdin');
      await pipeline(process.stdin, createWriteStream(path));
    }
    const summary = await scanFileStreamed(root, path, { ...options, kind, write, name: file });
    if (!io.write) io.out(gathered.join('').trimEnd());
    return summary;
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}
