import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError, readError } from '../errors.js';
import { MAX_DEPTH, type Segment, segments, type TextKind, tooDeep } from './extract.js';
import { endsWithTestHead } from './numbers.js';

/** About how many characters of a text are read at once. */
export const CHUNK_SIZE = 1 << 16;

/** A part of a text that reads the same alone as inside the whole; `line`: its first line in the file. */
export interface Chunk {
  text: string;
  line: number;
}

type Streamed = Exclude<TextKind, 'pdf' | 'docx'>;

// start tags of elements whose end tag may be left out, or that have none: they do not nest
const UNNESTED = new Set(
  'area base br col embed hr img input link meta source track wbr p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption'.split(
    ' ',
  ),
);
// open elements a chunk is never cut inside: the words a number is read with (a paragraph's,
// a list item's, a caption's, a chart's), and elements whose content is not markup
const UNCUT = new Set(
  'p li dt dd tr td th caption figcaption figure svg blockquote h1 h2 h3 h4 h5 h6 script style template textarea pre title select noscript'.split(
    ' ',
  ),
);
const BLOCK_START =
  /^[ \t]*<(?:p|div|li|ul|ol|dl|dt|dd|tr|table|thead|tbody|section|article|aside|header|footer|main|nav|h[1-6]|figure|blockquote|form|fieldset|details|hr)\b/i;

/**
 * Where a text can be cut into chunks, line by line, with what a chunk after the cut must be
 * read with: plain text at any line; Markdown at a blank line followed by an unindented line
 * outside fenced code and raw HTML blocks; HTML before a line that starts a block, when no
 * paragraph, list item, table row, figure or script is open (the elements open there are given
 * back as `prefix`, so that the chunk's text sits in the same elements).
 */
class Cutter {
  private fence: string | undefined;
  private rawEnd: RegExp | undefined;
  private blank = false;
  private open: { name: string; tag: string }[] = [];
  private comment = false;
  private rawText: string | undefined;
  /** Markdown's link and footnote definitions, for the chunks that use them. */
  readonly definitions: string[] = [];
  private definitionChars = 0;
  private last = '';

  constructor(private readonly kind: Streamed) {}

  /** Whether the line just read nests deeper than MAX_DEPTH (HTML: the elements open after it). */
  tooDeep(text: string): boolean {
    if (this.kind === 'markdown') return tooDeep(text, 'markdown') !== undefined;
    return this.kind === 'html' && this.open.length > MAX_DEPTH;
  }

  /** Reads one line; true when a chunk may start at it. Returns the prefix it needs too. */
  line(text: string): { cut: boolean; prefix: string } {
    // never right after a line ending with a test's head: its value and p-value are on this one
    const split = endsWithTestHead(this.last);
    this.last = text;
    const at = this.read(text);
    return split ? { cut: false, prefix: '' } : at;
  }

  private read(text: string): { cut: boolean; prefix: string } {
    if (this.kind === 'text') return { cut: true, prefix: '' };
    if (this.kind === 'markdown') return { cut: this.markdown(text), prefix: '' };
    const block = BLOCK_START.exec(text);
    const free = !this.comment && this.rawText === undefined;
    if (block && free) this.closeImplied((/<(\w+)/.exec(block[0])?.[1] ?? '').toLowerCase());
    const cut = block !== null && free && this.open.every((e) => !UNCUT.has(e.name));
    const prefix = cut ? this.open.map((e) => e.tag).join('') : '';
    this.html(text);
    return { cut, prefix };
  }

  private markdown(text: string): boolean {
    const wasBlank = this.blank;
    this.blank = /^\s*$/.test(text);
    if (this.fence !== undefined) {
      if (new RegExp(`^ {0,3}${this.fence[0]}{${this.fence.length},}\\s*$`).test(text))
        this.fence = undefined;
      return false;
    }
    if (this.rawEnd) {
      if (this.rawEnd.test(text)) this.rawEnd = undefined;
      return false;
    }
    const cut = wasBlank && /^\S/.test(text);
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(text);
    if (fence) this.fence = fence[1];
    else if (/^ {0,3}<!--/.test(text) && !/-->/.test(text)) this.rawEnd = /-->/;
    else if (/^ {0,3}<(script|pre|style|textarea)\b/i.test(text)) {
      const tag = (/^ {0,3}<(\w+)/.exec(text)?.[1] ?? '').toLowerCase();
      if (!new RegExp(`</${tag}>`, 'i').test(text)) this.rawEnd = new RegExp(`</${tag}>`, 'i');
    } else {
      const definition = /^ {0,3}(\[\^?[^\]]+\]:)(.*)$/.exec(text);
      if (definition && this.definitionChars < CHUNK_SIZE) {
        // a footnote's text stays where it is written: elsewhere only its label is needed
        const kept = definition[1]?.startsWith('[^') ? (definition[1] as string) : text.trim();
        this.definitions.push(kept);
        this.definitionChars += kept.length;
      }
    }
    return cut;
  }

  private html(text: string) {
    let rest = text;
    while (rest.length > 0) {
      if (this.comment) {
        const end = rest.indexOf('-->');
        if (end < 0) return;
        this.comment = false;
        rest = rest.slice(end + 3);
        continue;
      }
      if (this.rawText !== undefined) {
        const end = rest.toLowerCase().indexOf(`</${this.rawText}`);
        if (end < 0) return;
        rest = rest.slice(end);
        this.rawText = undefined;
      }
      const m = /<!--|<(\/?)([a-zA-Z][\w:-]*)\b[^<>]*?(\/?)>/.exec(rest);
      if (!m) return;
      rest = rest.slice(m.index + m[0].length);
      if (m[0] === '<!--') {
        this.comment = true;
        continue;
      }
      const name = (m[2] as string).toLowerCase();
      if (!m[1]) this.closeImplied(name);
      if (UNNESTED.has(name) || m[3] === '/') {
        // a paragraph, item or row is open until its end tag or what closes it: open for the cut
        if (!m[1] && m[3] !== '/' && UNCUT.has(name)) this.open.push({ name, tag: '' });
        else if (m[1]) {
          const at = this.open.map((e) => e.name).lastIndexOf(name);
          if (at >= 0) this.open.length = at;
        }
        continue;
      }
      if (m[1]) {
        const at = this.open.map((e) => e.name).lastIndexOf(name);
        if (at >= 0) this.open.length = at;
        continue;
      }
      this.open.push({ name, tag: m[0].replace(/\s+/g, ' ') });
      if (name === 'script' || name === 'style' || name === 'textarea' || name === 'title')
        this.rawText = name;
    }
  }

  /** What a start tag closes of the paragraphs, items, rows and cells left open before it. */
  private closeImplied(name: string) {
    const closes: Record<string, string[]> = {
      li: ['p', 'li'],
      dt: ['p', 'dt', 'dd'],
      dd: ['p', 'dt', 'dd'],
      tr: ['td', 'th', 'tr'],
      td: ['td', 'th'],
      th: ['td', 'th'],
    };
    const closed = closes[name] ?? (BLOCK_START.test(`<${name}>`) ? ['p'] : []);
    for (;;) {
      const last = this.open[this.open.length - 1];
      if (last?.tag !== '' || !closed.includes(last.name)) return;
      this.open.pop();
    }
  }
}

/**
 * The most a chunk may hold where the text cannot be cut (one line, one Markdown block, one
 * open paragraph or table row of HTML): all of it is read at once, and memory grows with it.
 */
export const MAX_UNCUT = 1 << 20;

function tooLong(file: string, line: number): InputError {
  return new InputError(
    file,
    line,
    'more than 1 MB of text without a place scan can cut it at (one line, or one paragraph, list or table)',
    'break it into lines or paragraphs: scan reads at most 1 MB at once',
  );
}

/** The text of a file or of standard input, decoded as UTF-8, piece by piece. */
async function* decoded(file: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  const pieces = stream[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await pieces.next();
    } catch (error) {
      throw readError(error, file);
    }
    if (next.done) break;
    const bytes = next.value;
    const buffer = bytes as Buffer;
    if (buffer.includes(0))
      throw new InputError(
        file,
        undefined,
        'a binary file',
        'give a plain text, Markdown, HTML, PDF or Word (.docx) file',
      );
    let text = decoder.write(buffer);
    if (first && text.length > 0) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    yield text;
  }
  yield decoder.end();
}

/**
 * A text file in chunks of about `size` characters, each cut where reading it alone gives what
 * reading the whole gives (see Cutter), with its first line. Memory holds one chunk (and a line
 * longer than a chunk, whole). Markdown chunks are read with the text's link definitions.
 */
export async function* chunksOf(
  file: string,
  kind: Streamed,
  size = CHUNK_SIZE,
  definitions?: string[],
): AsyncGenerator<Chunk & { prefix: string }> {
  const cutter = new Cutter(kind);
  let pending = '';
  let scanned = 0; // lines of `pending` before this offset are read by the cutter
  let line = 1; // the file's line where `pending` starts
  let prefix = '';
  let cutAt = -1;
  let cutLine = 0;
  let cutPrefix = '';
  let linesRead = 0; // lines of pending read by the cutter
  for await (const text of decoded(file)) {
    pending += text;
    for (;;) {
      const nl = pending.indexOf('\n', scanned);
      if (nl < 0) {
        // a line, or a part that cannot be cut, longer than MAX_UNCUT is refused at its start
        if (pending.length - scanned > MAX_UNCUT) throw tooLong(file, line + linesRead);
        break;
      }
      const lineText = pending.slice(scanned, nl).replace(/\r$/, '');
      if (scanned > 0) {
        const at = cutter.line(lineText);
        if (at.cut) {
          cutAt = scanned;
          cutLine = linesRead;
          cutPrefix = at.prefix;
        }
      } else cutter.line(lineText);
      // too deep a line is refused as it is read, before the block it is in is read whole
      if (cutter.tooDeep(lineText))
        throw new InputError(
          file,
          line + linesRead,
          `nested more than ${MAX_DEPTH} levels deep`,
          'scan reads texts nested at most that deep',
        );
      if (nl - scanned > MAX_UNCUT) throw tooLong(file, line + linesRead);
      linesRead++;
      scanned = nl + 1;
      if (cutAt < 0 && scanned > MAX_UNCUT) throw tooLong(file, line);
      if (cutAt > 0 && scanned >= size) {
        // HTML keeps the line's end: it belongs to the text node it ends
        yield { text: pending.slice(0, kind === 'html' ? cutAt : cutAt - 1), line, prefix };
        pending = pending.slice(cutAt);
        scanned -= cutAt;
        line += cutLine;
        linesRead -= cutLine;
        prefix = cutPrefix;
        cutAt = -1;
      }
    }
  }
  yield { text: pending, line, prefix };
  definitions?.push(...cutter.definitions);
}

/** Whether a text is longer than one chunk (without reading more of it than that). */
export async function isLong(file: string, size = CHUNK_SIZE): Promise<boolean> {
  let length = 0;
  for await (const text of decoded(file)) {
    length += text.length;
    if (length > size) return true;
  }
  return false;
}

/** Markdown's link and footnote definitions of a text, for reading its chunks with. */
export async function definitionsOf(file: string, kind: Streamed): Promise<string[]> {
  const definitions: string[] = [];
  if (kind !== 'markdown') return definitions;
  for await (const _ of chunksOf(file, kind, CHUNK_SIZE, definitions));
  return definitions;
}

/**
 * The prose of a text, chunk after chunk (see segments), with lines counted in the whole file;
 * refuses a text nested deeper than MAX_DEPTH at its line.
 */
export async function* segmentChunks(
  file: string,
  kind: Streamed,
  size = CHUNK_SIZE,
  definitions: readonly string[] = [],
): AsyncGenerator<Segment[]> {
  for await (const chunk of chunksOf(file, kind, size)) {
    // a chunk in elements left open before it is read inside them: their start tags, before it
    const head = chunk.prefix;
    const tail =
      kind === 'markdown' && definitions.length > 0 ? `\n\n${definitions.join('\n')}\n` : '';
    const source = `${head}${chunk.text}${tail}`;
    const shift = chunk.line - 1;
    const deep = tooDeep(source, kind);
    if (deep !== undefined)
      throw new InputError(
        file,
        deep + shift,
        `nested more than ${MAX_DEPTH} levels deep`,
        'scan reads texts nested at most that deep',
      );
    const parts = segments(source, kind);
    const first = head ? source.slice(0, source.search(/\r?\n|$/)) : '';
    yield parts.map((s) =>
      head && s.line === 1
        ? {
            ...s,
            line: s.line + shift,
            column: s.column - head.length,
            ...(s.around === first ? { around: first.slice(head.length) } : {}),
          }
        : { ...s, line: s.line + shift },
    );
  }
}
