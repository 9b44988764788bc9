import type { Heading, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { visitParents } from 'unist-util-visit-parents';
import { InputError } from '../../errors.js';
import type { SourceFile } from '../../load/study.js';
import { closest } from '../helper-options.js';
import { type CitationStyle, formatCitations, referencesHeading } from './format.js';
import type { Library } from './library.js';
import { type Citation, type CitedItem, citationsInSource, parseCitation } from './syntax.js';

export { type CitationStyle, cslLocale, styleFor } from './format.js';
export { type Library, parseLibrary } from './library.js';
export {
  citationsInSource,
  remarkCitationSyntax,
  withoutCitationsAndLabels,
} from './syntax.js';

/** The placeholder `{{bibliography}}` prints: replaced by the works cited. */
export const BIBLIOGRAPHY_BLOCK = 'bibliography';

export interface CitationOptions {
  /** The template the Markdown was filled from: errors name it and the citation's line. */
  template: SourceFile;
  /** The study's references, when it has a file of them. */
  library?: Library;
  /** The language's style (see styleFor) and locale (`es-PE`, `en-US`). */
  style: CitationStyle;
  locale: string;
}

/** The id of a work's entry in the list of works cited (a citation links to it). */
export const entryId = (key: string) => `ref-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * Resolves the citations of a filled report: each `citation` node becomes ordinary mdast —
 * text, and a link to the work's entry — holding the formatted citation, and the
 * `{{bibliography}}` block (or, without one, a last section) becomes the works cited, one
 * paragraph each. Every back-end then prints the same text with no code of its own. An
 * unknown key is an error naming the template and line; a work never cited is left out.
 */
export function resolveCitations(tree: Root, options: CitationOptions): void {
  const { template, library } = options;
  const found: { node: Citation; parent: { children: unknown[] }; items: CitedItem[] }[] = [];
  const blocks: { node: ContainerDirective; parent: { children: unknown[] } }[] = [];
  visitParents(tree, (node, ancestors) => {
    const parent = ancestors[ancestors.length - 1] as { children: unknown[] } | undefined;
    if (!parent) return;
    if (node.type === 'citation') found.push({ node, parent, items: parseCitation(node.value) });
    else if (node.type === 'containerDirective' && node.name === BIBLIOGRAPHY_BLOCK)
      blocks.push({ node, parent });
  });
  if (found.length === 0 && blocks.length === 0) return;
  const sourceLine = (key?: string) =>
    citationsInSource(template.text).find(
      (c) => key === undefined || c.items.some((i) => i.key === key),
    )?.line;
  if (!library)
    throw new InputError(
      template.path,
      found.length > 0 ? sourceLine() : undefined,
      found.length > 0
        ? 'the report cites works, but the study has no references'
        : '{{bibliography}} lists the works cited, but the study has no references',
      'write them in data/references.bib (BibTeX) or data/references.json (CSL-JSON)',
    );
  if (blocks.length > 1)
    throw new InputError(
      template.path,
      undefined,
      '{{bibliography}} is used more than once',
      'list the works cited once',
    );
  for (const { items } of found)
    for (const { key } of items)
      if (!library.items.has(key))
        throw new InputError(
          template.path,
          sourceLine(key),
          `unknown citation key "@${key}"`,
          `${library.file} has no work with that key${nearest(key, [...library.items.keys()])}`,
        );

  const formatted = formatCitations(
    library,
    found.map((f) => f.items),
    options.style,
    options.locale,
  );
  found.forEach(({ node, parent }, i) => {
    const nodes: PhrasingContent[] = (formatted.citations[i] ?? []).map((segment) =>
      segment.key
        ? {
            type: 'link',
            url: `#${entryId(segment.key)}`,
            data: { hProperties: { className: ['citation'] } },
            children: [{ type: 'text', value: segment.text }],
          }
        : { type: 'text', value: segment.text },
    );
    parent.children.splice(parent.children.indexOf(node), 1, ...nodes);
  });
  const entries: Paragraph[] = formatted.bibliography.map(({ key, content }) => ({
    type: 'paragraph',
    data: { hProperties: { id: entryId(key), className: ['csl-entry'] } },
    children: content,
  }));
  const block = blocks[0];
  if (block) {
    block.parent.children.splice(block.parent.children.indexOf(block.node), 1, ...entries);
  } else if (entries.length > 0) {
    const heading: Heading = {
      type: 'heading',
      depth: 2,
      data: { id: 'references', hProperties: { id: 'references' } },
      children: [{ type: 'text', value: referencesHeading(options.locale) }],
    };
    tree.children.push(heading, ...(entries as RootContent[]));
  }
}

/** `; did you mean "@…"?` for a key one or two edits from a known one (in any case). */
function nearest(key: string, keys: string[]): string {
  // of two as near, the first in alphabetical order
  const lower = closest(
    key.toLowerCase(),
    keys.map((k) => k.toLowerCase()).sort((a, b) => a.localeCompare(b)),
  );
  const best = keys.find((k) => k.toLowerCase() === lower);
  return best ? `; did you mean "@${best}"?` : '';
}
