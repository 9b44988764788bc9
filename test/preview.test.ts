import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Preview, startPreview } from '../src/preview.js';
import { copyStudy, editFile, runCli } from './helpers.js';

/** A request as a browser or an attacker would send it: the raw path and any Host header. */
function raw(
  preview: Preview,
  path: string,
  host?: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(preview.url);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        headers: { host: host ?? url.host },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end();
  });
}

const waitFor = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('the preview server', () => {
  let preview: Preview;
  let root: string;
  beforeAll(async () => {
    root = await copyStudy();
    preview = await startPreview({ root, port: 0, log: () => {}, debounce: 10 });
  });
  afterAll(async () => {
    await preview.close();
  });

  it('answers a malformed URL with 400 and keeps serving', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/es/%zz', '/a%00b', '*']) {
      expect((await raw(preview, path)).status, path).toBe(400);
    }
    expect((await raw(preview, '/en/index.html')).status).toBe(200);
  });

  it('answers only requests addressed to 127.0.0.1, localhost or [::1] on its port', async () => {
    const { port } = new URL(preview.url);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `[::1]:${port}`,
    ])
      expect((await raw(preview, '/data/responses.csv', host)).status, host).toBe(200);
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1:${Number(port) + 1}`,
      '127.0.0.1',
      `localhost.attacker.example:${port}`,
      `127.0.0.2:${port}`,
      '',
    ]) {
      const res = await raw(preview, '/data/responses.csv', host);
      expect(res.status, host).toBe(403);
      expect(res.text).not.toContain('R01');
    }
    // the live-reload stream too
    expect((await raw(preview, '/__report/events', `attacker.example:${port}`)).status).toBe(403);
  });

  it('redirects a folder to its own path on this site, never to another host', async () => {
    for (const path of ['/.//es', '//es', '/./es', '/x/../es', '/%2e/es']) {
      const res = await raw(preview, path);
      expect(res.status, path).toBe(301);
      expect(res.headers.location, path).toBe('/es/');
    }
    expect((await raw(preview, '/es/')).text).toContain('<html lang="es"');
    expect((await raw(preview, '/../../etc/passwd')).status).toBe(404);
  });

  it('answers only GET and HEAD', async () => {
    expect((await raw(preview, '/en/index.html', undefined, 'POST')).status).toBe(405);
    const head = await raw(preview, '/en/index.html', undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('the preview error banner', () => {
  it('shows `$` patterns in an error as they are written', async () => {
    const root = await copyStudy();
    const preview = await startPreview({ root, port: 0, log: () => {}, debounce: 10 });
    try {
      // each of these means something to String.replace when given as a replacement string
      const cell = "$`$'$&$1$$";
      await editFile(root, 'data/responses.csv', (t) => t.replace('does_not_know', () => cell));
      await waitFor('the error', async () => preview.error !== null);
      const page = (await raw(preview, '/en/index.html')).text;
      const banner = /<div role="alert"[^>]*>([^<]*)<\/div>/.exec(page)?.[1];
      const text = banner?.replace(/&#x([\da-f]+);/gi, (_, hex) =>
        String.fromCodePoint(Number.parseInt(hex, 16)),
      );
      expect(text).toContain(`unknown option "${cell}" in column "knowledge"`);
      expect(page.match(/<head>/g)).toHaveLength(1);
      expect(page.match(/<\/body>/g)).toHaveLength(1);
    } finally {
      await preview.close();
    }
  });
});

describe('report preview --root', () => {
  it('refuses a folder that does not exist, with one line and exit 2', async () => {
    const missing = join(tmpdir(), 'no-such-study-folder');
    const { code, out, err } = await runCli(['preview', '--root', missing, '--port', '0']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `error: ${missing}: folder not found (give the study folder (the one holding data/ and templates/) with --root)`,
    );
  });

  it('refuses a folder that holds no study', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'not-a-study-'));
    const { code, err } = await runCli(['preview', '--root', empty, '--port', '0']);
    expect(code).toBe(2);
    expect(err).toBe(
      `error: data/codebook.yaml: file not found (looked in ${empty}; give the study folder (the one holding data/ and templates/) with --root)`,
    );
  });
});

describe('the preview watcher', () => {
  let preview: Preview;
  let root: string;
  const page = async () => (await raw(preview, '/en/index.html')).text;
  const heading = (word: string) => (t: string) =>
    t.replace(/## Introduction[^\n{]*/, `## Introduction ${word} `);
  beforeAll(async () => {
    root = await copyStudy();
    preview = await startPreview({ root, port: 0, log: () => {}, debounce: 10 });
  });
  afterAll(async () => {
    await preview.close();
  });

  it('sees every save made by renaming a new file over the old one', async () => {
    const file = join(root, 'templates/report.en.md.hbs');
    // how editors, `sed -i` and `git checkout` save: a new file renamed over the old one; the new
    // file is written outside the watched folders, so only the rename itself can be seen
    const temporary = join(root, 'report.en.md.hbs.new');
    for (const word of ['alpha', 'bravo', 'delta', 'oscar', 'tango']) {
      await writeFile(temporary, heading(word)(await readFile(file, 'utf8')));
      await rename(temporary, file);
      await waitFor(`"${word}"`, async () => (await page()).includes(`Introduction ${word}`));
    }
    // the same with the new file beside the old one, written and renamed at once
    for (const word of ['uniform', 'victor']) {
      writeFileSync(`${file}.tmp`, heading(word)(readFileSync(file, 'utf8')));
      renameSync(`${file}.tmp`, file);
      await waitFor(`"${word}"`, async () => (await page()).includes(`Introduction ${word}`));
    }
  });

  it('sees a file deleted and made again', async () => {
    const file = join(root, 'templates/report.en.md.hbs');
    const text = await readFile(file, 'utf8');
    await rm(file);
    await waitFor('the error', async () => (await page()).includes('report-build-error'));
    await writeFile(file, heading('foxtrot')(text));
    await waitFor('"foxtrot"', async () => {
      const p = await page();
      return p.includes('Introduction foxtrot') && !p.includes('report-build-error');
    });
    await editFile(root, 'templates/report.en.md.hbs', heading('golf'));
    await waitFor('"golf"', async () => (await page()).includes('Introduction golf'));
  });

  it('sees a folder deleted and made again, and the files in it changed later', async () => {
    const saved = await mkdtemp(join(tmpdir(), 'templates-'));
    await cp(join(root, 'templates'), saved, { recursive: true });
    await rm(join(root, 'templates'), { recursive: true });
    await waitFor('the error', async () => (await page()).includes('report-build-error'));
    await cp(saved, join(root, 'templates'), { recursive: true });
    await waitFor('the rebuild', async () => !(await page()).includes('report-build-error'));
    await editFile(root, 'templates/report.en.md.hbs', heading('hotel'));
    await waitFor('"hotel"', async () => (await page()).includes('Introduction hotel'));
    // data/ too
    await editFile(root, 'data/responses.csv', (t) => t.replace('does_not_know', 'nope'));
    await waitFor('the data error', async () => preview.error?.includes('"nope"') ?? false);
  });
});
