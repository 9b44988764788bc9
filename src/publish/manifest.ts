import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SourceFile } from '../load/study.js';
import { SCHEMA_VERSION } from './data-files.js';
import type { OutputFiles } from './publish.js';

const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');

/** The libraries whose versions shape the output. */
const TOOLS = [
  'handlebars',
  'unified',
  'remark-parse',
  'remark-rehype',
  'vega',
  'vega-lite',
  '@myriaddreamin/typst-ts-node-compiler',
  'docx',
  '@resvg/resvg-js',
];

function versionOf(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    // packages whose exports hide package.json: find it beside their entry point
    let dir = require.resolve(name);
    for (let i = 0; i < 6; i++) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      try {
        const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
        if (pkg.name === name) return pkg.version;
      } catch {}
    }
    return 'unknown';
  }
}

/** SHA-256 of every input and output, and the versions of the tools that made them. */
export function manifest(
  inputs: readonly SourceFile[],
  outputs: OutputFiles,
  generator: { name: string; version: string },
): string {
  return `${JSON.stringify(
    {
      schema_version: SCHEMA_VERSION,
      generator,
      tools: {
        node: process.versions.node,
        ...Object.fromEntries(TOOLS.map((t) => [t, versionOf(t)])),
      },
      inputs: inputs.map((f) => ({ path: f.path, sha256: f.sha256 ?? sha256(f.bytes ?? f.text) })),
      outputs: [...outputs.keys()].sort().map((path) => {
        const content = outputs.get(path) as string | Uint8Array;
        return { path, bytes: Buffer.byteLength(content), sha256: sha256(content) };
      }),
    },
    null,
    2,
  )}\n`;
}
