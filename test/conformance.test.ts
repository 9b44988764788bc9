import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Nodes } from 'mdast';
import { defaultHandlers } from 'mdast-util-to-hast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { builtInStrings } from '../src/locale/strings.js';
import { parseLibrary, resolveCitations, styleFor } from '../src/render/citations/index.js';
import type { ChartImage, ReportDocument } from '../src/render/document.js';
import { docxHandlers, toDocx } from '../src/render/docx.js';
import { htmlHandlers, toHtmlPage } from '../src/render/html.js';
import { parseMarkdown, processor, splitTitleBlock } from '../src/render/markdown.js';
import { compilePdf, pdfDocument, typstDocument } from '../src/render/pdf.js';
import { typstHandlers } from '../src/render/typst.js';
import { copyStudy, editFile, runCli } from './helpers.js';

/**
 * Every node type the report's Markdown parser gives, and what becomes of it. A parser
 * extension that adds a type makes the first test fail until the type is listed here, and the
 * next ones until every back-end sets it or `report check` refuses it.
 */
const SET = [
  'root',
  'heading',
  'paragraph',
  'text',
  'emphasis',
  'strong',
  'delete',
  'inlineCode',
  'break',
  'link',
  'image',
  'linkReference',
  'imageReference',
  'definition',
  'footnoteReference',
  'footnoteDefinition',
  'textDirective',
  'blockquote',
  'list',
  'listItem',
  'thematicBreak',
  'code',
  'table',
  'tableRow',
  'tableCell',
  'containerDirective',
] as const;
/** Refused by `report check` with the template line, before any back-end runs. */
const REJECTED = ['html'] as const;
/** Replaced by the document stage (renderLanguage) with types above: no back-end sees it. */
const RESOLVED = ['citation'] as const;

/** The constructs the parser's extensions make nodes of (GFM, directives, citations), by token name. */
const EXTENSION_TOKENS = [
  'citation',
  'directiveContainer',
  'directiveContainerAttributes',
  'directiveContainerLabel',
  'directiveLeaf',
  'directiveLeafAttributes',
  'directiveText',
  'directiveTextAttributes',
  'gfmFootnoteCall',
  'gfmFootnoteCallString',
  'gfmFootnoteDefinition',
  'gfmFootnoteDefinitionLabelString',
  'strikethrough',
  'table',
  'tableData',
  'tableHeader',
  'tableRow',
];

/** A back-end and the node types its handlers set; DOCX joins this list. */
const BACK_ENDS: { name: string; handles: (doc: ReportDocument) => string[] }[] = [
  { name: 'Typst (PDF)', handles: () => Object.keys(typstHandlers) },
  {
    name: 'HTML',
    handles: (doc) => Object.keys({ ...defaultHandlers, ...htmlHandlers(doc) }),
  },
  { name: 'DOCX', handles: () => Object.keys(docxHandlers) },
];

/** Markdown holding every construct the parser reads (no digits: it is a template too). */
const SAMPLE = `# The title {#top}

Intro with *emphasis*, **strong**, ~~struck~~, \`code\`, a hard\\
break, a [link](https://example.org/a), an ![image](charts/q.svg), a [reference link][ref],
an ![image reference][img], a note[^note], the same note again[^note], an interval
:nowrap[two–three] and a citation [@porter1990].

[ref]: https://example.org/ref
[img]: charts/q.svg

[^note]: The note's own *text*.

## A section {#sec}

> A quote.

- an item
- [x] a task

+ another list

---

\`\`\`
a code block
\`\`\`

| a | b |
|---|--:|
| c | d |

:::table{#tbl-x caption="A table"}
| e | f |
|---|---|
| g | h |
:::

:::figure{#fig-x caption="A chart"}
![a chart](charts/q.svg)
:::

See [](#tbl-x) and [](#fig-x).

<span>raw</span>
`;

const BIB =
  '@book{porter1990, author = {Porter, Michael E.}, title = {The Competitive Advantage of Nations}, year = {1990}}\n';
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><rect width="200" height="100" fill="#888"/></svg>';

const typesOf = (tree: Nodes) => {
  const types = new Set<string>();
  visit(tree, (node) => {
    types.add(node.type);
  });
  return types;
};

/** The sample as a document, as renderLanguage makes one (its raw HTML left out: check refuses it). */
async function sampleDocument(): Promise<ReportDocument> {
  const strings = builtInStrings.en as ReportDocument['strings'];
  const markdown = SAMPLE.replace('<span>raw</span>\n', '');
  const tree = await parseMarkdown(markdown, { figure: strings.figure, table: strings.table });
  resolveCitations(tree, {
    template: { path: 'templates/report.en.md.hbs', text: markdown },
    library: parseLibrary({ path: 'data/references.bib', text: BIB }),
    style: styleFor('en'),
    locale: 'en-US',
  });
  const chart: ChartImage = {
    path: 'charts/q.svg',
    svg: SVG,
    width: 200,
    height: 100,
    description: 'A grey chart.',
  };
  const { front, body } = splitTitleBlock(tree.children);
  const figures: ReportDocument['figures'] = [];
  visit(tree, 'containerDirective', (node) => {
    const kind = node.name as 'figure' | 'table';
    figures.push({
      kind,
      number: Number(node.attributes?.number),
      id: node.attributes?.id ?? undefined,
      caption: node.attributes?.caption ?? '',
      ...(kind === 'figure' ? { chart } : {}),
      node,
    });
  });
  return {
    lang: 'en',
    locale: 'en-US',
    strings,
    studyId: 'sample',
    title: 'The title',
    authors: ['Ana Ruiz'],
    template: 'templates/report.en.md.hbs',
    markdown,
    tree,
    front,
    body,
    figures,
    charts: new Map([[chart.path, chart]]),
  };
}

describe('every node type the template parser gives', () => {
  it('is listed here: the sample holds them all, and the parser reads no other construct', async () => {
    const tree = await parseMarkdown(SAMPLE, { figure: 'Figure', table: 'Table' });
    expect([...typesOf(tree)].sort()).toEqual([...SET, ...REJECTED, ...RESOLVED].sort());
    const data = processor.data() as {
      fromMarkdownExtensions?: unknown[];
    };
    const tokens = new Set<string>();
    for (const extension of (data.fromMarkdownExtensions ?? []).flat(Infinity) as {
      enter?: object;
    }[])
      for (const token of Object.keys(extension.enter ?? {})) tokens.add(token);
    expect([...tokens].sort()).toEqual(EXTENSION_TOKENS);
  });

  it('is set by every back-end, resolved before them, or refused by report check', async () => {
    const doc = await sampleDocument();
    for (const backEnd of BACK_ENDS) {
      const handles = new Set(backEnd.handles(doc));
      const missing = SET.filter((type) => !handles.has(type));
      expect(missing, backEnd.name).toEqual([]);
    }
    // what the document stage resolves never reaches a back-end
    const types = typesOf(doc.tree);
    for (const type of [...RESOLVED, ...REJECTED]) expect(types.has(type), type).toBe(false);
    for (const type of SET) expect(types.has(type), type).toBe(true);
  });
});

describe('the back-ends set the whole sample', () => {
  it('Typst: footnotes, reference links and images, intervals, figures and citations, and it typesets', async () => {
    const doc = await sampleDocument();
    const job = pdfDocument(doc);
    expect(job.front).toMatch(/^#title\[The title\]\n\n[^=]+$/);
    const typst = job.front + job.body;
    expect(typst).toContain('#link("https://example.org/ref")[reference link]');
    expect(typst).toContain('#box(image("/charts/q.svg", alt: "A grey chart."))');
    // one note, its number repeated where it is referred to again
    expect(typst).toContain("#footnote[The note\\'s own #emph[text]\\.] <fn:1>");
    expect(typst).toContain('#footnote(label("fn:1"))');
    expect(typst).toContain('#box[two–three]');
    expect(typst).toContain('#link(label("ref-porter1990"))[Porter\\, 1990]');
    expect(typst).toContain('#metadata(none) <ref-porter1990>');
    expect(typst).toContain('width: 140.0pt');
    expect(typst).toContain('#link(label("tbl-x"))[Table 1]');
    const pdf = compilePdf(job);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(typstDocument(job)).toContain(job.body);
  });

  it('HTML: the same, through remark-rehype with the page handlers', async () => {
    const doc = await sampleDocument();
    const html = await toHtmlPage(doc, { alternates: [], assets: '../assets' });
    expect(html).toContain('<header class="title-block"><h1 id="top">The title</h1>');
    expect(html).toContain('<a href="https://example.org/ref">reference link</a>');
    expect(html).toContain('<img src="charts/q.svg" alt="image reference">');
    expect(html).toMatch(
      /<section data-footnotes class="footnotes"><h2 class="sr-only" id="footnote-label">Notes<\/h2>/,
    );
    expect(html.match(/data-footnote-ref/g)?.length).toBe(2);
    expect(html).toContain('aria-label="Back to reference 1"');
    expect(html).toContain('<span class="nowrap">two–three</span>');
    expect(html).toContain(
      '<figure id="tbl-x" class="table"><figcaption><strong>Table 1.</strong> A table</figcaption>',
    );
    expect(html).toContain('<div class="chart-svg"><svg');
    expect(html).toContain('<figcaption><strong>Figure 1.</strong> A chart</figcaption></figure>');
    expect(html).toContain('<a href="#ref-porter1990" class="citation">Porter, 1990</a>');
  });

  it('DOCX: the same sample becomes a Word file holding its text, note and chart', async () => {
    const doc = await sampleDocument();
    const bytes = await toDocx(doc);
    const zip = await (await import('jszip')).default.loadAsync(bytes);
    const body = await zip.file('word/document.xml')?.async('string');
    const notes = await zip.file('word/footnotes.xml')?.async('string');
    const text = (xml = '') =>
      [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text(body)).toContain('reference link');
    // an interval kept on one line: a word joiner after the dash, which Word does not break at
    expect(text(body)).toContain('two–\u2060three');
    expect(text(body)).toContain('Porter, 1990');
    expect(text(notes)).toContain('own text');
    expect(Object.keys(zip.files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
  });

  it('a handler given to a back-end replaces its own', async () => {
    const doc = await sampleDocument();
    const job = pdfDocument(doc, {
      handlers: { thematicBreak: () => '#pagebreak()\n\n' },
    });
    expect(job.body).toContain('#pagebreak()');
    expect(job.body).not.toContain('#line(length: 100%');
    const html = await toHtmlPage(doc, {
      alternates: [],
      assets: '../assets',
      handlers: {
        thematicBreak: () => ({
          type: 'element',
          tagName: 'hr',
          properties: { className: ['break'] },
          children: [],
        }),
      },
    });
    expect(html).toContain('<hr class="break">');
  });
});

describe('report check', () => {
  const template = 'templates/report.en.md.hbs';
  const withText = async (text: string) => {
    const root = await copyStudy();
    await editFile(root, template, (t) => `${t}\n${text}`);
    return { root, lines: (await readFile(join(root, template), 'utf8')).split('\n') };
  };
  const lineOf = (lines: string[], text: string) => lines.findIndex((l) => l.includes(text)) + 1;

  it('passes footnotes and reference-style links, which both outputs set', async () => {
    const { root } = await withText(
      'A note[^a] and a [reference][r].\n\n[r]: https://example.org\n\n[^a]: Its text.\n',
    );
    const result = await runCli(['check', '--root', root]);
    expect(result.err).toContain('ok:');
    expect(result.code).toBe(0);
  });

  it('refuses a reference-style link to an id the report does not have, at its definition', async () => {
    const { root, lines } = await withText('See [the part][p].\n\n[p]: #nowhere\n');
    const result = await runCli(['check', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `${template}:${lineOf(lines, ']: #nowhere')}: a link to "#nowhere"`,
    );
  });

  it('refuses raw HTML at its template line, exit 2, writing nothing', async () => {
    const { root, lines } = await withText('Some <b>bold</b> words.\n');
    const result = await runCli(['check', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${template}:${lineOf(lines, '<b>bold')}: raw HTML "<b>"`);
    expect(await readdir(root)).toEqual(['data', 'templates']);
    // an HTML comment too: the template's comments are {{!-- … --}}
    const comment = await withText('<!-- a note to self -->\n');
    const again = await runCli(['check', '--root', comment.root]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('{{!-- … --}}');
  });

  it('refuses what only the PDF could not set (a figure without a chart) before writing anything', async () => {
    const { root, lines } = await withText(':::figure{caption="Nothing"}\nno chart here\n:::\n');
    const out = await mkdtemp(join(tmpdir(), 'out-'));
    await cp(join(root, 'data'), join(out, 'unrelated'), { recursive: true });
    const result = await runCli(['check', '--root', root]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `${template}:${lineOf(lines, ':::figure')}: a :::figure without a chart`,
    );
    // the page alone refuses it as well: every output takes the same document
    const html = await runCli([
      'build',
      '--root',
      root,
      '--out',
      join(out, 'site'),
      '--format',
      'html',
    ]);
    expect(html.code).toBe(2);
    expect(await readdir(out)).toEqual(['unrelated']);
  });
});
