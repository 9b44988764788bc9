import type { Element, ElementContent, RootContent as HastContent, Root as HastRoot } from 'hast';
import { h } from 'hastscript';
import type { Paragraph, Root } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { InputError } from '../errors.js';
import { fill, type Strings } from '../locale/strings.js';
import { type PageMeta, scriptJson } from './citation.js';

export interface Notice {
  /** One sentence; the whole note is in the section `more` points to. */
  text: string;
  more?: { id: string; title: string };
}

export interface HtmlPage {
  lang: string;
  /** The page's <title>. */
  title: string;
  strings: Strings;
  /** The same page in the other languages, for the switch and hreflang links. */
  alternates: { lang: string; name: string; href: string }[];
  /** The PDF of this language, relative to the page. */
  pdfHref?: string;
  /** The Word file of this language, relative to the page. */
  docxHref?: string;
  /** Relative path from the page to the shared assets folder. */
  assets: string;
  /** Accessible SVG of each chart, by the image path used in the Markdown. */
  charts: ReadonlyMap<string, string>;
  /** The notice that the data are a reconstruction, with the section that says more. */
  notice?: Notice;
  /** Template path, for errors. */
  source: string;
  /** Citation metadata for the head: meta tags and a schema.org Dataset (see citation.ts). */
  citation?: PageMeta;
}

/** Figures and tables from `:::figure` / `:::table` directives, numbered in order, charts inlined. */
function figures(page: HtmlPage) {
  return (tree: Root) => {
    const numbers = { figure: 0, table: 0 };
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      if (node.name === 'nowrap') return;
      if (node.name !== 'figure' && node.name !== 'table') {
        throw new InputError(
          page.source,
          node.position?.start.line,
          `unknown block ":::${node.name}"`,
          'blocks are :::figure and :::table',
        );
      }
      const kind = node.name;
      numbers[kind]++;
      const number = node.attributes?.number ?? String(numbers[kind]);
      const label = kind === 'figure' ? page.strings.figure : page.strings.table;
      const caption: Paragraph = {
        type: 'paragraph',
        data: { hName: 'figcaption' },
        children: [
          { type: 'strong', children: [{ type: 'text', value: `${label} ${number}.` }] },
          { type: 'text', value: ` ${node.attributes?.caption ?? ''}` },
        ],
      };
      node.data = {
        hName: 'figure',
        hProperties: {
          id: node.attributes?.id ?? undefined,
          className: [kind === 'figure' ? 'chart' : 'table'],
        },
      };
      if (kind === 'figure') {
        node.children = node.children.map((child) => {
          const image =
            child.type === 'paragraph' ? child.children.find((c) => c.type === 'image') : undefined;
          const svg = image && image.type === 'image' ? page.charts.get(image.url) : undefined;
          if (!svg) return child;
          return {
            type: 'paragraph',
            data: {
              hName: 'div',
              hProperties: { className: ['chart-svg'] },
              // the chart's SVG is the renderer's well-formed XML: inlined as is, not re-parsed
              hChildren: [{ type: 'raw', value: svg }],
            },
            children: [],
          };
        });
        node.children.push(caption);
      } else {
        node.children.unshift(caption);
      }
    });
  };
}

/** Wraps the report in its page: title block, language switch, table of contents, footer. */
function page(options: HtmlPage) {
  return (tree: HastRoot): HastRoot => {
    const body = tree.children.filter((n) => !(n.type === 'text' && n.value.trim() === ''));
    const firstSection = body.findIndex((n) => n.type === 'element' && n.tagName === 'h2');
    const front = firstSection === -1 ? [] : body.slice(0, firstSection);
    const main = firstSection === -1 ? body : body.slice(firstSection);
    const toc = main
      .filter(
        (n): n is Element => n.type === 'element' && (n.tagName === 'h2' || n.tagName === 'h3'),
      )
      .map((n) => ({
        depth: n.tagName === 'h2' ? 2 : 3,
        id: String(n.properties.id ?? ''),
        text: textContent(n),
      }));
    const tocList: Element[] = [];
    for (const entry of toc) {
      const item = h('li', h('a', { href: `#${entry.id}` }, entry.text));
      const last = tocList[tocList.length - 1];
      if (entry.depth === 3 && last) {
        let sub = last.children.find(
          (c): c is Element => c.type === 'element' && c.tagName === 'ol',
        );
        if (!sub) {
          sub = h('ol');
          last.children.push(sub);
        }
        sub.children.push(item);
      } else tocList.push(item);
    }
    const switcher = options.alternates.map((alt) =>
      // the other language named in itself, marked as such for screen readers
      h(
        'a',
        {
          href: alt.href,
          hrefLang: alt.lang,
          lang: alt.lang,
          className: ['lang-switch'],
          dataKeepPlace: '',
        },
        alt.name,
      ),
    );
    const notice = options.notice
      ? [
          h('p', { className: ['data-note'], role: 'note' }, [
            h('strong', `${options.strings.reconstruction}.`),
            ` ${options.notice.text}`,
            ...(options.notice.more
              ? [
                  ' ',
                  h(
                    'a',
                    { href: `#${options.notice.more.id}` },
                    fill(options.strings.seeSection, { section: options.notice.more.title }),
                  ),
                ]
              : []),
          ]),
        ]
      : [];
    rowHeaders(main);
    const document = h('html', { lang: options.lang }, [
      h('head', [
        h('meta', { charSet: 'utf-8' }),
        h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
        h('meta', { name: 'color-scheme', content: 'light dark' }),
        h('title', options.title),
        ...(options.citation?.meta ?? []).map((m) =>
          h('meta', { name: m.name, content: m.content }),
        ),
        ...(options.citation
          ? [
              h('script', { type: 'application/ld+json' }, {
                type: 'raw',
                value: scriptJson(options.citation.jsonLd),
              } as unknown as ElementContent),
            ]
          : []),
        h('link', { rel: 'stylesheet', href: `${options.assets}/report.css` }),
        ...options.alternates.map((alt) =>
          h('link', { rel: 'alternate', hrefLang: alt.lang, href: alt.href }),
        ),
        h('script', { src: `${options.assets}/report.js`, defer: true }),
      ]),
      h('body', [
        h('a', { className: ['skip'], href: '#main' }, options.strings.skipToContent),
        h('div', { className: ['bar'] }, [
          h('nav', { className: ['top'], ariaLabel: options.strings.languageNav }, [
            ...switcher,
            ...(options.pdfHref
              ? [h('a', { href: options.pdfHref, className: ['pdf'] }, options.strings.pdf)]
              : []),
            ...(options.docxHref
              ? [
                  h(
                    'a',
                    { href: options.docxHref, className: ['docx'] },
                    options.strings.docx ?? 'Word (.docx)',
                  ),
                ]
              : []),
          ]),
        ]),
        h('div', { className: ['layout'] }, [
          h('header', { className: ['title-block'] }, [...(front as ElementContent[]), ...notice]),
          h('nav', { className: ['toc'], ariaLabelledBy: 'toc-title' }, [
            h('h2', { id: 'toc-title' }, options.strings.contents),
            h('ol', tocList),
          ]),
          h('main', { id: 'main', tabIndex: -1 }, main as ElementContent[]),
        ]),
      ]),
    ]);
    return { type: 'root', children: [{ type: 'doctype' }, document as HastContent] };
  };
}

/**
 * The first cell of each body row heads its row and header cells head their columns; each
 * cell carries its column's name, shown beside it where a narrow screen stacks the table.
 */
function rowHeaders(nodes: readonly HastContent[]): void {
  const elements = (parent: Element, tag: string) =>
    parent.children.filter((c): c is Element => c.type === 'element' && c.tagName === tag);
  for (const node of nodes)
    visit(node as Element, 'element', (table: Element) => {
      if (table.tagName !== 'table') return;
      const [head] = elements(table, 'thead');
      const names: string[] = [];
      for (const tr of head ? elements(head, 'tr') : [])
        for (const th of elements(tr, 'th')) {
          th.properties.scope = 'col';
          names.push(textContent(th));
        }
      for (const body of elements(table, 'tbody'))
        for (const tr of elements(body, 'tr'))
          elements(tr, 'td').forEach((cell, i) => {
            if (i === 0) {
              cell.tagName = 'th';
              cell.properties.scope = 'row';
            } else if (names[i]) cell.properties.dataLabel = names[i];
          });
      return 'skip';
    });
}

function textContent(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textContent).join('');
  return '';
}

/** The report's mdast as one complete, self-contained HTML page. */
export async function toHtmlPage(tree: Root, options: HtmlPage): Promise<string> {
  const processor = unified()
    .use(figures, options)
    .use(remarkRehype)
    .use(page, options)
    .use(rehypeStringify, { allowDangerousHtml: true });
  const hast = await processor.run(structuredClone(tree));
  return `${processor.stringify(hast as HastRoot)}\n`;
}
