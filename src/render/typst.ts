import type { Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { InputError } from '../errors.js';

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

export interface TypstOptions {
  /** Template path, for errors. */
  source: string;
  /** Maps an image path used in the Markdown to the path the compiler sees. */
  imagePath: (url: string) => string | undefined;
  /** The text alternative of an image (a chart's data in words), else the Markdown's alt. */
  imageAlt?: (url: string) => string | undefined;
  /** Natural width of an image in CSS pixels, so every chart prints at the same scale. */
  imageWidth?: (url: string) => number | undefined;
  /** Where a link goes (see pdf-links.ts): a URL, or a text printed instead of a dead link. */
  linkTarget?: (url: string) => string | { text: string };
}

/** mdast → Typst markup: a small compiler, one function per node type, escaping every text. */
export function mdastToTypst(tree: Root, options: TypstOptions): { front: string; body: string } {
  const fail = (node: Nodes, what: string): never => {
    throw new InputError(
      options.source,
      node.position?.start.line,
      `${what} cannot be set in the PDF`,
      'use headings, paragraphs, lists, tables and helper figures',
    );
  };
  const inline = (nodes: PhrasingContent[]): string => nodes.map(phrasing).join('');
  const phrasing = (node: PhrasingContent): string => {
    switch (node.type) {
      case 'text':
        return escapeMarkup(node.value);
      case 'strong':
        return `#strong[${inline(node.children)}]`;
      case 'emphasis':
        return `#emph[${inline(node.children)}]`;
      case 'delete':
        return `#strike[${inline(node.children)}]`;
      case 'inlineCode':
        return `#raw(${typstString(node.value)})`;
      case 'break':
        return '#linebreak()';
      case 'link': {
        // a link inside the report goes to the heading or figure of that label
        if (/^#[A-Za-z][\w-]*$/.test(node.url))
          return `#link(label(${typstString(node.url.slice(1))}))[${inline(node.children)}]`;
        const target = options.linkTarget?.(node.url) ?? node.url;
        return typeof target === 'string'
          ? `#link(${typstString(target)})[${inline(node.children)}]`
          : escapeMarkup(target.text);
      }
      case 'image': {
        const path = options.imagePath(node.url);
        return path
          ? `#box(image(${typstString(path)}, alt: ${typstString(options.imageAlt?.(node.url) ?? node.alt ?? '')}))`
          : escapeMarkup(node.alt ?? '');
      }
      case 'html':
        return escapeMarkup(node.value);
      case 'textDirective':
        // an interval: kept on one line
        if (node.name === 'nowrap') return `#box[${inline(node.children)}]`;
        return fail(node, `the text directive :${node.name}`);
      default:
        return fail(node, `inline ${(node as Nodes).type}`);
    }
  };
  const table = (node: Table): string => {
    const [head, ...rows] = node.children;
    const columns = head?.children.length ?? 1;
    const align = (node.align ?? []).map((a) =>
      a === 'right' ? 'right' : a === 'center' ? 'center' : 'left',
    );
    const cells = (row: Table['children'][number]) =>
      row.children.map((cell) => `[${inline(cell.children)}]`).join(', ');
    return [
      `table(columns: ${columns}, align: (${align.join(', ')}${align.length === 1 ? ',' : ''}), stroke: none,`,
      `  table.hline(), table.header(${head ? cells(head) : ''}), table.hline(stroke: 0.5pt),`,
      ...rows.map((row) => `  ${cells(row)},`),
      '  table.hline())',
    ].join('\n');
  };
  const directive = (node: ContainerDirective): string => {
    const id = node.attributes?.id;
    const label = id && /^[A-Za-z][\w-]*$/.test(id) ? ` <${id}>` : '';
    const caption = `caption: [${escapeMarkup(node.attributes?.caption ?? '')}]`;
    if (node.name === 'table') {
      const t = node.children.find((c): c is Table => c.type === 'table');
      if (!t) return fail(node, 'a :::table without a table');
      return `#figure(kind: table, ${caption},\n${table(t)})${label}\n\n`;
    }
    if (node.name === 'figure') {
      const image = node.children
        .flatMap((c) => (c.type === 'paragraph' ? c.children : []))
        .find((c) => c.type === 'image');
      const path = image?.type === 'image' ? options.imagePath(image.url) : undefined;
      if (image?.type !== 'image' || !path) return fail(node, 'a :::figure without a chart');
      const px = options.imageWidth?.(image.url);
      // 1 CSS px = 0.75 pt, shrunk a little and never wider than the A4 text block (≈ 459 pt)
      const width = px ? `${Math.min(px * 0.7, 450).toFixed(1)}pt` : '100%';
      const alt = options.imageAlt?.(image.url) ?? image.alt ?? '';
      return `#figure(image(${typstString(path)}, width: ${width}, alt: ${typstString(alt)}), ${caption})${label}\n\n`;
    }
    return fail(node, `the block :::${node.name}`);
  };
  const block = (node: RootContent): string => {
    switch (node.type) {
      case 'heading': {
        const id = node.data?.id;
        return `${'='.repeat(Math.max(1, node.depth - 1))} ${inline(node.children)}${id ? ` <${id}>` : ''}\n\n`;
      }
      case 'paragraph': {
        // a paragraph others link to (an entry of the works cited) is marked where it starts
        const id = (node.data as { hProperties?: { id?: unknown } } | undefined)?.hProperties?.id;
        const anchor =
          typeof id === 'string' && /^[A-Za-z][\w-]*$/.test(id) ? `#metadata(none) <${id}>` : '';
        return `${anchor}${inline(node.children)}\n\n`;
      }
      case 'list': {
        const items = node.children.map((item) => `[${item.children.map(block).join('').trim()}]`);
        return `#${node.ordered ? 'enum' : 'list'}(${items.join(', ')})\n\n`;
      }
      case 'blockquote':
        return `#quote(block: true)[${node.children.map(block).join('').trim()}]\n\n`;
      case 'thematicBreak':
        return '#line(length: 100%, stroke: 0.5pt)\n\n';
      case 'code':
        return `#raw(block: true, ${typstString(node.value)})\n\n`;
      case 'table':
        return `#${table(node)}\n\n`;
      case 'containerDirective':
        return directive(node);
      case 'html':
        return '';
      case 'definition':
        return '';
      default:
        return fail(node, `a ${node.type}`);
    }
  };
  const firstSection = tree.children.findIndex((n) => n.type === 'heading' && n.depth === 2);
  const split = firstSection === -1 ? 0 : firstSection;
  const frontNodes = tree.children.slice(0, split);
  const front = frontNodes
    .map((n) => (n.type === 'heading' ? `#title[${inline(n.children)}]\n\n` : block(n)))
    .join('');
  return { front, body: tree.children.slice(split).map(block).join('') };
}
