import type { Root } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { InputError } from '../errors.js';

/**
 * Refuses a link inside the report (`#id`) to an id that no heading, table, figure or work cited
 * has: the page would hold a dead link and the PDF cannot be set. Checked once, for every output.
 */
export function checkAnchors(tree: Root, template: { path: string; text: string }): void {
  const ids = new Set<string>();
  visit(tree, (node) => {
    const data = node.data as { id?: unknown; hProperties?: { id?: unknown } } | undefined;
    const attributes = (node as { attributes?: { id?: unknown } | null }).attributes;
    for (const id of [data?.id, data?.hProperties?.id, attributes?.id])
      if (typeof id === 'string') ids.add(id);
  });
  // a link, or the definition a reference-style link (`[text][ref]`) takes its address from
  visit(tree, ['link', 'definition'] as const, (node) => {
    if (!node.url.startsWith('#') || ids.has(decodeURIComponent(node.url.slice(1)))) return;
    // the line of the template that writes it (the filled Markdown's lines are not the template's)
    const at = template.text
      .split('\n')
      .findIndex((line) => line.includes(`(${node.url})`) || line.includes(`]: ${node.url}`));
    throw new InputError(
      template.path,
      at === -1 ? undefined : at + 1,
      `a link to "${node.url}", which no heading, table or figure of the report has`,
      'link to a heading\'s id ({#id} after its title) or write {{ref "table" "question"}}',
    );
  });
}

/** Refuses a heading with no text: it has no title to list or to tag in the accessible PDF. */
export function checkHeadings(tree: Root, template: { path: string; text: string }): void {
  visit(tree, 'heading', (node) => {
    if (textOf(node).trim() !== '') return;
    const at = template.text
      .split('\n')
      .findIndex((line) => /^\s{0,3}#{1,6}\s*(\{[^}]*\})?\s*$/.test(line));
    throw new InputError(
      template.path,
      at === -1 ? undefined : at + 1,
      'a heading with no text',
      'write its title after the #, or remove the line',
    );
  });
}
