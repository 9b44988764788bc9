import GithubSlugger from 'github-slugger';
import type { Heading, Root, Text } from 'mdast';
import type {} from 'mdast-util-directive';
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
 * Only container directives (`:::table`, `:::figure`, written by helpers) are structure;
 * a stray `:word` or `::word` in prose stays the text it was.
 */
export function remarkLiteralDirectives() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value);
    visit(tree, (node, index, parent) => {
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

const processor = unified()
  .use(remarkParse)
  .use(remarkGfmWithoutAutolinkLiterals)
  .use(remarkDirective)
  .use(remarkCitationSyntax)
  .use(remarkLiteralDirectives)
  .use(remarkHeadingIds)
  .freeze();

/** Markdown (as filled from a template) to an mdast tree: the one tree both HTML and PDF are made from. */
export async function parseMarkdown(markdown: string): Promise<Root> {
  const file = new VFile(markdown);
  return (await processor.run(processor.parse(file), file)) as Root;
}
