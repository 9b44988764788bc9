import GithubSlugger from 'github-slugger';
import type { Heading, Root, Text } from 'mdast';
import type {} from 'mdast-util-directive';
import type {} from 'mdast-util-to-hast';
import { toString as textOf } from 'mdast-util-to-string';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';

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

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkDirective)
  .use(remarkLiteralDirectives)
  .use(remarkHeadingIds)
  .freeze();

/** Markdown (as filled from a template) to an mdast tree: the one tree both HTML and PDF are made from. */
export async function parseMarkdown(markdown: string): Promise<Root> {
  const file = new VFile(markdown);
  return (await processor.run(processor.parse(file), file)) as Root;
}
