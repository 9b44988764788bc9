import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhrasingContent } from 'mdast';
import { toString as mdText } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import type { Codebook } from '../src/load/codebook.js';
import { formatCitations, formatReferences, styleFor } from '../src/render/citations/format.js';
import { reportWork, sourceWork, withTranslation } from '../src/render/citations/study.js';
import { copyStudy, editFile } from './helpers.js';

/** "How to cite" is written by the works-cited formatter: the report and its source as CSL-JSON. */

const study = {
  id: 'town',
  title: { es: 'Encuesta de la ciudad', en: 'Town survey' },
  source_title: 'Encuesta de la ciudad',
  authors: [
    { family: 'Silva', given: 'Ana' },
    { family: 'Moreau', given: 'Luc' },
  ],
  institution: 'Universidad del Norte',
  repository: 'Repositorio de la Universidad del Norte',
  handle: 'UN/12',
  year: 2019,
  version: '1.0.0',
  url: 'https://example.org/report/',
  languages: [{ code: 'es' }, { code: 'en' }],
};
const codebook = (extra: Record<string, unknown> = {}) =>
  ({ study: { ...study, ...extra } }) as unknown as Codebook;
const es = { thesis: 'Tesis', reproducibleReport: 'Informe reproducible' };
const en = { thesis: 'Thesis', reproducibleReport: 'Reproducible report' };

/** The entry as read, italics marked with asterisks. */
const read = (nodes: PhrasingContent[]): string =>
  nodes.map((n) => (n.type === 'emphasis' ? `*${mdText(n)}*` : mdText(n))).join('');

const cite = (work: ReturnType<typeof reportWork>, lang: 'es' | 'en') =>
  read(formatReferences([work], styleFor(lang), lang === 'es' ? 'es-PE' : 'en-US')[0] ?? []);

describe('how to cite, in the style of the works cited', () => {
  it("the report in APA 7: authors joined by the language's word, version, description, URL", () => {
    const options = { date: '2024-03-15', sourceUrl: undefined };
    expect(cite(reportWork(codebook(), { ...options, lang: 'es', strings: es }), 'es')).toBe(
      'Silva, A. y Moreau, L. (2024). *Encuesta de la ciudad* (Versión 1.0.0) [Informe reproducible]. https://example.org/report/',
    );
    expect(cite(reportWork(codebook(), { ...options, lang: 'en', strings: en }), 'en')).toBe(
      'Silva, A., & Moreau, L. (2024). *Town survey* (Version 1.0.0) [Reproducible report]. https://example.org/report/',
    );
  });

  it("a report with no date says so in the locale's words; with no author its title leads", () => {
    const bare = codebook({ authors: undefined, version: undefined, url: undefined });
    expect(cite(reportWork(bare, { lang: 'es', strings: es }), 'es')).toBe(
      '*Encuesta de la ciudad*. (s.\u00a0f.). [Informe reproducible].',
    );
    expect(cite(reportWork(bare, { lang: 'en', strings: en }), 'en')).toBe(
      '*Town survey*. (n.d.). [Reproducible report].',
    );
  });

  it('the source thesis: institution in the description, repository and handle as its archive', () => {
    const work = sourceWork(codebook({ url: undefined }), { lang: 'es', strings: es });
    expect(cite(work, 'es')).toBe(
      'Silva, A. y Moreau, L. (2019). *Encuesta de la ciudad* [Tesis, Universidad del Norte]. Repositorio de la Universidad del Norte (UN/12).',
    );
    const linked = sourceWork(codebook(), {
      lang: 'en',
      strings: en,
      sourceUrl: 'https://hdl.handle.net/1/2',
    });
    const entry = formatReferences([linked], styleFor('en'), 'en-US')[0] ?? [];
    expect(read(withTranslation(entry, 'Encuesta de la ciudad', 'Town survey'))).toBe(
      'Silva, A., & Moreau, L. (2019). *Encuesta de la ciudad* [Town survey] [Thesis, Universidad del Norte]. Repositorio de la Universidad del Norte. https://hdl.handle.net/1/2',
    );
  });

  it('is the very text the works cited give the same work', () => {
    for (const lang of ['es', 'en'] as const) {
      const work = sourceWork(codebook(), { lang, strings: lang === 'es' ? es : en });
      const locale = lang === 'es' ? 'es-PE' : 'en-US';
      const library = { file: 'data/references.json', items: new Map([['source', work]]) };
      const listed = formatCitations(
        library,
        [[{ key: 'source', suppressAuthor: false }]],
        styleFor(lang),
        locale,
      );
      expect(formatReferences([work], styleFor(lang), locale)[0]).toEqual(
        listed.bibliography[0]?.content,
      );
    }
  });

  it('a study\'s own CSL style writes "how to cite" as it writes the works cited', async () => {
    const root = await copyStudy();
    await writeFile(
      join(root, 'data/plain.csl'),
      `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Plain</title><id>plain</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title" text-case="uppercase"/><date variable="issued" prefix=" / "><date-part name="year"/></date></layout></bibliography>
</style>
`,
    );
    await editFile(root, 'data/codebook.yaml', (t) =>
      t.replace('  version: "1.0"\n', '  version: "1.0"\n  citation_style: data/plain.csl\n'),
    );
    await build({ root, formats: ['html'], langs: ['es'] });
    const page = await readFile(join(root, 'out/es/index.html'), 'utf8');
    const cite = /<h2 id="cite">(.*?)<h2/s.exec(page)?.[1] ?? '';
    expect(cite).toContain(
      '<p>IDENTIFICACIÓN Y CONSOLIDACIÓN DEL MICROCLÚSTER DE CALZADO DEL DISTRITO EL PORVENIR / 2026</p>',
    );
    expect(cite).toContain(
      '<p>IDENTIFICACIÓN Y CONSOLIDACIÓN DEL MICRO CLÚSTER DE CALZADO DEL DISTRITO EL PORVENIR / 2016</p>',
    );
  });
});
