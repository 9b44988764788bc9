import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
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

  async function open(
    path: string,
    options: { width?: number; colorScheme?: 'light' | 'dark' } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1100, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
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

  /**
   * Clicks a link where the reader sees it, asserting that it is in view: Playwright's own click
   * first scrolls a sticky element "into view", which moves the reader away from their place.
   */
  const clickInPlace = async (page: Page, link: Locator) => {
    const box = await link.boundingBox();
    const viewport = page.viewportSize();
    expect(box && viewport).toBeTruthy();
    if (!box || !viewport) return;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  };

  it('switches language at the same section', async () => {
    const page = await open('es/index.html#training-provider');
    await clickInPlace(page, page.getByRole('link', { name: 'English' }));
    await page.waitForURL(/\/en\/index\.html#training-provider$/);
    // just under the sticky bar, not hidden by it
    const { top, bar } = await page.locator('#training-provider').evaluate((el) => ({
      top: el.getBoundingClientRect().top,
      bar: document.querySelector('.bar')?.getBoundingClientRect().bottom ?? 0,
    }));
    expect(top).toBeGreaterThanOrEqual(bar - 1);
    expect(top - bar).toBeLessThan(50);
    expect(await page.locator('#training-provider').innerText()).toBe(
      'Who should provide the training?',
    );
    await page.context().close();
  });

  it('switches language from anywhere, at the heading nearest above the reader', async () => {
    const page = await open('en/index.html', { width: 390 });
    await page.evaluate(() => {
      document.getElementById('added-value')?.scrollIntoView({ block: 'start' });
      window.scrollBy(0, 40);
    });
    // the switch stays in view in its sticky bar, with no #hash in the address
    await clickInPlace(page, page.locator('.bar').getByRole('link', { name: 'Español' }));
    await page.waitForURL(/\/es\/index\.html#added-value$/);
    await page.context().close();
  });

  const axe = async (page: Page) => {
    await page.addScriptTag({
      path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    });
    return page.evaluate(async () => {
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
  };

  describe.each([320, 390, 1280])('at %i px', (width) => {
    it.each([
      ['es', 'light'],
      ['en', 'dark'],
      ['es', 'dark'],
      ['en', 'light'],
    ] as const)(
      'the %s page in %s mode: no overflow, chart text of at least 11 px, no axe violation',
      async (lang, colorScheme) => {
        const page = await open(`${lang}/index.html`, { width, colorScheme });
        const overflow = await page.evaluate(() => {
          const limit = document.documentElement.clientWidth;
          const wide = Array.from(document.querySelectorAll('body *'))
            .filter((el) => {
              const box = el.getBoundingClientRect();
              return (
                box.width > 0 &&
                (box.right > limit + 0.5 || box.left < -0.5) &&
                !el.closest('.skip, thead')
              );
            })
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
          return { scroll: document.documentElement.scrollWidth - limit, wide: wide.slice(0, 5) };
        });
        expect(overflow.scroll).toBeLessThanOrEqual(0);
        expect(overflow.wide).toEqual([]);
        // the size chart text is seen at: its font size times the SVG's scale on the page
        const smallest = await page.evaluate(() =>
          Math.min(
            ...Array.from(document.querySelectorAll('figure.chart svg')).flatMap((svg) => {
              const scale =
                svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
              return Array.from(svg.querySelectorAll('text'))
                .filter((t) => t.getAttribute('opacity') !== '0' && t.textContent?.trim())
                .map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * scale);
            }),
          ),
        );
        expect(smallest).toBeGreaterThanOrEqual(11);
        if (width === 1280) expect(smallest).toBeGreaterThanOrEqual(15);
        if (colorScheme === 'dark') {
          // charts follow the page: their text in the page's light ink, on its dark ground
          const ink = await page.evaluate(() => {
            const text = document.querySelector('figure.chart svg text');
            return [
              getComputedStyle(text as Element).fill,
              getComputedStyle(document.documentElement).backgroundColor,
            ];
          });
          expect(ink[0]).not.toBe('rgb(29, 42, 58)');
          expect(ink[1]).not.toBe('rgb(255, 255, 255)');
        }
        expect(await axe(page)).toEqual([]);
        await page.screenshot({ path: join(shots, `${lang}-${width}-${colorScheme}.png`) });
        await page.context().close();
      },
    );
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
