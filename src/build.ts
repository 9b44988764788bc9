import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BuildCache, buildCache } from './cache.js';
import { type Chart, drawCharts } from './charts/draw.js';
import { InputError } from './errors.js';
import { collectHeap } from './heap.js';
import { selectLanguages, unpublishedTexts } from './load/codebook.js';
import type { CsvDialect } from './load/responses.js';
import { needsRows, studyRows } from './load/rows.js';
import { fileChunks } from './load/stream.js';
import { layout, loadStudy, type Study } from './load/study.js';
import { displayPath } from './load/yaml.js';
import { formatter } from './locale/format.js';
import type { Strings } from './locale/strings.js';
import { packageRoot } from './paths.js';
import {
  figuresJson,
  type PageFigures,
  resultsJson,
  verificationJson,
} from './publish/data-files.js';
import { manifest } from './publish/manifest.js';
import { type Output, type OutputFiles, openOutput } from './publish/publish.js';
import { publishedResponses } from './publish/responses-csv.js';
import { publishedTableResponses } from './publish/responses-table.js';
import { siteAssets } from './publish/site-assets.js';
import { citationCff, pageMeta } from './render/citation.js';
import { parseLibrary } from './render/citations/index.js';
import { chartPath, checkTemplates, renderLanguage } from './render/document.js';
import { toHtmlPage } from './render/html.js';
import { indexPage } from './render/index-page.js';
import { PDF_FONT, pdfDocument, typstDocument } from './render/pdf.js';
import { pdfLinkTarget } from './render/pdf-links.js';
import { inThread, pdfThread } from './render/pdf-thread.js';
import { disclose } from './stats/disclosure.js';
import { type Results, resultsOf } from './stats/frequencies.js';
import { weightResults } from './stats/weighted.js';
import { type Verification, verify } from './verify/verify.js';

export type Format = 'html' | 'pdf' | 'docx';

/** What the heap may hold while a PDF is typeset beside it before it is collected. */
const HEAP_BUDGET = 64 * 2 ** 20;

export interface BuildOptions {
  /** The study folder: data/ and templates/ in, out/ written. */
  root: string;
  outDir?: string;
  /** Languages to build (default: all of the study's). */
  langs?: string[];
  formats?: Format[];
  /** Seconds since the epoch for the PDFs' dates (e.g. SOURCE_DATE_EPOCH); none when undefined. */
  timestamp?: number;
  /** Called after each stage with its name and duration in milliseconds. */
  onStage?: (stage: string, ms: number) => void;
  /** Write nothing: load, check and render in memory only. */
  dryRun?: boolean;
  /** Kept between builds by a long-running caller (preview); a build alone starts empty. */
  cache?: BuildCache;
}

export interface BuildResult {
  outDir: string;
  /** How the responses file was read (encoding, delimiter, columns). */
  dialect: CsvDialect;
  files: OutputFiles;
  results: Results;
  verification: Verification;
  /** What `report check` should point out without failing: what the reader had to change to read
   * an older codebook or claims file, texts still to translate. */
  warnings: string[];
}

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/**
 * The whole pipeline: load → stats → verify → charts → render → publish. The output folder is
 * checked and locked first (see openOutput), so a wrong --out fails before any work is done.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = resolve(options.root);
  const outDir = resolve(root, options.outDir ?? 'out');
  if (options.dryRun) return run(options, root, outDir, undefined);
  const output = await openOutput(
    root,
    outDir,
    options.outDir ?? displayPath(root, outDir),
    pkg.name,
  );
  try {
    return await run(options, root, outDir, output);
  } finally {
    await output.release();
  }
}

async function run(
  options: BuildOptions,
  root: string,
  outDir: string,
  output: Output | undefined,
): Promise<BuildResult> {
  const formats = options.formats ?? ['html', 'pdf'];
  let clock = performance.now();
  const stage = (name: string) => {
    const now = performance.now();
    options.onStage?.(name, now - clock);
    clock = now;
  };

  const cache = options.cache ?? buildCache();
  const study = await loadStudy(root, { designs: cache.designs });
  const langs = selectLanguages(study.codebook, options.langs, layout.codebook);
  stage('load');
  // the answers row by row, streamed once when the study is weighted or asks for groups
  const rows = await studyRows(
    root,
    study.dialect.file ?? layout.responses,
    study.codebook,
    study.dialect,
    needsRows(
      study.codebook,
      study.claims,
      Object.values(study.templates).map((t) => t.text),
    ),
  );
  // a weighted study's weights are read (and checked) whatever the templates ask for
  const results = study.codebook.study.data.weight
    ? weightResults(study.codebook, resultsOf(study.codebook, study.tally), rows())
    : resultsOf(study.codebook, study.tally);
  stage('stats');
  const verification = verify(study.codebook, results, study.claims, rows);
  stage('verify');
  // what the report publishes: small cells withheld where the study asks (verify saw them all)
  const published = disclose(study.codebook, results);
  // every template's nesting is checked before any chart, page or PDF is made
  checkTemplates(
    study,
    langs.map((l) => l.code),
  );

  // the works the report may cite, read once for every language
  const library = study.references ? parseLibrary(study.references) : undefined;
  const citationStyle = study.citationStyle
    ? { path: study.citationStyle.path, xml: study.citationStyle.text }
    : undefined;

  const files: OutputFiles = new Map();
  const printed: PageFigures[] = [];
  const used = new Set<string>();
  // Each language's PDF is compiled on a second thread while this one renders the next
  // language's charts and then the HTML pages.
  const pdf = formats.includes('pdf') ? pdfThread() : inThread;
  const pdfs: Promise<void>[] = [];
  const pages: (() => Promise<void>)[] = [];
  try {
    for (const { code: lang, locale } of langs) {
      const chartOptions = {
        lang,
        format: formatter(locale),
        strings: study.strings[lang] as Strings,
        font: PDF_FONT,
        cache,
        onKey: (key: string) => used.add(key),
      };
      const addCharts = (charts: Chart[]) => {
        for (const { questionId, spec, svg } of charts) {
          const path = chartPath(questionId);
          files.set(`${lang}/${path}`, svg);
          files.set(
            `${lang}/${path.replace(/\.svg$/, '.vl.json')}`,
            `${JSON.stringify(spec, null, 2)}\n`,
          );
        }
      };
      const charts = await drawCharts(study.codebook, published, chartOptions);
      addCharts(charts);
      stage(`charts ${lang}`);
      const figures: PageFigures['figures'] = [];
      const { document: doc, charts: batteries } = await renderLanguage({
        study,
        lang,
        locale,
        results: published,
        verification,
        rows,
        timestamp: options.timestamp,
        library,
        citationStyle,
        charts,
        chartOptions,
        templates: cache.templates,
        onFigure: (figure) => figures.push(figure),
      });
      addCharts(batteries);
      printed.push({
        page: `${lang}/index.html`,
        markdown: `${lang}/report.md`,
        lang,
        locale,
        strings: doc.strings,
        figures,
      });
      files.set(`${lang}/report.md`, doc.markdown);
      const pdfName = `${doc.studyId}.${lang}.pdf`;
      if (formats.includes('pdf')) {
        const job = pdfDocument(doc, {
          linkTarget: pdfLinkTarget(study.codebook.study.url, `${lang}/index.html`),
        });
        files.set(`${lang}/report.typ`, typstDocument(job));
        const done = pdf.compile(job).then(
          (bytes) => {
            files.set(`${lang}/${pdfName}`, bytes);
          },
          (error: Error) => {
            // what the template nests inline (emphasis in emphasis…) Typst may not set at any depth
            if (/maximum [\w ]*depth exceed/.test(error.message))
              throw new InputError(
                doc.template,
                undefined,
                'nested too deep for the PDF',
                'nest blockquotes, lists, emphasis and links less deep',
              );
            throw error;
          },
        );
        done.catch(() => {}); // awaited below, after the other languages
        pdfs.push(done);
        // Typst now holds this language's layout: the heap is not let grow beside it
        collectHeap(HEAP_BUDGET);
      }
      if (formats.includes('docx')) {
        const { toDocx } = await import('./render/docx.js');
        files.set(`${lang}/${doc.studyId}.${lang}.docx`, await toDocx(doc));
      }
      if (formats.includes('html')) {
        // pages after every PDF is handed over: the compiler thread works meanwhile
        pages.push(async () => {
          const others = study.codebook.study.languages.filter(
            (l) => l.code !== lang && langs.includes(l),
          );
          files.set(
            `${lang}/index.html`,
            await toHtmlPage(doc, {
              alternates: others.map((l) => ({
                lang: l.code,
                name: l.name,
                href: `../${l.code}/index.html`,
              })),
              pdfHref: formats.includes('pdf') ? pdfName : undefined,
              docxHref: formats.includes('docx') ? `${doc.studyId}.${lang}.docx` : undefined,
              assets: '../assets',
              citation: pageMeta(study.codebook, lang, {
                pdf: formats.includes('pdf') ? `${lang}/${pdfName}` : undefined,
                fromPage: '../',
                responses: !published.disclosure,
              }),
            }),
          );
          stage(`html ${lang}`);
        });
      }
      stage(`render ${lang}`);
    }
    // a chart no language drew this time is not kept
    for (const key of cache.charts.keys()) if (!used.has(key)) cache.charts.delete(key);
    for (const page of pages) await page();
    if (pdfs.length > 0) collectHeap(HEAP_BUDGET);
    await Promise.all(pdfs);
    // a dry run typesets in memory: it writes no PDF
    if (pdfs.length > 0) stage(output ? 'pdf' : 'typeset');
  } finally {
    await pdf.close();
  }

  if (formats.includes('html')) {
    for (const [path, content] of siteAssets()) files.set(path, content);
    files.set('index.html', indexPage(study, langs, study.strings, formats.includes('pdf')));
  }
  // the codebook and claims byte for byte as read; the responses generated from what was read
  // (the id and question columns, option codes), never copied: see publishedResponses; and
  // not the responses at all when small cells are withheld: each row would give them away
  for (const input of study.inputs) {
    if (!input.path.startsWith('data/')) continue;
    // a workbook or SPSS file is never published: its responses are generated as CSV
    const table = /\.(xlsx|sav)$/.exec(input.path)?.[1] as 'xlsx' | 'sav' | undefined;
    if (table) {
      if (!published.disclosure)
        files.set(
          layout.responses,
          await publishedTableResponses(
            input.bytes as Uint8Array,
            input.path,
            table,
            study.codebook,
          ),
        );
      continue;
    }
    if (input.path === layout.responses) {
      if (published.disclosure) continue;
      files.set(
        input.path,
        await publishedResponses(
          // a file counted as it streamed is streamed again, never held whole
          input.sha256 ? fileChunks(root, input.path) : [input.bytes ?? Buffer.from(input.text)],
          input.path,
          study.codebook,
          study.dialect,
        ),
      );
    } else files.set(input.path, input.bytes ?? input.text);
  }
  // the JSON files travel alone too: each says whether its responses are the original ones
  const { status, note } = study.codebook.study.data;
  files.set('data/results.json', resultsJson(published, { status, note }));
  files.set('data/verification.json', verificationJson(verification, { status, note }));
  files.set('data/figures.json', figuresJson(printed));
  files.set('data/README.txt', dataReadme(study));
  files.set('CITATION.cff', citationCff(study.codebook));
  files.set(
    'manifest.json',
    manifest(study.inputs, files, { name: pkg.name, version: pkg.version }),
  );
  if (output) {
    await output.publish(files);
    stage('publish');
  }
  return {
    outDir,
    dialect: study.dialect,
    files,
    results,
    verification,
    warnings: [...study.warnings, ...untranslatedWarnings(study)],
  };
}

function untranslatedWarnings(study: Study): string[] {
  return (study.codebook.study.untranslated ?? []).map(
    (lang) =>
      `${layout.codebook}: the "${lang}" texts are copies of another language's (drafted by report init): translate them, then remove "${lang}" from study.untranslated`,
  );
}

function dataReadme(study: Study): string {
  const { data } = study.codebook.study;
  const notes = study.codebook.study.languages.map((l) => `[${l.code}] ${data.note[l.code] ?? ''}`);
  return [
    `${study.codebook.study.id}: data behind the report`,
    '',
    `Status of responses.csv: ${data.status.toUpperCase()}`,
    ...notes,
    '',
    ...(study.codebook.study.disclosure
      ? [
          `responses.csv     not published: counts below ${study.codebook.study.disclosure.min_cell} are withheld (study.disclosure), and each row would reveal them`,
        ]
      : [
          `responses.csv     one row per respondent: ${study.codebook.study.data.respondent_id === null ? '' : 'the respondent id, '}one column per question, option codes (empty = no answer);`,
          '                  no other column of the source file is published',
          ...(unpublishedTexts(study.codebook).length > 0
            ? [
                `                  (the open answers of ${unpublishedTexts(study.codebook).join(', ')} are left out: they may identify people)`,
              ]
            : []),
        ]),
    'codebook.yaml     questions, options and labels',
    'claims.yaml       every figure the source published, bound to a question and options',
    'results.json      counts, percentages and 95 % Wilson intervals per question and option',
    'verification.json every published claim: reported, recomputed, status',
    'figures.json      every figure each page prints, and the helper call that computed it',
    '',
  ].join('\n');
}
