import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { SCHEMA_VERSION } from '../src/publish/data-files.js';
import { copyStudy, projectRoot, runCli } from './helpers.js';

const schemas = join(projectRoot, 'docs/schemas');
const ajv = new Ajv2020({ allErrors: true, strict: true });

async function validator(name: string) {
  const schema = JSON.parse(await readFile(join(schemas, `${name}.schema.json`), 'utf8'));
  return ajv.getSchema(schema.$id) ?? ajv.compile(schema);
}

async function expectValid(name: string, value: unknown) {
  const validate = await validator(name);
  const ok = validate(value);
  expect(validate.errors ?? [], `${name}: ${JSON.stringify(validate.errors)}`).toEqual([]);
  expect(ok).toBe(true);
}

const outputs = {
  'data/results.json': 'results',
  'data/verification.json': 'verification',
  'data/figures.json': 'figures',
  'manifest.json': 'manifest',
} as const;
const sites: string[] = [];

beforeAll(async () => {
  for (const from of [projectRoot, join(projectRoot, 'test/fixtures/library-survey')]) {
    const root = await copyStudy(from);
    await build({ root, formats: ['html'] });
    sites.push(join(root, 'out'));
  }
});

describe('JSON outputs and their schemas', () => {
  it('there is a schema in docs/schemas/ for every JSON file a build writes but the chart specs', async () => {
    for (const site of sites) {
      const json = (await readdir(site, { recursive: true }))
        .map(String)
        .filter((p) => p.endsWith('.json') && !p.endsWith('.vl.json'));
      expect(json.sort()).toEqual(Object.keys(outputs).sort());
    }
  });

  it('every output of both studies carries schema_version and validates against its schema', async () => {
    for (const site of sites)
      for (const [path, name] of Object.entries(outputs)) {
        const value = JSON.parse(await readFile(join(site, path), 'utf8'));
        expect(value.schema_version).toBe(SCHEMA_VERSION);
        await expectValid(name, value);
      }
  });

  it('the --json output of verify and audit validates too', async () => {
    const verify = await runCli([
      'verify',
      '--root',
      join(projectRoot, 'test/fixtures/library-survey'),
      '--json',
    ]);
    await expectValid('verification', JSON.parse(verify.out));
    for (const site of sites) {
      const audit = await runCli(['audit', site, '--json']);
      expect(audit.code, audit.out).toBe(0);
      await expectValid('audit', JSON.parse(audit.out));
    }
  });

  it('the schemas reject what is wrong', async () => {
    const results = JSON.parse(
      await readFile(join(sites[0] as string, 'data/results.json'), 'utf8'),
    );
    results.questions[0].options[0].count = -1;
    expect((await validator('results'))(results)).toBe(false);
    const manifest = JSON.parse(await readFile(join(sites[0] as string, 'manifest.json'), 'utf8'));
    manifest.outputs[0].path = '../escape';
    expect((await validator('manifest'))(manifest)).toBe(false);
    manifest.outputs[0].path = 'index.html';
    manifest.schema_version = 2;
    expect((await validator('manifest'))(manifest)).toBe(false);
  });
});
