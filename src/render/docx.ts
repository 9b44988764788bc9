import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  AlignmentType,
  Bookmark,
  BorderStyle,
  Document,
  ExternalHyperlink,
  type FileChild,
  Footer,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  type IParagraphOptions,
  type IRunOptions,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  SimpleField,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import type {
  Definition,
  FootnoteDefinition,
  Nodes,
  Parents,
  PhrasingContent,
  RootContent,
  Table as TableNode,
} from 'mdast';
import type {} from 'mdast-util-directive';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { InputError } from '../errors.js';
import { fill } from '../locale/strings.js';
import type { ChartImage, ReportDocument } from './document.js';

/** What a handler gives: blocks (paragraphs, tables) or what a paragraph holds (runs, links). */
export type DocxOutput = FileChild | ParagraphChild;

/** Turns one mdast node into Word content; `state` converts its children and holds the rest. */
export type DocxHandler<T extends Nodes = Nodes> = (
  state: DocxState,
  node: T,
  parent: Parents | undefined,
) => DocxOutput[];

type NodeOf<K extends Nodes['type']> = Extract<Nodes, { type: K }>;

/** One handler per mdast node type: the Word back-end, as `mdast-util-to-hast` is built. */
export type DocxHandlers = { [K in Nodes['type']]: DocxHandler<NodeOf<K>> };

export interface DocxOptions {
  /** Handlers that replace or add to the built-in ones, by node type. */
  handlers?: Partial<DocxHandlers> & Record<string, DocxHandler<never>>;
}

/** How the runs made inside `withRun` are set (bold, italics, a link's style…). */
export type RunFormat = Omit<IRunOptions, 'text' | 'children' | 'break'>;

/** Where the blocks made inside `withBlock` sit: a list level, a quote's indent. */
export interface BlockContext {
  /** Left indent in twentieths of a point. */
  indent: number;
  /** Nesting of lists (0: not in a list). */
  listLevel: number;
  /** The next paragraph is a list item's first: it carries the number or bullet. */
  numbering?: { reference: string; level: number; instance: number };
  /** A blockquote: a rule on the left. */
  quote: boolean;
  /** Inside a footnote: paragraphs are set as footnote text, a reference there is text. */
  footnote: boolean;
  /** Paragraph style of plain paragraphs. */
  style?: string;
}

/** The shared state every handler receives. */
export interface DocxState {
  readonly doc: ReportDocument;
  readonly handlers: DocxHandlers;
  /** The current run format and block context (read-only: change them with withRun, withBlock). */
  readonly format: RunFormat;
  readonly block: BlockContext;
  /** One node through its handler; an unknown node type is an input error at its line. */
  one(node: Nodes, parent: Parents | undefined): DocxOutput[];
  /** Children as blocks: runs a handler gives at block level are put in a paragraph. */
  blocks(parent: Parents): FileChild[];
  /** Children as runs (a block among them is an error). */
  inlines(parent: Parents): ParagraphChild[];
  /** A run of text in the current format. */
  text(value: string): TextRun;
  withRun<T>(format: RunFormat, fn: () => T): T;
  withBlock<T>(context: Partial<BlockContext>, fn: () => T): T;
  /** A paragraph in the current block context (indent, list number, quote rule). */
  paragraph(children: ParagraphChild[], options?: IParagraphOptions): Paragraph;
  /** The Word bookmark name of an id of the report (`tbl-q1`): letters, digits, `_`, ≤ 40. */
  bookmark(id: string): string;
  /** `children` wrapped in the bookmark of `id`, when there is one. */
  anchored(id: unknown, children: ParagraphChild[]): ParagraphChild[];
  /** The definition (`[x]: url`) of a reference, by identifier. */
  definition(identifier: string): Definition | undefined;
  /** A new Word footnote holding the definition of `identifier`; its number. */
  footnote(identifier: string): number | undefined;
  /** A chart of the document as a picture, `widthPt` wide (default: its own printed size). */
  picture(chart: ChartImage, widthPt?: number): ImageRun;
  /** A list of the given kind starts: its numbering reference and instance. */
  list(ordered: boolean, start: number): { reference: string; instance: number };
  /** An input error at the node's template line. */
  fail(node: Nodes, what: string): never;
}

/** A4, 2.4 cm margins: the PDF's page. In twentieths of a point. */
const PAGE = { width: 11906, height: 16838, margin: 1361, bottom: 1587 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** The PDF's text block is about 450 pt wide; a chart prints at 0.7 pt per CSS px, as there. */
const MAX_CHART_PT = 450;
const PT_PER_PX = 0.7;
/** Charts are rasterised at print resolution. */
const PRINT_DPI = 300;
const FONT = 'Source Serif 4';
const CODE_FONT = 'Courier New';
const INDENT = 567; // 1 cm
/** A character of the body text at its widest (a digit of a wide sans serif at 10.5 pt). */
const TWIPS_PER_CHAR = 140;
/** Word's default cell margins, left and right, and a little room. */
const CELL_PADDING = 260;

const FONT_FILES = [
  '400Regular/SourceSerif4_400Regular.ttf',
  '400Regular_Italic/SourceSerif4_400Regular_Italic.ttf',
  '600SemiBold/SourceSerif4_600SemiBold.ttf',
  '700Bold/SourceSerif4_700Bold.ttf',
  '700Bold_Italic/SourceSerif4_700Bold_Italic.ttf',
];

let fontPaths: string[] | undefined;
/** The TTF files of the report's font (the PDF's), for drawing charts without system fonts. */
function chartFonts(): string[] {
  if (!fontPaths) {
    const dir = dirname(
      createRequire(import.meta.url).resolve('@expo-google-fonts/source-serif-4/package.json'),
    );
    fontPaths = FONT_FILES.map((file) => join(dir, file));
  }
  return fontPaths;
}

/** The chart's SVG as PNG, `pixels` wide; only the shipped fonts, so every machine draws the same. */
export function chartPng(svg: string, pixels: number): Uint8Array {
  // native: loaded when a Word file is made, not when the tool starts
  const { Resvg } = createRequire(import.meta.url)(
    '@resvg/resvg-js',
  ) as typeof import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(pixels) },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontFiles: chartFonts(), defaultFontFamily: FONT },
  }).render();
  return png.asPng();
}

const ID = /^[A-Za-z][\w-]*$/;

/** Text XML can hold: a control character or a lone surrogate becomes U+FFFD. */
function xmlText(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const bad =
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff);
    out += bad ? '\ufffd' : char;
  }
  return out;
}

const escapeXml = (value: string) =>
  value.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c,
  );

/** The built-in handlers: every node type the template parser produces. */
export const docxHandlers: DocxHandlers = {
  root: (state, node) => state.blocks(node),
  // metadata, never printed
  yaml: () => [],
  // a line end in the source is a space; a no-break space stays one; and, as in the PDF, a
  // word joined by a hyphen ("SHA-256") is not broken at it: a word joiner follows the hyphen
  text: (state, node) => [
    state.text(
      node.value
        .replace(/[ \t\r\n]+/g, ' ')
        .replace(/([\p{L}\p{N}])-(?=[\p{L}\p{N}])/gu, '$1-\u2060'),
    ),
  ],
  emphasis: (state, node) => state.withRun({ italics: true }, () => state.inlines(node)),
  strong: (state, node) => state.withRun({ bold: true }, () => state.inlines(node)),
  delete: (state, node) => state.withRun({ strike: true }, () => state.inlines(node)),
  inlineCode: (state, node) =>
    state.withRun({ font: CODE_FONT, noProof: true }, () => [state.text(node.value)]),
  break: (state) => [new TextRun({ ...state.format, break: 1 })],
  // HTML is not markup in the report: it prints as the text it is (as in the PDF)
  html: (state, node, parent) =>
    parent?.type === 'root' ||
    parent?.type === 'blockquote' ||
    parent?.type === 'listItem' ||
    parent?.type === 'footnoteDefinition' ||
    parent?.type === 'containerDirective'
      ? [state.paragraph([state.text(node.value)])]
      : [state.text(node.value)],
  link: (state, node) => {
    const children = state.withRun({ style: 'Hyperlink' }, () => state.inlines(node));
    if (node.url.startsWith('#') && ID.test(node.url.slice(1)))
      return [new InternalHyperlink({ anchor: state.bookmark(node.url.slice(1)), children })];
    return [new ExternalHyperlink({ link: node.url, children })];
  },
  linkReference: (state, node) => {
    const definition = state.definition(node.identifier);
    if (!definition) return state.inlines(node);
    return state.one({ type: 'link', url: definition.url, children: node.children }, undefined);
  },
  image: (state, node) => {
    const chart = state.doc.charts.get(node.url);
    return chart ? [state.picture(chart)] : [state.text(node.alt ?? '')];
  },
  imageReference: (state, node) => {
    const definition = state.definition(node.identifier);
    if (!definition) return [state.text(node.alt ?? '')];
    return state.one({ type: 'image', url: definition.url, alt: node.alt }, undefined);
  },
  definition: () => [],
  footnoteReference: (state, node) => {
    // Word has no footnote inside a footnote: there it stays the mark it was
    if (state.block.footnote) return [state.text(`[^${node.label ?? node.identifier}]`)];
    const id = state.footnote(node.identifier);
    return id === undefined
      ? [state.text(`[^${node.label ?? node.identifier}]`)]
      : [new FootnoteReferenceRun(id)];
  },
  // written where it is referred to, as a Word footnote
  footnoteDefinition: () => [],
  citation: (state, node) => [state.text(`[${node.value}]`)],
  textDirective: (state, node) => {
    if (node.name !== 'nowrap') return state.fail(node, `the text directive :${node.name}`);
    // kept on one line: no-break spaces, and a word joiner after each dash
    const kept = structuredClone(node);
    visit(kept, 'text', (text) => {
      text.value = text.value.replace(/[ \t\r\n]+/g, '\u00a0').replace(/[–—]/g, '$&\u2060');
    });
    return state.inlines(kept);
  },
  leafDirective: (state, node) => state.fail(node, `the directive ::${node.name}`),
  paragraph: (state, node) => {
    const id = (node.data as { hProperties?: { id?: unknown } } | undefined)?.hProperties?.id;
    return [state.paragraph(state.anchored(id, state.inlines(node)))];
  },
  heading: (state, node) => {
    const level = Math.min(Math.max(node.depth - 1, 1), 6);
    const heading = [
      HeadingLevel.HEADING_1,
      HeadingLevel.HEADING_2,
      HeadingLevel.HEADING_3,
      HeadingLevel.HEADING_4,
      HeadingLevel.HEADING_5,
      HeadingLevel.HEADING_6,
    ][level - 1];
    return [
      new Paragraph({
        heading,
        keepNext: true,
        children: state.anchored(node.data?.id, state.inlines(node)),
      }),
    ];
  },
  thematicBreak: (state) => [
    state.paragraph([], {
      border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 1 } },
    }),
  ],
  blockquote: (state, node) =>
    state.withBlock({ indent: state.block.indent + INDENT, quote: true }, () => state.blocks(node)),
  code: (state, node) => {
    const lines = node.value.split('\n');
    const runs = state.withRun({ font: CODE_FONT, noProof: true }, () =>
      lines.map(
        (line, i) =>
          new TextRun({ ...state.format, text: xmlText(line), ...(i > 0 ? { break: 1 } : {}) }),
      ),
    );
    return [state.paragraph(runs, { style: 'SourceCode' })];
  },
  list: (state, node) => {
    const { reference, instance } = state.list(Boolean(node.ordered), node.start ?? 1);
    const level = state.block.listLevel;
    return node.children.flatMap((item) =>
      state.withBlock(
        {
          indent: state.block.indent + INDENT,
          listLevel: level + 1,
          numbering: { reference, level: Math.min(level, 8), instance },
        },
        () => state.one(item, node),
      ),
    );
  },
  listItem: (state, node) => {
    if (typeof node.checked !== 'boolean') return state.blocks(node);
    // a task: its box before its text (☒ done, ☐ open)
    const box: PhrasingContent = { type: 'text', value: node.checked ? '☒ ' : '☐ ' };
    const [first, ...rest] = node.children;
    const children: RootContent[] =
      first?.type === 'paragraph'
        ? [{ ...first, children: [box, ...first.children] }, ...rest]
        : [{ type: 'paragraph', children: [box] }, ...node.children];
    return state.blocks({ ...node, checked: null, children } as Parents);
  },
  table: (state, node) => [wordTable(state, node)],
  // rows and cells are written by their table; alone they are out of place
  tableRow: (state, node) => state.fail(node, 'a table row outside a table'),
  tableCell: (state, node) => state.fail(node, 'a table cell outside a table'),
  containerDirective: (state, node) => {
    if (node.name !== 'figure' && node.name !== 'table')
      return state.fail(node, `the block :::${node.name}`);
    const kind = node.name;
    const number = node.attributes?.number ?? '';
    const word = kind === 'figure' ? state.doc.strings.figure : state.doc.strings.table;
    const seq = word.replace(/[^\p{L}\p{N}_]/gu, '_') || kind;
    // "Tabla 1." as the reader's Word counts it (a SEQ field, its value as printed here)
    const caption = new Paragraph({
      style: 'Caption',
      keepNext: kind === 'table',
      keepLines: true,
      children: [
        ...state.anchored(node.attributes?.id, [
          new TextRun(`${word} `),
          new SimpleField(` SEQ ${seq} \\* ARABIC `, number),
          new TextRun('.'),
        ]),
        new TextRun({ text: xmlText(` ${node.attributes?.caption ?? ''}`), bold: false }),
      ],
    });
    if (kind === 'table') return [caption, ...state.blocks(node)];
    const content = state.withBlock({ style: 'Figure' }, () => state.blocks(node));
    return [...content, caption];
  },
};

/** A GFM table as a Word table: the header row repeats on every page, rules as in the PDF. */
function wordTable(state: DocxState, node: TableNode): Table {
  const [head, ...rows] = node.children;
  const columns = Math.max(...node.children.map((r) => r.children.length), 1);
  // each column is as wide as its longest word (a figure is never broken), and the columns
  // share the rest of the text width by the length of what they hold
  const texts = (i: number) => node.children.map((r) => textOf(r.children[i] ?? ''));
  const least = Array.from(
    { length: columns },
    (_, i) =>
      Math.max(...texts(i).flatMap((t) => t.split(/[ \t\r\n]+/).map((w) => w.length)), 1) *
        TWIPS_PER_CHAR +
      CELL_PADDING,
  );
  const weights = Array.from({ length: columns }, (_, i) =>
    Math.min(Math.max(...texts(i).map((t) => t.length), 3), 40),
  );
  const spare = TEXT_WIDTH - least.reduce((a, b) => a + b, 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const widths =
    spare >= 0
      ? least.map((l, i) => Math.floor(l + (spare * (weights[i] ?? 0)) / total))
      : least.map((l) => Math.floor((l * TEXT_WIDTH) / (TEXT_WIDTH - spare)));
  const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: '000000' });
  const none = { style: BorderStyle.NONE, size: 0, color: 'auto' };
  const align = (i: number) => {
    const a = node.align?.[i];
    return a === 'right'
      ? AlignmentType.RIGHT
      : a === 'center'
        ? AlignmentType.CENTER
        : AlignmentType.LEFT;
  };
  const row = (r: TableNode['children'][number], header: boolean, last: boolean) =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: Array.from({ length: columns }, (_, i) => {
        const cell = r.children[i];
        const runs = cell
          ? state.withRun(header ? { bold: true } : {}, () => state.inlines(cell))
          : [];
        return new TableCell({
          width: { size: widths[i] ?? 0, type: WidthType.DXA },
          borders: {
            top: header ? rule(8) : none,
            bottom: header ? rule(4) : last ? rule(8) : none,
            left: none,
            right: none,
          },
          children: [
            new Paragraph({
              alignment: align(i),
              spacing: { before: 20, after: 20 },
              keepNext: header,
              children: runs,
            }),
          ],
        });
      }),
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      ...(head ? [row(head, true, rows.length === 0)] : []),
      ...rows.map((r, i) => row(r, false, i === rows.length - 1)),
    ],
  });
}

/** Runs of text outside a paragraph (a handler gave inline content at block level). */
const isBlock = (x: DocxOutput): x is FileChild => x instanceof Paragraph || x instanceof Table;

const ROOT_CONTEXT: BlockContext = { indent: 0, listLevel: 0, quote: false, footnote: false };

class State implements DocxState {
  format: RunFormat = {};
  block: BlockContext = ROOT_CONTEXT;
  readonly footnotes: Record<number, { children: Paragraph[] }> = {};
  readonly lists: { ordered: boolean; start: number }[] = [];
  private readonly definitions = new Map<string, Definition>();
  private readonly footnoteDefinitions = new Map<string, FootnoteDefinition>();
  private readonly bookmarks = new Map<string, string>();
  private readonly images = new Map<string, Uint8Array>();
  private nextFootnote = 1;

  constructor(
    readonly doc: ReportDocument,
    readonly handlers: DocxHandlers,
  ) {
    visit(doc.tree, (node) => {
      if (node.type === 'definition' && !this.definitions.has(node.identifier))
        this.definitions.set(node.identifier, node);
      if (node.type === 'footnoteDefinition' && !this.footnoteDefinitions.has(node.identifier))
        this.footnoteDefinitions.set(node.identifier, node);
    });
  }

  one(node: Nodes, parent: Parents | undefined): DocxOutput[] {
    const handler = (this.handlers as Record<string, DocxHandler<Nodes> | undefined>)[node.type];
    if (!handler) return this.fail(node, `a ${node.type}`);
    return handler(this, node, parent);
  }

  blocks(parent: Parents): FileChild[] {
    const out: FileChild[] = [];
    let runs: ParagraphChild[] = [];
    const flush = () => {
      if (runs.length > 0) out.push(this.paragraph(runs));
      runs = [];
    };
    for (const child of parent.children as Nodes[]) {
      for (const x of this.one(child, parent)) {
        if (isBlock(x)) {
          flush();
          out.push(x);
        } else runs.push(x);
      }
    }
    flush();
    return out;
  }

  inlines(parent: Parents): ParagraphChild[] {
    return (parent.children as Nodes[]).flatMap((child) =>
      this.one(child, parent).map((x) => {
        if (isBlock(x)) return this.fail(child, `a ${child.type} inside a line`);
        return x;
      }),
    );
  }

  text(value: string): TextRun {
    return new TextRun({ ...this.format, text: xmlText(value) });
  }

  withRun<T>(format: RunFormat, fn: () => T): T {
    const saved = this.format;
    this.format = { ...saved, ...format };
    try {
      return fn();
    } finally {
      this.format = saved;
    }
  }

  withBlock<T>(context: Partial<BlockContext>, fn: () => T): T {
    const saved = this.block;
    this.block = { ...saved, numbering: undefined, ...context };
    try {
      return fn();
    } finally {
      this.block = saved;
    }
  }

  paragraph(children: ParagraphChild[], options: IParagraphOptions = {}): Paragraph {
    const { numbering, indent, quote, footnote, style } = this.block;
    // only a list item's first paragraph carries its number
    this.block = { ...this.block, numbering: undefined };
    return new Paragraph({
      ...(footnote ? { style: 'FootnoteText' } : style ? { style } : {}),
      ...(numbering ? { numbering } : indent > 0 ? { indent: { left: indent } } : {}),
      ...(quote
        ? {
            border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'BBBBBB', space: 8 } },
          }
        : {}),
      ...options,
      children,
    });
  }

  bookmark(id: string): string {
    let name = this.bookmarks.get(id);
    if (!name) {
      const plain = `_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
      // Word's bookmark names: letters, digits and _, at most 40; kept apart when shortened
      name =
        plain.length <= 40 && ![...this.bookmarks.values()].includes(plain)
          ? plain
          : `${plain.slice(0, 31)}_${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
      this.bookmarks.set(id, name);
    }
    return name;
  }

  anchored(id: unknown, children: ParagraphChild[]): ParagraphChild[] {
    if (typeof id !== 'string' || !ID.test(id)) return children;
    return [new Bookmark({ id: this.bookmark(id), children })];
  }

  definition(identifier: string): Definition | undefined {
    return this.definitions.get(identifier);
  }

  footnote(identifier: string): number | undefined {
    const definition = this.footnoteDefinitions.get(identifier);
    if (!definition) return undefined;
    // a footnote referred to twice is written twice: a Word footnote belongs to one place
    const id = this.nextFootnote++;
    const saved = this.format;
    this.format = {};
    try {
      this.footnotes[id] = {
        children: (() => {
          const paragraphs = this.withBlock({ ...ROOT_CONTEXT, footnote: true }, () =>
            this.blocks(definition),
          ).filter((x): x is Paragraph => x instanceof Paragraph);
          return paragraphs.length > 0 ? paragraphs : [new Paragraph({ style: 'FootnoteText' })];
        })(),
      };
    } finally {
      this.format = saved;
    }
    return id;
  }

  picture(chart: ChartImage, widthPt?: number): ImageRun {
    const pt = widthPt ?? Math.min(chart.width * PT_PER_PX, MAX_CHART_PT);
    const heightPt = (pt * chart.height) / chart.width;
    let png = this.images.get(chart.path);
    if (!png) {
      png = chartPng(chart.svg, (pt / 72) * PRINT_DPI);
      this.images.set(chart.path, png);
    }
    return new ImageRun({
      type: 'png',
      data: png,
      // in CSS px (96 per inch)
      transformation: { width: Math.round((pt * 4) / 3), height: Math.round((heightPt * 4) / 3) },
      altText: { name: chart.path.replace(/^.*\//, ''), description: chart.description },
    });
  }

  list(ordered: boolean, start: number): { reference: string; instance: number } {
    this.lists.push({ ordered, start });
    return {
      reference: ordered ? `ordered-${start}` : 'bullet',
      instance: this.lists.length,
    };
  }

  fail(node: Nodes, what: string): never {
    throw new InputError(
      this.doc.template,
      node.position?.start.line,
      `${what} cannot be set in the Word file`,
      'use headings, paragraphs, lists, tables and helper figures',
    );
  }
}

const BULLETS = ['•', '◦', '▪'];

/** The numbering of bullet lists and of ordered lists by their first number. */
function numberingConfig(lists: { ordered: boolean; start: number }[]) {
  const level = (
    i: number,
    format: (typeof LevelFormat)[keyof typeof LevelFormat],
    text: string,
    start = 1,
  ) => ({
    level: i,
    format,
    text,
    start,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: INDENT * (i + 1), hanging: 360 } } },
  });
  const starts = [...new Set(lists.filter((l) => l.ordered).map((l) => l.start))].sort(
    (a, b) => a - b,
  );
  return [
    {
      reference: 'bullet',
      levels: Array.from({ length: 9 }, (_, i) =>
        level(i, LevelFormat.BULLET, BULLETS[i % BULLETS.length] as string),
      ),
    },
    ...starts.map((start) => ({
      reference: `ordered-${start}`,
      levels: Array.from({ length: 9 }, (_, i) =>
        level(i, LevelFormat.DECIMAL, `%${i + 1}.`, i === 0 ? start : 1),
      ),
    })),
  ];
}

/** The title block: the title, the line under it as subtitle, then its paragraphs and the notice. */
function frontMatter(state: State, doc: ReportDocument): FileChild[] {
  const out: FileChild[] = [];
  let subtitle = false;
  for (const node of doc.front) {
    if (node.type === 'heading' && node.depth === 1) {
      out.push(
        new Paragraph({
          heading: HeadingLevel.TITLE,
          children: state.anchored(node.data?.id, state.inlines(node)),
        }),
      );
      subtitle = true;
      continue;
    }
    if (subtitle && node.type === 'paragraph') {
      out.push(new Paragraph({ style: 'Subtitle', children: state.inlines(node) }));
      subtitle = false;
      continue;
    }
    subtitle = false;
    out.push(...state.blocks({ type: 'root', children: [node] }));
  }
  const notice = doc.notice;
  if (notice) {
    const more = notice.more;
    out.push(
      new Paragraph({
        border: { left: { style: BorderStyle.SINGLE, size: 24, color: 'B07800', space: 8 } },
        shading: { type: ShadingType.CLEAR, fill: 'FFF7E0', color: 'auto' },
        indent: { left: 170, right: 170 },
        spacing: { before: 240, after: 240 },
        children: [
          new TextRun({ text: `${notice.label}.`, bold: true }),
          new TextRun(` ${notice.text}`),
          ...(more
            ? [
                new TextRun(' '),
                new InternalHyperlink({
                  anchor: state.bookmark(more.id),
                  children: [
                    new TextRun({
                      text: fill(doc.strings.seeSection, { section: more.title }),
                      style: 'Hyperlink',
                    }),
                  ],
                }),
              ]
            : []),
        ],
      }),
    );
  }
  return out;
}

/**
 * The report as a Word file: heading styles (navigation pane, table of contents), numbered
 * captions, Word tables, charts as PNG at print resolution with their description as alt text,
 * Word footnotes, the document's language. The same document gives the same bytes.
 */
export async function toDocx(doc: ReportDocument, options: DocxOptions = {}): Promise<Uint8Array> {
  const handlers = { ...docxHandlers, ...options.handlers } as DocxHandlers;
  const state = new State(doc, handlers);
  const front = frontMatter(state, doc);
  const body = state.blocks({ type: 'root', children: doc.body });
  const language = { value: doc.locale };
  const page = {
    size: { width: PAGE.width, height: PAGE.height },
    margin: { top: PAGE.margin, bottom: PAGE.bottom, left: PAGE.margin, right: PAGE.margin },
  };
  const document = new Document({
    title: doc.title,
    creator: doc.authors.join('; '),
    lastModifiedBy: doc.authors.join('; '),
    description: doc.notice ? `${doc.notice.label}. ${doc.notice.text}` : undefined,
    revision: 1,
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 21, language },
          paragraph: { spacing: { after: 120 } },
        },
        title: {
          run: { font: FONT, size: 44, bold: true, language },
          paragraph: { spacing: { after: 240 } },
        },
        heading1: {
          run: { font: FONT, size: 32, bold: true, color: '000000' },
          paragraph: { spacing: { before: 360, after: 160 }, outlineLevel: 0, keepNext: true },
        },
        heading2: {
          run: { font: FONT, size: 26, bold: true, color: '000000' },
          paragraph: { spacing: { before: 280, after: 120 }, outlineLevel: 1, keepNext: true },
        },
        heading3: {
          run: { font: FONT, size: 23, bold: true, color: '000000' },
          paragraph: { spacing: { before: 240, after: 120 }, outlineLevel: 2, keepNext: true },
        },
        heading4: {
          run: { font: FONT, size: 21, bold: true, italics: true, color: '000000' },
          paragraph: { spacing: { before: 200, after: 80 }, outlineLevel: 3, keepNext: true },
        },
        heading5: {
          run: { font: FONT, size: 21, italics: true, color: '000000' },
          paragraph: { outlineLevel: 4, keepNext: true },
        },
        heading6: {
          run: { font: FONT, size: 21, color: '000000' },
          paragraph: { outlineLevel: 5, keepNext: true },
        },
        hyperlink: { run: { color: '1A4D8F', underline: {} } },
      },
      paragraphStyles: [
        {
          id: 'Subtitle',
          name: 'Subtitle',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 28, color: '444444' },
          paragraph: { spacing: { after: 360 } },
        },
        {
          id: 'Caption',
          name: 'caption',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { bold: true, size: 19 },
          paragraph: { spacing: { before: 120, after: 120 } },
        },
        {
          id: 'Figure',
          name: 'Figure',
          basedOn: 'Normal',
          next: 'Caption',
          paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 120 } },
        },
        {
          id: 'SourceCode',
          name: 'Source Code',
          basedOn: 'Normal',
          run: { font: CODE_FONT, size: 18 },
          paragraph: { spacing: { after: 120 } },
        },
      ],
    },
    numbering: { config: numberingConfig(state.lists) },
    footnotes: state.footnotes,
    // the title page, then the body on its own pages, numbered from 1, its footer saying what
    // the reader holds (reconstructed data, or the title), as the PDF's does
    sections: [
      { properties: { page }, children: front },
      {
        properties: { page: { ...page, pageNumbers: { start: 1 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
                children: [
                  new TextRun({
                    text: doc.notice ? doc.notice.label : doc.title,
                    bold: Boolean(doc.notice),
                    size: 17,
                  }),
                  new TextRun({
                    size: 17,
                    children: [new Tab(), `${doc.strings.page} `, PageNumber.CURRENT],
                  }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return normalise(await Packer.toBuffer(document), {
    timestamp: doc.timestamp,
    language: doc.locale,
  });
}

/** A fixed time for every entry of the package: the zip format's own first day. */
const ZIP_DATE = new Date(Date.UTC(1980, 0, 1));

/**
 * The package with what `docx` writes differently each time made fixed: the dates of core.xml
 * (the build's timestamp, or none), relationship ids and media names (random there), bookmark
 * and drawing ids (counted per process there), and the zip's entry dates and order.
 */
export async function normalise(
  bytes: Uint8Array,
  { timestamp, language }: { timestamp?: number; language?: string } = {},
): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]?.dir);
  const texts = new Map<string, string>();
  const binaries = new Map<string, Uint8Array>();
  for (const name of names) {
    const file = zip.file(name);
    if (!file) continue;
    if (/\.(xml|rels)$/.test(name)) texts.set(name, await file.async('string'));
    else binaries.set(name, await file.async('uint8array'));
  }
  // media: named by their order of use
  const media = new Map<string, string>();
  for (const [name, text] of [...texts].sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.endsWith('.rels')) continue;
    for (const [, target] of text.matchAll(/Target="(media\/[^"]+)"/g)) {
      const path = `word/${target}`;
      if (!media.has(path) && binaries.has(path)) {
        const ext = /\.[^.]+$/.exec(target as string)?.[0] ?? '';
        media.set(path, `word/media/image${media.size + 1}${ext}`);
      }
    }
  }
  // relationship ids: numbered in each part's relationships, in their order
  for (const [relsName, rels] of [...texts]) {
    if (!relsName.endsWith('.rels')) continue;
    const part = relsName.replace(/_rels\/([^/]+)\.rels$/, '$1');
    const ids = new Map<string, string>();
    for (const [, id] of rels.matchAll(/\bId="([^"]+)"/g))
      if (!ids.has(id as string)) ids.set(id as string, `rId${ids.size + 1}`);
    let fixed = rels.replace(/\bId="([^"]+)"/g, (_, id: string) => `Id="${ids.get(id)}"`);
    fixed = fixed.replace(/Target="(media\/[^"]+)"/g, (whole, target: string) => {
      const renamed = media.get(`word/${target}`);
      return renamed ? `Target="${renamed.slice('word/'.length)}"` : whole;
    });
    texts.set(relsName, fixed);
    const xml = texts.get(part);
    if (xml !== undefined)
      texts.set(
        part,
        xml.replace(/\b(r:[A-Za-z]+)="([^"]+)"/g, (whole, attr: string, id: string) => {
          const renamed = ids.get(id);
          return renamed ? `${attr}="${renamed}"` : whole;
        }),
      );
  }
  for (const [name, xml] of texts) {
    if (!name.startsWith('word/') || name.includes('_rels')) continue;
    // bookmark ids, and the ids of drawings: counted from 1 in each part
    // (docx gives them all one id: each start is paired with the end that closes it)
    let bookmarks = 0;
    const open: number[] = [];
    let fixed = xml.replace(
      /<w:(bookmarkStart|bookmarkEnd)\b([^>]*?) w:id="\d+"/g,
      (_, tag: string, rest: string) => {
        const id = tag === 'bookmarkStart' ? ++bookmarks : (open.pop() ?? 0);
        if (tag === 'bookmarkStart') open.push(id);
        return `<w:${tag}${rest} w:id="${id}"`;
      },
    );
    let drawing = 0;
    fixed = fixed.replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++drawing}"`);
    texts.set(name, fixed);
  }
  const core = texts.get('docProps/core.xml');
  if (core !== undefined) {
    const when =
      timestamp === undefined
        ? undefined
        : new Date(timestamp * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    texts.set(
      'docProps/core.xml',
      core
        // the language of the text (docx writes none)
        .replace(
          /<\/cp:coreProperties>$/,
          language ? `<dc:language>${escapeXml(language)}</dc:language>$&` : '$&',
        )
        .replace(/<dcterms:(created|modified)[^>]*>[^<]*<\/dcterms:\1>/g, (_, tag: string) =>
          when ? `<dcterms:${tag} xsi:type="dcterms:W3CDTF">${when}</dcterms:${tag}>` : '',
        ),
    );
  }
  const out = new JSZip();
  const entries = [
    ...[...texts].map(([name, text]) => [name, text] as const),
    ...[...binaries].map(([name, data]) => [media.get(name) ?? name, data] as const),
  ].sort(([a], [b]) =>
    a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  for (const [name, data] of entries)
    out.file(name, data, {
      date: ZIP_DATE,
      createFolders: false,
      binary: typeof data !== 'string',
      // pictures are compressed already
      compression: typeof data === 'string' ? 'DEFLATE' : 'STORE',
    });
  return out.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}
