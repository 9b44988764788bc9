import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { copyStudy, projectRoot } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const message = `browser tests need Chromium at ${CHROMIUM} (apt-get install chromium); skipping only them`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

/** Served under a sub-path, as a project page would be, to prove every link is relative. */
const BASE = '/reports/el-porvenir/';
const shots = join(projectRoot, 'test-output/screenshots');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

describe.runIf(haveChromium)('the site in a browser', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const external: string[] = [];

  beforeAll(async () => {
    const root = await copyStudy();
    await build({ root });
    const out = join(root, 'out');
    server = createServer(async (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!path.startsWith(BASE)) return void res.writeHead(404).end();
      let file = normalize(join(out, path.slice(BASE.length)));
      if (file.endsWith('/') || path.endsWith('/')) file = join(file, 'index.html');
      try {
        res
          .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(await readFile(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await mkdir(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      external.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`${origin}${BASE}${path}`);
    await page.evaluate(() => document.fonts.ready);
    return page;
  }

  it.each(['es', 'en'])('renders the %s page with its fonts, charts and tables', async (lang) => {
    const page = await open(`${lang}/index.html`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
    expect(await page.locator('h1').innerText()).toMatch(
      lang === 'es' ? /Identificación/ : /Identifying/,
    );
    const charts = page.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(10);
    for (const chart of await charts.all()) {
      await chart.scrollIntoViewIfNeeded();
      expect(await chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      expect(box?.height).toBeGreaterThan(50);
    }
    expect(await page.evaluate(() => document.fonts.check('16px "Source Serif 4"'))).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, `${lang}.png`), fullPage: true });
    await page.context().close();
  });

  it('switches language at the same section', async () => {
    const page = await open('es/index.html#training-provider');
    await page.getByRole('link', { name: 'Leer en English' }).click();
    await page.waitForURL(/\/en\/index\.html#training-provider$/);
    const top = await page
      .locator('#training-provider')
      .evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(50);
    expect(await page.locator('#training-provider').innerText()).toBe(
      'Who should provide training',
    );
    await page.context().close();
  });

  it('offers each language and its PDF from the front page', async () => {
    const page = await open('');
    await page.screenshot({ path: join(shots, 'index.png'), fullPage: true });
    for (const lang of ['es', 'en']) {
      const pdf = await page.request.get(
        `${origin}${BASE}${lang}/el-porvenir-footwear-cluster.${lang}.pdf`,
      );
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    }
    await page.locator('a[hreflang="en"]').first().click();
    await page.waitForURL(/\/en\/index\.html$/);
    await page.context().close();
  });

  it.each(['', 'es/index.html', 'en/index.html'])(
    'has no accessibility violations (axe-core): /%s',
    async (path) => {
      const page = await open(path);
      await page.addScriptTag({
        path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
      });
      const violations = await page.evaluate(async () => {
        const result = await (
          window as unknown as {
            axe: {
              run: () => Promise<{
                violations: { id: string; help: string; nodes: { target: string[] }[] }[];
              }>;
            };
          }
        ).axe.run();
        return result.violations.map(
          (v) =>
            `${v.id}: ${v.help} (${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(', ')})`,
        );
      });
      expect(violations).toEqual([]);
      await page.context().close();
    },
  );

  it('sends no request off the machine', () => {
    expect(external).toEqual([]);
  });
});
