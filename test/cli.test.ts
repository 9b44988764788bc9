import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Preview, startPreview } from '../src/preview.js';
import { copyStudy, editFile, projectRoot, runBin, runCli } from './helpers.js';

const fixture = join(projectRoot, 'test/fixtures/library-survey');

describe('another study', () => {
  it('verifies with --root', () => {
    const { code, out } = runBin(['verify', '--root', fixture]);
    expect(code).toBe(0);
    expect(out).toMatch(/weekly\s+50 %\s+50 % \(12\/24\)\s+PASS/);
    expect(out).toMatch(/4 passed, 0 failed/);
  });

  it('builds in its own languages and number formats', async () => {
    const root = await copyStudy(fixture);
    const { code, err } = runBin(['build', '--root', root]);
    expect(code, err).toBe(0);
    const fr = await readFile(join(root, 'out/fr/index.html'), 'utf8');
    const pt = await readFile(join(root, 'out/pt/index.html'), 'utf8');
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toMatch(/50\u00a0%|50\u202f%/); // French: a (narrow) no-break space before %
    expect(fr).toContain('Tableau 1.');
    expect(pt).toContain('Tabela 1.');
    expect(pt).toContain('Sem resposta');
    expect(await readdir(join(root, 'out/pt'))).toContain('municipal-library.pt.pdf');
  });

  it('needs no knowledge of any study in src/', async () => {
    const files = await readdir(join(projectRoot, 'src'), { recursive: true });
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      const text = await readFile(join(projectRoot, 'src', file), 'utf8');
      expect(text, file).not.toMatch(/porvenir|clúster|cluster|calzado|footwear|trujillo|UPRIT/i);
    }
  });
});

describe('report check', () => {
  it('validates everything and writes nothing', async () => {
    const root = await copyStudy();
    const { code, err } = runBin(['check', '--root', root]);
    expect(code).toBe(0);
    expect(err).toMatch(/ok: data, codebook, claims and templates are valid/);
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('reports a template error as bad input', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) => t.replace('{{n}}', '{{n "nope"}}'));
    const { code, err } = runBin(['check', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /^error: templates\/report\.en\.md\.hbs:\d+: \{\{n\}\}: unknown question "nope"/m,
    );
  });
});

describe('the command line', () => {
  it.each(['build', 'verify', 'check', 'reconstruct', 'preview'])(
    'has --help for %s',
    async (command) => {
      const { code, out } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(out).toMatch(new RegExp(`Usage: report ${command}`));
      expect(out).toContain('--root');
    },
  );

  // two whole builds, each of every format
  it('builds the same bytes in two processes, PDFs and Word files included', {
    timeout: 240_000,
  }, async () => {
    const root = await copyStudy();
    const manifests: string[] = [];
    for (const out of ['out-a', 'out-b']) {
      const format = ['--format', 'html,pdf,docx'];
      expect(runBin(['build', '--root', root, '--out', out, ...format]).code).toBe(0);
      manifests.push(await readFile(join(root, out, 'manifest.json'), 'utf8'));
    }
    // the manifest lists every output file with its SHA-256
    expect(manifests[1]).toBe(manifests[0]);
    expect(manifests[0]).toMatch(/\.pdf"/);
    expect(manifests[0]).toMatch(/\.docx"/);
  });

  it('prints one timed line per stage', async () => {
    const root = await copyStudy();
    const { code, err } = runBin(['build', '--root', root, '--format', 'html', '--lang', 'en']);
    expect(code).toBe(0);
    for (const stage of ['load', 'stats', 'verify', 'charts en', 'render en', 'publish']) {
      expect(err).toMatch(new RegExp(`^${stage}\\s+\\d+ ms$`, 'm'));
    }
    expect(await readdir(join(root, 'out'))).not.toContain('es');
  });

  it('uses colour only when asked for a terminal, never in pipes or with NO_COLOR', async () => {
    const root = await copyStudy();
    await editFile(root, 'data/claims.yaml', (t) => t.replace('percent: "5"', 'percent: "7.5"'));
    const plain = runBin(['verify', '--root', root]);
    expect(plain.code).toBe(1);
    expect(plain.out).not.toContain('\u001b[');
    const out: string[] = [];
    await import('../src/cli.js').then(({ main }) =>
      main(['verify', '--root', root], { out: (t) => out.push(t), err: () => {}, color: true }),
    );
    expect(out.join('\n')).toContain('\u001b[31mFAIL');
  });

  it('rejects a bad --format or --port as usage errors', async () => {
    expect((await runCli(['build', '--format', 'odt'])).err).toMatch(/unknown format "odt"/);
    expect((await runCli(['preview', '--port', 'x'])).code).toBe(2);
  });
});

describe('report preview', () => {
  let preview: Preview | undefined;
  afterEach(async () => {
    await preview?.close();
    preview = undefined;
  });

  const get = async (path: string) => {
    const res = await fetch(new URL(path, preview?.url));
    return { status: res.status, text: await res.text() };
  };
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };

  it('serves, rebuilds on edits, shows errors on the page and recovers', async () => {
    const root = await copyStudy();
    const lines: string[] = [];
    preview = await startPreview({ root, port: 0, log: (l) => lines.push(l), debounce: 10 });
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const first = await get('en/index.html');
    expect(first.status).toBe(200);
    expect(first.text).toContain('EventSource');
    expect((await get('index.html')).text).toContain('es/index.html');
    expect((await get('en/charts/knowledge.svg')).text).toMatch(/^<svg/);

    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', '## Introduction, revised'),
    );
    await waitFor(async () => (await get('en/index.html')).text.includes('Introduction, revised'));

    await editFile(root, 'data/responses.csv', (t) => t.replace('does_not_know', 'unknown_code'));
    await waitFor(async () => (await get('en/index.html')).text.includes('report-build-error'));
    const broken = await get('en/index.html');
    expect(broken.text).toMatch(
      /Build failed: data\/responses\.csv:\d+: unknown option &#x22;unknown_code&#x22;|Build failed: data\/responses\.csv:\d+: unknown option "unknown_code"/,
    );
    expect(broken.text).toContain('Introduction, revised');
    expect(lines.some((l) => l.startsWith('error: data/responses.csv:'))).toBe(true);

    await editFile(root, 'data/responses.csv', (t) => t.replace('unknown_code', 'does_not_know'));
    await waitFor(async () => !(await get('en/index.html')).text.includes('report-build-error'));
    expect(preview.error).toBeNull();
  });

  it('says plainly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const root = await copyStudy();
      await expect(startPreview({ root, port, log: () => {} })).rejects.toThrow(
        `port ${port} is taken`,
      );
    } finally {
      blocker.close();
    }
  });
});
