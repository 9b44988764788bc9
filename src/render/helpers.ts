import type { HelperOptions } from 'handlebars';
import type { List, PhrasingContent, RootContent, Table, TableRow } from 'mdast';
import { InputError } from '../errors.js';
import { decimalsOf } from '../load/claims.js';
import {
  type Base,
  type Codebook,
  type Option,
  type Question,
  reportStudy,
} from '../load/codebook.js';
import type { Formatter } from '../locale/format.js';
import { fill, type Strings } from '../locale/strings.js';
import type { TypeStrings } from '../locale/type-strings.js';
import type { Rows } from '../stats/crosstab.js';
import { cumulativeCounts } from '../stats/disclosure.js';
import { baseCount, countOf, type QuestionResult, type Results } from '../stats/frequencies.js';
import { summarize } from '../stats/numeric.js';
import { boxCodes } from '../stats/ordinal.js';
import type { NumericSummary } from '../stats/result.js';
import { missingShare, optionShare } from '../stats/weighted.js';
import { wilsonOf } from '../stats/weights.js';
import { wilson } from '../stats/wilson.js';
import type { ClaimResult, Verification } from '../verify/verify.js';
import { type CitationStyle, formatReferences, styleFor } from './citations/format.js';
import { reportWork, sourceWork, withTranslation } from './citations/study.js';
import {
  crosstabHelper,
  type GroupContext,
  type GroupedRequest,
  groupedChartHelper,
  rowShare,
  subgroupN,
  subgroupNText,
} from './group-helpers.js';
import { closest, HELPER_OPTIONS, OPTION_RULES, type OptionRule } from './helper-options.js';
import { inlineText, markdownOf, text } from './markdown-text.js';
import { tableBlock } from './table-blocks.js';
import { weightedTableNote } from './weighted-note.js';

/** A battery of ordinal items drawn as one diverging chart, in a given order. */
export interface LikertRequest {
  questions: string[];
  sort: 'agree' | 'disagree' | 'questionnaire';
}

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
  /** Asks for a battery's diverging chart; its path, relative to the page. */
  likertPath?: (request: LikertRequest) => string;
  /** Seconds since the epoch (SOURCE_DATE_EPOCH): the report's date when the codebook gives none. */
  timestamp?: number;
  /** Path from the page to the site's root folder (data/, manifest.json). */
  siteRoot?: string;
  /** The answers row by row, for crosstabs, subgroups (`where=`) and weights; read on first use. */
  rows?: () => Rows;
  /** The citation style of the works cited ("how to cite" uses it too); else APA 7. */
  citationStyle?: CitationStyle;
  /** Asks for a grouped chart (`{{chart "q" by="g"}}`); its path, relative to the page. */
  groupedPath?: (request: GroupedRequest) => string;
}

/** An interval kept on one line in every output (the `nowrap` text directive). */
export function nowrap(value: string): PhrasingContent {
  return { type: 'textDirective', name: 'nowrap', children: [text(value)] } as PhrasingContent;
}

const inline = (nodes: PhrasingContent[]) => markdownOf([{ type: 'paragraph', children: nodes }]);

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
  return handle && /^\d+(\.\d+)*\/\S+$/.test(handle)
    ? `https://hdl.handle.net/${handle}`
    : undefined;
}

type Helper = (...args: unknown[]) => string;
type Options = HelperOptions & { loc?: { start: { line: number } }; name?: string };

/** The helper set: every figure in a report comes from here, formatted for the page's locale. */
export function createHelpers(ctx: TemplateContext): Record<string, Helper> {
  const { codebook, format, strings, lang } = ctx;
  const fail = (options: HelperOptions, problem: string, hint?: string): never => {
    const { loc, name = 'helper' } = options as Options;
    throw new InputError(ctx.template, loc?.start.line, `{{${name}}}: ${problem}`, hint);
  };
  /**
   * Splits helper arguments into strings and the Handlebars options object, checking arity and
   * every hash option against the helper's list (`HELPER_OPTIONS`) and its rule (`OPTION_RULES`).
   */
  const args = (raw: unknown[], min: number, max = min): [string[], HelperOptions] => {
    const options = raw[raw.length - 1] as HelperOptions;
    const given = raw.slice(0, -1);
    if (given.length < min || given.length > max) {
      fail(
        options,
        `takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument(s), got ${given.length}`,
      );
    }
    const name = (options as Options).name ?? '';
    const allowed = HELPER_OPTIONS[name] ?? [];
    for (const [key, value] of Object.entries(options.hash ?? {})) {
      if (!allowed.includes(key)) {
        const near = closest(key, allowed);
        fail(
          options,
          `unknown option "${key}="`,
          allowed.length === 0
            ? 'this helper takes no options'
            : `${near ? `did you mean ${near}=? ` : ''}it takes ${allowed.map((a) => `${a}=`).join(', ')}`,
        );
      }
      const rule = OPTION_RULES[key] as OptionRule;
      if (!rule.valid(value))
        fail(
          options,
          `${key}=${JSON.stringify(value)} is not valid`,
          `${key}= takes ${rule.takes}`,
        );
    }
    return [given.map(String), options];
  };
  /** The hash options given fit the question's type. */
  const fits = (q: Question, options: HelperOptions) => {
    for (const key of Object.keys(options.hash ?? {})) {
      const types = OPTION_RULES[key]?.types;
      if (types && !types.includes(q.type))
        fail(options, `${key}= applies to ${types.join(' or ')} questions; "${q.id}" is ${q.type}`);
    }
  };
  const question = (id: string | undefined, options: HelperOptions): Question => {
    const q =
      codebook.questions.find((x) => x.id === id) ??
      fail(
        options,
        `unknown question "${id}"`,
        `${
          closest(
            id ?? '',
            codebook.questions.map((x) => x.id),
          )
            ? `did you mean "${closest(
                id ?? '',
                codebook.questions.map((x) => x.id),
              )}"? `
            : ''
        }questions: ${codebook.questions.map((x) => x.id).join(', ')}`,
      );
    fits(q, options);
    return q;
  };
  const ofType = (q: Question, types: readonly string[], options: HelperOptions, hint?: string) => {
    if (!types.includes(q.type))
      fail(
        options,
        `"${q.id}" is a ${q.type} question; this helper takes ${types.join(' or ')} questions`,
        hint,
      );
  };
  const result = (q: Question): QuestionResult =>
    ctx.results.questions.find((r) => r.id === q.id) as QuestionResult;
  const option = (q: Question, code: string, options: HelperOptions): Option =>
    q.options.find((o) => o.code === code) ??
    fail(
      options,
      `unknown option "${code}" of question "${q.id}"`,
      q.options.length === 0
        ? `"${q.id}" is a ${q.type} question without options${q.type === 'numeric' ? ' (give it bins:)' : ''}`
        : `${
            closest(
              code,
              q.options.map((o) => o.code),
            )
              ? `did you mean "${closest(
                  code,
                  q.options.map((o) => o.code),
                )}"? `
              : ''
          }its options: ${q.options.map((o) => o.code).join(', ')}`,
    );
  /** A set of options: those named, or a top or bottom box of an ordinal scale. */
  const shareOf = (raw: unknown[]) => {
    const hash = (raw[raw.length - 1] as HelperOptions).hash ?? {};
    const box = hash.top !== undefined ? 'top' : hash.bottom !== undefined ? 'bottom' : undefined;
    const [[qid, ...named], options] = box ? args(raw, 1) : args(raw, 2, Infinity);
    const q = question(qid, options);
    if (q.type === 'text')
      fail(
        options,
        `"${q.id}" is an open question: it has no options`,
        'use {{answers}} for its answers, {{n}} for how many answered',
      );
    if (hash.top !== undefined && hash.bottom !== undefined)
      fail(options, 'give top= or bottom=, not both');
    let codes = named;
    if (box) {
      const k = hash[box] as number;
      if (k >= q.options.length)
        fail(
          options,
          `${box}=${k} covers every option of "${q.id}"`,
          `the scale has ${q.options.length} options`,
        );
      codes = boxCodes(q, box, k);
    }
    for (const code of codes) option(q, code, options);
    const r = result(q);
    if (r.multiple?.withheld && codes.length > 1)
      fail(
        options,
        `some combinations of options of "${q.id}" are withheld (study.disclosure), and a count of "any of" them could reveal one`,
        'name the options one by one',
      );
    const hidden = r.options.filter((o) => o.suppressed && codes.includes(o.code));
    // a sum of options that holds every withheld one of the question (a top box, say) gives
    // nothing away: it is n less the shown options left out (multiple questions excepted:
    // their options overlap)
    const whole =
      hidden.length > 0 &&
      q.type !== 'multiple' &&
      r.options.every((o) => !o.suppressed || codes.includes(o.code));
    const count = whole
      ? r.n - r.options.filter((o) => !codes.includes(o.code)).reduce((s, o) => s + o.count, 0)
      : countOf(r, codes);
    if (hidden.length > 0 && codes.length > 1 && !whole)
      fail(
        options,
        `option "${hidden[0]?.code}" of "${q.id}" is withheld (study.disclosure), and a sum with it could reveal it`,
        'name the options one by one',
      );
    const n = baseCount(r, hash.base as Base | undefined);
    const group = rowShare(groups, q, codes, options, fail);
    if (group) {
      // a subgroup's cells are withheld by their own counts (see rowShare)
      if (hidden.length > 0 && !group.withheld)
        fail(options, `option "${hidden[0]?.code}" of "${q.id}" is withheld (study.disclosure)`);
      return {
        q,
        r,
        codes,
        count: group.count,
        n: group.n,
        options,
        hidden: group.withheld?.count ?? false,
        group,
      };
    }
    return { q, r, codes, count, n, options, hidden: hidden.length > 0 && !whole, group };
  };
  /** What a withheld cell prints instead of its figure. */
  const below = (r: QuestionResult) => `< ${format.count(r.min_cell ?? 0)}`;
  const digits = (options: HelperOptions, fallback = 1): number => {
    const d = options.hash?.digits;
    return d === undefined ? fallback : (d as number);
  };
  /** A numeric question's summary, or an ordinal one's scores'. */
  const summaryOf = (qid: string | undefined, options: HelperOptions, what: string) => {
    const q = question(qid, options);
    const r = result(q);
    if (q.type === 'ordinal' && !r.ordinal?.scores)
      fail(
        options,
        `"${q.id}" is an ordinal question without scores: it has no ${what}`,
        what === 'median'
          ? 'give its options a score:, or use {{median-category}}'
          : 'give its options a score:',
      );
    if (q.type !== 'numeric' && q.type !== 'ordinal')
      fail(
        options,
        `a ${what} needs a numeric question (or an ordinal one with scores); "${q.id}" is ${q.type}`,
      );
    const summary = r.numeric ?? r.ordinal?.scores;
    if (!summary) fail(options, `"${q.id}" has no answers to take a ${what} of`);
    return { q, r, summary: summary as NumericSummary };
  };
  const statistic =
    (what: keyof NumericSummary, fallback: (value: number) => number): Helper =>
    (...raw) => {
      const [[qid], options] = args(raw, 1);
      const value = summaryOf(qid, options, what).summary[what];
      if (!Number.isFinite(value))
        fail(
          options,
          `the ${what} of "${qid}" is withheld (study.disclosure): ${
            what === 'min' || what === 'max'
              ? 'it is one respondent’s answer'
              : 'too few answered, or it would reveal a withheld count'
          }`,
          'leave it out of the text; {{summary}} shows what is published',
        );
      return inlineText(format.decimal(value, digits(options, fallback(value))));
    };
  /** 0 decimals for a whole number, else 1. */
  const asGiven = (value: number) => (Number.isInteger(value) ? 0 : 1);
  const word = (key: keyof TypeStrings, options: HelperOptions): string =>
    strings[key] ??
    fail(
      options,
      `no "${key}" string for language "${lang}"`,
      `add ${key}: under ${lang}: in templates/strings.yaml`,
    );
  const claim = (id: string | undefined, options: HelperOptions): ClaimResult =>
    ctx.verification.claims.find((c) => c.id === id) ??
    fail(
      options,
      `unknown claim "${id}"`,
      `claims: ${ctx.verification.claims.map((c) => c.id).join(', ')}`,
    );
  const localText = (value: Record<string, string> | undefined) => inlineText(value?.[lang] ?? '');
  const groups: GroupContext = {
    lang,
    codebook,
    format,
    totalWord: strings.total,
    ...(ctx.rows ? { rows: ctx.rows } : {}),
    ...(ctx.groupedPath ? { groupedPath: ctx.groupedPath } : {}),
    ...(strings.suppressed
      ? {
          suppressedNote: (min: number) =>
            fill(strings.suppressed as string, { min: format.count(min) }),
        }
      : {}),
  };

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
    institution: noArgs(() => inlineText(reportStudy(codebook).institution)),
    repository: noArgs(() => inlineText(reportStudy(codebook).repository)),
    handle: noArgs(() => {
      const url = handleUrl(codebook);
      return url
        ? inline([{ type: 'link', url, children: [text(reportStudy(codebook).handle)] }])
        : inlineText(reportStudy(codebook).handle);
    }),
    authors: noArgs(() =>
      inlineText(
        // a byline ("Ana Silva y Luc Moreau"), as a title page names people; citations are CSL's
        study.authors?.length
          ? new Intl.ListFormat(format.locale, { type: 'conjunction' }).format(
              study.authors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)),
            )
          : strings.authorsUnknown,
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
      const work = (which === 'source' ? sourceWork : reportWork)(codebook, {
        lang,
        date: reportDate(codebook, ctx.timestamp),
        strings,
        sourceUrl: handleUrl(codebook),
      });
      const style = ctx.citationStyle ?? styleFor(lang);
      const [entry = []] = formatReferences([work], style, format.locale);
      // APA 7: a title in another language than the page's is followed by its translation
      const translated =
        which === 'source' && study.source_title && lang !== study.languages[0]?.code
          ? withTranslation(entry, study.source_title, title)
          : entry;
      return inline(translated);
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
    year: noArgs(() => inlineText(String(reportStudy(codebook).year))),
    population: noArgs(() => localText(study.population)),
    'data-note': noArgs(() => localText(study.data.note)),
    /** A literal that contains digits on purpose (a year, a law's number). */
    lit: (...raw) => inlineText(args(raw, 1)[0][0] ?? ''),
    /** The works the report cites, in its citation style (filled in once the whole report is read). */
    bibliography: noArgs(() =>
      markdownOf([
        { type: 'containerDirective', name: 'bibliography', attributes: {}, children: [] },
      ]),
    ),
    'question-count': noArgs(() => inlineText(format.count(codebook.questions.length))),
    confidence: noArgs(() => inlineText(format.percent(0.95, 0))),
    /** Respondents, or the answers given to one question. */
    n: (...raw) => {
      const [[qid], options] = args(raw, 0, 1);
      if (options.hash?.where !== undefined)
        return inlineText(
          subgroupNText(
            groups,
            subgroupN(
              groups,
              qid === undefined ? undefined : question(qid, options),
              options,
              fail,
            ),
          ),
        );
      if (qid === undefined) return inlineText(format.count(ctx.results.respondents));
      return inlineText(format.count(result(question(qid, options)).n));
    },
    missing: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return inlineText(format.count(result(question(qid, options)).missing));
    },
    count: (...raw) => {
      const { r, count, hidden, group, options } = shareOf(raw);
      if (group?.withheld?.count) return inlineText(`< ${format.count(group.withheld.min)}`);
      if (group?.weighted && options.hash?.weighted === true)
        return inlineText(format.decimal(group.weightedCount, 1));
      return inlineText(hidden ? below(r) : format.count(count));
    },
    pct: (...raw) => {
      const { r, count, n, options, hidden, group } = shareOf(raw);
      // a subgroup too small to show, or a withheld count of one: see rowShare
      if (group?.withheld?.n) return inlineText('—');
      if (group?.withheld?.count)
        return inlineText(
          `< ${format.percent(n === 0 ? 0 : group.withheld.min / n, digits(options))}`,
        );
      if (group?.weighted)
        return inlineText(
          format.percent(
            group.weightedN === 0 ? 0 : group.weightedCount / group.weightedN,
            digits(options),
          ),
        );
      const min = r.min_cell ?? 0;
      if (hidden) return inlineText(`< ${format.percent(n === 0 ? 0 : min / n, digits(options))}`);
      return inlineText(format.percent(n === 0 ? 0 : count / n, digits(options)));
    },
    ci: (...raw) => {
      const { count, n, options, hidden, group } = shareOf(raw);
      if (hidden) return inlineText('—');
      const [lower, upper] = group?.weighted
        ? wilsonOf(
            group.weightedN === 0 ? 0 : group.weightedCount / group.weightedN,
            group.effectiveN,
          )
        : wilson(count, n);
      return inline([nowrap(format.percentRange(lower, upper, digits(options)))]);
    },
    mean: statistic('mean', () => 1),
    sd: statistic('sd', () => 1),
    median: statistic('median', asGiven),
    q1: statistic('q1', asGiven),
    q3: statistic('q3', asGiven),
    min: statistic('min', asGiven),
    max: statistic('max', asGiven),
    /** An ordinal question's median category: where half the answers are reached. */
    'median-category': (...raw) => {
      const [[qid], options] = args(raw, 1);
      const q = question(qid, options);
      ofType(q, ['ordinal'], options);
      const code = result(q).ordinal?.median;
      if (!code) fail(options, `"${q.id}" has no answers`);
      return localText(option(q, code as string, options).label);
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
      const q = question(qid, options);
      if (q.type === 'text')
        fail(
          options,
          `"${q.id}" is an open question: it has no table`,
          'use {{answers}} to list its answers',
        );
      if (q.type === 'numeric' && q.options.length === 0)
        return summaryTable(q, summaryOf(qid, options, 'summary').summary, ctx, 1, (k) =>
          word(k, options),
        );
      return frequencyTable(q, result(q), ctx, options.hash?.base as Base | undefined, (k) =>
        word(k, options),
      );
    },
    /** The frequency table as SPSS prints it: frequency, percent, valid percent, cumulative percent. */
    frequencies: (...raw) => {
      const [[qid], options] = args(raw, 1);
      const q = question(qid, options);
      ofType(
        q,
        ['single', 'ordinal', 'numeric'],
        options,
        q.type === 'multiple' ? 'use {{table}} for a multiple question' : undefined,
      );
      if (q.options.length === 0)
        fail(options, `"${q.id}" has no bins`, 'give it bins:, or use {{summary}}');
      return spssTable(q, result(q), ctx, (k) => word(k, options));
    },
    summary: (...raw) => {
      const [[qid], options] = args(raw, 1);
      const { q, summary } = summaryOf(qid, options, 'summary');
      return summaryTable(q, summary, ctx, digits(options), (k) => word(k, options));
    },
    /** An open question's answers, verbatim and escaped, in data order. */
    answers: (...raw) => {
      const [[qid], options] = args(raw, 1);
      const q = question(qid, options);
      ofType(q, ['text'], options);
      const answers = result(q).text?.answers;
      if (q.publish === true && result(q).text?.withheld)
        return markdownOf([
          {
            type: 'paragraph',
            children: [
              text(
                fill(word('answersWithheld', options), {
                  min: format.count(result(q).min_cell ?? 0),
                }),
              ),
            ],
          },
        ]);
      if (q.publish !== true || !answers)
        fail(
          options,
          `the answers of "${q.id}" are not published`,
          'open answers may identify people: set publish: true on the question to show them',
        );
      const max = (options.hash?.max as number | undefined) ?? Infinity;
      const shown = (answers as string[]).slice(0, max);
      const nodes: RootContent[] = [];
      if (shown.length === 0)
        nodes.push({ type: 'paragraph', children: [text(word('noAnswers', options))] });
      else
        nodes.push({
          type: 'list',
          ordered: false,
          spread: false,
          children: shown.map((a) => ({
            type: 'listItem',
            spread: false,
            children: [{ type: 'paragraph', children: [text(a)] }],
          })),
        });
      const rest = (answers as string[]).length - shown.length;
      if (rest > 0)
        nodes.push({
          type: 'paragraph',
          children: [text(fill(word('moreAnswers', options), { count: format.count(rest) }))],
        });
      return markdownOf(nodes);
    },
    chart: (...raw) => {
      const [[qid], options] = args(raw, 1);
      const q = question(qid, options);
      if (q.type === 'text')
        fail(
          options,
          `"${q.id}" is an open question: open answers are never charted`,
          'use {{answers}}',
        );
      // by the groups of another question: a grouped chart of the crosstab's columns
      if (options.hash?.by !== undefined || options.hash?.where !== undefined)
        return groupedChartHelper(groups, q, options, fail, figure);
      const caption = fill(strings.figureCaption, {
        question: q.short[lang] ?? q.id,
        level: format.percent(0.95, 0),
      });
      return figure(`fig-${q.id}`, caption, ctx.chartPath(q.id), q.short[lang] ?? q.id);
    },
    /** A question cross-tabulated by a group question, with its test. */
    crosstab: (...raw) => {
      const [[qid], options] = args(raw, 1);
      return crosstabHelper(groups, question(qid, options), options, fail);
    },
    /** Ordinal items on one scale as one diverging stacked bar chart. */
    likert: (...raw) => {
      const [ids, options] = args(raw, 0, Infinity);
      const sid = options.hash?.section as string | undefined;
      if (sid !== undefined && ids.length > 0)
        fail(options, 'give the items or section=, not both');
      if (sid !== undefined && !codebook.sections.some((s) => s.id === sid))
        fail(
          options,
          `unknown section "${sid}"`,
          `sections: ${codebook.sections.map((x) => x.id).join(', ')}`,
        );
      const items =
        sid !== undefined
          ? codebook.questions.filter((q) => q.section === sid && q.type === 'ordinal')
          : ids.map((id) => question(id, options));
      if (items.length === 0)
        fail(
          options,
          sid ? `section "${sid}" has no ordinal questions` : 'name at least one ordinal question',
        );
      const first = items[0] as Question;
      const scale = first.options.map((o) => o.code).join(' ');
      for (const q of items) {
        ofType(q, ['ordinal'], options);
        if (q.options.map((o) => o.code).join(' ') !== scale)
          fail(
            options,
            `"${q.id}" is not on the scale of "${first.id}"`,
            'a battery shares one scale',
          );
      }
      if (!ctx.likertPath) fail(options, 'battery charts are not drawn here');
      const sort = (options.hash?.sort as LikertRequest['sort'] | undefined) ?? 'questionnaire';
      const path = (ctx.likertPath as (r: LikertRequest) => string)({
        questions: items.map((q) => q.id),
        sort,
      });
      const caption =
        items.length === 1
          ? (first.short[lang] ?? first.id)
          : (codebook.sections.find((s) => s.id === (sid ?? first.section))?.title[lang] ??
            first.id);
      return figure(`fig-likert-${items.map((q) => q.id).join('-')}`, caption, path);
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

function figure(id: string, caption: string, url: string, alt = caption): string {
  return markdownOf([
    {
      type: 'containerDirective',
      name: 'figure',
      attributes: { id, caption },
      children: [{ type: 'paragraph', children: [{ type: 'image', url, alt }] }],
    },
  ]);
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
  return tableBlock(id, caption, table);
}

type Word = (key: keyof TypeStrings) => string;

/**
 * A question's numbered table: per option the count, the percentage (of the answers given, or of
 * every respondent with base all) and its interval; an ordinal's cumulative percentage; a
 * multiple question's shares of respondents and of responses, with a note that they may add
 * past 100 %.
 */
function frequencyTable(
  q: Question,
  r: QuestionResult,
  ctx: TemplateContext,
  base: Base | undefined,
  word: Word,
): string {
  const { format, strings, lang } = ctx;
  const all = (base ?? q.base) === 'all';
  const n = all ? r.n + r.missing : r.n;
  const min = r.min_cell ?? 0;
  const label = (o: Option) => o.label[lang] ?? o.code;
  const share = (count: number) => (n === 0 ? 0 : count / n);
  // an option's share and interval on the base (weighted in a weighted study)
  const shareAt = (i: number) => optionShare(r, i, all).proportion;
  const bounds = (i: number): [number, number] => optionShare(r, i, all).ci;
  // one precision per column: the most any of its rows needs
  const digits = format.columnDigits(
    q.options.flatMap((_, i) => (r.options[i] && !r.options[i]?.suppressed ? [shareAt(i)] : [])),
  );
  const ciDigits = format.columnDigits(
    q.options.flatMap((_, i) => (r.options[i]?.suppressed ? [] : bounds(i))),
  );
  // an interval is kept on one line in every output
  const interval = (i: number) => ({
    node: nowrap(format.percentRange(...bounds(i), ciDigits, true)),
  });
  const percent = (p: number, d = digits) => format.percent(p, d, true);
  const caption = fill(strings.tableCaption, {
    question: q.short[lang] ?? q.id,
    n: format.count(n),
  });
  const level = format.level(strings.interval);
  if (q.type === 'multiple') {
    const m = r.multiple;
    const responseDigits = format.columnDigits(
      (m?.ofResponses ?? []).filter((p) => Number.isFinite(p)),
    );
    const rows = [
      row([strings.option, strings.count, word('ofRespondents'), word('ofResponses'), level]),
    ];
    q.options.forEach((o, i) => {
      const count = r.options[i]?.count ?? 0;
      if (r.options[i]?.suppressed) {
        rows.push(row([label(o), `< ${format.count(min)}`, '—', '—', '—']));
        return;
      }
      rows.push(
        row([
          label(o),
          format.count(count),
          percent(shareAt(i)),
          percent(m?.ofResponses[i] ?? 0, responseDigits),
          interval(i),
        ]),
      );
    });
    rows.push(
      row([
        `${strings.total} (${word('respondents').toLocaleLowerCase(lang)})`,
        format.count(n),
        '',
        percent(m?.responses ? 1 : 0, responseDigits),
        '',
      ]),
    );
    if (r.missing > 0 && !all)
      rows.push(row([strings.missing, format.count(r.missing), '', '', '']));
    const chosen = (m?.perRespondent ?? []).map((count, k) => [k, count] as const);
    // not from withheld counts (study.disclosure)
    const per = chosen.some(([, c]) => !Number.isFinite(c)) ? undefined : summarize(chosen);
    const notes = [word('multipleNote')];
    if (per)
      notes.push(
        fill(word('perRespondent'), {
          mean: format.decimal(per.mean, 1),
          median: format.decimal(per.median, Number.isInteger(per.median) ? 0 : 1),
        }).replace(/\.?$/, (end) => (r.weighted ? ` (${unweightedWord(ctx)})${end}` : end)),
      );
    if (all) notes.push(word('percentOfAllNote'));
    if (r.weighted) notes.push(weightedTableNote(ctx, r, all));
    return [
      tableFigure(`tbl-${q.id}`, caption, {
        type: 'table',
        align: ['left', 'right', 'right', 'right', 'right'],
        children: rows,
      }),
      markdownOf([{ type: 'paragraph', children: [text(notes.join(' '))] }]),
      ...(r.options.some((o) => o.suppressed) ? [suppressedNote(ctx, min)] : []),
    ].join('\n\n');
  }
  const ordinal = q.type === 'ordinal';
  const header = [strings.option, strings.count, strings.percent];
  if (ordinal) header.push(word('cumulativePercent'));
  header.push(level);
  const rows: TableRow[] = [row(header)];
  // cumulative counts, withheld ('NaN') where they would give a withheld cell away
  const running = cumulativeCounts(r);
  let runningShare = 0;
  // a weighted study's cumulative shares are of weights
  const runningShares = q.options.map((_, i) => {
    runningShare += r.options[i]?.suppressed ? 0 : shareAt(i);
    return runningShare;
  });
  const cumulative = (i: number) =>
    !Number.isFinite(running[i] ?? Number.NaN)
      ? '—'
      : percent(r.weighted ? (runningShares[i] ?? 0) : share(running[i] ?? 0));
  q.options.forEach((o, i) => {
    const count = r.options[i]?.count ?? 0;
    if (r.options[i]?.suppressed) {
      rows.push(
        row([label(o), `< ${format.count(min)}`, '—', ...(ordinal ? [cumulative(i)] : []), '—']),
      );
      return;
    }
    const cells: Parameters<typeof row>[0] = [label(o), format.count(count), percent(shareAt(i))];
    if (ordinal) cells.push(cumulative(i));
    cells.push(interval(i));
    rows.push(row(cells));
  });
  const blank = ordinal ? ['', ''] : [''];
  if (all) {
    const missing = missingRows(q, r, ctx);
    for (const [name, count] of missing)
      rows.push(
        row(
          typeof count !== 'number'
            ? [name, count, '—', ...blank]
            : [
                name,
                format.count(count),
                // a weighted study's share of the missing is of weights: known for them all only
                r.weighted
                  ? missing.length === 1
                    ? percent(missingShare(r, all))
                    : '—'
                  : percent(share(count)),
                ...blank,
              ],
        ),
      );
    rows.push(row([strings.total, format.count(n), percent(n ? 1 : 0), ...blank]));
  } else {
    rows.push(row([strings.total, format.count(r.n), percent(r.n ? 1 : 0), ...blank]));
    for (const [name, count] of missingRows(q, r, ctx))
      rows.push(row([name, typeof count === 'number' ? format.count(count) : count, '', ...blank]));
  }
  const table = tableFigure(`tbl-${q.id}`, caption, {
    type: 'table',
    align: ['left', 'right', 'right', 'right', ...(ordinal ? (['right'] as const) : [])],
    children: rows,
  });
  const said = [...(all ? [word('percentOfAllNote')] : [])];
  if (r.weighted) said.push(weightedTableNote(ctx, r, all));
  const notes =
    said.length > 0 ? [markdownOf([{ type: 'paragraph', children: [text(said.join(' '))] }])] : [];
  if (withheld(r)) notes.push(suppressedNote(ctx, min));
  return [table, ...notes].join('\n\n');
}

/** "unweighted" in the page's language: a weighted study's figures that are not weighted say so. */
function unweightedWord(ctx: TemplateContext): string {
  if (ctx.strings.unweighted) return ctx.strings.unweighted;
  throw new InputError(
    'templates/strings.yaml',
    undefined,
    `no "unweighted" for language "${ctx.lang}" (a weighted study's unweighted figures say so)`,
    'add unweighted: … under it',
  );
}

/** Whether some of a question's cells are withheld (study.disclosure): options or missing categories. */
const withheld = (r: QuestionResult) =>
  r.options.some((o) => o.suppressed) || Boolean(r.missing_categories?.some((c) => c.suppressed));

/** The note under a table whose small cells are withheld (study.disclosure). */
function suppressedNote(ctx: TemplateContext, min: number): string {
  const { format, strings, lang } = ctx;
  if (!strings.suppressed)
    throw new InputError(
      'templates/strings.yaml',
      undefined,
      `no "suppressed" note for language "${lang}"`,
      'add suppressed: … under it (the note under a table whose small cells are withheld)',
    );
  return inlineText(fill(strings.suppressed, { min: format.count(min) }));
}

/**
 * The frequency table as SPSS prints it: per option the frequency, the percentage of all
 * respondents, the valid percentage and the cumulative (valid) percentage; the valid total, the
 * labelled missing categories and the blanks, and the total. Percentages with one decimal, as
 * SPSS shows them; of weights in a weighted study (its counts stay unweighted).
 */
function spssTable(q: Question, r: QuestionResult, ctx: TemplateContext, word: Word): string {
  const { format, strings, lang } = ctx;
  const all = r.n + r.missing;
  const pct = (count: number, of: number) => format.decimal(of === 0 ? 0 : (100 * count) / of, 1);
  const rows = [
    row([
      '',
      '',
      word('frequency'),
      word('percentOfAll'),
      word('validPercent'),
      word('cumulativePercent'),
    ]),
  ];
  const w = r.weighted;
  const [nAll, nValid, nMissing] = w ? [w.n + w.missing, w.n, w.missing] : [all, r.n, r.missing];
  const counts = cumulativeCounts(r);
  let running = 0;
  q.options.forEach((o, i) => {
    const count = r.options[i]?.count ?? 0;
    const hidden = r.options[i]?.suppressed === true;
    const weight = w ? (r.options[i]?.weighted_count ?? 0) : count;
    if (!hidden) running += weight;
    const cumulative = counts[i] ?? Number.NaN;
    rows.push(
      row([
        i === 0 ? word('valid') : '',
        o.label[lang] ?? o.code,
        hidden ? `< ${format.count(r.min_cell ?? 0)}` : format.count(count),
        hidden ? '—' : pct(weight, nAll),
        hidden ? '—' : pct(weight, nValid),
        !Number.isFinite(cumulative) ? '—' : pct(w ? running : cumulative, nValid),
      ]),
    );
  });
  rows.push(row(['', strings.total, format.count(r.n), pct(nValid, nAll), pct(r.n, r.n), '']));
  // the labelled missing categories, then the blanks (SPSS's system-missing), then their total
  const missing = missingRows(q, r, ctx);
  missing.forEach(([name, count], k) => {
    rows.push(
      row([
        k === 0 ? word('missingSystem') : '',
        name,
        typeof count === 'number' ? format.count(count) : count,
        typeof count !== 'number'
          ? '—'
          : w
            ? missing.length === 1
              ? pct(nMissing, nAll)
              : '—'
            : pct(count, all),
        '',
        '',
      ]),
    );
  });
  if (missing.length > 1)
    rows.push(row(['', strings.total, format.count(r.missing), pct(nMissing, nAll), '', '']));
  rows.push(row([strings.total, '', format.count(all), pct(all, all), '', '']));
  const table = tableFigure(`tbl-frequencies-${q.id}`, q.short[lang] ?? q.id, {
    type: 'table',
    align: ['left', 'left', 'right', 'right', 'right', 'right'],
    children: rows,
  });
  return withheld(r) ? [table, suppressedNote(ctx, r.min_cell ?? 0)].join('\n\n') : table;
}

/**
 * The rows of a question's missing answers: one per labelled missing category that has answers
 * and one of the blanks, each with its count, or the text that stands for a withheld one
 * (study.disclosure); a single row of them all when it has no categories.
 */
function missingRows(
  q: Question,
  r: QuestionResult,
  ctx: TemplateContext,
): [string, number | string][] {
  if (!r.missing_categories) return r.missing > 0 ? [[ctx.strings.missing, r.missing]] : [];
  const below = `< ${ctx.format.count(r.min_cell ?? 0)}`;
  const coded = r.missing_categories.filter((c) => c.suppressed || c.count > 0);
  const blanks =
    r.blanks === undefined
      ? r.missing - coded.reduce((sum, c) => sum + c.count, 0)
      : r.blanks === null || !Number.isFinite(r.blanks)
        ? '—'
        : r.blanks;
  return [
    ...coded.map(({ code, count, suppressed }): [string, number | string] => [
      q.missing?.find((o) => o.code === code)?.label[ctx.lang] ?? code,
      suppressed ? below : count,
    ]),
    ...(blanks !== 0 ? [[ctx.strings.missing, blanks] as [string, number | string]] : []),
  ];
}

/** n, blanks, mean, standard deviation, minimum, quartiles, median and maximum. */
function summaryTable(
  q: Question,
  s: NumericSummary,
  ctx: TemplateContext,
  digits: number,
  word: Word,
): string {
  const { format, strings, lang } = ctx;
  const r = ctx.results.questions.find((x) => x.id === q.id);
  // the values as given: whole numbers without decimals, unless some value has them
  const whole = [s.min, s.q1, s.median, s.q3, s.max]
    .filter((v) => Number.isFinite(v))
    .every(Number.isInteger);
  // withheld (study.disclosure): a dash, and a note under the table
  const shown = (v: number, print: (v: number) => string) => (!Number.isFinite(v) ? '—' : print(v));
  const value = (v: number) => shown(v, (x) => format.decimal(x, whole ? 0 : digits));
  const decimal = (v: number) => shown(v, (x) => format.decimal(x, digits));
  // a weighted study's summaries are of the answers as given: its header says so
  const weighted = ctx.codebook.study.data.weight !== undefined;
  const rows = [
    row([
      word('statistic'),
      weighted ? `${word('value')} (${unweightedWord(ctx)})` : word('value'),
    ]),
    row([strings.count, format.count(s.n)]),
    row([strings.missing, format.count(r?.missing ?? 0)]),
    row([word('mean'), decimal(s.mean)]),
    row([word('sd'), decimal(s.sd)]),
    row([word('minimum'), value(s.min)]),
    row([word('q1'), value(s.q1)]),
    row([word('median'), value(s.median)]),
    row([word('q3'), value(s.q3)]),
    row([word('maximum'), value(s.max)]),
  ];
  const table = tableFigure(`tbl-summary-${q.id}`, q.short[lang] ?? q.id, {
    type: 'table',
    align: ['left', 'right'],
    children: rows,
  });
  const note = !Number.isFinite(s.mean)
    ? word('summaryWithheld')
    : !Number.isFinite(s.min)
      ? word('extremesWithheld')
      : undefined;
  if (!note) return table;
  return [table, inlineText(fill(note, { min: format.count(r?.min_cell ?? 0) }))].join('\n\n');
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
    // the responses are not published when small cells are withheld: each row would show them
    ...(ctx.results.disclosure ? [] : [file(names.responses, 'data/responses.csv')]),
    file(names.codebook, 'data/codebook.yaml'),
    file(names.claims, 'data/claims.yaml'),
    file(names.results, 'data/results.json'),
    file(names.verification, 'data/verification.json'),
    ...(names.figures ? [file(names.figures, 'data/figures.json')] : []),
    file(names.manifest, 'manifest.json'),
    ...(names.citation ? [file(names.citation, 'CITATION.cff')] : []),
    [
      text(`${names.charts}: `),
      ...codebook.questions
        .filter((q) => q.type !== 'text')
        .flatMap((q, i): PhrasingContent[] => [
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
  if (c.kind === 'test')
    return c.reported.replace(/\d+(\.\d+)?/g, (x) => format.decimal(Number(x), decimalsOf(x)));
  if (c.kind === 'mean' || c.kind === 'median')
    return format.decimal(Number(c.reported), decimalsOf(c.reported));
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
        : c.kind === 'test'
          ? `${format.decimal(r.value ?? Number.NaN, 3)} (n = ${format.count(r.n)})`
          : r.value !== undefined
            ? `${format.decimal(r.value, decimalsOf(c.reported) + 2)} (n = ${format.count(r.n)})`
            : `${format.percent(r.percent / 100, 2)} (${format.count(r.count)}/${format.count(r.n)}${c.where?.[lang] ? ` ${c.where[lang]}` : ''})`;
    rows.push(
      row([c.about?.[lang] ?? c.id, reportedValue(c, ctx), recomputed, status(c.status, strings)]),
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
