import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runBin } from './helpers.js';

// the test setup bundles dist/ before the tests run
describe('the bundle of the commands that do not render', () => {
  it('holds neither vega, nor Typst, nor the template engine, and is much smaller', async () => {
    const lean = await readFile(join(projectRoot, 'dist/bundle/report-lean.cjs'), 'utf8');
    const full = await readFile(join(projectRoot, 'dist/bundle/report.cjs'), 'utf8');
    for (const absent of [
      'node_modules/vega-lite/',
      'node_modules/vega-scenegraph/',
      'typst-ts-node-compiler',
      'node_modules/handlebars/',
    ])
      expect(lean.includes(absent), absent).toBe(false);
    expect(full.includes('node_modules/vega-lite/')).toBe(true);
    expect(lean.length).toBeLessThan(full.length / 2);
  });

  it('verifies and reconstructs the shipped study', () => {
    const verify = runBin(['verify', '--root', projectRoot]);
    expect(verify.code, verify.err).toBe(0);
    expect(verify.out).toMatch(/\d+ passed, 0 failed/);
    const reconstruct = runBin(['reconstruct', '--root', projectRoot, '--stdout']);
    expect(reconstruct.code, reconstruct.err).toBe(0);
    expect(reconstruct.out.split('\n')[0]).toMatch(/^id,/);
  });

  it('reads a workbook (exceljs is loaded from node_modules when one is read)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lean-'));
    const formats = join(projectRoot, 'test/fixtures/formats');
    await cp(join(formats, 'reference'), root, { recursive: true });
    await rm(join(root, 'data/responses.csv'));
    await cp(join(formats, 'responses.xlsx'), join(root, 'data/responses.xlsx'));
    const codebook = join(root, 'data/codebook.yaml');
    await writeFile(
      codebook,
      (await readFile(codebook, 'utf8')).replace(/^ {2}data:\n/m, '  data:\n    header_row: 2\n'),
    );
    const verify = runBin(['verify', '--root', root]);
    expect(verify.err).not.toMatch(/internal error/);
    expect(verify.code, verify.err).toBe(0);
  });
});
