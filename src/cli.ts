import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { build, type Format } from './build.js';
import { reconstructStudy, verifyStudy } from './commands.js';
import { isInputError } from './errors.js';
import { verificationTable } from './verify/table.js';

/** Exit codes: 0 all good, 1 a published claim does not verify, 2 bad input or usage, 3 a fault of the tool. */
export const EXIT = { ok: 0, claimFails: 1, badInput: 2, internal: 3 } as const;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let code: number = EXIT.ok;
  const rootOption = () =>
    new Option('--root <dir>', 'study folder holding data/ and templates/').default('.');
  const program = new Command('report')
    .description('Rebuild, verify and publish a survey report from its raw responses.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run "report --help" for usage)');

  program
    .command('verify')
    .description('recompute every published claim and check it against the data')
    .addOption(rootOption())
    .option('--json', 'print the verification as JSON')
    .option('--lang <code>', 'language of the claim descriptions', 'en')
    .action(async (opts: { root: string; json?: boolean; lang: string }) => {
      const verification = await verifyStudy(resolve(opts.root));
      io.out(
        opts.json
          ? JSON.stringify(verification, null, 2)
          : verificationTable(verification, opts.lang),
      );
      code = verification.ok ? EXIT.ok : EXIT.claimFails;
    });

  const list = (value: string) =>
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  program
    .command('build')
    .description(
      'build the report: HTML site and PDF per language, charts, data and manifest, into out/',
    )
    .addOption(rootOption())
    .option('--out <dir>', 'output folder, relative to the study folder', 'out')
    .option('--lang <codes>', "languages to build, e.g. es,en (default: all of the study's)", list)
    .addOption(
      new Option('--format <formats>', 'html, pdf or both')
        .default(['html', 'pdf'], 'html,pdf')
        .argParser(list),
    )
    .action(async (opts: { root: string; out: string; lang?: string[]; format: string[] }) => {
      const unknown = opts.format.filter((f) => f !== 'html' && f !== 'pdf');
      if (unknown.length)
        throw new CommanderError(
          EXIT.badInput,
          'report.usage',
          `--format: unknown format "${unknown[0]}" (html, pdf)`,
        );
      const epoch = process.env.SOURCE_DATE_EPOCH;
      const result = await build({
        root: opts.root,
        outDir: opts.out,
        langs: opts.lang,
        formats: opts.format as Format[],
        timestamp: epoch && /^\d+$/.test(epoch) ? Number(epoch) : undefined,
        onStage: (name, ms) => io.err(`${name.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms`),
      });
      const v = result.verification;
      io.err(
        `wrote ${result.files.size} files to ${result.outDir} · claims: ${v.passed} passed, ${v.failed} failed`,
      );
      code = v.ok ? EXIT.ok : EXIT.claimFails;
    });

  program
    .command('reconstruct')
    .description(
      'write data/responses.csv as a reconstruction that reproduces every published claim',
    )
    .addOption(rootOption())
    .option('--seed <n>', "seed of the shuffle (default: the codebook's)", (v) => {
      if (!/^\d+$/.test(v))
        throw new CommanderError(
          EXIT.badInput,
          'report.seed',
          `--seed takes a whole number, got "${v}"`,
        );
      return Number(v);
    })
    .option('--stdout', 'print the CSV instead of writing the file')
    .action(async (opts: { root: string; seed?: number; stdout?: boolean }) => {
      const csv = await reconstructStudy(resolve(opts.root), {
        seed: opts.seed,
        write: !opts.stdout,
      });
      if (opts.stdout) process.stdout.write(csv);
      else io.err('wrote data/responses.csv (a reconstruction of the published marginals)');
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return EXIT.ok;
      if (error.code.startsWith('report.')) io.err(`error: ${error.message}`);
      return EXIT.badInput;
    }
    if (isInputError(error)) {
      io.err(`error: ${error.message}`);
      return EXIT.badInput;
    }
    if (process.env.REPORT_DEBUG) throw error;
    io.err(
      `internal error: ${(error as Error).message?.split('\n')[0] ?? String(error)} (REPORT_DEBUG=1 shows the stack)`,
    );
    return EXIT.internal;
  }
}
