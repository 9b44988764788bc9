import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';

/** The tool's own static files (stylesheet, script), shipped beside src/. */
const ASSETS = join(packageRoot, 'assets');

const FACES = ['400', '400-italic', '600', '700', '700-italic'];
const LATIN = /-latin(-ext)?-\d/;

/**
 * Self-hosted web fonts: the @font-face rules of @fontsource's Source Serif 4 for the Latin
 * subsets, pointing at WOFF2 files copied next to the stylesheet. Nothing is fetched at view time.
 */
function fonts(): { css: string; files: Map<string, Uint8Array> } {
  const dir = dirname(
    createRequire(import.meta.url).resolve('@fontsource/source-serif-4/package.json'),
  );
  const files = new Map<string, Uint8Array>();
  const rules: string[] = [];
  for (const face of FACES) {
    const css = readFileSync(join(dir, `${face}.css`), 'utf8');
    for (const block of css.split(/(?=\/\* )/)) {
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
      if (!file || !LATIN.test(file)) continue;
      files.set(`assets/fonts/${file}`, readFileSync(join(dir, 'files', file)));
      rules.push(
        block
          .replace(/\/\*.*?\*\/\s*/, '')
          .replace(/src:[^;]+;/, `src: url(fonts/${file}) format('woff2');`)
          .trim(),
      );
    }
  }
  return { css: rules.join('\n'), files };
}

/** Stylesheet, script and fonts every page uses, by output path. */
export function siteAssets(): Map<string, string | Uint8Array> {
  const { css, files } = fonts();
  const out = new Map<string, string | Uint8Array>(files);
  out.set('assets/report.css', `${css}\n${readFileSync(join(ASSETS, 'report.css'), 'utf8')}`);
  out.set('assets/report.js', readFileSync(join(ASSETS, 'report.js'), 'utf8'));
  return out;
}
