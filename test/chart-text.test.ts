import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { copyStudy, projectRoot } from './helpers.js';

/**
 * The size chart text is read at, in the browser, for every kind of chart: bars (a single and a
 * multiple question), a histogram, bars of a binned number, a single ordinal item and a
 * battery of them. Its printed size is its font size times the scale the page draws the SVG at.
 *
 * Thresholds: on a desktop (1280 px) chart text stays near the body's 18 px, at least 15 px
 * (the size of a caption, 5/6 of the body); on phones (320 and 390 px) it stays at or above
 * 11 px, the smallest size Apple's and Google's interface guidelines allow for legible text,
 * and the size the shipped study's bar charts are already held to.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const DESKTOP = 15;
const PHONE = 11;

/** The town survey's charts, by the kind of chart each is. */
const KINDS: Record<string, string> = {
  district: 'bars',
  channels: 'bars (multiple)',
  age: 'bars (binned number)',
  income: 'histogram',
  safety: 'diverging (one item)',
  'likert-transport-waste-cleanliness': 'diverging (battery)',
  services: 'bars (multiple, all respondents)',
};

describe.runIf(haveChromium)('chart text in the browser', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    const root = await copyStudy(join(projectRoot, 'test/fixtures/town-survey'));
    await build({ root, formats: ['html'] });
    const out = join(root, 'out');
    server = createServer(async (req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      try {
        res
          .writeHead(200, {
            'content-type':
              {
                '.html': 'text/html; charset=utf-8',
                '.css': 'text/css',
                '.js': 'text/javascript',
                '.woff2': 'font/woff2',
              }[extname(path)] ?? 'application/octet-stream',
          })
          .end(await readFile(join(out, path)));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it.each([
    [1280, 'en'],
    [390, 'es'],
    [320, 'en'],
    [320, 'es'],
  ] as const)(
    'at %i px (%s), every kind of chart prints its text large enough',
    async (width, lang) => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.route('**/*', (route) =>
        route.request().url().startsWith(origin) ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      await page.goto(`${origin}/${lang}/index.html`);
      await page.evaluate(() => document.fonts.ready);
      const sizes = await page.evaluate(() =>
        Array.from(document.querySelectorAll('figure.chart')).map((figure) => {
          const svg = figure.querySelector('svg') as SVGSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const texts = Array.from(svg.querySelectorAll('text')).filter(
            (t) => t.getAttribute('opacity') !== '0' && t.textContent?.trim(),
          );
          return {
            id: figure.id.replace(/^fig-/, ''),
            smallest: Math.min(
              ...texts.map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * scale),
            ),
            overflow:
              svg.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5,
          };
        }),
      );
      const byKind = Object.fromEntries(
        Object.entries(KINDS).map(([id, kind]) => [kind, sizes.find((s) => s.id === id)]),
      );
      // every kind is on the page, none wider than the screen
      for (const [kind, size] of Object.entries(byKind)) {
        expect(size, kind).toBeDefined();
        expect(size?.overflow, kind).toBe(false);
      }
      const threshold = width >= 1000 ? DESKTOP : PHONE;
      const small = sizes
        .filter((s) => s.smallest < threshold)
        .map((s) => `${s.id}: ${s.smallest.toFixed(1)} px`);
      expect(small).toEqual([]);
      await context.close();
    },
  );
});
