import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BuildCache, buildCache } from './cache.js';
import { drawCharts } from './charts/draw.js';
import { InputError } from './errors.js';
import type { CsvDialect } from './load/responses.js';
import { layout, loadStudy, type Study } from './load/study.js';
import { formatter } from './locale/format.js';
import type { Strings } from './locale/strings.js';
import { packageRoot } from './paths.js';
import { manifest } from './publish/manifest.js';
import { type OutputFiles, publish } from './publish/publish.js';
import { siteAssets } from './publish/site-assets.js';
import { toHtmlPage } from './render/html.js';
import { indexPage } from './render/index-page.js';
import { parseMarkdown, sectionHolding } from './render/markdown.js';
import { PDF_FONT, typstDocument, workspacePath } from './render/pdf.js';
import { inThread, pdfThread } from './render/pdf-thread.js';
import { renderTemplate } from './render/template.js';
import { mdastToTypst } from './render/typst.js';
import { type Results, resultsOf } from './stats/frequencies.js';
import { type Verification, verify } from './verify/verify.js';

export type Format = 'html' | 'pdf';

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
}

const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

/** The whole pipeline: load → stats → verify → charts → render → publish. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = resolve(options.root);
  const outDir = resolve(root, options.outDir ?? 'out');
  const formats = options.formats ?? ['html', 'pdf'];
  let clock = performance.now();
  const stage = (name: string) => {
    const now = performance.now();
    options.onStage?.(name, now - clock);
    clock = now;
  };

  const cache = options.cache ?? buildCache();
  const study = await loadStudy(root, { designs: cache.designs });
  const langs = selectLanguages(study, options.langs);
  stage('load');
  const results = resultsOf(study.codebook, study.tally);
  stage('stats');
  const verification = verify(study.codebook, results, study.claims);
  stage('verify');

  const files: OutputFiles = new Map();
  const used = new Set<string>();
  // Each language's PDF is compiled on a second thread while this one renders the next
  // language's charts and then the HTML pages.
  const pdf = formats.includes('pdf') ? pdfThread() : inThread;
  const pdfs: Promise<void>[] = [];
  const pages: (() => Promise<void>)[] = [];
  try {
    for (const { code: lang, locale } of langs) {
      const format = formatter(locale);
      const strings = study.strings[lang] as Strings;
      const chartFiles = new Map<string, string>();
      const chartAlt = new Map<string, string>();
      const charts = await drawCharts(study.codebook, results, {
        lang,
        format,
        strings,
        font: PDF_FONT,
        cache,
        onKey: (key) => used.add(key),
      });
      for (const { questionId, spec, svg, description } of charts) {
        const path = chartPath(questionId);
        chartFiles.set(path, svg);
        chartAlt.set(path, description);
        files.set(`${lang}/${path}`, svg);
        files.set(
          `${lang}/${path.replace(/\.svg$/, '.vl.json')}`,
          `${JSON.stringify(spec, null, 2)}\n`,
        );
      }
      stage(`charts ${lang}`);

      const template = study.templates[lang];
      if (!template) throw new InputError(layout.template(lang), undefined, 'file not found');
      const markdown = renderTemplate(
        template,
        {
          lang,
          template: template.path,
          codebook: study.codebook,
          results,
          verification,
          format,
          strings,
          chartPath,
          timestamp: options.timestamp,
        },
        cache.templates,
      );
      const tree = await parseMarkdown(markdown, {
        figure: strings.figure,
        table: strings.table,
        source: template.path,
      });
      const { data } = study.codebook.study;
      // said in one sentence on every page and the PDF's title page, in full where the template puts the note
      const notice =
        data.status === 'reconstruction'
          ? {
              label: strings.reconstruction,
              text: strings.reconstructionNotice,
              more: sectionHolding(tree, data.note[lang] ?? ''),
            }
          : undefined;
      files.set(`${lang}/report.md`, markdown);
      const title = study.codebook.study.title[lang] ?? study.codebook.study.id;
      const pdfName = `${study.codebook.study.id}.${lang}.pdf`;
      if (formats.includes('pdf')) {
        const { front, body } = mdastToTypst(tree, {
          source: template.path,
          imagePath: (url) => (chartFiles.has(url) ? workspacePath(url) : undefined),
          imageAlt: (url) => chartAlt.get(url),
          imageWidth: (url) =>
            Number(/^<svg[^>]* width="([\d.]+)"/.exec(chartFiles.get(url) ?? '')?.[1]) || undefined,
        });
        const doc = {
          title,
          locale,
          strings,
          front,
          body,
          files: chartFiles,
          timestamp: options.timestamp,
          notice,
          authors: study.codebook.study.authors?.map((a) => `${a.given} ${a.family}`),
        };
        files.set(`${lang}/report.typ`, typstDocument(doc));
        const done = pdf.compile(doc).then((bytes) => {
          files.set(`${lang}/${pdfName}`, bytes);
        });
        done.catch(() => {}); // awaited below, after the other languages
        pdfs.push(done);
      }
      if (formats.includes('html')) {
        // pages after every PDF is handed over: the compiler thread works meanwhile
        pages.push(async () => {
          const others = study.codebook.study.languages.filter(
            (l) => l.code !== lang && langs.includes(l),
          );
          files.set(
            `${lang}/index.html`,
            await toHtmlPage(tree, {
              lang,
              title,
              strings,
              alternates: others.map((l) => ({
                lang: l.code,
                name: l.name,
                href: `../${l.code}/index.html`,
              })),
              pdfHref: formats.includes('pdf') ? pdfName : undefined,
              assets: '../assets',
              charts: chartFiles,
              notice,
              source: template.path,
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
    await Promise.all(pdfs);
    if (pdfs.length > 0) stage('pdf');
  } finally {
    await pdf.close();
  }

  if (formats.includes('html')) {
    for (const [path, content] of siteAssets()) files.set(path, content);
    files.set('index.html', indexPage(study, langs, study.strings, formats.includes('pdf')));
  }
  // the study's own data files, byte for byte as read
  for (const input of study.inputs)
    if (input.path.startsWith('data/')) files.set(input.path, input.bytes ?? input.text);
  // the JSON files travel alone too: each says whether its responses are the original ones
  const { status, note } = study.codebook.study.data;
  const data = { status, note };
  files.set('data/results.json', `${JSON.stringify({ data, ...results }, null, 2)}\n`);
  files.set('data/verification.json', `${JSON.stringify({ data, ...verification }, null, 2)}\n`);
  files.set('data/README.txt', dataReadme(study));
  files.set('manifest.json', manifest(study.inputs, files, pkg));
  if (!options.dryRun) await publish(outDir, files);
  stage('publish');
  return { outDir, dialect: study.dialect, files, results, verification };
}

const chartPath = (questionId: string) => `charts/${questionId}.svg`;

function selectLanguages(study: Study, wanted: string[] | undefined) {
  const all = study.codebook.study.languages;
  if (!wanted) return all;
  return wanted.map(
    (code) =>
      all.find((l) => l.code === code) ??
      (() => {
        throw new InputError(
          layout.codebook,
          undefined,
          `language "${code}" is not one of the study's`,
          `languages: ${all.map((l) => l.code).join(', ')}`,
        );
      })(),
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
    'responses.csv     one row per respondent, one column per question, option codes (empty = no answer)',
    'codebook.yaml     questions, options and labels',
    'claims.yaml       every figure the source published, bound to a question and options',
    'results.json      counts, percentages and 95 % Wilson intervals per question and option',
    'verification.json every published claim: reported, recomputed, status',
    '',
  ].join('\n');
}
