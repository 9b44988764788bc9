// Bundles the command-line tool: Node then reads one file at start-up instead of resolving
// several hundred small modules, which is most of a cold build's wait. The main bundle is
// CommonJS so that bin/report.js can run it through a V8 code cache (see there).
import { sep } from 'node:path';
import { build } from 'esbuild';

// Charts are drawn with vega's renderer 'none', which measures text without a canvas. The
// canvas module vega would try to load is left out, so no installed canvas changes the charts.
const noCanvas = {
  name: 'no-canvas',
  setup(build) {
    build.onResolve({ filter: /^vega-canvas$/ }, () => ({
      path: 'vega-canvas',
      namespace: 'no-canvas',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-canvas' }, () => ({
      contents:
        'export const canvas = () => null, domCanvas = () => null, nodeCanvas = () => null, image = () => null;',
      loader: 'js',
    }));
  },
};

// citation.js can fetch a reference from an address; the tool never asks it to, and its
// bundle holds no network client to do it with: the two fetchers are left out.
const noFetch = {
  name: 'no-fetch',
  setup(build) {
    build.onResolve({ filter: /^(sync-fetch|fetch-ponyfill)$/ }, (args) => ({
      path: args.path,
      namespace: 'no-fetch',
    }));
    build.onLoad({ filter: /.*/, namespace: 'no-fetch' }, () => ({
      contents: [
        'const refuse = () => { throw new Error("survey-report fetches nothing"); };',
        'class Headers {}',
        'refuse.Headers = Headers;',
        'module.exports = Object.assign(() => ({ fetch: refuse, Headers }), refuse);',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // loaded from node_modules at run time: native addons (the PDF compiler, the chart rasteriser
  // of Word files), the PDF and Word readers of `report scan`, and the Word writer
  external: [
    '@myriaddreamin/typst-ts-node-compiler',
    '@resvg/resvg-js',
    'unpdf',
    'mammoth',
    'docx',
  ],
  plugins: [noCanvas, noFetch],
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/bundle/report.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});

// The commands that do not render (verify, scan, reconstruct) start from a second, smaller bundle
// (bin/report.js picks it): the same CLI without the modules the other commands import when they
// run (build and check, init, audit, pack, preview), so a short `verify` neither reads nor
// sets up the renderers, vega and Typst. Reaching one of them from it is a fault of the tool.
const LEAN_LEFT_OUT = /^\.\/(build|init\/init|audit\/audit|pack|preview)\.js$/;
const leanOnly = {
  name: 'lean-only',
  setup(build) {
    build.onResolve({ filter: LEAN_LEFT_OUT }, (args) =>
      args.importer.endsWith(`src${sep}cli.ts`)
        ? { path: args.path, namespace: 'lean-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lean-only' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in the lean bundle (bin/report.js)`)});`,
      loader: 'js',
    }));
  },
};

await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/bundle/report-lean.cjs',
  format: 'cjs',
  // read from node_modules when a workbook is read, as in the full bundle it is only then set up
  external: [...common.external, 'exceljs'],
  plugins: [...common.plugins, leanOnly],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});

await build({
  ...common,
  entryPoints: ['src/render/pdf-worker.ts'],
  outfile: 'dist/bundle/pdf-worker.js',
  format: 'esm',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
