import type { Strings } from '../locale/strings.js';
import type { PrintedFigure } from '../render/template.js';
import type { Results } from '../stats/frequencies.js';
import type { Verification } from '../verify/verify.js';

/**
 * The version of the layout of every JSON file the tool writes (results, verification,
 * figures, manifest, and the --json output of its commands). Raised when a field changes
 * meaning or goes away; docs/schemas/ holds a JSON Schema for each file.
 */
export const SCHEMA_VERSION = 1;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Whether the responses are the original ones, and the study's note on them per language: the
 * JSON files travel alone too, and each says it.
 */
export interface DataStatus {
  status: string;
  note?: Record<string, string>;
}

/** `data/results.json`: counts, percentages and intervals per question and option. */
export function resultsJson(results: Results, data?: DataStatus): string {
  return json({ schema_version: SCHEMA_VERSION, ...(data ? { data } : {}), ...results });
}

/** `data/verification.json`: every published claim, reported and recomputed. */
export function verificationJson(verification: Verification, data?: DataStatus): string {
  return json({ schema_version: SCHEMA_VERSION, ...(data ? { data } : {}), ...verification });
}

/** The figures one page prints, in the order it prints them. */
export interface PageFigures {
  /** The page, relative to the site's folder. */
  page: string;
  /** Its Markdown, from which the HTML page and the PDF were made. */
  markdown: string;
  lang: string;
  locale: string;
  /** The interface words the page was written with (table headers, statuses). */
  strings: Strings;
  figures: PrintedFigure[];
}

/**
 * `data/figures.json`: every helper call of every page that printed a digit, with its
 * arguments, so that `report audit` can recompute each from the published data and find
 * it on the page without the templates.
 */
export function figuresJson(pages: readonly PageFigures[]): string {
  return json({ schema_version: SCHEMA_VERSION, pages });
}
