import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toString as hastText } from 'hast-util-to-string';
import type { Root } from 'mdast';
import { toString as mdText } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { InputError } from '../src/errors.js';
import type { SourceFile } from '../src/load/study.js';
import { formatCitations, styleFor } from '../src/render/citations/format.js';
import { parseLibrary, resolveCitations } from '../src/render/citations/index.js';
import { parseCitation } from '../src/render/citations/syntax.js';
import { parseMarkdown } from '../src/render/markdown.js';
import { lintTemplate } from '../src/render/template.js';
import { copyStudy, editFile, runBin } from './helpers.js';

const BIB = `@book{porter1990,
  author = {Porter, Michael E.},
  title = {The Competitive Advantage of Nations},
  publisher = {Free Press},
  address = {New York},
  year = {1990}
}

@article{delgado2014,
  author = {Delgado, Mercedes and Porter, Michael E. and Stern, Scott},
  title = {Clusters, Convergence, and Economic Performance},
  journal = {Research Policy},
  volume = {43}, number = {10}, pages = {1785--1799},
  year = {2014}
}

@misc{ruiz,
  author = {Ruiz, Ana and P{\\'e}rez, Luis},
  title = {Talleres de calzado}
}
`;
const library = parseLibrary({ path: 'data/references.bib', text: BIB });

/** The citations of a Markdown text, as each back-end gets them: the text of the resolved tree. */
async function cite(markdown: string, lang: 'es' | 'en') {
  const tree = await parseMarkdown(markdown);
  const template: SourceFile = { path: `templates/report.${lang}.md.hbs`, text: markdown };
  resolveCitations(tree, {
    template,
    library,
    style: styleFor(lang),
    locale: lang === 'es' ? 'es-PE' : 'en-US',
  });
  return tree;
}
const paragraph = (tree: Root) => mdText(tree.children[0]);

describe('citation formatting (APA 7)', () => {
  it('Spanish: "y" between two authors, "et al.", "s. f." and a page', async () => {
    const tree = await cite('Texto [@ruiz; @delgado2014, p. 12].\n\n{{x}}', 'es');
    expect(paragraph(tree)).toBe(
      'Texto (Delgado et\u00a0al., 2014, p. 12; Ruiz y Pérez, s.\u00a0f.).',
    );
  });

  it('English: "&" in parentheses as APA 7 prints it, "n.d." and "et al."', async () => {
    const tree = await cite('Text [@ruiz; @delgado2014, p. 12].', 'en');
    expect(paragraph(tree)).toBe('Text (Delgado et al., 2014, p. 12; Ruiz & Pérez, n.d.).');
  });

  it('the stock APA style with a Spanish locale still prints "&": the shipped variant does not', () => {
    const cited = [[{ key: 'ruiz', suppressAuthor: false }]];
    const stock = formatCitations(library, cited, styleFor('en'), 'es-ES');
    const spanish = formatCitations(library, cited, styleFor('es'), 'es-ES');
    const text = (f: typeof stock) => (f.citations[0] ?? []).map((s) => s.text).join('');
    expect(text(stock)).toBe('(Ruiz & Pérez, s.\u00a0f.)');
    expect(text(spanish)).toBe('(Ruiz y Pérez, s.\u00a0f.)');
    const entry = (f: typeof stock) =>
      mdText({ type: 'paragraph', children: f.bibliography[0]?.content ?? [] });
    expect(entry(stock)).toBe('Ruiz, A., & Pérez, L. (s.\u00a0f.). Talleres de calzado.');
    expect(entry(spanish)).toBe('Ruiz, A. y Pérez, L. (s.\u00a0f.). Talleres de calzado.');
  });

  it("a study's own CSL style is used for every language, with each language's locale", async () => {
    const apa = styleFor('en');
    const own = {
      path: 'templates/own.csl',
      xml: apa.xml.replaceAll('and="symbol"', 'and="text"'),
    };
    const cited = [[{ key: 'ruiz', suppressAuthor: false }]];
    const text = (locale: string) =>
      (formatCitations(library, cited, styleFor('en', own), locale).citations[0] ?? [])
        .map((s) => s.text)
        .join('');
    expect(text('en-US')).toBe('(Ruiz and Pérez, n.d.)');
    expect(text('es-PE')).toBe('(Ruiz y Pérez, s.\u00a0f.)');
    expect(() =>
      formatCitations(library, cited, { path: 'templates/own.csl', xml: '<style/>' }, 'en-US'),
    ).toThrow('templates/own.csl: not a CSL style');
  });

  it('[-@key] leaves the author out; each work links to its entry in the list', async () => {
    const tree = await cite('Porter [-@porter1990] y [@porter1990; @delgado2014].', 'es');
    expect(paragraph(tree)).toBe('Porter (1990) y (Delgado et\u00a0al., 2014; Porter, 1990).');
    const links = (tree.children[0] as { children: { type: string; url?: string }[] }).children
      .filter((c) => c.type === 'link')
      .map((c) => c.url);
    expect(links).toEqual(['#ref-porter1990', '#ref-delgado2014', '#ref-porter1990']);
  });

  it('the works cited, in the style order, as the last section when the template places none', async () => {
    const tree = await cite('Texto [@porter1990; @ruiz].', 'es');
    const texts = tree.children.map((c) => mdText(c));
    expect(texts.slice(1)).toEqual([
      'Referencias',
      'Porter, M. E. (1990). The Competitive Advantage of Nations. Free Press.',
      'Ruiz, A. y Pérez, L. (s.\u00a0f.). Talleres de calzado.',
    ]);
    // titles in italics, as ordinary mdast every back-end sets
    expect(JSON.stringify(tree.children[2])).toContain('"type":"emphasis"');
  });

  it('reads page locators and several keys; an escaped bracket or code is no citation', async () => {
    expect(parseCitation('@a, pp. 12-14; -@b; @c, chap. 3')).toEqual([
      { key: 'a', suppressAuthor: false, label: 'page', locator: '12-14' },
      { key: 'b', suppressAuthor: true },
      { key: 'c', suppressAuthor: false, label: 'chapter', locator: '3' },
    ]);
    const tree = await parseMarkdown('Not cited: \\[@nokey] and `[@nokey]`.');
    expect(mdText(tree)).toBe('Not cited: [@nokey] and [@nokey].');
  });
});

describe('citation errors', () => {
  it('an unknown key names the template and the line it is cited on', async () => {
    const markdown = 'Line one.\n\nLine three cites\n[@porter1990; @portr1990, p. 4].\n';
    const error = await cite(markdown, 'en').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'templates/report.en.md.hbs:4: unknown citation key "@portr1990" (data/references.bib has no work with that key; did you mean "@porter1990"?)',
    );
  });

  it('a BibTeX syntax error names the file and line', () => {
    const bad = '@book{a,\n  author = {A},\n  title = {B}\n  year = {2000}\n}\n';
    expect(() => parseLibrary({ path: 'data/references.bib', text: bad })).toThrow(
      /^data\/references\.bib:4: BibTeX syntax error/,
    );
    const twice = '@book{a, title = {A}}\n\n@book{a, title = {B}}\n';
    expect(() => parseLibrary({ path: 'data/references.bib', text: twice })).toThrow(
      'data/references.bib:3: the key "a" is given twice (the first is on line 1; give each work its own key)',
    );
  });

  it('CSL-JSON is read too; a bad one names the line', () => {
    const json = parseLibrary({
      path: 'data/references.json',
      text: JSON.stringify([
        { id: 'x', type: 'book', title: 'T', issued: { 'date-parts': [[2001]] } },
      ]),
    });
    expect([...json.items.keys()]).toEqual(['x']);
    expect(() =>
      parseLibrary({ path: 'data/references.json', text: '[\n  {"id": "x",\n  "type": }\n]' }),
    ).toThrow(/^data\/references\.json: not valid JSON/);
    expect(() =>
      parseLibrary({ path: 'data/references.json', text: '[\n  {"id": "x"}\n]' }),
    ).toThrow('data/references.json:2: the work "x" has no "type"');
  });
});

describe('the no-digits lint', () => {
  const template = (text: string): SourceFile => ({ path: 'templates/report.es.md.hbs', text });

  it('lets citation keys, page locators and footnote labels through', () => {
    expect(() =>
      lintTemplate(
        template('Un clúster [@porter1998, p. 12; -@delgado2014].[^1]\n\n[^1]: Nota.\n'),
      ),
    ).not.toThrow();
  });

  it('still catches a number typed beside them', () => {
    expect(() => lintTemplate(template('Texto [@porter1998].\n\nEl 12 % [^1].\n'))).toThrow(
      'templates/report.es.md.hbs:3: the number "12 %" is typed by hand',
    );
    // an escaped bracket is text, and its digits are typed by hand
    expect(() => lintTemplate(template('Texto \\[@porter1998].\n'))).toThrow(
      /:1: the number "1998"/,
    );
  });
});

const havePdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = 'the citation PDF test needs pdftotext (apt-get install poppler-utils)';
    if (process.env.CI) throw new Error(message);
    console.warn(`${message}; skipping it`);
    return false;
  }
})();

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('one text in every output', () => {
  it.runIf(havePdftotext)(
    'the shipped study prints the same citations and works cited in its HTML and its PDF',
    async () => {
      const root = await copyStudy();
      await editFile(root, 'templates/report.es.md.hbs', (t) =>
        t.replace(
          '## Método {#method}',
          'Véase [@porter1998, p. 12], Porter [-@porter1990] y [@uprit2016; @porter1998].\n\n## Método {#method}',
        ),
      );
      const { files } = await build({ root, dryRun: true });
      for (const lang of ['es', 'en']) {
        const page = fromHtml(String(files.get(`${lang}/index.html`)));
        const cited: string[] = [];
        const entries: string[] = [];
        const walk = (node: {
          type: string;
          children?: unknown[];
          properties?: { className?: unknown };
        }) => {
          const classes = (node.properties?.className ?? []) as string[];
          if (classes.includes('citation')) cited.push(squash(hastText(node as never)));
          else if (classes.includes('csl-entry')) entries.push(squash(hastText(node as never)));
          else for (const child of node.children ?? []) walk(child as never);
        };
        walk(page as never);
        expect(entries.length).toBe(3);
        expect(cited.length).toBeGreaterThanOrEqual(lang === 'es' ? 7 : 3);
        const dir = await mkdtemp(join(tmpdir(), 'cite-pdf-'));
        await writeFile(
          join(dir, 'a.pdf'),
          files.get(`${lang}/el-porvenir-footwear-cluster.${lang}.pdf`) as Uint8Array,
        );
        const pdf = squash(
          execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'a.pdf'), '-'], {
            encoding: 'utf8',
          })
            // the running footer between pages
            .replace(/\n[^\n]*· Page \d+\n|\n[^\n]*· Página \d+\n/g, '\n'),
        );
        for (const text of [...cited, ...entries]) expect(pdf).toContain(text);
        if (lang === 'es') {
          const html = squash(hastText(page));
          for (const sentence of [
            'Véase (Porter, 1998, p. 12), Porter (1990) y (Identificación y consolidación del micro clúster de calzado del distrito El Porvenir, 2016; Porter, 1998).',
            'Porter, M. E. (1998). Clusters and the New Economics of Competition. Harvard Business Review, 76(6), 77-90.',
          ]) {
            expect(html).toContain(sentence);
            expect(pdf).toContain(sentence);
          }
        }
      }
    },
    120_000,
  );

  it('report check names the template and line of an unknown key, exit 2', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('[@porter1998; @porter1990]', '[@porter1998; @nobody2020]'),
    );
    const { code, err } = runBin(['check', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(/templates\/report\.en\.md\.hbs:17: unknown citation key "@nobody2020"/);
  });
});
