import type { Nodes, Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { InputError } from '../errors.js';
import { inlineMarkers } from '../inline-markers.js';
import type { SourceFile } from '../load/study.js';
import { remarkGfmWithoutAutolinkLiterals } from './markdown.js';

/**
 * How deep a template may nest Handlebars blocks ({{#if}} in {{#if}}). A report needs a few
 * levels; past some hundreds Handlebars takes seconds (its time grows faster than the square
 * of the depth). Checked on the template's text before Handlebars parses it.
 */
export const MAX_NESTING = 64;

/**
 * How deep a template may nest Markdown blockquotes, lists and ::: blocks. The PDF compiler
 * (Typst) sets no more than about fourteen nested quotes around a table, and runs out of stack
 * far beyond; the Markdown parser's time grows with the square of the depth. Checked on the
 * template's text, line by line, before any parser runs.
 */
export const MAX_MARKDOWN_NESTING = 12;

/**
 * How deep a template may nest inline markup: emphasis, strong text, strike-through, links and
 * inline directives (`:nowrap[…]`) inside one another. A report needs three or four; the PDF
 * compiler (Typst) gives up at about sixty-five on their own and far fewer inside nested
 * blockquotes, and some thousands exhaust the stack of the page writers. Checked on the
 * template's own Markdown, so the error names its line, before any back-end runs.
 */
export const MAX_INLINE_NESTING = 32;

/**
 * Inside blockquotes and lists the PDF sets fewer inline levels: each quote weighs three and
 * each list level one (measured: 6 quotes around 32 levels and 12 around 14 are set; 12 around
 * 20, 10 around 24 and 9 around 32 are not; 6 quotes and 6 lists around 26 levels, 4 and 8
 * around 30, 11 and 1 around 16 are set, one level more is not). Inline levels plus these
 * weights of the enclosing quotes and lists may reach QUOTED_INLINE_BUDGET.
 */
export const QUOTE_WEIGHT = 3;
export const LIST_WEIGHT = 1;
export const QUOTED_INLINE_BUDGET = 50;

/** 1-based line of each offset, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

interface OpenBlock {
  name: string;
  line: number;
}

/**
 * The block structure of a Handlebars template, read before Handlebars parses it: every
 * `{{` closed by `}}`, every `{{#block}}` closed by its `{{/block}}`, at most MAX_NESTING deep.
 * Each fault is reported at the line of the tag at fault (Handlebars itself reports an
 * unclosed block at the end of the file, and takes a time that grows fast with the depth).
 */
export function checkTemplateBlocks(template: SourceFile): void {
  const { text, path } = template;
  const lineOf = lineIndex(text);
  const fail = (offset: number, problem: string, hint: string): never => {
    throw new InputError(path, lineOf(offset), problem, hint);
  };
  const open: OpenBlock[] = [];
  let i = text.indexOf('{{');
  while (i !== -1) {
    let backslashes = 0;
    while (text[i - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 1) {
      // \{{ is a literal {{
      i = text.indexOf('{{', i + 2);
      continue;
    }
    if (text.startsWith('{{{{', i)) {
      // a raw block: its content is text up to {{{{/name}}}}
      const end = text.indexOf('}}}}', i + 4);
      if (end === -1)
        fail(i, 'a {{{{ is never closed by }}}}', 'close the raw block tag with }}}}');
      const name = /^\s*([^\s}/]+)/.exec(text.slice(i + 4, end))?.[1] ?? '';
      const close = text.indexOf(`{{{{/${name}}}}}`, end + 4);
      if (close === -1)
        fail(i, `{{{{${name}}}}} is never closed`, `add {{{{/${name}}}}} where the raw block ends`);
      i = text.indexOf('{{', close + 6 + name.length);
      continue;
    }
    const body = i + 2;
    const afterTilde = text[body] === '~' ? body + 1 : body;
    if (text.startsWith('!--', afterTilde)) {
      const end = /--~?\}\}/g;
      end.lastIndex = afterTilde + 3;
      const found = end.exec(text);
      if (!found) fail(i, 'a comment {{!-- is never closed', 'end it with --}}');
      i = text.indexOf('{{', (found?.index ?? 0) + (found?.[0].length ?? 0));
      continue;
    }
    // the tag runs to the first }} outside a string; a {{ before it means it was never closed
    // (a comment {{! … }} ends at the first }}, whatever it holds)
    const comment = text[afterTilde] === '!';
    let j = body;
    let quote = '';
    let end = -1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quote) {
        if (c === '\\' && text[j + 1] === quote) j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        if (!comment) quote = c;
      } else if (c === '}' && text[j + 1] === '}') {
        end = j;
        break;
      } else if (c === '{' && text[j + 1] === '{' && !comment) break;
    }
    if (end === -1) {
      const tag = text.slice(i, Math.min(text.indexOf('\n', i) >>> 0, i + 40)).trim();
      fail(
        i,
        `template syntax error near ${JSON.stringify(tag)}`,
        'check that every {{ is closed by }} and every {{#block}} by its {{/block}}',
      );
    }
    const tag = text.slice(afterTilde, end).replace(/^\{/, '').replace(/~$/, '').trim();
    const sigil = tag[0];
    const nameAfter = (from: number) => /^\s*([^\s~()}]+)/.exec(tag.slice(from))?.[1] ?? '';
    if (sigil === '#' || (sigil === '^' && tag.slice(1).trim() !== '')) {
      const name = nameAfter(tag[1] === '>' || tag[1] === '*' ? 2 : 1);
      open.push({ name, line: lineOf(i) });
      if (open.length > MAX_NESTING)
        fail(
          i,
          `blocks nested deeper than ${MAX_NESTING} levels ({{${sigil}${name}}} opens level ${open.length})`,
          `close blocks before opening others: at most ${MAX_NESTING} levels`,
        );
    } else if (sigil === '/') {
      const name = nameAfter(1);
      const last = open.pop();
      if (!last) fail(i, `{{/${name}}} closes no block`, 'remove it, or open the block before it');
      else if (last.name !== name)
        fail(
          i,
          `{{/${name}}} closes {{#${last.name}}} of line ${last.line}`,
          `close the inner block first, with {{/${last.name}}}`,
        );
    }
    i = text.indexOf('{{', end + 2);
  }
  const unclosed = open.pop();
  if (unclosed)
    throw new InputError(
      path,
      unclosed.line,
      `{{#${unclosed.name}}} is never closed`,
      `add {{/${unclosed.name}}} where the block ends`,
    );
}

const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;
const THEMATIC_BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/**
 * The nesting of the Markdown of a template's text, line by line: blockquote markers, list
 * items (by their markers and indentation) and ::: containers, without parsing (the parser's
 * time grows with the square of the depth). Reports the first line nested deeper than MAX_NESTING.
 */
export function checkMarkdownNesting(template: SourceFile): void {
  const lines = template.text.split('\n');
  let fence: { char: string; length: number } | null = null;
  let items: number[] = []; // content columns of the open list items
  let quotesBefore = 0;
  const containers: number[] = []; // fence lengths of the open ::: containers
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).replace(/\t/g, '    ');
    let p = 0;
    let quotes = 0;
    for (;;) {
      let q = p;
      while (line[q] === ' ') q++;
      if (line[q] !== '>') break;
      quotes++;
      p = q + 1;
      if (line[p] === ' ') p++;
    }
    const rest = line.slice(p);
    const trimmed = rest.trimStart();
    const column = rest.length - trimmed.length;
    if (quotes !== quotesBefore) items = [];
    quotesBefore = quotes;
    const fenceMark = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence) {
      if (fenceMark?.[0] === fence.char && fenceMark.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMark) fence = { char: fenceMark[0] as string, length: fenceMark.length };
    if (trimmed === '') continue;
    while (items.length > 0 && (items[items.length - 1] as number) > column) items.pop();
    let depth = quotes + containers.length;
    const isCode = column >= (items[items.length - 1] ?? 0) + 4;
    if (!isCode && !THEMATIC_BREAK.test(trimmed)) {
      // list markers: the first by its column, any more on the same line (`- - x`, `- > - x`)
      // each one level deeper, and so is a quote marker after a list marker
      let at = 0;
      let markers = rest;
      let first = true;
      for (;;) {
        const body = markers.trimStart();
        at += markers.length - body.length;
        const marker = body[0] === '>' && !first ? '>' : LIST_MARKER.exec(body)?.[0];
        if (!marker) break;
        const after = body.slice(marker.length);
        const gap = Math.min(after.length - after.trimStart().length, 4) || 1;
        if (first) items.push(at + marker.length + gap);
        else if (++depth > MAX_MARKDOWN_NESTING) break;
        first = false;
        at += marker.length;
        markers = after;
      }
      const container = /^(:{3,})\s*(\S?)/.exec(trimmed);
      if (container) {
        const length = (container[1] as string).length;
        if (container[2]) {
          containers.push(length);
          depth++;
        } else if (length >= (containers[containers.length - 1] ?? Infinity)) containers.pop();
      }
    }
    depth += items.length;
    if (depth > MAX_MARKDOWN_NESTING)
      throw new InputError(
        template.path,
        n + 1,
        `Markdown nested deeper than ${MAX_MARKDOWN_NESTING} levels (blockquotes, lists and ::: blocks, here ${depth})`,
        `nest them at most ${MAX_MARKDOWN_NESTING} deep: the PDF cannot set more`,
      );
  }
}

const INLINE = new Set<Nodes['type']>([
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'textDirective',
]);

/** The template's text parsed as the Markdown it is ({{…}} tags read as text). */
const templateMarkdown = unified()
  .use(remarkParse)
  .use(remarkGfmWithoutAutolinkLiterals)
  .use(remarkDirective)
  .freeze();

/**
 * At least as deep as the template's inline nesting can be, read in one pass without parsing:
 * each run of `*`, `_` or `~` that may open and each `[` opens a level, a run that may close
 * closes as many open levels of its character as it is long, `]` closes a `[`, and a level is
 * counted as deep as the levels open when it closes (one never closed nests nothing); a blank
 * line ends them all. (The Markdown parser's time grows with the square of the nesting, so it is
 * asked only when this bound is over the limit.)
 */
export function inlineNestingBound(text: string): number {
  return inlineMarkers(text).deepest;
}

/**
 * How many emphasis markers and brackets a template may leave open inside one another (by
 * inlineNestingBound's count) before it is refused unparsed: the parser's time grows with the
 * square of that count (seconds at some thousands), while a depth the parser must be asked
 * about (from MAX_INLINE_NESTING up) takes it milliseconds.
 */
export const MAX_INLINE_MARKERS = 256;

/**
 * The inline nesting of a template's Markdown (emphasis, strong text, strike-through, links and
 * inline directives): reports the first line where it goes deeper than MAX_INLINE_NESTING.
 * Run after the block checks, which keep the parser's work linear; the tree is walked without
 * recursion.
 */
export function checkInlineNesting(template: SourceFile): void {
  // with at most MAX_MARKDOWN_NESTING quotes around it, this many levels are always set
  const safe = Math.min(
    MAX_INLINE_NESTING,
    QUOTED_INLINE_BUDGET - QUOTE_WEIGHT * MAX_MARKDOWN_NESTING,
  );
  const markers = inlineMarkers(template.text, MAX_INLINE_MARKERS);
  if (markers.deepest <= safe) return;
  if (markers.at !== undefined)
    throw new InputError(
      template.path,
      lineIndex(template.text)(markers.at),
      `more than ${MAX_INLINE_MARKERS} emphasis markers and brackets (*, _, ~, [) open inside one another`,
      'close them sooner, or write a literal one escaped (\\*, \\[)',
    );
  const tree = templateMarkdown.parse(template.text);
  let first: { offset: number; line: number; quotes: number; lists: number } | undefined;
  // each node, the inline levels, blockquotes and lists around it
  const stack: [Nodes, number, number, number][] = [[tree, 0, 0, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth, quotes, lists] = item;
    const level = INLINE.has(node.type) ? depth + 1 : depth;
    const quoted = node.type === 'blockquote' ? quotes + 1 : quotes;
    const listed = node.type === 'list' ? lists + 1 : lists;
    const start = node.position?.start;
    const over =
      level > MAX_INLINE_NESTING ||
      (level > 0 && level + QUOTE_WEIGHT * quoted + LIST_WEIGHT * listed > QUOTED_INLINE_BUDGET);
    if (over && start && (!first || (start.offset ?? 0) < first.offset)) {
      first = { offset: start.offset ?? 0, line: start.line, quotes: quoted, lists: listed };
      continue; // what lies inside starts later
    }
    if ('children' in node)
      for (const child of node.children) stack.push([child as Nodes, level, quoted, listed]);
  }
  if (first) {
    const most = Math.min(
      MAX_INLINE_NESTING,
      QUOTED_INLINE_BUDGET - QUOTE_WEIGHT * first.quotes - LIST_WEIGHT * first.lists,
    );
    const quotes =
      first.quotes === 0
        ? ''
        : first.quotes === 1
          ? 'a blockquote'
          : `${first.quotes} nested blockquotes`;
    const lists = first.lists === 0 ? '' : first.lists === 1 ? 'a list' : `${first.lists} lists`;
    const inside = [quotes, lists].filter(Boolean).join(' and ');
    throw new InputError(
      template.path,
      first.line,
      most === MAX_INLINE_NESTING
        ? `emphasis, strong text and links nested deeper than ${MAX_INLINE_NESTING} levels`
        : `emphasis, strong text and links nested deeper than ${most} levels inside ${inside}`,
      most === MAX_INLINE_NESTING
        ? `nest them at most ${MAX_INLINE_NESTING} deep: the PDF cannot set more`
        : `nest them at most ${most} deep there, or ${first.lists ? 'quote and list' : 'quote'} less deep: the PDF cannot set more`,
    );
  }
}

/** The checks of a template's nesting: Handlebars blocks, Markdown blocks, then inline markup. */
export function checkNesting(template: SourceFile): void {
  checkTemplateBlocks(template);
  checkMarkdownNesting(template);
  checkInlineNesting(template);
}

/** The deepest nesting of blockquotes, lists and ::: containers in a parsed tree, walked without recursion. */
export function nestingOf(tree: Root): number {
  let deepest = 0;
  const stack: [Nodes, number][] = [[tree, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    const level =
      node.type === 'blockquote' || node.type === 'list' || node.type === 'containerDirective'
        ? depth + 1
        : depth;
    if (level > deepest) deepest = level;
    if ('children' in node) for (const child of node.children) stack.push([child as Nodes, level]);
  }
  return deepest;
}
