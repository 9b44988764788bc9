// Bundles the command-line tool: Node then reads one file at start-up instead of resolving
// several hundred small modules, which is most of a cold build's wait. The main bundle is
// CommonJS so that bin/report.js can run it through a V8 code cache (see there).
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

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // loaded from node_modules at run time: a native addon, and the PDF and Word readers of `report scan`
  external: ['@myriaddreamin/typst-ts-node-compiler', 'unpdf', 'mammoth'],
  plugins: [noCanvas],
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

await build({
  ...common,
  entryPoints: ['src/render/pdf-worker.ts'],
  outfile: 'dist/bundle/pdf-worker.js',
  format: 'esm',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
