import type { PhrasingContent } from 'mdast';
import { type Codebook, reportStudy } from '../../load/codebook.js';
import type { CitationStyle } from './format.js';
import type { CslItem } from './library.js';

/**
 * The report and the study it reproduces as CSL-JSON works, so that "how to cite" is written by
 * the same formatter, style and locale as the works cited (see format.ts).
 */

export interface StudyWorkOptions {
  lang: string;
  /** The report's date (ISO), from the codebook or SOURCE_DATE_EPOCH; none prints "n.d.". */
  date?: string;
  /** The words of the page's language: the bracketed descriptions. */
  strings: { thesis: string; reproducibleReport: string };
  /** The source's address: the study's URL, or its handle as a resolvable link. */
  sourceUrl?: string;
}

type Study = Codebook['study'];

const people = (study: Study) =>
  (study.authors ?? []).map((a) => ({ family: a.family, ...(a.given ? { given: a.given } : {}) }));

/** `2016`, `"2019-2020"` or `"2019–2020"` as CSL date parts. */
function issuedOf(year: number | string): { 'date-parts': number[][] } {
  const years = String(year)
    .split(/[-–/]/)
    .map((y) => Number(y.trim()))
    .filter((y) => Number.isInteger(y) && y > 0);
  return { 'date-parts': years.slice(0, 2).map((y) => [y]) };
}

/** The report itself: a report with its version, bracketed as reproducible, at its URL. */
export function reportWork(codebook: Codebook, options: StudyWorkOptions): CslItem {
  const study = codebook.study;
  const dateParts = options.date?.split('-').map(Number);
  return {
    id: 'report',
    type: 'report',
    title: study.title[options.lang] ?? study.id,
    ...(study.authors?.length ? { author: people(study) } : {}),
    ...(dateParts ? { issued: { 'date-parts': [dateParts] } } : {}),
    ...(study.version ? { version: study.version } : {}),
    genre: options.strings.reproducibleReport,
    ...(study.url ? { URL: study.url } : {}),
    language: options.lang,
  };
}

/** The thesis the report reproduces: its title as published, institution, repository, handle. */
export function sourceWork(codebook: Codebook, options: StudyWorkOptions): CslItem {
  const study = reportStudy(codebook);
  return {
    id: 'source',
    type: 'thesis',
    title: study.source_title ?? study.title[options.lang] ?? study.id,
    ...(study.authors?.length ? { author: people(study) } : {}),
    issued: issuedOf(study.year),
    genre: options.strings.thesis,
    publisher: study.institution,
    archive: study.repository,
    ...(options.sourceUrl ? { URL: options.sourceUrl } : { archive_location: study.handle }),
  };
}

/**
 * APA 7 (§9.38) puts a translation of a title in another language in square brackets after it;
 * CSL has no variable for it, so it is added after the formatted title.
 */
export function withTranslation(
  entry: PhrasingContent[],
  title: string,
  translation: string,
): PhrasingContent[] {
  const at = entry.findIndex(
    (node) =>
      node.type === 'emphasis' &&
      node.children.map((c) => (c.type === 'text' ? c.value : '')).join('') === title,
  );
  if (at === -1) return entry;
  const out = [...entry];
  const next = out[at + 1];
  const bracket = ` [${translation}]`;
  if (next?.type === 'text') out[at + 1] = { ...next, value: `${bracket}${next.value}` };
  else out.splice(at + 1, 0, { type: 'text', value: bracket });
  return out;
}

export type { CitationStyle };
