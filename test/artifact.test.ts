import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { build } from '../src/build.js';
import { SCHEMA_VERSION } from '../src/publish/data-files.js';
import { copyStudy, editFile, projectRoot, runCli } from './helpers.js';

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

/** Every JSON file a build writes (but the Vega-Lite chart specs), and its schema. */
const outputs = {
  'data/results.json': 'results',
  'data/verification.json': 'verification',
  'data/figures.json': 'figures',
  'manifest.json': 'manifest',
} as const;
const fixture = (name: string) => join(projectRoot, 'test/fixtures', name);
const codebook = (edit: (text: string) => string) => (root: string) =>
  editFile(root, 'data/codebook.yaml', edit);
const disclosure = (min: number) =>
  codebook((t) => t.replace('  languages:', `  disclosure: { min_cell: ${min} }\n  languages:`));
/** The reference study of the formats, read from its SPSS file, whose "No sabe" is a missing category. */
async function withMissingCategory(root: string) {
  await rm(join(root, 'data/responses.csv'));
  await cp(fixture('formats/responses.sav'), join(root, 'data/responses.sav'));
  await codebook((t) =>
    t.replace(
      /^( {6}- \{ code: muy_satisfecho.*\n)/m,
      '$1    missing:\n      - { code: no_sabe, label: { es: No sabe, en: Does not know } }\n',
    ),
  )(root);
}

/**
 * Every study that builds: the shipped one, the fixtures, and the variants whose outputs hold
 * more fields (weighted; small cells withheld; labelled missing categories, withheld too).
 */
const studies: { from: string; edit?: (root: string) => Promise<void> }[] = [
  { from: projectRoot },
  { from: fixture('library-survey') },
  { from: fixture('group-survey') },
  { from: fixture('town-survey') },
  { from: fixture('formats/reference') },
  {
    from: fixture('group-survey'),
    edit: codebook((t) => t.replace('ignore_columns: [w]', 'weight: w')),
  },
  {
    from: fixture('group-survey'),
    edit: async (root) => {
      await codebook((t) => t.replace('ignore_columns: [w]', 'weight: w'))(root);
      await disclosure(5)(root);
    },
  },
  {
    // the texts that print one respondent's answer, or a mean that solves for withheld cells,
    // left out; tables, summaries and a chart of withheld figures added
    from: fixture('town-survey'),
    edit: async (root) => {
      await disclosure(5)(root);
      for (const lang of ['es', 'en'])
        await editFile(
          root,
          `templates/report.${lang}.md.hbs`,
          (t) =>
            `${t.replace(/\{\{(min|max) "age"\}\}/g, '—').replace(/\{\{mean "safety" digits=2\}\}/g, '—')}\n\n{{table "lighting"}}\n\n{{frequencies "lighting"}}\n\n{{summary "lighting"}}\n\n{{summary "age"}}\n\n{{table "services"}}\n\n{{chart "lighting"}}\n`,
        );
    },
  },
  {
    // a share of a base the study does not hold row by row, an exact half rounded up
    from: fixture('library-survey'),
    edit: (root) =>
      editFile(
        root,
        'data/claims.yaml',
        (t) =>
          `${t}  - { id: weekly-before, kind: share, question: visits, options: [weekly], count: 1, percent: "13", n: 8, group: the year before }\n`,
      ),
  },
  { from: fixture('formats/reference'), edit: withMissingCategory },
  {
    from: fixture('formats/reference'),
    edit: async (root) => {
      await withMissingCategory(root);
      await disclosure(2)(root);
    },
  },
];
/** Their built sites, in the order above. */
const sites: string[] = [];

beforeAll(async () => {
  const built = await Promise.all(
    studies.map(async ({ from, edit }) => {
      const root = await copyStudy(from);
      await edit?.(root);
      await build({ root, formats: ['html'] });
      return join(root, 'out');
    }),
  );
  sites.push(...built);
}, 120_000);

describe('JSON outputs and their schemas', () => {
  it('there is a schema in docs/schemas/ for every JSON file a build writes but the chart specs', async () => {
    for (const site of sites) {
      const json = (await readdir(site, { recursive: true }))
        .map(String)
        .filter((p) => p.endsWith('.json') && !p.endsWith('.vl.json'));
      expect(json.sort()).toEqual(Object.keys(outputs).sort());
    }
  });

  it('every output of every study carries schema_version and validates against its schema', async () => {
    for (const site of sites)
      for (const [path, name] of Object.entries(outputs)) {
        const value = JSON.parse(await readFile(join(site, path), 'utf8'));
        expect(value.schema_version).toBe(SCHEMA_VERSION);
        await expectValid(name, value);
      }
  });

  it('the --json output of verify, audit and scan validates too', async () => {
    const verify = await runCli([
      'verify',
      '--root',
      join(projectRoot, 'test/fixtures/library-survey'),
      '--json',
    ]);
    await expectValid('verification', JSON.parse(verify.out));
    // scan: a summary that verifies, and a review with misprints, notes and impossible shares
    for (const text of ['summary.txt', 'review.md']) {
      const scanned = await runCli([
        'scan',
        join(projectRoot, 'test/fixtures/scan', text),
        '--root',
        projectRoot,
        '--json',
      ]);
      const scan = JSON.parse(scanned.out);
      expect(scan.schema_version).toBe(SCHEMA_VERSION);
      expect(scan.numbers.length).toBeGreaterThan(0);
      await expectValid('scan', scan);
    }
    for (const site of sites) {
      const audit = await runCli(['audit', site, '--json']);
      expect(audit.code, audit.out).toBe(0);
      await expectValid('audit', JSON.parse(audit.out));
    }
  });

  it('the studies together hold every field the schemas of results and verification describe', async () => {
    const read = async (site: string, path: string) =>
      JSON.parse(await readFile(join(site, path), 'utf8'));
    const schema = async (name: string) =>
      JSON.parse(await readFile(join(schemas, `${name}.schema.json`), 'utf8'));
    const keys = (objects: object[]) => [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
    const results = await Promise.all(sites.map((s) => read(s, 'data/results.json')));
    const verifications = await Promise.all(sites.map((s) => read(s, 'data/verification.json')));
    const r = await schema('results');
    const questions = results.flatMap((x) => x.questions);
    expect(keys(questions)).toEqual(Object.keys(r.properties.questions.items.properties).sort());
    expect(keys(questions.flatMap((q) => q.options))).toEqual(
      Object.keys(r.$defs.option.properties).sort(),
    );
    expect(keys(results)).toEqual(Object.keys(r.properties).sort());
    const nulls = (value: unknown): boolean =>
      value === null || (typeof value === 'object' && Object.values(value).some(nulls));
    for (const field of ['ordinal', 'multiple', 'numeric', 'histogram', 'blanks'])
      expect(
        questions.some((q) => nulls(q[field])),
        field,
      ).toBe(true);
    const v = await schema('verification');
    const claims = verifications.flatMap((x) => x.claims);
    expect(keys(claims)).toEqual(Object.keys(v.properties.claims.items.properties).sort());
    expect([...new Set(claims.map((c) => c.kind))].sort()).toEqual(
      [...v.properties.claims.items.properties.kind.enum].sort(),
    );
    expect(
      [...new Set(claims.flatMap((c) => c.checks.map((k: { name: string }) => k.name)))].sort(),
    ).toEqual([...v.properties.claims.items.properties.checks.items.properties.name.enum].sort());
    expect(claims.some((c) => c.recomputed.value === null)).toBe(true);
  });

  it('the schemas reject what is wrong', async () => {
    const results = JSON.parse(
      await readFile(join(sites[0] as string, 'data/results.json'), 'utf8'),
    );
    results.questions[0].options[0].count = -1;
    expect((await validator('results'))(results)).toBe(false);
    // a question's fields are those of its type
    const town = JSON.parse(await readFile(join(sites[3] as string, 'data/results.json'), 'utf8'));
    const of = (type: string | undefined) =>
      town.questions.find((q: { type?: string }) => q.type === type);
    const validate = await validator('results');
    expect(validate(town)).toBe(true);
    for (const wrong of [
      { ...of(undefined), ordinal: of('ordinal').ordinal },
      { ...of('ordinal'), ordinal: undefined },
      {
        ...of('multiple'),
        multiple: { ...of('multiple').multiple, combinations: [['radio', '3']] },
      },
      { ...of('text'), options: of(undefined).options },
      { ...of('numeric'), numeric: { ...of('numeric').numeric, mean: '44' } },
    ])
      expect(validate({ ...town, questions: [JSON.parse(JSON.stringify(wrong))] })).toBe(false);
    const manifest = JSON.parse(await readFile(join(sites[0] as string, 'manifest.json'), 'utf8'));
    manifest.outputs[0].path = '../escape';
    expect((await validator('manifest'))(manifest)).toBe(false);
    manifest.outputs[0].path = 'index.html';
    manifest.schema_version = 2;
    expect((await validator('manifest'))(manifest)).toBe(false);
  });
});

/** The citation metadata of a page's head, read back as an index would. */
async function headOf(page: string) {
  const tree = fromHtml(await readFile(page, 'utf8'));
  const meta: [string, string][] = [];
  const jsonLd: unknown[] = [];
  visit(tree, 'element', (e) => {
    if (e.tagName === 'meta' && typeof e.properties.name === 'string')
      meta.push([e.properties.name, String(e.properties.content)]);
    if (e.tagName === 'script' && e.properties.type === 'application/ld+json')
      jsonLd.push(JSON.parse(e.children.map((c) => (c.type === 'text' ? c.value : '')).join('')));
  });
  const all = (name: string) => meta.filter(([n]) => n === name).map(([, c]) => c);
  return { meta, all, jsonLd };
}

describe('citation metadata', () => {
  it('each page of a study with authors, date and version carries Highwire, Dublin Core and a schema.org Dataset', async () => {
    const site = sites[1] as string;
    for (const lang of ['pt', 'fr']) {
      const { all, jsonLd } = await headOf(join(site, lang, 'index.html'));
      expect(all('citation_title')).toHaveLength(1);
      expect(all('citation_author')).toEqual(['Silva, Ana', 'Moreau, Luc']);
      expect(all('citation_author_orcid')).toEqual(['https://orcid.org/0000-0002-1825-0097']);
      expect(all('citation_date')).toEqual(['2024/03/15']);
      expect(all('citation_language')).toEqual([lang]);
      expect(all('DC.creator')).toEqual(['Ana Silva', 'Luc Moreau']);
      expect(all('DC.date')).toEqual(['2024-03-15']);
      // built as HTML only: no PDF to point to
      expect(all('citation_pdf_url')).toEqual([]);
      expect(jsonLd).toHaveLength(1);
      const dataset = jsonLd[0] as {
        [key: string]: unknown;
        creator: { familyName: string; sameAs?: string }[];
        description: string;
        distribution: { '@type': string; contentUrl: string }[];
        variableMeasured: { name: string }[];
      };
      expect(dataset['@context']).toBe('https://schema.org');
      expect(dataset['@type']).toBe('Dataset');
      expect(dataset.name).toBe(all('citation_title')[0]);
      expect(dataset.version).toBe('1.0.0');
      expect(dataset.datePublished).toBe('2024-03-15');
      expect(dataset.creator.map((c) => c.familyName)).toEqual(['Silva', 'Moreau']);
      expect(dataset.creator[0]?.sameAs).toBe('https://orcid.org/0000-0002-1825-0097');
      expect(dataset.description.length).toBeGreaterThanOrEqual(50);
      // every file the Dataset distributes is in the site, at the address it gives
      for (const d of dataset.distribution) {
        expect(d['@type']).toBe('DataDownload');
        await readFile(join(site, lang, d.contentUrl));
      }
      expect(dataset.variableMeasured.map((v) => v.name)).toContain('visits');
    }
    const cff = parseYaml(await readFile(join(site, 'CITATION.cff'), 'utf8'));
    expect(cff['cff-version']).toBe('1.2.0');
    expect(cff.type).toBe('dataset');
    expect(cff.authors).toEqual([
      {
        'family-names': 'Silva',
        'given-names': 'Ana',
        orcid: 'https://orcid.org/0000-0002-1825-0097',
      },
      { 'family-names': 'Moreau', 'given-names': 'Luc' },
    ]);
    expect(cff.version).toBe('1.0.0');
    expect(cff['date-released']).toBe('2024-03-15');
  });

  it('the shipped study names no author, since its source names none, and points to its PDFs', async () => {
    const root = await copyStudy();
    const { files } = await build({ root, formats: ['html', 'pdf'], langs: ['es'] });
    const { all, jsonLd } = await headOf(join(root, 'out/es/index.html'));
    expect(all('citation_author')).toEqual([]);
    expect(all('DC.creator')).toEqual([]);
    expect((jsonLd[0] as Record<string, unknown>).creator).toBeUndefined();
    // the report's date (study.date)
    expect(all('citation_date')).toEqual(['2026/11/29']);
    const pdf = all('citation_pdf_url')[0] as string;
    expect(pdf).toBe('../es/el-porvenir-footwear-cluster.es.pdf');
    expect(files.has(pdf.slice(3))).toBe(true);
    const cff = parseYaml(await readFile(join(root, 'out/CITATION.cff'), 'utf8'));
    expect(cff.authors).toEqual([{ name: 'anonymous' }]);
    expect(cff.references[0].authors).toEqual([{ name: 'anonymous' }]);
    expect(cff.references[0].institution.name).toBe('Universidad Privada de Trujillo');
  });

  it('a script in the codebook cannot escape the JSON-LD', async () => {
    const { scriptJson } = await import('../src/render/citation.js');
    const json = scriptJson({ name: '</script><script>alert(1)</script>' });
    expect(json).not.toMatch(/<\/script/i);
    expect(JSON.parse(json).name).toBe('</script><script>alert(1)</script>');
  });
});
