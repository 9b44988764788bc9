import type { PhrasingContent, RootContent } from 'mdast';
import { directiveToMarkdown } from 'mdast-util-directive';
import { gfmTableToMarkdown } from 'mdast-util-gfm-table';
import { toMarkdown } from 'mdast-util-to-markdown';

/**
 * Markdown for mdast nodes built from data. Serialising a tree, rather than pasting
 * strings, escapes whatever the data holds (`*`, `<script>`, `|`, `{{`, `~`) as literal text.
 * (Text that looks like an address, `www.example.org` or `a@b.c`, is no link either: the
 * report's Markdown makes no links of bare addresses, see remarkGfmWithoutAutolinkLiterals.)
 */
export function markdownOf(nodes: RootContent[]): string {
  return toMarkdown(
    { type: 'root', children: nodes },
    {
      extensions: [gfmTableToMarkdown(), directiveToMarkdown()],
      // every ~ escaped: one or two of them around words would strike them through
      unsafe: [{ character: '~' }],
    },
  ).replace(/\n+$/, '');
}

/** Data text as inline Markdown that reads back as exactly that text. */
export function inlineText(value: string): string {
  return markdownOf([{ type: 'paragraph', children: [text(value)] }]);
}

export function text(value: string): PhrasingContent {
  return { type: 'text', value: value.replace(/\s+/g, ' ') };
}
