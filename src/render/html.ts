import type { Element, ElementContent, RootContent as HastContent, Root as HastRoot } from 'hast';
import { h } from 'hastscript';
import type { Nodes, Root } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import type { Handler, Handlers, State } from 'mdast-util-to-hast';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { fill } from '../locale/strings.js';
import { figureOf } from './blocks.js';
import { type PageMeta, scriptJson } from './citation.js';
import type { ReportDocument } from './document.js';

export type { Handler as HtmlHandler, Handlers as HtmlHandlers } from 'mdast-util-to-hast';

/** What a page holds besides its document. */
export interface HtmlPage {
  /** The same page in the other languages, for the switch and hreflang links. */
  alternates: { lang: string; name: string; href: string }[];
  /** The PDF of this language, relative to the page. */
  pdfHref?: string;
  /** The Word file of this language, relative to the page. */
  docxHref?: string;
  /** Relative path from the page to the shared assets folder. */
  assets: string;
  /** Citation metadata for the head: meta tags and a schema.org Dataset (see citation.ts). */
  citation?: PageMeta;
  /** remark-rehype handlers that replace or add to the page's own, by node type. */
  handlers?: Handlers;
}

/**
 * The page's handlers (mdast-util-to-hast's, by node type, are used for the rest): the report's
 * root as its title block and its body, and each `:::figure` / `:::table` as a numbered figure,
 * charts inlined.
 */
export function htmlHandlers(doc: ReportDocument): Handlers {
  return {
    // a root handler may give a root (mdast-util-to-hast's own does); its typing says elements only
    root: ((state: State) => ({
      type: 'root',
      children: [
        // the title block, as the document splits it
        h(
          'header',
          { className: ['title-block'] },
          state.all({ type: 'root', children: doc.front }),
        ),
        ...state.all({ type: 'root', children: doc.body }),
      ],
    })) as unknown as Handler,
    // an interval, kept on one line (the only text directive the parser leaves)
    textDirective: (state: State, node: TextDirective) =>
      node.name === 'nowrap'
        ? h('span', { className: ['nowrap'] }, state.all(node))
        : state.all(node),
    containerDirective: (state: State, node: ContainerDirective) => {
      const figure = figureOf(doc, node);
      // the document refuses any other block before a back-end runs
      if (!figure) return state.all(node);
      const label = figure.kind === 'figure' ? doc.strings.figure : doc.strings.table;
      const caption = h('figcaption', [
        h('strong', `${label} ${figure.number}.`),
        ` ${figure.caption}`,
      ]);
      const children: ElementContent[] = [];
      for (const child of node.children) {
        const image =
          child.type === 'paragraph' ? child.children.find((c) => c.type === 'image') : undefined;
        const svg = image && image.type === 'image' ? doc.charts.get(image.url)?.svg : undefined;
        if (svg)
          // the chart's SVG is the renderer's well-formed XML: inlined as is, not re-parsed
          children.push(
            h('div', { className: ['chart-svg'] }, {
              type: 'raw',
              value: svg,
            } as unknown as ElementContent),
          );
        else {
          const result = state.one(child as Nodes, node);
          if (Array.isArray(result)) children.push(...(result as ElementContent[]));
          else if (result) children.push(result as ElementContent);
        }
      }
      if (figure.kind === 'figure') children.push(caption);
      else children.unshift(caption);
      const result: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {
          id: node.attributes?.id ?? undefined,
          className: [figure.kind === 'figure' ? 'chart' : 'table'],
        },
        children,
      };
      state.patch(node, result);
      return result;
    },
  };
}

/** Wraps the report in its page: title block, language switch, table of contents, footer. */
function page(doc: ReportDocument, options: HtmlPage) {
  return (tree: HastRoot): HastRoot => {
    const [header, ...rest] = tree.children;
    const front = header?.type === 'element' ? header.children : [];
    const main = rest.filter((n) => !(n.type === 'text' && n.value.trim() === ''));
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
    const notice = doc.notice
      ? [
          h('p', { className: ['data-note'], role: 'note' }, [
            h('strong', `${doc.notice.label}.`),
            ` ${doc.notice.text}`,
            ...(doc.notice.more
              ? [
                  ' ',
                  h(
                    'a',
                    { href: `#${doc.notice.more.id}` },
                    fill(doc.strings.seeSection, { section: doc.notice.more.title }),
                  ),
                ]
              : []),
          ]),
        ]
      : [];
    rowHeaders(main);
    const document = h('html', { lang: doc.lang }, [
      h('head', [
        h('meta', { charSet: 'utf-8' }),
        h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
        h('meta', { name: 'color-scheme', content: 'light dark' }),
        h('title', doc.title),
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
        h('a', { className: ['skip'], href: '#main' }, doc.strings.skipToContent),
        h('div', { className: ['bar'] }, [
          h('nav', { className: ['top'], ariaLabel: doc.strings.languageNav }, [
            ...switcher,
            ...(options.pdfHref
              ? [h('a', { href: options.pdfHref, className: ['pdf'] }, doc.strings.pdf)]
              : []),
            ...(options.docxHref
              ? [
                  h(
                    'a',
                    { href: options.docxHref, className: ['docx'] },
                    doc.strings.docx ?? 'Word (.docx)',
                  ),
                ]
              : []),
          ]),
        ]),
        h('div', { className: ['layout'] }, [
          h('header', { className: ['title-block'] }, [...(front as ElementContent[]), ...notice]),
          h('nav', { className: ['toc'], ariaLabelledBy: 'toc-title' }, [
            h('h2', { id: 'toc-title' }, doc.strings.contents),
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

/**
 * The HTML back-end: a report's document as one complete, self-contained page, through
 * remark-rehype with the page's handlers (and the caller's, which take precedence).
 */
export async function toHtmlPage(doc: ReportDocument, options: HtmlPage): Promise<string> {
  const processor = unified()
    .use(remarkRehype, {
      handlers: { ...htmlHandlers(doc), ...options.handlers },
      footnoteLabel: doc.strings.footnotes,
      footnoteBackLabel: doc.strings.backToReference
        ? (index: number, again: number) =>
            fill(doc.strings.backToReference as string, {
              n: `${index + 1}${again > 1 ? `-${again}` : ''}`,
            })
        : undefined,
    })
    .use(page, doc, options)
    .use(rehypeStringify, { allowDangerousHtml: true });
  const hast = await processor.run(doc.tree as Root);
  return `${processor.stringify(hast as HastRoot)}\n`;
}
