import type {
  Definition,
  FootnoteDefinition,
  Nodes,
  Parents,
  Root,
  RootContent,
  Table,
} from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import { InputError } from '../errors.js';
import { figureOf, isBlock, splitTitleBlock } from './blocks.js';
import type { ReportDocument } from './document.js';

/** Markup characters of Typst; each is written as a backslash escape so data always prints as text. */
const SPECIAL = /[\\#$*_`<>@[\]=\-+/~"'.:{}()!?|&^%;,]/g;

/** Text as Typst markup that prints exactly that text (no code, math, label, reference or comment). */
export function escapeMarkup(value: string): string {
  return value.replace(SPECIAL, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

/** A Typst string literal. */
export function typstString(value: string): string {
  return `"${value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')}"`;
}

/** A label Typst reads in markup (`<id>`): letters, digits, `_` and `-`, a letter first. */
const LABEL = /^[A-Za-z][\w-]*$/;

/** Turns one node into Typst markup; `state` sets its children and holds what the tree shares. */
export type TypstHandler<T extends Nodes = Nodes> = (node: T, state: TypstState) => string;

/** Handlers by node type; a handler given in the options replaces the built-in one or adds a type. */
export type TypstHandlers = { [K in Nodes['type']]?: TypstHandler<Extract<Nodes, { type: K }>> } & {
  [type: string]: TypstHandler<never> | undefined;
};

export interface TypstOptions {
  /** Template path, for errors. */
  source: string;
  /** Maps an image path used in the Markdown to the path the compiler sees. */
  imagePath: (url: string) => string | undefined;
  /** The text alternative of an image (a chart's data in words), else the Markdown's alt. */
  imageAlt?: (url: string) => string | undefined;
  /** Natural width of an image in CSS pixels, so every chart prints at the same scale. */
  imageWidth?: (url: string) => number | undefined;
  /** Handlers that replace or add to the built-in ones (see typstHandlers). */
  handlers?: TypstHandlers;
  /** Where a link goes (see pdf-links.ts): a URL, or a text printed instead of a dead link. */
  linkTarget?: (url: string) => string | { text: string };
}

/** What every handler shares: the options, the tree's definitions, and how to set other nodes. */
export interface TypstState {
  options: TypstOptions;
  /** The document being set, when a whole ReportDocument is (not a bare tree). */
  document?: ReportDocument;
  handlers: TypstHandlers;
  /** One node as Typst markup, by its handler; an error naming the template line if it has none. */
  one: (node: Nodes) => string;
  /** The children of a node, each by its handler, joined. */
  all: (node: Parents) => string;
  /** The link or image definition of a reference (`[text][ref]`), by its identifier. */
  definition: (identifier: string) => Definition | undefined;
  /** The footnote of a reference (`[^1]`), by its identifier. */
  footnote: (identifier: string) => FootnoteDefinition | undefined;
  /** The label of a footnote already set, so that a second reference repeats its number. */
  footnotes: Map<string, string>;
  /** Refuses a node the PDF cannot set, naming the template line. */
  fail: (node: Nodes, what: string) => never;
}

/** A link inside the report goes to the heading or figure of that label. */
function linkTo(url: string, content: string, state: TypstState): string {
  if (LABEL.test(url.slice(1)) && url.startsWith('#'))
    return `#link(label(${typstString(url.slice(1))}))[${content}]`;
  const target = state.options.linkTarget?.(url) ?? url;
  return typeof target === 'string'
    ? `#link(${typstString(target)})[${content}]`
    : escapeMarkup(target.text);
}

function imageMarkup(url: string, alt: string | null | undefined, state: TypstState): string {
  const path = state.options.imagePath(url);
  return path
    ? `#box(image(${typstString(path)}, alt: ${typstString(state.options.imageAlt?.(url) ?? alt ?? '')}))`
    : escapeMarkup(alt ?? '');
}

/** A table's `table(…)` call, without its `#` (inside a figure it is an argument). */
export function tableCall(node: Table, state: TypstState): string {
  const [head, ...rows] = node.children;
  const columns = head?.children.length ?? 1;
  const align = (node.align ?? []).map((a) =>
    a === 'right' ? 'right' : a === 'center' ? 'center' : 'left',
  );
  return [
    `table(columns: ${columns}, align: (${align.join(', ')}${align.length === 1 ? ',' : ''}), stroke: none,`,
    `  table.hline(), table.header(${head ? state.one(head) : ''}), table.hline(stroke: 0.5pt),`,
    ...rows.map((row) => `  ${state.one(row)},`),
    '  table.hline())',
  ].join('\n');
}

/** Block content set inside brackets (a list item, a quote, a footnote). */
const blocks = (node: Parents, state: TypstState) => state.all(node).trim();

/** The built-in handlers: every node type the report's Markdown parser gives (see the conformance test). */
export const typstHandlers: TypstHandlers = {
  root: (node, state) => state.all(node),
  text: (node) => escapeMarkup(node.value),
  strong: (node, state) => `#strong[${state.all(node)}]`,
  emphasis: (node, state) => `#emph[${state.all(node)}]`,
  delete: (node, state) => `#strike[${state.all(node)}]`,
  inlineCode: (node) => `#raw(${typstString(node.value)})`,
  break: () => '#linebreak()',
  link: (node, state) => linkTo(node.url, state.all(node), state),
  linkReference: (node, state) => {
    const definition = state.definition(node.identifier);
    return definition ? linkTo(definition.url, state.all(node), state) : state.all(node);
  },
  image: (node, state) => imageMarkup(node.url, node.alt, state),
  imageReference: (node, state) => {
    const definition = state.definition(node.identifier);
    return definition ? imageMarkup(definition.url, node.alt, state) : escapeMarkup(node.alt ?? '');
  },
  footnoteReference: (node, state) => {
    const set = state.footnotes.get(node.identifier);
    // a second reference to a note repeats its number
    if (set) return `#footnote(label(${typstString(set)}))`;
    const definition = state.footnote(node.identifier);
    if (!definition) return state.fail(node, `the footnote [^${node.label ?? node.identifier}]`);
    // no heading or figure id holds a colon: the label is the note's alone
    const label = `fn:${state.footnotes.size + 1}`;
    state.footnotes.set(node.identifier, label);
    return `#footnote[${blocks(definition, state)}] <${label}>`;
  },
  textDirective: (node, state) => {
    // an interval: kept on one line
    if (node.name === 'nowrap') return `#box[${state.all(node)}]`;
    return state.fail(node, `the text directive :${node.name}`);
  },
  heading: (node, state) => {
    const id = node.data?.id;
    return `${'='.repeat(Math.max(1, node.depth - 1))} ${state.all(node)}${id ? ` <${id}>` : ''}\n\n`;
  },
  paragraph: (node, state) => {
    // a paragraph others link to (an entry of the works cited) is marked where it starts
    const id = (node.data as { hProperties?: { id?: unknown } } | undefined)?.hProperties?.id;
    const anchor = typeof id === 'string' && LABEL.test(id) ? `#metadata(none) <${id}>` : '';
    return `${anchor}${state.all(node)}\n\n`;
  },
  list: (node, state) =>
    `#${node.ordered ? 'enum' : 'list'}(${node.children.map((item) => state.one(item)).join(', ')})\n\n`,
  listItem: (node, state) => `[${blocks(node, state)}]`,
  blockquote: (node, state) => `#quote(block: true)[${blocks(node, state)}]\n\n`,
  thematicBreak: () => '#line(length: 100%, stroke: 0.5pt)\n\n',
  code: (node) => `#raw(block: true, ${typstString(node.value)})\n\n`,
  table: (node, state) => `#${tableCall(node, state)}\n\n`,
  tableRow: (node, state) => node.children.map((cell) => state.one(cell)).join(', '),
  tableCell: (node, state) => `[${state.all(node)}]`,
  containerDirective: (node, state) => {
    if (!isBlock(node.name)) return state.fail(node, `the block :::${node.name}`);
    const id = node.attributes?.id;
    const label = id && LABEL.test(id) ? ` <${id}>` : '';
    const caption = `caption: [${escapeMarkup(node.attributes?.caption ?? '')}]`;
    if (node.name === 'table') {
      const t = node.children.find((c): c is Table => c.type === 'table');
      if (!t) return state.fail(node, 'a :::table without a table');
      return `#figure(kind: table, ${caption},\n${tableCall(t, state)})${label}\n\n`;
    }
    const image = node.children
      .flatMap((c) => (c.type === 'paragraph' ? c.children : []))
      .find((c) => c.type === 'image');
    const path = image?.type === 'image' ? state.options.imagePath(image.url) : undefined;
    if (image?.type !== 'image' || !path) return state.fail(node, 'a :::figure without a chart');
    const px =
      (state.document && figureOf(state.document, node as ContainerDirective)?.chart?.width) ??
      state.options.imageWidth?.(image.url);
    // 1 CSS px = 0.75 pt, shrunk a little and never wider than the A4 text block (≈ 459 pt)
    const width = px ? `${Math.min(px * 0.7, 450).toFixed(1)}pt` : '100%';
    const alt = state.options.imageAlt?.(image.url) ?? image.alt ?? '';
    return `#figure(image(${typstString(path)}, width: ${width}, alt: ${typstString(alt)}), ${caption})${label}\n\n`;
  },
  // set where they are referred to
  definition: () => '',
  footnoteDefinition: () => '',
};

/** The state the handlers share while one tree is set. */
export function typstState(
  tree: Root,
  options: TypstOptions,
  document?: ReportDocument,
): TypstState {
  const definitions = new Map<string, Definition>();
  const footnoteDefinitions = new Map<string, FootnoteDefinition>();
  visit(tree, (node) => {
    // the first definition of an identifier wins, as CommonMark says
    if (node.type === 'definition' && !definitions.has(node.identifier))
      definitions.set(node.identifier, node);
    if (node.type === 'footnoteDefinition' && !footnoteDefinitions.has(node.identifier))
      footnoteDefinitions.set(node.identifier, node);
  });
  const handlers: TypstHandlers = { ...typstHandlers, ...options.handlers };
  const state: TypstState = {
    options,
    document,
    handlers,
    one: (node) => {
      const handler = handlers[node.type] as TypstHandler | undefined;
      return handler ? handler(node, state) : state.fail(node, `a ${node.type}`);
    },
    all: (node) => (node.children as Nodes[]).map((child) => state.one(child)).join(''),
    definition: (identifier) => definitions.get(identifier),
    footnote: (identifier) => footnoteDefinitions.get(identifier),
    footnotes: new Map(),
    fail: (node, what) => {
      throw new InputError(
        options.source,
        node.position?.start.line,
        `${what} cannot be set in the PDF`,
        'use headings, paragraphs, lists, tables and helper figures',
      );
    },
  };
  return state;
}

/** The title block (its heading as the document's title) and the body, as Typst markup. */
function setParts(front: RootContent[], body: RootContent[], state: TypstState) {
  return {
    front: front
      .map((n) => (n.type === 'heading' ? `#title[${state.all(n)}]\n\n` : state.one(n)))
      .join(''),
    body: body.map((n) => state.one(n)).join(''),
  };
}

/** A report's document as Typst markup: its title block and its body. */
export function typstMarkup(
  doc: ReportDocument,
  options: Pick<TypstOptions, 'handlers' | 'imagePath' | 'linkTarget'>,
): { front: string; body: string } {
  const state = typstState(
    doc.tree,
    {
      source: doc.template,
      imagePath: options.imagePath,
      imageAlt: (url) => doc.charts.get(url)?.description,
      imageWidth: (url) => doc.charts.get(url)?.width,
      handlers: options.handlers,
      linkTarget: options.linkTarget,
    },
    doc,
  );
  return setParts(doc.front, doc.body, state);
}

/** A bare mdast tree as Typst markup (title block and body split as in a report). */
export function mdastToTypst(tree: Root, options: TypstOptions): { front: string; body: string } {
  const { front, body } = splitTitleBlock(tree.children);
  return setParts(front, body, typstState(tree, options));
}
