#!/usr/bin/env node
// Runs the bundled tool through a V8 code cache: the compiled code of the last run is reused,
// so a new process does not parse and compile the bundle again. The cache sits beside the
// bundle; V8 rejects it when the bundle or Node changed, and it is then written anew.
// (Node 22 has module.enableCompileCache for this; Node 20 has vm.Script's cachedData.)
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const command = process.argv[2] ?? '';
// the commands that do not render run from a smaller bundle without the renderers (see
// scripts/bundle.js): less to read and set up before a short `verify` or `scan`
const LEAN = ['verify', 'scan', 'reconstruct'];
const file = fileURLToPath(
  new URL(
    `../dist/bundle/${LEAN.includes(command) ? 'report-lean' : 'report'}.cjs`,
    import.meta.url,
  ),
);
// one cache per command (each holds the functions its command runs), for the commands there
// are: any other word (a typo, --help) runs without one, so the caches stay bounded
const COMMANDS = ['build', 'verify', 'check', 'reconstruct', 'preview', 'scan'];
const cacheFile = COMMANDS.includes(command) ? `${file}.${command}.v8-cache` : undefined;
let cachedData;
try {
  if (cacheFile) cachedData = readFileSync(cacheFile);
} catch {}
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const module = { exports: {} };
script
  .runInThisContext()
  .call(module.exports, module.exports, createRequire(file), module, file, dirname(file));

process.exitCode = await module.exports.main(process.argv.slice(2));

if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
  // after the run: the cache then holds the functions the run compiled, not only the top level
  try {
    const temporary = `${cacheFile}.${process.pid}`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {}
}
