import type { Strings } from './strings.js';

/** A person as APA and CITATION.cff name them. */
export interface Person {
  family: string;
  given?: string;
  orcid?: string;
}

/** A run of citation text: plain, or in italics (a title). */
export type CitePart = { text: string; italic?: boolean };

/** "García Pérez, J. M." */
function apaName(p: Person): string {
  const initials = (p.given ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((g) =>
      g
        .split('-')
        .map((part) => `${part.charAt(0).toLocaleUpperCase()}.`)
        .join('-'),
    )
    .join(' ');
  return initials ? `${p.family}, ${initials}` : p.family;
}

/** Authors in APA 7 order: "A, B, & C" (the joining word from the language's strings). */
export function apaAuthors(people: readonly Person[], strings: Pick<Strings, 'and'>): string {
  const names = people.map(apaName);
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]}, ${strings.and} ${names[1]}`;
  if (names.length > 20) return `${names.slice(0, 19).join(', ')}, … ${names[names.length - 1]}`;
  return `${names.slice(0, -1).join(', ')}, ${strings.and} ${names[names.length - 1]}`;
}

export interface Work {
  authors: readonly Person[];
  /** The year, or undefined when the work bears none. */
  year?: string;
  title: string;
  /** The title translated into the reader's language, in square brackets after the original. */
  translation?: string;
  /** The bracketed description after the title: "[Tesis, Universidad…]". */
  description?: string;
  /** "(Versión 1.0)" after the title. */
  version?: string;
  /** Publisher or repository. */
  source?: string;
  /** A URL, or an identifier without one. */
  locator?: string;
}

const period = (s: string) => (/[.?!]$/.test(s) ? s : `${s}.`);

/**
 * A reference list entry in APA 7 (7th ed., §9–10): author, date, title in italics,
 * [description], source, locator. Without an author the title takes the author's place.
 */
export function apaReference(work: Work, strings: Pick<Strings, 'and' | 'undated'>): CitePart[] {
  const date = `(${work.year ?? strings.undated}).`;
  const after = [
    work.translation ? ` [${work.translation}]` : '',
    work.version ? ` (${work.version})` : '',
    work.description ? ` [${work.description}]` : '',
  ].join('');
  const tail = [work.source ? period(work.source) : '', work.locator ?? '']
    .filter(Boolean)
    .join(' ');
  const title: CitePart = { text: work.title, italic: true };
  const parts: CitePart[] =
    work.authors.length > 0
      ? [
          { text: `${period(apaAuthors(work.authors, strings))} ${date} ` },
          title,
          { text: `${after}.` },
        ]
      : [title, { text: `${after}. ${date}` }];
  if (tail) parts.push({ text: ` ${tail}` });
  return parts;
}
