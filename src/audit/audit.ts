import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, resolve, sep } from 'node:path';
import type { Element, RootContent as HastNode, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Root as MdastRoot, RootContent, Table } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { toString as mdText } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { chartOrder } from '../charts/spec.js';
import { likertSpec, sortItems } from '../charts/types.js';
import { aggregate } from '../commands.js';
import { InputError, readError } from '../errors.js';
import { type Codebook, type Question, unpublishedTexts } from '../load/codebook.js';
import { lazyRows, type StudyRows } from '../load/rows.js';
import { loadDesign } from '../load/study.js';
import { isWhereProblem, parseWhere } from '../load/where.js';
import { formatter } from '../locale/format.js';
import { type Strings, stringsSchema } from '../locale/strings.js';
import {
  type PageFigures,
  resultsJson,
  SCHEMA_VERSION,
  verificationJson,
} from '../publish/data-files.js';
import { withoutCitationsAndLabels } from '../render/citations/syntax.js';
import { type GroupedRequest, groupedChartId, NO_ROWS } from '../render/group-helpers.js';
import { createHelpers } from '../render/helpers.js';
import { parseMarkdown } from '../render/markdown.js';
import type { PrintedFigure } from '../render/template.js';
import { cellPercent, crosstab, selectRows } from '../stats/crosstab.js';
import { tableWithheld } from '../stats/disclosure.js';
import type { Results } from '../stats/frequencies.js';
import type { QuestionResult } from '../stats/result.js';
import { optionShare } from '../stats/weighted.js';
import { type Verification, verify } from '../verify/verify.js';

/** One thing in a site that is not what its manifest and data say. */
export interface AuditProblem {
  /** The file, relative to the site's folder. */
  file: string;
  problem: string;
}

export interface Audit {
  schema_version: number;
  /** The site's folder as given. */
  site: string;
  generator: { name: string; version: string };
  checked: {
    /** Files re-hashed against manifest.json. */
    files: number;
    /** Whether results.json and verification.json were recomputed from the published responses. */
    recomputed: boolean;
    /** Figures recomputed and found on their page, over all pages. */
    figures: number;
    pages: number;
    charts: number;
  };
  problems: AuditProblem[];
  /** What could not be checked, and why. */
  notes: string[];
  ok: boolean;
}

interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MAX_PROBLEMS_PER_FILE = 5;

/**
 * Checks a published site as a reviewer would, with nothing but the site: every file against
 * manifest.json, results.json and verification.json recomputed from the published responses,
 * codebook and claims, and every figure each page prints recomputed from those and found on the
 * page. Throws an InputError when the folder is not a site this tool made.
 */
export async function auditSite(site: string): Promise<Audit> {
  const dir = resolve(site);
  const manifest = await readManifest(dir);
  const problems: AuditProblem[] = [];
  const notes: string[] = [];
  const problem = (file: string, text: string) => {
    if (problems.filter((p) => p.file === file).length < MAX_PROBLEMS_PER_FILE)
      problems.push({ file, problem: text });
  };

  // 1. every file, byte for byte
  const listed = new Map(manifest.outputs.map((o) => [o.path, o]));
  const good = new Set<string>();
  const present = new Set<string>();
  for (const entry of manifest.outputs) {
    const path = join(dir, entry.path);
    const stat = await lstat(path).catch(() => undefined);
    if (!stat) {
      problem(entry.path, 'missing (listed in manifest.json)');
      continue;
    }
    if (stat.isSymbolicLink()) {
      problem(entry.path, 'is a symbolic link, not the file the build wrote');
      continue;
    }
    if (!stat.isFile()) {
      problem(entry.path, 'is not a file');
      continue;
    }
    const bytes = await readFile(path);
    present.add(entry.path);
    const hash = sha256(bytes);
    if (hash !== entry.sha256)
      problem(
        entry.path,
        `changed: its SHA-256 is ${hash.slice(0, 12)}…, manifest.json says ${entry.sha256.slice(0, 12)}… (${bytes.length} bytes, manifest.json says ${entry.bytes})`,
      );
    else good.add(entry.path);
  }
  for (const path of await filesUnder(dir))
    if (path !== 'manifest.json' && !listed.has(path))
      problem(path, 'is not in manifest.json (added after the build)');

  const read = async (path: string) => readFile(join(dir, path), 'utf8');
  /** Listed in the manifest and there as a file (changed or not: its content is checked too). */
  const has = (path: string) => present.has(path);

  // 2. the data files, recomputed from the published responses
  let recomputed = false;
  let results: Results | undefined;
  const design = await loadDesign(dir).catch((error) => {
    throw asSiteError(error, dir);
  });
  const { claims } = design;
  const codebook = asPublished(design.codebook);
  let verification: Verification | undefined;
  let rows: (() => StudyRows) | undefined;
  if (good.has('data/responses.csv')) {
    // an open question not marked publish: true has no column: its counts are results.json's
    const withheld = unpublishedTexts(codebook);
    const readable = {
      ...codebook,
      questions: codebook.questions.filter((q) => !withheld.includes(q.id)),
    };
    const aggregated = await aggregate(dir, readable, claims).catch((error) => {
      throw asSiteError(error, dir);
    });
    results = aggregated.results;
    rows = aggregated.rows;
    if (withheld.length > 0) {
      const published = has('data/results.json')
        ? (parseJson(await read('data/results.json').catch(() => '{}')) as Results | undefined)
        : undefined;
      const recount = results.questions;
      results = {
        ...results,
        questions: codebook.questions.flatMap((q) => {
          const r =
            recount.find((x) => x.id === q.id) ?? published?.questions?.find((x) => x?.id === q.id);
          return r ? [r] : [];
        }),
      };
      notes.push(
        `the answers of ${withheld.join(', ')} are not published (open questions): their counts are taken from data/results.json`,
      );
    }
    verification = verify(codebook, results, claims, rows);
    recomputed = true;
    const { status, note } = codebook.study.data;
    const dataStatus = { status, note };
    for (const [path, expected] of [
      ['data/results.json', resultsJson(results, dataStatus)],
      ['data/verification.json', verificationJson(verification, dataStatus)],
    ] as const) {
      if (!listed.has(path)) problem(path, 'missing from manifest.json');
      if (!has(path)) continue;
      const actual = await read(path).catch(() => undefined);
      if (actual === undefined || actual === expected) continue;
      for (const difference of differences(parseJson(actual), JSON.parse(expected)))
        problem(path, difference);
    }
  } else if (listed.has('data/responses.csv')) {
    notes.push('data/responses.csv does not match manifest.json: nothing recomputed from it');
  } else {
    notes.push(
      'the site publishes no data/responses.csv: figures are checked against data/results.json',
    );
  }
  if (!results) {
    // the published aggregates stand in for the responses: pages are checked against them
    const published = has('data/results.json')
      ? (parseJson(await read('data/results.json').catch(() => '{}')) as Results)
      : undefined;
    const checked = has('data/verification.json')
      ? (parseJson(await read('data/verification.json').catch(() => '{}')) as Verification)
      : undefined;
    if (published?.questions && checked?.claims) {
      results = published;
      verification = checked;
    }
  }

  // 3. every figure of every page, recomputed and found where the page prints it
  let figures = 0;
  let pages = 0;
  const grouped = new Map<string, GroupedRequest>();
  let charts = 0;
  if (!has('data/figures.json')) {
    problem('data/figures.json', "missing: the pages' figures cannot be checked");
  } else if (results && verification) {
    const index = parseJson(await read('data/figures.json')) as {
      pages?: (PageFigures & { strings?: Strings })[];
    };
    // the answers row by row (subgroups, crosstabs, grouped charts): none on a site that does
    // not publish them (study.disclosure)
    const rowsAt =
      rows ??
      (listed.has('data/responses.csv')
        ? lazyRows(dir, 'data/responses.csv', codebook)
        : undefined);
    const unchecked = { figures: 0, charts: 0 };
    for (const page of index.pages ?? []) {
      const checked = await auditPage(page, {
        dir,
        has,
        read,
        problem,
        codebook,
        results,
        verification,
        rows: rowsAt,
        grouped,
        unchecked,
      });
      figures += checked;
      pages++;
    }
    const languages = new Map<string, { locale: string; strings: Strings }>();
    for (const page of index.pages ?? []) {
      const strings = stringsSchema.safeParse(page.strings);
      if (strings.success) languages.set(page.lang, { locale: page.locale, strings: strings.data });
    }
    charts = await auditCharts(manifest.outputs, {
      read,
      problem,
      results,
      codebook,
      grouped,
      rows: rowsAt,
      languages,
      notes,
      unchecked,
    });
    figures -= unchecked.figures;
    if (unchecked.figures + unchecked.charts > 0)
      notes.push(
        `${unchecked.figures} figures and ${unchecked.charts} charts of subgroups and cross-tabulations are checked as printed (found on their pages), not recomputed: the site publishes no row-level responses`,
      );
  }

  return {
    schema_version: SCHEMA_VERSION,
    site,
    generator: manifest.generator,
    checked: { files: manifest.outputs.length, recomputed, figures, pages, charts },
    problems,
    notes,
    ok: problems.length === 0,
  };
}

async function readManifest(
  dir: string,
): Promise<{ generator: { name: string; version: string }; outputs: ManifestEntry[] }> {
  const notOurs = (why: string) =>
    new InputError(
      join(dir, 'manifest.json'),
      undefined,
      `not a site made by survey-report: ${why}`,
      'give the folder a build wrote (out/ or a copy of it)',
    );
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const exists = await lstat(dir).catch(() => undefined);
      if (!exists) throw readError(error, dir);
      throw notOurs('it has no manifest.json');
    }
    throw readError(error, join(dir, 'manifest.json'));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notOurs('manifest.json is not JSON');
  }
  const m = value as {
    schema_version?: unknown;
    generator?: { name?: unknown; version?: unknown };
    outputs?: unknown;
  };
  if (m?.generator?.name !== 'survey-report') throw notOurs('manifest.json names another tool');
  if (typeof m.schema_version === 'number' && m.schema_version > SCHEMA_VERSION)
    throw new InputError(
      join(dir, 'manifest.json'),
      undefined,
      `made by a newer survey-report (${String(m.generator.version)}, schema_version ${m.schema_version}; this one reads ${SCHEMA_VERSION})`,
      'audit it with that version or newer',
    );
  if (!Array.isArray(m.outputs)) throw notOurs('manifest.json lists no outputs');
  for (const o of m.outputs as ManifestEntry[]) {
    const ok =
      typeof o?.path === 'string' &&
      typeof o.sha256 === 'string' &&
      typeof o.bytes === 'number' &&
      !o.path.startsWith('/') &&
      !o.path.includes('\\') &&
      !o.path.split('/').some((part) => part === '..' || part === '.' || part === '');
    if (!ok)
      throw notOurs(
        `manifest.json lists an output it could not have written: ${JSON.stringify(o)}`,
      );
  }
  return {
    generator: { name: 'survey-report', version: String(m.generator.version) },
    outputs: m.outputs as ManifestEntry[],
  };
}

/**
 * The codebook as it describes the published responses: the build writes data/responses.csv
 * in UTF-8 with commas, whatever the delimiter and encoding of the export it was made from
 * (the codebook's `data.csv`, published as written, describes that export).
 */
export function asPublished(codebook: Codebook): Codebook {
  const data = { ...codebook.study.data, csv: { delimiter: ',' as const, encoding: 'utf-8' } };
  return { ...codebook, study: { ...codebook.study, data } };
}

/** A published codebook, claims or responses file the tool cannot read: the site is not one it made. */
function asSiteError(error: unknown, dir: string): unknown {
  if (!(error instanceof InputError)) return error;
  const file = error.file.startsWith(dir) ? error.file : join(dir, error.file);
  return new InputError(file, error.line, error.problem, error.hint);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where two JSON values differ, as sentences naming the path ("questions[knowledge].n is 41, …"). */
export function differences(actual: unknown, expected: unknown, path = '', out: string[] = []) {
  if (out.length >= MAX_PROBLEMS_PER_FILE) return out;
  const show = (v: unknown) => (v === undefined ? 'absent' : JSON.stringify(v));
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-12 * Math.max(1, Math.abs(expected)))
      out.push(
        `${path || 'the file'} is ${show(actual)}, the published responses give ${show(expected)}`,
      );
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) {
      out.push(
        `${path || 'the file'} has ${actual.length} entries, the published responses give ${expected.length}`,
      );
      return out;
    }
    expected.forEach((e, i) => {
      const key = (e as { id?: unknown; code?: unknown })?.id ?? (e as { code?: unknown })?.code;
      differences(actual[i], e, `${path}[${typeof key === 'string' ? key : i}]`, out);
    });
    return out;
  }
  if (
    expected &&
    actual &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys)
      differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
        out,
      );
    return out;
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    out.push(
      `${path || 'the file'} is ${show(actual)}, the published responses give ${show(expected)}`,
    );
  return out;
}

interface PageContext {
  dir: string;
  has: (path: string) => boolean;
  read: (path: string) => Promise<string>;
  problem: (file: string, text: string) => void;
  codebook: Awaited<ReturnType<typeof loadDesign>>['codebook'];
  results: Results;
  verification: Verification;
  /** The published answers row by row (none when the site does not publish them). */
  rows: (() => StudyRows) | undefined;
  /** Figures and charts that need the rows, where there are none: taken as printed. */
  unchecked: { figures: number; charts: number };
  /** The grouped charts the pages show, by file name. */
  grouped: Map<string, GroupedRequest>;
}

const describe = (f: PrintedFigure) =>
  `{{${[f.helper, ...f.args.map((a) => JSON.stringify(a)), ...Object.entries(f.hash).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(' ')}}}${f.line ? ` (template line ${f.line})` : ''}`;

const isBlock = (text: string) => text.startsWith(':::');

/** Recomputes a page's figures, then finds them in its Markdown and on its HTML page, in order. */
async function auditPage(
  page: PageFigures & { strings?: Strings },
  ctx: PageContext,
): Promise<number> {
  const index = 'data/figures.json';
  const strings = stringsSchema.safeParse(page.strings);
  if (!strings.success) {
    ctx.problem(index, `${page.page}: no interface strings`);
    return 0;
  }
  const helpers = createHelpers({
    lang: page.lang,
    template: page.page,
    codebook: ctx.codebook,
    results: ctx.results,
    verification: ctx.verification,
    format: formatter(page.locale),
    strings: strings.data,
    chartPath: (q) => `charts/${q}.svg`,
    ...(ctx.rows ? { rows: ctx.rows } : {}),
    // a grouped chart's figure: its data are checked with the charts
    groupedPath: (request) => {
      const id = groupedChartId(request);
      ctx.grouped.set(id, request);
      return `charts/${id}.svg`;
    },
  });
  // 1. each figure as the published data give it
  for (const figure of page.figures) {
    const helper = helpers[figure.helper];
    if (!helper) {
      ctx.problem(page.page, `${describe(figure)}: no such helper`);
      continue;
    }
    let expected: string;
    try {
      expected = helper(...figure.args, {
        hash: figure.hash,
        name: figure.helper,
        loc: figure.line ? { start: { line: figure.line } } : undefined,
      });
    } catch (error) {
      // a subgroup's figure on a site without its responses: found on the page as printed
      if (!ctx.rows && (error as Error).message.includes(NO_ROWS)) {
        ctx.unchecked.figures++;
        continue;
      }
      ctx.problem(page.page, `${describe(figure)}: ${(error as Error).message}`);
      continue;
    }
    if (expected !== figure.text)
      ctx.problem(
        page.page,
        `${describe(figure)} printed ${JSON.stringify(short(figure.text))}, the published data give ${JSON.stringify(short(expected))}`,
      );
  }
  // 2. the Markdown holds every helper's output verbatim, in order, and no other number
  if (ctx.has(page.markdown)) {
    const markdown = await ctx.read(page.markdown);
    inOrder(
      withoutCitationsAndLabels(markdown),
      page.figures,
      (f) => f.text,
      page.markdown,
      ctx.problem,
    );
  }
  // 3. the HTML page: the same in its text, tables cell by cell
  if (ctx.has(page.page)) {
    const tree = fromHtml(await ctx.read(page.page));
    const parts = findAll(
      tree,
      (e) => e.tagName === 'main' || (e.tagName === 'header' && hasClass(e, 'title-block')),
    );
    const text = squash(parts.map((part) => textOf(part, notProse)).join(' '));
    // a block's tables and charts are checked on their own below; its prose (a note) is text
    const printed = new Map<PrintedFigure, string>();
    for (const f of page.figures) {
      const md = await parseMarkdown(f.text);
      const prose = md.children.filter((c) => c.type !== 'containerDirective');
      printed.set(f, squash(prose.map((c) => proseText(c)).join(' ')));
    }
    const inText = page.figures.filter((f) => printed.get(f) !== '');
    inOrder(text, inText, (f) => printed.get(f) ?? f.text, page.page, ctx.problem);
    for (const figure of page.figures)
      if (isBlock(figure.text)) await auditBlock(figure, tree, page.page, ctx);
  }
  return page.figures.length;
}

/** A table written by a helper: the page's table with the same id holds the same cells. */
async function auditBlock(figure: PrintedFigure, tree: HastRoot, file: string, ctx: PageContext) {
  const md = (await parseMarkdown(figure.text)) as MdastRoot;
  const blocks: ContainerDirective[] = [];
  visit(md, 'containerDirective', (node: ContainerDirective) => {
    blocks.push(node);
  });
  for (const block of blocks) {
    const id = block.attributes?.id;
    if (!id) continue;
    const element = findAll(tree, (e) => e.properties.id === id)[0];
    if (!element) {
      ctx.problem(file, `${describe(figure)}: no element #${id} on the page`);
      continue;
    }
    const table = block.children.find((c: RootContent): c is Table => c.type === 'table');
    if (!table) continue;
    const want = table.children.map((row) => row.children.map((cell) => squash(mdText(cell))));
    const rows = findAll(element, (e) => e.tagName === 'tr').map((tr) =>
      tr.children
        .filter(
          (c): c is Element => c.type === 'element' && (c.tagName === 'td' || c.tagName === 'th'),
        )
        .map((c) => squash(textOf(c))),
    );
    for (let r = 0; r < Math.max(want.length, rows.length); r++) {
      const w = want[r] ?? [];
      const g = rows[r] ?? [];
      const c = w.findIndex((cell, i) => cell !== g[i]);
      if (c !== -1 || w.length !== g.length) {
        const col = c === -1 ? Math.min(w.length, g.length) : c;
        ctx.problem(
          file,
          `table #${id}, row ${r + 1}, column ${col + 1}: the page prints ${JSON.stringify(g[col] ?? '')}, the published data give ${JSON.stringify(w[col] ?? '')}`,
        );
        break;
      }
    }
  }
}

/** Each chart's Vega-Lite data against the recomputed results, and its drawing's labels against its data. */
async function auditCharts(outputs: ManifestEntry[], ctx: ChartContext): Promise<number> {
  let count = 0;
  const unknown: string[] = [];
  for (const { path } of outputs) {
    const match = /^([^/]+)\/charts\/([^/]+)\.vl\.json$/.exec(path);
    if (!match) continue;
    const [, lang, qid] = match;
    // a battery of ordinal items ({{likert}}), or one ordinal question's chart: diverging bars
    const battery = qid?.startsWith('likert-')
      ? batteryOf(qid, ctx.codebook)
      : ctx.codebook.questions.find((x) => x.id === qid && x.type === 'ordinal')
        ? { questions: [qid as string], sort: 'questionnaire' as const }
        : undefined;
    if (qid?.startsWith('likert-') && !battery) {
      unknown.push(path);
      continue;
    }
    if (battery) {
      count += await auditLikert(path, lang as string, battery, ctx);
      continue;
    }
    // a grouped chart: asked for by a page's figure, or named q-by-g (a figure with no digit is not listed)
    const parts = /^(.+)-by-(.+?)(-[0-9a-f]{8})?$/.exec(qid as string);
    const named =
      parts &&
      ctx.codebook.questions.some((x) => x.id === parts[1]) &&
      ctx.codebook.questions.some((x) => x.id === parts[2])
        ? { question: parts[1] as string, by: parts[2] as string }
        : undefined;
    // a subgroup's (named with a digest of its where=) is known only from the figure that asked
    // for it, which is not recomputed on a site without its responses
    if (named && parts?.[3] && !ctx.grouped.has(qid as string) && !ctx.rows) {
      ctx.unchecked.charts++;
      continue;
    }
    const request = ctx.grouped.get(qid as string) ?? (parts?.[3] ? undefined : named);
    if (request) {
      count += await auditGrouped(path, request, ctx);
      continue;
    }
    const question = ctx.results.questions.find((q) => q.id === qid);
    const spec = parseJson(await ctx.read(path).catch(() => ''));
    if (!question || !spec) {
      ctx.problem(path, question ? 'not JSON' : `no question "${qid}" in the codebook`);
      continue;
    }
    count++;
    const values: Record<string, unknown>[] = [];
    collectValues(spec, values);
    const svgPath = posix.join(lang as string, 'charts', `${qid}.svg`);
    const svgTexts = new Set(
      findAll(
        fromHtml(await ctx.read(svgPath).catch(() => ''), { space: 'svg' }),
        (e) => e.tagName === 'text',
      ).map((e) => squash(textOf(e))),
    );
    // the bars are in the chart's order (a multiple question's by share), not the codebook's
    const q = ctx.codebook.questions.find((x) => x.id === qid);
    const order = q ? chartOrder(q, question) : question.options.map((_, i) => i);
    for (const value of values) {
      const option = question.options[order[Number(value.order)] ?? -1];
      if (!option) continue;
      // the share on the question's base, weighted in a weighted study
      const share = optionShare(
        question,
        question.options.indexOf(option),
        question.base === 'all',
      );
      const want = { proportion: share.proportion, lower: share.ci[0], upper: share.ci[1] };
      const mismatch = (['proportion', 'lower', 'upper'] as const).find((key) => {
        const got = value[key];
        return typeof got === 'number' && Math.abs(got - want[key]) > 1e-12;
      });
      if (mismatch) {
        ctx.problem(
          path,
          `option "${option.code}": ${mismatch} is ${String(value[mismatch])}, the published data give ${want[mismatch]}`,
        );
        continue;
      }
      if (typeof value.text === 'string' && svgTexts.size > 0 && !svgTexts.has(squash(value.text)))
        ctx.problem(
          svgPath,
          `option "${option.code}": the label ${JSON.stringify(value.text)} of its data is not drawn`,
        );
    }
  }
  if (unknown.length > 0)
    ctx.notes.push(`not checked (no battery of the codebook has this name): ${unknown.join(', ')}`);
  return count;
}

interface ChartContext
  extends Pick<
    PageContext,
    'read' | 'problem' | 'results' | 'codebook' | 'grouped' | 'rows' | 'unchecked'
  > {
  /** Each page language's locale and interface strings (from data/figures.json). */
  languages: Map<string, { locale: string; strings: Strings }>;
  notes: string[];
}

const SORTS = ['agree', 'disagree'] as const;

/**
 * The battery a chart named `likert-…` draws: its items' ids joined by "-" and its sort (see
 * likertPath), or, for a name too long and so hashed, the battery of a section whose hash it is.
 */
export function batteryOf(
  id: string,
  codebook: Codebook,
): { questions: string[]; sort: 'agree' | 'disagree' | 'questionnaire' } | undefined {
  const ordinal = codebook.questions.filter((q) => q.type === 'ordinal').map((q) => q.id);
  const rest = id.slice('likert-'.length);
  // the ids joined by "-" (an id may hold a "-" itself: every way of reading it is tried)
  const split = (text: string): string[] | undefined => {
    if (text === '') return [];
    for (const q of ordinal)
      if (text === q || text.startsWith(`${q}-`)) {
        const tail = split(text.slice(q.length + 1));
        if (tail) return [q, ...tail];
      }
    return undefined;
  };
  for (const sort of SORTS)
    if (rest.endsWith(`-${sort}`)) {
      const questions = split(rest.slice(0, -sort.length - 1));
      if (questions && questions.length > 0) return { questions, sort };
    }
  const questions = split(rest);
  if (questions && questions.length > 0) return { questions, sort: 'questionnaire' };
  // a hashed name: a section's ordinal items (what {{likert section=…}} draws), in any sort
  for (const section of codebook.sections) {
    const items = codebook.questions
      .filter((q) => q.section === section.id && q.type === 'ordinal')
      .map((q) => q.id);
    for (const sort of [...SORTS, 'questionnaire' as const]) {
      const name = `likert-${items.join('-')}${sort === 'questionnaire' ? '' : `-${sort}`}`;
      if (`likert-${createHash('sha256').update(name).digest('hex').slice(0, 12)}` === id)
        return { questions: items, sort };
    }
  }
  return undefined;
}

/** A diverging chart's segments against those the published results give, and its labels in its drawing. */
async function auditLikert(
  path: string,
  lang: string,
  battery: { questions: string[]; sort: 'agree' | 'disagree' | 'questionnaire' },
  ctx: ChartContext,
): Promise<number> {
  const spec = parseJson(await ctx.read(path).catch(() => ''));
  if (!spec) {
    ctx.problem(path, 'not JSON');
    return 0;
  }
  const language = ctx.languages.get(lang);
  if (!language) {
    ctx.problem(path, `no page in "${lang}" in data/figures.json to read its chart by`);
    return 0;
  }
  const items = battery.questions.map((id) => ({
    q: ctx.codebook.questions.find((x) => x.id === id) as Question,
    r: ctx.results.questions.find((x) => x.id === id) as QuestionResult,
  }));
  if (items.some((x) => !x.r)) {
    ctx.problem(path, 'a question of the chart has no results in data/results.json');
    return 0;
  }
  const want = likertSpec(
    sortItems(items, battery.sort),
    '',
    lang,
    formatter(language.locale),
    language.strings,
    '',
  ) as { data?: { values?: unknown[] } };
  const values: Record<string, unknown>[] = [];
  collectValues(spec, values);
  for (const difference of differences(values, want.data?.values ?? []))
    ctx.problem(
      path,
      `data.values${difference.replace('the published responses give', 'the published data give')}`,
    );
  const svgPath = path.replace(/\.vl\.json$/, '.svg');
  const svgTexts = new Set(
    findAll(
      fromHtml(await ctx.read(svgPath).catch(() => ''), { space: 'svg' }),
      (e) => e.tagName === 'text',
    ).map((e) => squash(textOf(e))),
  );
  for (const value of values)
    if (typeof value.text === 'string' && value.text !== '' && !svgTexts.has(squash(value.text))) {
      ctx.problem(svgPath, `the label ${JSON.stringify(value.text)} of its data is not drawn`);
      break;
    }
  return 1;
}

/** A grouped chart's bars against the crosstab of the published answers. */
async function auditGrouped(
  path: string,
  request: GroupedRequest,
  ctx: Pick<PageContext, 'read' | 'problem' | 'codebook' | 'rows' | 'unchecked'>,
): Promise<number> {
  if (!ctx.rows) {
    ctx.unchecked.charts++;
    return 0;
  }
  const spec = parseJson(await ctx.read(path).catch(() => ''));
  const q = ctx.codebook.questions.find((x) => x.id === request.question);
  const g = ctx.codebook.questions.find((x) => x.id === request.by);
  if (!spec || !q || !g) {
    ctx.problem(path, spec ? `no question "${request.question}" or "${request.by}"` : 'not JSON');
    return 0;
  }
  const rows = ctx.rows();
  const where = request.where === undefined ? undefined : parseWhere(ctx.codebook, request.where);
  const keep = where && !isWhereProblem(where) ? selectRows(rows, where) : undefined;
  const t = crosstab(q, g, rows, keep);
  const values: Record<string, unknown>[] = [];
  collectValues(spec, values);
  const min = ctx.codebook.study.disclosure?.min_cell;
  const withheld = min ? tableWithheld(t, min) : undefined;
  for (const value of values) {
    const [i, j] = [Number(value.order), Number(value.groupOrder)];
    if (Boolean(withheld?.cells[i]?.[j]) !== (value.withheld === true)) {
      ctx.problem(
        path,
        `option "${q.options[i]?.code}", group "${g.options[j]?.code}": ${value.withheld ? 'withheld, though the published data show it' : 'shown, though study.disclosure withholds it'}`,
      );
      break;
    }
    if (value.withheld) continue;
    const want = cellPercent(t, i, j, 'column') / 100;
    const got = value.proportion;
    if (typeof got !== 'number' || Math.abs(got - (Number.isFinite(want) ? want : 0)) > 1e-12) {
      ctx.problem(
        path,
        `option "${q.options[i]?.code}", group "${g.options[j]?.code}": proportion is ${String(got)}, the published data give ${want}`,
      );
      break;
    }
  }
  return 1;
}

function collectValues(node: unknown, out: Record<string, unknown>[]) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectValues(n, out);
    return;
  }
  const values = (node as { values?: unknown }).values;
  if (Array.isArray(values) && values.every((v) => v && typeof v === 'object' && 'order' in v))
    out.push(...(values as Record<string, unknown>[]));
  for (const child of Object.values(node)) collectValues(child, out);
}

function findAll(node: HastRoot | Element | undefined, test: (e: Element) => boolean): Element[] {
  const out: Element[] = [];
  if (!node) return out;
  visit(node, 'element', (e: Element) => {
    if (test(e)) out.push(e);
  });
  return out;
}

const hasClass = (e: Element, name: string) =>
  Array.isArray(e.properties.className) && e.properties.className.includes(name);

/**
 * What a page adds around its Markdown's prose: navigation, figures and tables, the data note,
 * and cross-references to a table or figure ("Tabla 11"), numbered as the page is made.
 */
const notProse = (e: Element) =>
  ['nav', 'script', 'style', 'figure', 'svg', 'figcaption'].includes(e.tagName) ||
  hasClass(e, 'data-note') ||
  (e.tagName === 'a' && /^#(tbl|fig)-/.test(String(e.properties.href ?? ''))) ||
  // citations and the works cited print years and pages, no figures of the data
  hasClass(e, 'citation') ||
  hasClass(e, 'csl-entry') ||
  e.properties.dataFootnoteRef !== undefined;

const NUMBER = /\d+(?:[.,]\d+)*(?:\s?%)?/;

/** `needle` in `text` from `from`, standing as a whole number (not the "5%" of "75%"). */
function findNumber(text: string, needle: string, from: number): number {
  for (let at = text.indexOf(needle, from); at !== -1; at = text.indexOf(needle, at + 1)) {
    const before = text.slice(Math.max(0, at - 2), at);
    const after = text[at + needle.length] ?? '';
    if (/\d$|\d[.,]$/.test(before) || (/^\d/.test(needle) && /\d/.test(after))) continue;
    if (/\d$/.test(needle) && /\d/.test(after)) continue;
    return at;
  }
  return -1;
}

/**
 * Finds the figures in a text in their order. A template holds no digit of its own, so a
 * number between two figures, or a figure not found, is a figure that was changed.
 */
function inOrder(
  text: string,
  figures: readonly PrintedFigure[],
  printedAs: (f: PrintedFigure) => string,
  file: string,
  problem: (file: string, text: string) => void,
) {
  let at = 0;
  for (const figure of figures) {
    const printed = printedAs(figure);
    const found = findNumber(text, printed, at);
    const gap = text.slice(at, found === -1 ? text.length : found);
    const stray = /\d/.test(printed) ? NUMBER.exec(gap) : null;
    if (found === -1 || stray) {
      const where = stray
        ? `prints ${JSON.stringify(stray[0])} (…${short(gap.slice(Math.max(0, stray.index - 40), stray.index + stray[0].length + 20).trim())}…)`
        : 'does not print it';
      problem(
        file,
        `${describe(figure)} gives ${JSON.stringify(short(printed))}, the page ${where}`,
      );
      return;
    }
    at = found + printed.length;
  }
}

/** Elements whose text stands apart from the next one's (two paragraphs, two list items). */
const BLOCKS = new Set([
  'p',
  'li',
  'ul',
  'ol',
  'dd',
  'dt',
  'div',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'td',
  'th',
  'tr',
  'section',
]);

/**
 * The text of an element, leaving out elements `skip` says; a space between blocks (`</p><p>`
 * runs two paragraphs' sentences together otherwise).
 */
function textOf(node: Element | HastRoot | undefined, skip?: (e: Element) => boolean): string {
  if (!node) return '';
  return node.children
    .map((c: HastNode | Element['children'][number]) => {
      if (c.type === 'text') return c.value;
      if (c.type !== 'element') return '';
      if (skip?.(c)) return ' ';
      return BLOCKS.has(c.tagName) ? ` ${textOf(c, skip)} ` : textOf(c, skip);
    })
    .join('');
}

/** A Markdown node's text as the page shows it: its blocks (paragraphs, list items) apart. */
function proseText(node: RootContent): string {
  if (!('children' in node)) return mdText(node);
  const parts = (node.children as RootContent[]).map((c) => proseText(c));
  const ofBlocks = ['list', 'listItem', 'blockquote', 'containerDirective', 'table', 'tableRow'];
  return parts.join(ofBlocks.includes(node.type) ? ' ' : '');
}

const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const short = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
