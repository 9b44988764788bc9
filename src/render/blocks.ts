import type { RootContent } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import type { DocumentFigure, ReportDocument } from './document.js';

// What the document and every back-end agree on, with no dependency: the PDF compiler's thread
// loads the Typst back-end without the parser or the charts.

/**
 * The `:::` blocks a report may hold, all written by helpers: a chart with its caption and a
 * table with its caption. (`{{bibliography}}`'s block is replaced by the works cited before any
 * back-end sees the tree.) Every check and every back-end asks this list.
 */
export const BLOCKS = ['figure', 'table'] as const;
export type BlockName = (typeof BLOCKS)[number];
export const isBlock = (name: string): name is BlockName =>
  (BLOCKS as readonly string[]).includes(name);
/** What an error about an unknown block advises. */
export const BLOCKS_HINT = `blocks are ${BLOCKS.map((b) => `:::${b}`).join(' and ')}`;

/**
 * The title block and the body of a report: the title block is everything before the first
 * second-level heading (none when there is no such heading: all is body).
 */
export function splitTitleBlock(nodes: readonly RootContent[]): {
  front: RootContent[];
  body: RootContent[];
} {
  const first = nodes.findIndex((n) => n.type === 'heading' && n.depth === 2);
  const split = first === -1 ? 0 : first;
  return { front: nodes.slice(0, split), body: nodes.slice(split) };
}

/** The figure or table a `:::` block of the document's tree is, if it is one. */
export function figureOf(
  doc: ReportDocument,
  node: ContainerDirective,
): DocumentFigure | undefined {
  return doc.figures.find((f) => f.node === node);
}
