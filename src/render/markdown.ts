import GithubSlugger from 'github-slugger';
import type { Heading, Link, Root, Text } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import type {} from 'mdast-util-to-hast';
import { toString as textOf } from 'mdast-util-to-string';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { type Processor, unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import { InputError } from '../errors.js';
import { isBlock } from './blocks.js';
import { remarkCitationSyntax } from './citations/syntax.js';

/**
 * Heading ids: `## Results {#results}` sets the id explicitly (so that every language of a
 * report shares it); other headings get a slug of their text.
 */
export function remarkHeadingIds() {
  return (tree: Root) => {
    const slugger = new GithubSlugger();
    visit(tree, 'heading', (node: Heading) => {
      const last = node.children[node.children.length - 1];
      const match = last?.type === 'text' ? /\s*\{#([A-Za-z][\w-]*)\}\s*$/.exec(last.value) : null;
      let id: string;
      if (match && last) {
        (last as Text).value = (last as Text).value.slice(0, match.index);
        id = match[1] as string;
        slugger.slug(id);
      } else {
        id = slugger.slug(textOf(node));
      }
      node.data = { ...node.data, id, hProperties: { ...node.data?.hProperties, id } };
    });
  };
}

declare module 'mdast' {
  interface HeadingData {
    id?: string;
  }
}

/**
 * Only container directives (`:::table`, `:::figure`) and `:nowrap[…]` (an interval kept on
 * one line), all written by helpers, are structure; a stray `:word` or `::word` in prose stays
 * the text it was.
 */
export function remarkLiteralDirectives() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value);
    visit(tree, (node, index, parent) => {
      if (node.type === 'textDirective' && node.name === 'nowrap') {
        node.attributes = {};
        return;
      }
      if (
        (node.type !== 'textDirective' && node.type !== 'leafDirective') ||
        !parent ||
        index === undefined
      )
        return;
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? start;
      const value: Text = { type: 'text', value: source.slice(start, end) };
      parent.children.splice(
        index,
        1,
        (node.type === 'leafDirective' ? { type: 'paragraph', children: [value] } : value) as never,
      );
    });
  };
}

export { BLOCKS, BLOCKS_HINT, type BlockName, isBlock, splitTitleBlock } from './blocks.js';

export interface Numbering {
  /** "Figura", "Tabla": the words a cross-reference is written with. */
  figure: string;
  table: string;
  /** Template path, for errors. */
  source?: string;
}
/**
 * GitHub Flavored Markdown (tables, strike-through, footnotes, task lists) but for its
 * literal autolinks: GFM makes a link of any text that looks like an address
 * (`www.example.org`, `a@b.c`, `https://…`), data included, and reads an escape after one
 * as part of it. Links are written as links: `[text](url)` or `<url>`.
 */
export function remarkGfmWithoutAutolinkLiterals(this: Processor) {
  const data = this.data();
  data.micromarkExtensions = [
    ...(data.micromarkExtensions ?? []),
    gfmFootnote(),
    gfmStrikethrough(),
    gfmTable(),
    gfmTaskListItem(),
  ];
  data.fromMarkdownExtensions = [
    ...(data.fromMarkdownExtensions ?? []),
    gfmFootnoteFromMarkdown(),
    gfmStrikethroughFromMarkdown(),
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown(),
  ];
}

/** The parser of a report's Markdown: every back-end sets what it gives (see test/conformance). */
export const processor = unified()
  .use(remarkParse)
  .use(remarkGfmWithoutAutolinkLiterals)
  .use(remarkDirective)
  .use(remarkCitationSyntax)
  .use(remarkLiteralDirectives)
  .use(remarkHeadingIds)
  .freeze();

/**
 * Numbers `:::figure` and `:::table` blocks in order, each kind on its own (as Typst does), and
 * writes each empty link to one of them as its cross-reference: `[](#tbl-x)` → "Tabla 3".
 */
export function remarkNumbering(words?: Numbering) {
  return (tree: Root) => {
    const numbers = new Map<string, string>();
    const count = { figure: 0, table: 0 };
    visit(tree, 'containerDirective', (node: ContainerDirective) => {
      if (!isBlock(node.name)) return;
      const n = ++count[node.name];
      node.attributes = { ...node.attributes, number: String(n) };
      const id = node.attributes.id;
      if (id && words) numbers.set(id, `${words[node.name]} ${n}`);
    });
    visit(tree, 'link', (node: Link) => {
      if (node.children.length > 0 || !node.url.startsWith('#')) return;
      const label = numbers.get(node.url.slice(1));
      if (!label)
        throw new InputError(
          words?.source ?? 'template',
          node.position?.start.line,
          `a cross-reference to "${node.url.slice(1)}", which the report does not contain`,
          'refer only to the tables and charts the template shows',
        );
      node.children = [{ type: 'text', value: label }];
    });
  };
}

/**
 * Markdown (as filled from a template) to an mdast tree: the one tree both HTML and PDF are
 * made from, figures and tables numbered and cross-references written.
 */
export async function parseMarkdown(markdown: string, words?: Numbering): Promise<Root> {
  const file = new VFile(markdown);
  const tree = (await processor.run(processor.parse(file), file)) as Root;
  remarkNumbering(words)(tree);
  return tree;
}

/** The section (nearest heading before it) of the first paragraph that reads `text`. */
export function sectionHolding(
  tree: Root,
  text: string,
): { id: string; title: string } | undefined {
  const wanted = text.replace(/\s+/g, ' ').trim();
  let heading: Heading | undefined;
  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth > 1) heading = node;
    if (node.type === 'paragraph' && textOf(node).replace(/\s+/g, ' ').trim() === wanted)
      return heading?.data?.id ? { id: heading.data.id, title: textOf(heading) } : undefined;
  }
  return undefined;
}
