// Bundles the command-line tool into one ES module: Node then reads one file at start-up
// instead of resolving several hundred small modules, which is most of a cold build's wait.
import { build } from 'esbuild';

await build({
  entryPoints: { report: 'src/cli.ts', 'pdf-worker': 'src/render/pdf-worker.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.js' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // native addon: loaded from node_modules at run time
  external: ['@myriaddreamin/typst-ts-node-compiler'],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
