import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot, runBin, runCli } from './helpers.js';

/**
 * Whatever a user's files hold, `report check` answers with a verdict — 0 (valid), 1 (valid,
 * a published claim does not verify) or 2 (one line saying what is wrong) — never 3 (a fault of
 * the tool), never a crash, and within seconds of processor time. Run on the small example
 * study, in this process.
 */
const fixture = join(projectRoot, 'test/fixtures/library-survey');
/**
 * The bound of a case is on the processor time it takes (all threads of this process), not on
 * the clock: on a machine shared with other work the clock says more about the others. The
 * clock only guards against a case that never ends.
 */
const CASE_CPU_MS = 5000;
const CASE_WALL_MS = 60_000;

async function studyWith(path: string, content: string | Uint8Array): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'prop-'));
  await cp(fixture, root, { recursive: true });
  await writeFile(join(root, path), content);
  return root;
}

async function check(root: string): Promise<{ code: number; err: string }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check ran ${CASE_WALL_MS} ms`)), CASE_WALL_MS);
  });
  const cpu = process.cpuUsage();
  try {
    return await Promise.race([runCli(['check', '--root', root, '--lang', 'pt']), hang]);
  } finally {
    clearTimeout(timer);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(CASE_CPU_MS);
  }
}

const verdict = (result: { code: number; err: string }, allowed: number[]) => {
  expect(result.err).not.toMatch(/internal error/);
  expect(allowed).toContain(result.code);
  if (result.code === 2) {
    const lines = result.err.split('\n').filter((l) => !/^\S.*\s\d+ ms$/.test(l));
    // one line per problem (every schema problem of a file is listed at once)
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) {
      expect(line).toMatch(/^error: /);
      // nothing invisible reaches the terminal
      expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
    }
  }
};

/** A text with a random part put in at a random place. */
const spliced = (text: string, insert: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.nat({ max: text.length }), fc.nat({ max: 40 }), insert)
    .map(
      ([at, cut, part]) => text.slice(0, at) + part + text.slice(Math.min(text.length, at + cut)),
    );

/** A modest number of runs by default; PROPERTY_RUNS=500 for a longer search. */
const numRuns = Number(process.env.PROPERTY_RUNS ?? 15);
const runs = { numRuns, endOnFailure: true };
/** Time for a whole property: its runs at their limit each, and the copies of the study. */
const propertyMs = numRuns * 20_000;

const responses = await readFile(join(fixture, 'data/responses.csv'), 'utf8');
const codebook = await readFile(join(fixture, 'data/codebook.yaml'), 'utf8');
const claims = await readFile(join(fixture, 'data/claims.yaml'), 'utf8');
const template = await readFile(join(fixture, 'templates/report.pt.md.hbs'), 'utf8');

const noise = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\u0007', '\u000b', '\u001b[2J', '\ud800', '\u202e', '\ufeff', '\r'),
);

describe('report check never fails as the tool’s own fault', () => {
  it(
    'random bytes as the responses file',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 4000 }).map((b) => Buffer.from(b)),
            spliced(responses, fc.oneof(noise, fc.constantFrom('"', ',', ';', '\n', '""', '\t'))),
          ),
          async (content) =>
            verdict(await check(await studyWith('data/responses.csv', content)), [0, 1, 2]),
        ),
        runs,
      );
    },
    propertyMs,
  );

  it(
    'random YAML as the codebook and the claims',
    async () => {
      const anyYaml = fc.anything({ maxDepth: 3 }).map((v) => {
        try {
          return stringify(v) ?? '';
        } catch {
          return String(v);
        }
      });
      const yamlNoise = fc.oneof(
        noise,
        fc.constantFrom(
          '&a ',
          '*a',
          ': ',
          '- ',
          '{',
          '}',
          '[',
          ']',
          '!!binary ',
          '<<: *a',
          '\n  ',
          '"',
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('data/codebook.yaml', 'data/claims.yaml', 'templates/strings.yaml'),
          fc.oneof(anyYaml, spliced(codebook, yamlNoise), spliced(claims, yamlNoise)),
          async (file, content) => verdict(await check(await studyWith(file, content)), [0, 1, 2]),
        ),
        runs,
      );
    },
    propertyMs,
  );

  it(
    'random templates',
    async () => {
      const part = fc.oneof(
        noise,
        fc.constantFrom(
          '{{',
          '}}',
          '{{n}}',
          '{{pct "visits" "weekly"}}',
          '{{pct "visits"}}',
          '{{table "nope"}}',
          '{{chart "visits"}}',
          '{{#if x}}',
          '{{/if}}',
          '{{#each}}',
          '{{> p}}',
          '{{{title}}}',
          '{{lit "12"}}',
          ':::figure\n',
          ':::\n',
          '## ',
          '# ',
          '{#id}',
          '| a | b |\n|---|---|\n',
          '> ',
          '- ',
          '`',
          '```\n',
          '$',
          '#',
          '<div>',
          '</div>',
          '[x](javascript:y)',
          '![i](charts/visits.svg)',
          '\\',
          '*',
          '_',
          '~',
          '@',
          '\n\n',
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.array(part, { maxLength: 30 }).map((parts) => parts.join('')),
            spliced(
              template,
              fc.array(part, { maxLength: 8 }).map((parts) => parts.join('')),
            ),
          ),
          async (content) =>
            verdict(await check(await studyWith('templates/report.pt.md.hbs', content)), [0, 2]),
        ),
        { ...runs, numRuns: Math.ceil(numRuns * 0.8) },
      );
    },
    propertyMs,
  );

  it('the real binary ends with a verdict, not a signal, on a hostile template', async () => {
    const root = await studyWith(
      'templates/report.pt.md.hbs',
      `${template}\n\n\u0007 {{{title}}} \`\`\` $ # <div> ${'> '.repeat(30)}x\n`,
    );
    const result = runBin(['check', '--root', root, '--lang', 'pt']);
    expect([0, 2]).toContain(result.code);
    expect(result.err).not.toMatch(/internal error/);
  });
});
