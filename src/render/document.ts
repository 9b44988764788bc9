import { createHash } from 'node:crypto';
import type { Root, RootContent } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import { type Chart, type ChartOptions, drawGrouped, drawLikert } from '../charts/draw.js';
import { InputError } from '../errors.js';
import { layout, type SourceFile, type Study } from '../load/study.js';
import type { Strings } from '../locale/strings.js';
import type { Results } from '../stats/frequencies.js';
import type { Verification } from '../verify/verify.js';
import { checkAnchors, checkHeadings } from './anchors.js';
import { BLOCKS_HINT, isBlock, splitTitleBlock } from './blocks.js';
import { type Library, resolveCitations, styleFor } from './citations/index.js';
import { type GroupedRequest, groupedChartId } from './group-helpers.js';
import type { LikertRequest, TemplateContext } from './helpers.js';
import { parseMarkdown, sectionHolding } from './markdown.js';
import { checkNesting, MAX_MARKDOWN_NESTING, nestingOf } from './nesting.js';
import { collectTables, withTables } from './table-blocks.js';
import { type PrintedFigure, renderTemplate } from './template.js';

export { figureOf } from './blocks.js';
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
  /** The `:::figure` or `:::table` block of the tree it is. */
  node: ContainerDirective;
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

/** What one language's report is made from. */
export interface LanguageInput {
  study: Study;
  lang: string;
  /** BCP 47 locale of the language ("es-PE"). */
  locale: string;
  /** The results the report publishes (small cells withheld where the study asks). */
  results: Results;
  verification: Verification;
  /** The answers row by row, read on first use. */
  rows?: TemplateContext['rows'];
  timestamp?: number;
  /** The works the report may cite, and the study's own citation style, when it has them. */
  library?: Library;
  citationStyle?: { path: string; xml: string };
  /** The charts of this language's questions, as drawn. */
  charts: readonly Chart[];
  /** How the charts were drawn: the batteries the template asks for are drawn alike. */
  chartOptions: ChartOptions;
  /** Compiled templates kept between builds. */
  templates?: Map<string, HandlebarsTemplateDelegate>;
  /** Called with every figure a helper prints (for `data/figures.json`). */
  onFigure?: (figure: PrintedFigure) => void;
}

/** The image path the Markdown uses for a chart. */
export const chartPath = (questionId: string) => `charts/${questionId}.svg`;

/**
 * The template checks that need no data (Handlebars blocks, Markdown and inline nesting), for
 * every language before any chart, page or PDF is made.
 */
export function checkTemplates(study: Study, langs: readonly string[]): void {
  for (const lang of langs) {
    const template = study.templates[lang];
    if (template) checkNesting(template);
  }
}

/**
 * One language's report as the one document every back-end takes: the template filled, parsed
 * once, its citations resolved, checked (links, headings, nesting, blocks, raw HTML), split into
 * title block and body, its figures and tables listed with their charts. Returns the charts the
 * template asked for besides the question charts given (batteries, grouped charts), so they are
 * published too.
 */
export async function renderLanguage(
  input: LanguageInput,
): Promise<{ document: ReportDocument; charts: Chart[] }> {
  const { study, lang, locale, chartOptions } = input;
  const { codebook } = study;
  const strings = study.strings[lang] as Strings;
  const template = study.templates[lang];
  if (!template) throw new InputError(layout.template(lang), undefined, 'file not found');

  // batteries of ordinal items are drawn as the template asks for them
  const batteries = new Map<string, LikertRequest & { id: string; title: string }>();
  const likertPath = (request: LikertRequest) => {
    const name = `likert-${request.questions.join('-')}${request.sort === 'questionnaire' ? '' : `-${request.sort}`}`;
    const id =
      name.length <= 80
        ? name
        : `likert-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
    const first = codebook.questions.find((q) => q.id === request.questions[0]);
    const title =
      request.questions.length === 1
        ? (first?.short[lang] ?? id)
        : (codebook.sections.find((s) => s.id === first?.section)?.title[lang] ?? id);
    batteries.set(id, { ...request, id, title });
    return chartPath(id);
  };
  // grouped charts too ({{chart "q" by="g"}})
  const grouped = new Map<string, GroupedRequest & { id: string }>();
  const groupedPath = (request: GroupedRequest) => {
    const id = groupedChartId(request);
    grouped.set(id, { ...request, id });
    return chartPath(id);
  };
  const { value: markdown, tables } = collectTables(() =>
    renderTemplate(
      template,
      {
        lang,
        template: template.path,
        codebook,
        results: input.results,
        verification: input.verification,
        format: chartOptions.format,
        strings,
        chartPath,
        timestamp: input.timestamp,
        likertPath,
        rows: input.rows,
        citationStyle: styleFor(lang, input.citationStyle),
        groupedPath,
      },
      input.templates,
      input.onFigure,
    ),
  );
  const drawn: Chart[] = [];
  for (const battery of batteries.values())
    drawn.push(await drawLikert(codebook, input.results, battery, chartOptions));
  for (const request of grouped.values()) {
    if (!input.rows) throw new Error('a grouped chart was asked for without the rows');
    drawn.push(await drawGrouped(codebook, input.rows(), request, chartOptions));
  }

  const charts = new Map<string, ChartImage>();
  for (const chart of [...input.charts, ...drawn]) {
    const path = chartPath(chart.questionId);
    charts.set(path, {
      path,
      svg: chart.svg,
      width: chart.width,
      height: chart.height,
      description: chart.description,
    });
  }
  // the tables helpers wrote are put in place, not read back (see withTables)
  const tree = await withTables(markdown, tables, (text) =>
    parseMarkdown(text, {
      figure: strings.figure,
      table: strings.table,
      source: template.path,
    }),
  );
  resolveCitations(tree, {
    template,
    library: input.library,
    style: styleFor(lang, input.citationStyle),
    locale,
  });
  checkAnchors(tree, template);
  checkHeadings(tree, template);
  checkMarkup(tree, template, charts);
  // helpers add one level (:::table, :::figure) to what the template's text was checked for
  if (nestingOf(tree) > MAX_MARKDOWN_NESTING + 1)
    throw new InputError(
      template.path,
      undefined,
      `Markdown nested deeper than ${MAX_MARKDOWN_NESTING} levels once filled`,
      `nest blockquotes, lists and ::: blocks at most ${MAX_MARKDOWN_NESTING} deep`,
    );

  const { data } = codebook.study;
  const { front, body } = splitTitleBlock(tree.children);
  return {
    document: {
      lang,
      locale,
      strings,
      studyId: codebook.study.id,
      title: codebook.study.title[lang] ?? codebook.study.id,
      authors: (codebook.study.authors ?? []).map((a) =>
        [a.given, a.family].filter(Boolean).join(' '),
      ),
      template: template.path,
      markdown,
      tree,
      front,
      body,
      figures: figuresOf(tree, charts),
      charts,
      // said in one sentence on every page and the PDF's title page, in full where the template puts the note
      notice:
        data.status === 'reconstruction'
          ? {
              label: strings.reconstruction,
              text: strings.reconstructionNotice,
              more: sectionHolding(tree, data.note[lang] ?? ''),
            }
          : undefined,
      timestamp: input.timestamp,
    },
    charts: drawn,
  };
}

/** Every `:::figure` and `:::table` of the tree, in order, with the chart a figure shows. */
function figuresOf(tree: Root, charts: ReadonlyMap<string, ChartImage>): DocumentFigure[] {
  const figures: DocumentFigure[] = [];
  visit(tree, 'containerDirective', (node: ContainerDirective) => {
    if (!isBlock(node.name)) return;
    const image = node.children
      .flatMap((c) => (c.type === 'paragraph' ? c.children : []))
      .find((c) => c.type === 'image');
    const chart = image?.type === 'image' ? charts.get(image.url) : undefined;
    figures.push({
      kind: node.name,
      number: Number(node.attributes?.number),
      ...(node.attributes?.id ? { id: node.attributes.id } : {}),
      caption: node.attributes?.caption ?? '',
      ...(chart ? { chart } : {}),
      node,
    });
  });
  return figures;
}

/** The 1-based line of the template that first holds `text`, if one does. */
function templateLine(template: SourceFile, text: string): number | undefined {
  const wanted = text.trim();
  if (!wanted) return undefined;
  const at = template.text.split('\n').findIndex((line) => line.includes(wanted));
  return at === -1 ? undefined : at + 1;
}

/**
 * Refuses what no back-end sets alike: raw HTML (the page would drop it, the PDF print it as
 * text), which is written in Markdown instead; a `:::` block other than BLOCKS, or one that shows
 * no table or no chart the build drew. Checked on the filled tree, so `report check` names the
 * template line before any back-end runs.
 */
export function checkMarkup(
  tree: Root,
  template: SourceFile,
  charts: ReadonlyMap<string, ChartImage>,
): void {
  visit(tree, (node) => {
    if (node.type === 'html') {
      const first = node.value.split('\n')[0] ?? '';
      throw new InputError(
        template.path,
        templateLine(template, first),
        `raw HTML ${JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}…` : first)} is not part of a report`,
        /^<!--/.test(first)
          ? 'write a comment as {{!-- … --}}'
          : 'write it in Markdown (emphasis, links, lists, tables), or escape the < as \\<',
      );
    }
    if (node.type !== 'containerDirective') return;
    const line = templateLine(template, `:::${node.name}`);
    if (!isBlock(node.name))
      throw new InputError(template.path, line, `unknown block ":::${node.name}"`, BLOCKS_HINT);
    // what a block shows: a table, or a chart the build drew
    const shown =
      node.name === 'table'
        ? node.children.some((c) => c.type === 'table')
        : node.children.some(
            (c) =>
              c.type === 'paragraph' &&
              c.children.some((i) => i.type === 'image' && charts.has(i.url)),
          );
    if (!shown)
      throw new InputError(
        template.path,
        line,
        node.name === 'table' ? 'a :::table without a table' : 'a :::figure without a chart',
        `write tables and charts with their helpers: {{table "question"}}, {{chart "question"}}`,
      );
  });
}
