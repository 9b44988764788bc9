import type { HelperOptions } from 'handlebars';
import type { List, PhrasingContent, RootContent, Table, TableRow } from 'mdast';
import { InputError } from '../errors.js';
import { decimalsOf } from '../load/claims.js';
import type { Codebook, Option, Question } from '../load/codebook.js';
import { apaAuthors, apaReference, type CitePart } from '../locale/cite.js';
import type { Formatter } from '../locale/format.js';
import { fill, type Strings } from '../locale/strings.js';
import { countOf, type QuestionResult, type Results } from '../stats/frequencies.js';
import type { ClaimResult, Verification } from '../verify/verify.js';
import { inlineText, markdownOf, text } from './markdown-text.js';

/** Everything one language's template can reach, through helpers only. */
export interface TemplateContext {
  lang: string;
  template: string;
  codebook: Codebook;
  results: Results;
  verification: Verification;
  format: Formatter;
  strings: Strings;
  /** Path of a question's chart image, relative to the page. */
  chartPath: (questionId: string) => string;
  /** Seconds since the epoch (SOURCE_DATE_EPOCH): the report's date when the codebook gives none. */
  timestamp?: number;
  /** Path from the page to the site's root folder (data/, manifest.json). */
  siteRoot?: string;
}

/** An interval kept on one line in every output (the `nowrap` text directive). */
export function nowrap(value: string): PhrasingContent {
  return { type: 'textDirective', name: 'nowrap', children: [text(value)] } as PhrasingContent;
}

const inline = (nodes: PhrasingContent[]) => markdownOf([{ type: 'paragraph', children: nodes }]);

const citeNodes = (parts: CitePart[]): PhrasingContent[] =>
  parts.map((p) => (p.italic ? { type: 'emphasis', children: [text(p.text)] } : text(p.text)));

/** The report's date: the codebook's, else SOURCE_DATE_EPOCH's day, never the clock. */
export function reportDate(codebook: Codebook, timestamp?: number): string | undefined {
  if (codebook.study.date) return codebook.study.date;
  if (timestamp === undefined) return undefined;
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** A handle as a resolvable link where it is one (prefix/suffix with a numeric prefix), else text. */
export function handleUrl(codebook: Codebook): string | undefined {
  const { url, handle } = codebook.study;
  if (url) return url;
  return /^\d+(\.\d+)*\/\S+$/.test(handle) ? `https://hdl.handle.net/${handle}` : undefined;
}

type Helper = (...args: unknown[]) => string;

/** The helper set: every figure in a report comes from here, formatted for the page's locale. */
export function createHelpers(ctx: TemplateContext): Record<string, Helper> {
  const { codebook, format, strings, lang } = ctx;
  const fail = (options: HelperOptions, problem: string, hint?: string): never => {
    const loc = (options as HelperOptions & { loc?: { start: { line: number } } }).loc;
    const name = (options as HelperOptions & { name?: string }).name ?? 'helper';
    throw new InputError(ctx.template, loc?.start.line, `{{${name}}}: ${problem}`, hint);
  };
  /** Splits helper arguments into strings and the Handlebars options object, checking arity. */
  const args = (raw: unknown[], min: number, max = min): [string[], HelperOptions] => {
    const options = raw[raw.length - 1] as HelperOptions;
    const given = raw.slice(0, -1);
    if (given.length < min || given.length > max) {
      fail(
        options,
        `takes ${min === max ? min : `${min} to ${max === Infinity ? 'more' : max}`} argument(s), got ${given.length}`,
      );
    }
    return [given.map(String), options];
  };
  const question = (id: string | undefined, options: HelperOptions): Question =>
    codebook.questions.find((q) => q.id === id) ??
    fail(
      options,
      `unknown question "${id}"`,
      `questions: ${codebook.questions.map((q) => q.id).join(', ')}`,
    );
  const result = (q: Question): QuestionResult =>
    ctx.results.questions.find((r) => r.id === q.id) as QuestionResult;
  const option = (q: Question, code: string, options: HelperOptions): Option =>
    q.options.find((o) => o.code === code) ??
    fail(
      options,
      `unknown option "${code}" of question "${q.id}"`,
      `its options: ${q.options.map((o) => o.code).join(', ')}`,
    );
  const shareOf = (raw: unknown[]) => {
    const [[qid, ...codes], options] = args(raw, 2, Infinity);
    const q = question(qid, options);
    for (const code of codes) option(q, code, options);
    const r = result(q);
    const count = countOf(r, codes);
    return { q, r, codes, count, options };
  };
  const digits = (options: HelperOptions): number => {
    const d = options.hash?.digits;
    if (d === undefined) return 1;
    if (!Number.isInteger(d) || d < 0 || d > 4)
      fail(options, 'digits= takes a whole number from 0 to 4');
    return d as number;
  };
  const claim = (id: string | undefined, options: HelperOptions): ClaimResult =>
    ctx.verification.claims.find((c) => c.id === id) ??
    fail(
      options,
      `unknown claim "${id}"`,
      `claims: ${ctx.verification.claims.map((c) => c.id).join(', ')}`,
    );
  const localText = (value: Record<string, string> | undefined) => inlineText(value?.[lang] ?? '');

  const noArgs =
    (value: () => string): Helper =>
    (...raw) => {
      args(raw, 0);
      return value();
    };
  const study = codebook.study;
  return {
    title: noArgs(() => localText(study.title)),
    subtitle: noArgs(() => localText(study.subtitle)),
    institution: noArgs(() => inlineText(study.institution)),
    repository: noArgs(() => inlineText(study.repository)),
    handle: noArgs(() => {
      const url = handleUrl(codebook);
      return url
        ? inline([{ type: 'link', url, children: [text(study.handle)] }])
        : inlineText(study.handle);
    }),
    authors: noArgs(() =>
      inlineText(
        study.authors?.length ? apaAuthors(study.authors, strings) : strings.authorsUnknown,
      ),
    ),
    'report-date': noArgs(() => {
      const date = reportDate(codebook, ctx.timestamp);
      return inlineText(date ? format.date(date) : strings.undated);
    }),
    version: noArgs(() => inlineText(study.version ?? strings.undated)),
    /** How to cite: the report (no argument) or the study it reproduces ("source"). */
    citation: (...raw) => {
      const [[which], options] = args(raw, 0, 1);
      if (which !== undefined && which !== 'source')
        fail(options, `unknown work "${which}"`, 'write {{citation}} or {{citation "source"}}');
      const title = study.title[lang] ?? study.id;
      const date = reportDate(codebook, ctx.timestamp);
      const url = handleUrl(codebook);
      const parts =
        which === 'source'
          ? apaReference(
              {
                authors: study.authors ?? [],
                year: String(study.year),
                // APA 7: the title as published, and a translation where the page's language differs
                title: study.source_title ?? title,
                translation:
                  study.source_title && lang !== study.languages[0]?.code ? title : undefined,
                description: `${strings.thesis}, ${study.institution}`,
                source: study.repository,
                locator: url ?? study.handle,
              },
              strings,
            )
          : apaReference(
              {
                authors: study.authors ?? [],
                year: date?.slice(0, 4),
                title,
                version: study.version ? `${strings.version} ${study.version}` : undefined,
                description: strings.reproducibleReport,
              },
              strings,
            );
      return inline(citeNodes(parts));
    },
    /** Links to every data file of the site, and to each chart's Vega-Lite spec. */
    'data-files': noArgs(() => dataFiles(ctx)),
    /** A numbered, linked cross-reference: {{ref "table" "q"}} → "Tabla 3". */
    ref: (...raw) => {
      const [[kind, target], options] = args(raw, 2);
      if (kind !== 'table' && kind !== 'figure')
        fail(
          options,
          `unknown kind "${kind}"`,
          'write {{ref "table" "question"}} or {{ref "figure" "question"}}',
        );
      const id =
        kind === 'table' && target === 'verification'
          ? 'tbl-verification'
          : `${kind === 'table' ? 'tbl' : 'fig'}-${question(target, options).id}`;
      // the number is given once every figure is known (see remarkNumbering)
      return inline([{ type: 'link', url: `#${id}`, children: [] }]);
    },
    year: noArgs(() => inlineText(String(study.year))),
    population: noArgs(() => localText(study.population)),
    'data-note': noArgs(() => localText(study.data.note)),
    /** A literal that contains digits on purpose (a year, a law's number). */
    lit: (...raw) => inlineText(args(raw, 1)[0][0] ?? ''),
    'question-count': noArgs(() => inlineText(format.count(codebook.questions.length))),
    confidence: noArgs(() => inlineText(format.percent(0.95, 0))),
    /** Respondents, or the answers given to one question. */
    n: (...raw) => {
      const [[qid], options] = args(raw, 0, 1);
      if (qid === undefined) return inlineText(format.count(ctx.results.respondents));
      return inlineText(format.count(result(question(qid, options)).n));
    },
    missing: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return inlineText(format.count(result(question(qid, options)).missing));
    },
    count: (...raw) => inlineText(format.count(shareOf(raw).count)),
    pct: (...raw) => {
      const { r, count, options } = shareOf(raw);
      return inlineText(format.percent(r.n === 0 ? 0 : count / r.n, digits(options)));
    },
    ci: (...raw) => {
      const [[qid, code], options] = args(raw, 2);
      const q = question(qid, options);
      const o = option(q, code ?? '', options);
      const r = result(q).options.find((x) => x.code === o.code);
      return inline([nowrap(format.percentRange(r?.ci[0] ?? 0, r?.ci[1] ?? 1, digits(options)))]);
    },
    label: (...raw) => {
      const [[qid, code], options] = args(raw, 2);
      const q = question(qid, options);
      return localText(option(q, code ?? '', options).label);
    },
    question: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return localText(question(qid, options).text);
    },
    short: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return localText(question(qid, options).short);
    },
    section: (...raw) => {
      const [[sid], options] = args(raw, 1);
      const s =
        codebook.sections.find((x) => x.id === sid) ??
        fail(
          options,
          `unknown section "${sid}"`,
          `sections: ${codebook.sections.map((x) => x.id).join(', ')}`,
        );
      return localText(s.title);
    },
    table: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return frequencyTable(question(qid, options), result(question(qid, options)), ctx);
    },
    chart: (...raw) => {
      const [[qid], options] = args(raw, 1);
      const q = question(qid, options);
      return markdownOf([
        {
          type: 'containerDirective',
          name: 'figure',
          attributes: {
            id: `fig-${q.id}`,
            caption: fill(strings.figureCaption, {
              question: q.short[lang] ?? q.id,
              level: format.percent(0.95, 0),
            }),
          },
          children: [
            {
              type: 'paragraph',
              children: [{ type: 'image', url: ctx.chartPath(q.id), alt: q.short[lang] ?? q.id }],
            },
          ],
        },
      ]);
    },
    /** A published figure as printed, in this locale, with its verification status. */
    reported: (...raw) => {
      const [[id], options] = args(raw, 1);
      return inlineText(reportedValue(claim(id, options), ctx));
    },
    status: (...raw) => {
      const [[id], options] = args(raw, 1);
      return inlineText(claim(id, options).status === 'pass' ? strings.pass : strings.fail);
    },
    claims: noArgs(() => claimsTable(ctx)),
    'claims-passed': noArgs(() => inlineText(format.count(ctx.verification.passed))),
    'claims-failed': noArgs(() => inlineText(format.count(ctx.verification.failed))),
    'claims-total': noArgs(() =>
      inlineText(format.count(ctx.verification.passed + ctx.verification.failed)),
    ),
  };
}

function row(cells: (string | { strong: string } | { node: PhrasingContent })[]): TableRow {
  return {
    type: 'tableRow',
    children: cells.map((c) => ({
      type: 'tableCell',
      children: [
        typeof c === 'string'
          ? text(c)
          : 'node' in c
            ? c.node
            : { type: 'strong', children: [text(c.strong)] },
      ],
    })),
  };
}

function tableFigure(id: string, caption: string, table: Table): string {
  const figure: RootContent = {
    type: 'containerDirective',
    name: 'table',
    attributes: { id, caption },
    children: [table],
  };
  return markdownOf([figure]);
}

function frequencyTable(q: Question, r: QuestionResult, ctx: TemplateContext): string {
  const { format, strings, lang } = ctx;
  const share = (code: string) => r.options.find((y) => y.code === code);
  // one precision per column: the most any row needs
  const digits = format.columnDigits(q.options.map((o) => share(o.code)?.proportion ?? 0));
  const ciDigits = format.columnDigits(q.options.flatMap((o) => share(o.code)?.ci ?? [0, 1]));
  const rows = [
    row([strings.option, strings.count, strings.percent, format.level(strings.interval)]),
  ];
  for (const o of q.options) {
    const x = share(o.code);
    rows.push(
      row([
        o.unreported ? `${o.label[lang] ?? o.code}` : (o.label[lang] ?? o.code),
        format.count(x?.count ?? 0),
        format.percent(x?.proportion ?? 0, digits, true),
        { node: nowrap(format.percentRange(x?.ci[0] ?? 0, x?.ci[1] ?? 1, ciDigits, true)) },
      ]),
    );
  }
  rows.push(row([strings.total, format.count(r.n), format.percent(r.n ? 1 : 0, digits, true), '']));
  if (r.missing > 0) rows.push(row([strings.missing, format.count(r.missing), '', '']));
  return tableFigure(
    `tbl-${q.id}`,
    fill(strings.tableCaption, { question: q.short[lang] ?? q.id, n: format.count(r.n) }),
    { type: 'table', align: ['left', 'right', 'right', 'right'], children: rows },
  );
}

function dataFiles(ctx: TemplateContext): string {
  const { strings, codebook } = ctx;
  const root = ctx.siteRoot ?? '..';
  const names = strings.dataFileNames;
  const file = (label: string, path: string): PhrasingContent[] => [
    { type: 'link', url: `${root}/${path}`, children: [text(path.replace(/^data\//, ''))] },
    text(`: ${label}`),
  ];
  const items: PhrasingContent[][] = [
    file(names.responses, 'data/responses.csv'),
    file(names.codebook, 'data/codebook.yaml'),
    file(names.claims, 'data/claims.yaml'),
    file(names.results, 'data/results.json'),
    file(names.verification, 'data/verification.json'),
    file(names.manifest, 'manifest.json'),
    [
      text(`${names.charts}: `),
      ...codebook.questions.flatMap((q, i): PhrasingContent[] => [
        ...(i > 0 ? [text(', ')] : []),
        {
          type: 'link',
          url: ctx.chartPath(q.id).replace(/\.svg$/, '.vl.json'),
          children: [text(q.id)],
        },
      ]),
    ],
  ];
  const list: List = {
    type: 'list',
    ordered: false,
    spread: false,
    children: items.map((children) => ({
      type: 'listItem',
      spread: false,
      children: [{ type: 'paragraph', children }],
    })),
  };
  return markdownOf([list]);
}

function reportedValue(c: ClaimResult, ctx: TemplateContext): string {
  const { format, strings } = ctx;
  if (c.kind === 'all') return strings.all;
  return c.reported
    .split(' · ')
    .map((part) =>
      part.endsWith(' %')
        ? format.percent(Number(part.slice(0, -2)) / 100, decimalsOf(part.slice(0, -2)))
        : format.count(Number(part)),
    )
    .join(' · ');
}

function status(value: 'pass' | 'fail', strings: Strings) {
  return value === 'pass' ? strings.pass : { strong: strings.fail };
}

function claimsTable(ctx: TemplateContext): string {
  const { format, strings, lang } = ctx;
  const rows = [row([strings.claim, strings.reported, strings.recomputed, strings.status])];
  for (const c of ctx.verification.claims) {
    const r = c.recomputed;
    const recomputed =
      c.kind === 'population'
        ? format.count(r.count)
        : `${format.percent(r.percent / 100, 2)} (${format.count(r.count)}/${format.count(r.n)})`;
    rows.push(
      row([c.about[lang] ?? c.id, reportedValue(c, ctx), recomputed, status(c.status, strings)]),
    );
  }
  for (const sum of ctx.verification.sums) {
    const q = ctx.codebook.questions.find((x) => x.id === sum.question);
    rows.push(
      row([
        fill(strings.sumsTo, { question: q?.short[lang] ?? sum.question }),
        format.percent(sum.reportedTotal / 100, 2),
        `${format.percent(1)} ± ${format.percent(sum.tolerance / 100, 2)}`,
        status(sum.status, strings),
      ]),
    );
  }
  return tableFigure('tbl-verification', strings.verification, {
    type: 'table',
    align: ['left', 'right', 'right', 'left'],
    children: rows,
  });
}
