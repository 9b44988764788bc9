import type { Root, RootContent } from 'mdast';
import type { Strings } from '../locale/strings.js';

/**
 * One report in one language, as every back-end (HTML, Typst/PDF, DOCX) receives it: the
 * template filled and parsed once, its title block and body split once, its figures and tables
 * numbered and listed, its charts with their own size and description, its citations and
 * cross-references resolved. A back-end takes this and nothing else.
 */
export interface ReportDocument {
  /** Language code ("es") and BCP 47 locale ("es-PE"). */
  lang: string;
  locale: string;
  /** The interface strings of this language. */
  strings: Strings;
  /** The study's id (file names: `<id>.<lang>.pdf`) and its title in this language. */
  studyId: string;
  title: string;
  /** The study's authors, "Given Family". */
  authors: string[];
  /** Template path, for errors that name a template line. */
  template: string;
  /** The Markdown the template was filled into (published as `report.md`). */
  markdown: string;
  /** The whole mdast tree: figures numbered, cross-references and citations written. */
  tree: Root;
  /** The title block: everything before the first second-level heading. */
  front: RootContent[];
  /** Everything from the first second-level heading on. */
  body: RootContent[];
  /** Every `:::figure` and `:::table`, in document order. */
  figures: DocumentFigure[];
  /** Every chart the document shows, by the image path the Markdown uses (`charts/q1.svg`). */
  charts: ReadonlyMap<string, ChartImage>;
  /** When the data are a reconstruction: one sentence, and the section that says more. */
  notice?: Notice;
  /** Seconds since the epoch for the outputs' dates; none when undefined. */
  timestamp?: number;
}

export interface DocumentFigure {
  kind: 'figure' | 'table';
  /** 1, 2, … per kind, as printed ("Tabla 3"). */
  number: number;
  /** The id a cross-reference points to (`tbl-q1`), when it has one. */
  id?: string;
  /** The caption as plain text. */
  caption: string;
  /** The chart a figure shows. */
  chart?: ChartImage;
}

export interface ChartImage {
  /** The image path the Markdown uses. */
  path: string;
  /** Accessible SVG, as published. */
  svg: string;
  /** Natural size in CSS pixels, as drawn (not read back from the SVG). */
  width: number;
  height: number;
  /** The chart's data in words: its text alternative in every output. */
  description: string;
}

export interface Notice {
  /** "Datos reconstruidos": the label of the notice. */
  label: string;
  /** One sentence; the whole note is in the section `more` points to. */
  text: string;
  more?: { id: string; title: string };
}
