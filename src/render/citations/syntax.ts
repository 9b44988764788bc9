import type { Literal } from 'mdast';
import type { Extension as FromMarkdownExtension } from 'mdast-util-from-markdown';
import { markdownLineEnding } from 'micromark-util-character';
import type {
  Code,
  Construct,
  Effects,
  Extension,
  State,
  TokenizeContext,
} from 'micromark-util-types';
import type { Processor } from 'unified';

/**
 * Pandoc's citation syntax, as Markdown: `[@key]`, `[@key, p. 12]`, `[-@key]` (the author
 * left out, for a sentence that already names them) and several works at once, `[@a; @b]`.
 * A key starts and ends with a letter, a digit or `_` and may hold `:.#$%&+?<>~/-` inside.
 */
const KEY = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_:.#$%&+?<>~/-]*[\p{L}\p{N}_])?`;
const ITEM = String.raw`\s*-?@${KEY}(?:\s*,[^;\]\[]*)?\s*`;
const INNER = `${ITEM}(?:;${ITEM})*`;
/** What stands between the brackets of a citation. */
const CITATION_INNER = new RegExp(`^${INNER}$`, 'u');
/** A citation in a template's text (not one written with an escaped `\[`). */
export const CITATION_IN_SOURCE = new RegExp(String.raw`(?<!\\)\[(${INNER})\]`, 'gu');
/** A footnote's label: `[^1]`, `[^note]`. */
export const FOOTNOTE_LABEL = /(?<!\\)\[\^[^\]\s]+\]/g;

/** One work cited. */
export interface CitedItem {
  key: string;
  /** `[-@key]`: the year (and locator) alone. */
  suppressAuthor: boolean;
  /** A CSL locator and its label (`page`, `chapter`…), from `, p. 12`. */
  locator?: string;
  label?: string;
  /** Any other text after the comma, printed after the item. */
  suffix?: string;
}

/** A citation in the mdast tree, before it is formatted: the source between its brackets. */
export interface Citation extends Literal {
  type: 'citation';
}

declare module 'mdast' {
  interface PhrasingContentMap {
    citation: Citation;
  }
  interface RootContentMap {
    citation: Citation;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    citation: 'citation';
    citationMarker: 'citationMarker';
    citationValue: 'citationValue';
  }
}

/** Locator labels as a template may write them, in English or Spanish, to CSL's names. */
const LABELS: [RegExp, string][] = [
  [/^(?:p|pp|pág|págs|pag|pags|page|pages|página|páginas)\.?$/i, 'page'],
  [/^(?:chap|chaps|chapter|cap|caps|capítulo|capítulos)\.?$/i, 'chapter'],
  [/^(?:sec|secs|section|sección|secc)\.?$/i, 'section'],
  [/^(?:para|paras|paragraph|párr|párrafo)\.?$/i, 'paragraph'],
  [/^(?:fig|figs|figure|figura)\.?$/i, 'figure'],
  [/^(?:vol|vols|volume|volumen)\.?$/i, 'volume'],
  [/^(?:n|no|num|number|núm|número)\.?$/i, 'issue'],
  [/^(?:l|ll|line|lines|línea)\.?$/i, 'line'],
];

/** The works of a citation, from the text between its brackets. */
export function parseCitation(inner: string): CitedItem[] {
  return inner.split(';').map((part) => {
    const match = new RegExp(String.raw`^\s*(-?)@(${KEY})(?:\s*,\s*([\s\S]*?))?\s*$`, 'u').exec(
      part,
    );
    if (!match) throw new Error(`not a citation: ${part}`);
    const [, minus, key = '', rest] = match;
    const item: CitedItem = { key, suppressAuthor: minus === '-' };
    const after = rest?.replace(/\s+/g, ' ').trim();
    if (after) {
      const labelled = /^(\S+)\s+(\S.*)$/.exec(after);
      const label = labelled && LABELS.find(([re]) => re.test(labelled[1] ?? ''))?.[1];
      if (labelled && label) {
        item.label = label;
        item.locator = labelled[2];
      } else if (/^\p{N}/u.test(after)) {
        item.label = 'page';
        item.locator = after;
      } else item.suffix = after;
    }
    return item;
  });
}

/** At most this many characters between a citation's brackets (a `[` never closed is read no further). */
const MAX_LENGTH = 2000;

const citationConstruct: Construct = {
  name: 'citation',
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    let inner = '';
    // the characters between the brackets go into chunks, cut at each line ending
    let chunk = false;
    const endChunk = () => {
      if (chunk) effects.exit('citationValue');
      chunk = false;
    };
    const inside = (code: Code): State | undefined => {
      if (code === null || code === 91 || inner.length > MAX_LENGTH) return nok(code);
      if (code === 93) {
        if (!CITATION_INNER.test(inner)) return nok(code);
        endChunk();
        effects.enter('citationMarker');
        effects.consume(code);
        effects.exit('citationMarker');
        effects.exit('citation');
        return ok;
      }
      if (markdownLineEnding(code)) {
        endChunk();
        effects.enter('lineEnding');
        effects.consume(code);
        effects.exit('lineEnding');
        inner += '\n';
        return inside;
      }
      // a tab (-2) or the virtual spaces after it (-1)
      inner += code < 0 ? ' ' : String.fromCodePoint(code);
      if (!chunk) effects.enter('citationValue');
      chunk = true;
      effects.consume(code);
      return inside;
    };
    return (code: Code) => {
      if (code !== 91) return nok(code);
      effects.enter('citation');
      effects.enter('citationMarker');
      effects.consume(code);
      effects.exit('citationMarker');
      return inside;
    };
  },
};

/** The micromark syntax extension: a citation is tried before a link at every `[`. */
export const citationSyntax: Extension = { text: { 91: citationConstruct } };

/** Citation tokens to `citation` nodes holding the text between the brackets. */
export const citationFromMarkdown: FromMarkdownExtension = {
  enter: {
    citation(token) {
      this.enter({ type: 'citation', value: '' }, token);
    },
  },
  exit: {
    citation(token) {
      const node = this.stack[this.stack.length - 1] as Citation;
      node.value = this.sliceSerialize(token).slice(1, -1);
      this.exit(token);
    },
  },
};

/** The remark plugin: templates' citations parsed as `citation` nodes (see resolveCitations). */
export function remarkCitationSyntax(this: Processor) {
  const data = this.data();
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), citationSyntax];
  data.fromMarkdownExtensions = [...(data.fromMarkdownExtensions ?? []), citationFromMarkdown];
}

/**
 * The template's citations, each with its line: the template's text is copied into the filled
 * Markdown as it is, so a citation stands in the template where it was written.
 */
export function citationsInSource(text: string): { line: number; items: CitedItem[] }[] {
  const found: { line: number; items: CitedItem[] }[] = [];
  for (const match of text.matchAll(CITATION_IN_SOURCE)) {
    const line = (text.slice(0, match.index).match(/\n/g)?.length ?? 0) + 1;
    found.push({ line, items: parseCitation(match[1] ?? '') });
  }
  return found;
}

/**
 * Citations and footnote labels blanked out (newlines kept, so lines still count): the digits
 * of `[@porter1998, p. 12]` and `[^1]` are no figures typed by hand.
 */
export function withoutCitationsAndLabels(text: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  return text.replace(CITATION_IN_SOURCE, blank).replace(FOOTNOTE_LABEL, blank);
}
