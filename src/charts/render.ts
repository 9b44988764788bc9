import { visit } from 'unist-util-visit';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Element, ElementContent } from 'xast';
import { fromXml } from 'xast-util-from-xml';
import { toXml } from 'xast-util-to-xml';
import { trim } from '../cache.js';
import type { Formatter } from '../locale/format.js';
import type { ChartText } from './spec.js';

/** vega's locale() is exported at run time but missing from its typings. */
const vegaLocale = (
  vega as unknown as { locale: (number: object, time?: object) => vega.LocaleFormatters }
).locale;
const localeOf = (format: Formatter) => vegaLocale(format.d3Locale);

/** What Vega makes a view's code with: a function per expression, compiled from its text. */
type ExpressionCodegen = Record<
  'operator' | 'parameter' | 'event' | 'handler' | 'encode',
  (ctx: { functions?: object } | undefined, expr: never) => (...args: unknown[]) => unknown
>;
/** Vega's own code generation (`runtimeContext` is exported at run time, missing from the typings). */
const vegaCodegen = (
  vega as unknown as {
    runtimeContext: (dataflow: object, transforms: object) => { expr: ExpressionCodegen };
  }
).runtimeContext({ events: () => undefined }, {}).expr;
const compiledExpressions = new Map<string, (...args: unknown[]) => unknown>();
/**
 * Vega's code generation, with each expression's function compiled once for every view: Vega
 * compiles (`Function`) every expression of a spec again for each view made from it, most of a
 * view's making. The function is the one Vega makes of the same text, bound as Vega binds it.
 */
const expressionCodegen: ExpressionCodegen = (() => {
  type Expr = { code: string };
  type Encode = { marktype: string; channels: Record<string, { code: string }> };
  const once =
    <E>(kind: keyof ExpressionCodegen, key: (expr: E) => string) =>
    (ctx: { functions?: object } | undefined, expr: E) => {
      const k = `${kind}\n${key(expr)}`;
      let fn = compiledExpressions.get(k);
      if (!fn) {
        // made without functions to bind to: unbound, as Vega makes it before binding
        fn = vegaCodegen[kind]({}, expr as never);
        if (compiledExpressions.size >= 10_000) compiledExpressions.clear();
        compiledExpressions.set(k, fn);
      }
      return ctx?.functions ? fn.bind(ctx.functions) : fn;
    };
  const code = (expr: Expr) => expr.code;
  return {
    ...vegaCodegen,
    operator: once('operator', code),
    parameter: once('parameter', code),
    event: once('event', code),
    handler: once('handler', code),
    // its code is made of the mark type and each channel's name and code
    encode: once('encode', (e: Encode) =>
      JSON.stringify([e.marktype, Object.entries(e.channels).map(([n, c]) => [n, c.code])]),
    ),
  } as ExpressionCodegen;
})();

/** Inline data become this named dataset, given to each view. */
const DATA = 'table';

/**
 * A spec split into what is compiled and what each view is given: its inline data become a
 * named dataset and its title texts signals, so that charts alike but for those share one
 * compiled and parsed Vega runtime (Vega-Lite compiling is most of a chart's time). A spec
 * whose data or title take another form is compiled as it is.
 */
function prepare(
  spec: TopLevelSpec,
  runtimes: Map<string, vega.Runtime>,
): { runtime: vega.Runtime; values?: unknown[]; signals: [string, string][] } {
  const {
    data,
    title,
    description: _description,
    ...rest
  } = spec as TopLevelSpec & {
    data?: { values?: unknown };
    title?: string | { text?: unknown; subtitle?: unknown };
    description?: string;
  };
  const titleObject = typeof title === 'object' && !Array.isArray(title) ? title : undefined;
  if (
    !Array.isArray(data?.values) ||
    (title !== undefined && typeof title !== 'string' && !titleObject)
  )
    return { runtime: vega.parse(compile(spec).spec), signals: [] };
  const signals: [string, string][] = [];
  const signal = (name: string, value: unknown) => {
    if (typeof value !== 'string') return value;
    signals.push([name, value]);
    return { expr: name };
  };
  const template = {
    ...rest,
    data: { name: DATA },
    ...(title === undefined
      ? {}
      : {
          title: titleObject
            ? {
                ...titleObject,
                text: signal('chartTitle', titleObject.text),
                subtitle: signal('chartSubtitle', titleObject.subtitle),
              }
            : signal('chartTitle', title),
        }),
    params: [
      ...((rest as { params?: unknown[] }).params ?? []),
      ...signals.map(([name]) => ({ name, value: '' })),
    ],
  } as TopLevelSpec;
  const key = JSON.stringify(template);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = vega.parse(compile(template).spec);
    runtimes.set(key, runtime);
    trim(runtimes, 32);
  }
  return { runtime, values: data.values, signals };
}

/**
 * Views made from a shared runtime, by runtime and locale, kept for the next chart of the same
 * shape: making a view (its dataflow built from the runtime) is most of a chart's drawing, and
 * a view given new data and titles draws what a new view of them draws. Held as long as the
 * runtime is.
 */
const views = new WeakMap<
  vega.Runtime,
  Map<string, { view: vega.View; busy: boolean; used: boolean }>
>();

function newView(runtime: vega.Runtime, format: Formatter): vega.View {
  return new vega.View(runtime, {
    renderer: 'none',
    locale: localeOf(format),
    expr: expressionCodegen,
  } as vega.ViewOptions);
}

/**
 * Renders a Vega-Lite spec to static SVG in Node (no browser, no canvas), in the page's number
 * locale. Given `runtimes`, charts alike share their compiled spec and their view (the same
 * SVG, sooner).
 */
export async function renderSvg(
  spec: TopLevelSpec,
  format: Formatter,
  runtimes?: Map<string, vega.Runtime>,
): Promise<string> {
  const { runtime, values, signals } = runtimes
    ? prepare(spec, runtimes)
    : { runtime: vega.parse(compile(spec).spec), values: undefined, signals: [] };
  if (values === undefined) {
    // a spec compiled as it is: drawn once
    const view = newView(runtime, format);
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  }
  let byLocale = views.get(runtime);
  if (!byLocale) {
    byLocale = new Map();
    views.set(runtime, byLocale);
  }
  // a view drawing another chart (calls in parallel) is not shared: this chart gets its own
  let kept = byLocale.get(format.locale);
  if (kept?.busy) kept = undefined;
  else if (!kept) {
    kept = { view: newView(runtime, format), busy: false, used: false };
    byLocale.set(format.locale, kept);
  }
  const view = kept?.view ?? newView(runtime, format);
  if (kept) kept.busy = true;
  try {
    if (kept?.used) {
      // the last chart's rows taken out first and the flow run: its operators (groups,
      // scale domains) then hold nothing of it, and order the new rows as a new view would
      view.data(DATA, []);
      await view.runAsync();
    }
    for (const [name, value] of signals) view.signal(name, value);
    view.data(DATA, values);
    if (kept) kept.used = true;
    return await view.toSVG();
  } catch (error) {
    // a view that failed midway is not drawn from again
    if (kept) {
      byLocale.delete(format.locale);
      view.finalize();
    }
    throw error;
  } finally {
    if (kept) kept.busy = false;
    else view.finalize();
  }
}

/**
 * Gives a chart an accessible name and description in the page's language:
 * `role="img"`, `<title>` and `<desc>` (Vega's own are missing or English only).
 * `id` must be unique in the page the SVG is inlined in. Returns the SVG with the size the
 * renderer drew it at, in CSS pixels.
 *
 * Vega's SVG is read by a scanner of the plain XML it writes (elements, double-quoted
 * attributes, text, the five named and numeric references), written back as `toXml` writes it;
 * any other markup (a comment, CDATA, a doctype, another quote or reference) is read by the XML
 * parser instead, as is the whole of it by `accessibleSvgXml`. A test compares the two.
 */
export function accessibleSvg(
  svg: string,
  text: ChartText,
  id: string,
): { svg: string; width: number; height: number } {
  return plainAccessibleSvg(svg, text, id) ?? accessibleSvgXml(svg, text, id);
}

/** The attributes accessibleSvg gives the root, in order. */
const rootAttributes = (id: string): [string, string][] => [
  ['role', 'img'],
  ['aria-labelledby', `${id}-title`],
  ['aria-describedby', `${id}-desc`],
];
/** Vega's marks describe themselves in English: these are dropped below the root. */
const DROPPED = new Set(['aria-label', 'aria-roledescription', 'role']);

// as xast-util-to-xml writes: characters XML cannot hold dropped, `&` and `<` (and the quote in
// an attribute) as hexadecimal references
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is dropped
const NONCHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const escapeText = (value: string) =>
  value.replace(NONCHARACTER, '').replace(/[&<]/g, (c) => (c === '&' ? '&#x26;' : '&#x3C;'));
const escapeAttribute = (value: string) =>
  value
    .replace(NONCHARACTER, '')
    .replace(/[&<"]/g, (c) => (c === '&' ? '&#x26;' : c === '<' ? '&#x3C;' : '&#x22;'));
/** Characters XML does not allow (the parser refuses them) and lone surrogates. */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** A reference's character, or undefined for one this scanner leaves to the XML parser. */
function referenced(body: string): string | undefined {
  const named = NAMED[body];
  if (named !== undefined) return named;
  const code = /^#x[0-9a-fA-F]{1,6}$/.test(body)
    ? Number.parseInt(body.slice(2), 16)
    : /^#[0-9]{1,7}$/.test(body)
      ? Number.parseInt(body.slice(1), 10)
      : Number.NaN;
  // only plain characters: XML refuses some code points, and the parser says so
  if (!(code >= 0x20 && code <= 0xd7ff) && !(code >= 0xe000 && code <= 0xfffd)) return undefined;
  return String.fromCharCode(code);
}
/** Character data as read (references replaced), or undefined when it is not plain. */
function decoded(raw: string, attribute: boolean): string | undefined {
  // line ends and, in attributes, white space are normalised by an XML parser: left to it
  if (attribute ? /[<\t\n\r]/.test(raw) : /[\r>]/.test(raw)) return undefined;
  // characters XML does not allow (the parser refuses them), lone surrogates
  if (NOT_XML.test(raw)) return undefined;
  if (!raw.includes('&')) return raw;
  let ok = true;
  const value = raw.replace(/&([^;&]*);?/g, (match, body: string) => {
    const c = match.endsWith(';') ? referenced(body) : undefined;
    if (c === undefined) ok = false;
    return c ?? '';
  });
  return ok ? value : undefined;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)="([^"]*)"/g;

/** accessibleSvg on Vega's plain XML; undefined for anything else. */
function plainAccessibleSvg(
  svg: string,
  text: ChartText,
  id: string,
): { svg: string; width: number; height: number } | undefined {
  const out: string[] = [];
  const open: string[] = [];
  let at = 0;
  let width = Number.NaN;
  let height = Number.NaN;
  let done = false;
  while (at < svg.length) {
    const lt = svg.indexOf('<', at);
    const end = lt === -1 ? svg.length : lt;
    if (end > at) {
      // text: only inside the root (the parser keeps none outside it)
      if (open.length === 0) return undefined;
      const value = decoded(svg.slice(at, end), false);
      if (value === undefined) return undefined;
      out.push(escapeText(value));
      at = end;
      continue;
    }
    if (done) return undefined;
    TAG.lastIndex = at;
    const tag = TAG.exec(svg);
    if (!tag) return undefined;
    at = TAG.lastIndex;
    const [, closing, name = '', attributeText = '', empty] = tag;
    if (closing) {
      if (attributeText || empty || open.pop() !== name) return undefined;
      out.push(`</${name}>`);
      if (open.length === 0) done = true;
      continue;
    }
    const attributes = new Map<string, string>();
    for (const [, key = '', raw = ''] of attributeText.matchAll(ATTRIBUTE)) {
      const value = decoded(raw, true);
      if (value === undefined || attributes.has(key)) return undefined;
      attributes.set(key, value);
    }
    const depth = open.length;
    if (depth === 0) {
      if (name !== 'svg' || out.length > 0) return undefined;
      width = Number(attributes.get('width'));
      height = Number(attributes.get('height'));
      if (!(width > 0 && height > 0)) return undefined;
      for (const [key, value] of rootAttributes(id)) attributes.set(key, value);
    } else {
      for (const key of DROPPED) attributes.delete(key);
      if (depth === 1 && name === 'g') attributes.set('aria-hidden', 'true');
    }
    let written = `<${name}`;
    for (const [key, value] of attributes) written += ` ${key}="${escapeAttribute(value)}"`;
    out.push(`${written}>`);
    if (depth === 0)
      out.push(
        `<title id="${escapeAttribute(`${id}-title`)}">${escapeText(text.title)}</title>`,
        `<desc id="${escapeAttribute(`${id}-desc`)}">${escapeText(text.description)}</desc>`,
      );
    if (empty) {
      out.push(`</${name}>`);
      if (depth === 0) done = true;
    } else open.push(name);
  }
  if (!done) return undefined;
  return { svg: out.join(''), width, height };
}

/** accessibleSvg through the XML parser and serializer (xast): the reader of record. */
export function accessibleSvgXml(
  svg: string,
  text: ChartText,
  id: string,
): { svg: string; width: number; height: number } {
  // Vega writes well-formed XML: read as XML (faster than an HTML parser, and exact)
  const tree = fromXml(svg);
  const root = tree.children.find((n): n is Element => n.type === 'element' && n.name === 'svg');
  if (!root) throw new Error('renderer returned no <svg> element');
  const width = Number(root.attributes.width);
  const height = Number(root.attributes.height);
  if (!(width > 0 && height > 0)) throw new Error('renderer returned an <svg> of no size');
  Object.assign(root.attributes, {
    role: 'img',
    'aria-labelledby': `${id}-title`,
    'aria-describedby': `${id}-desc`,
  });
  const node = (name: string, suffix: string, value: string): ElementContent => ({
    type: 'element',
    name,
    attributes: { id: `${id}-${suffix}` },
    children: [{ type: 'text', value }],
  });
  // Vega's marks describe themselves in English; the chart speaks through its title and desc instead.
  // Their labels are dropped, and the marks hidden from assistive technology.
  visit(root, 'element', (el: Element) => {
    if (el === root) return;
    delete el.attributes['aria-label'];
    delete el.attributes['aria-roledescription'];
    delete el.attributes.role;
  });
  for (const child of root.children) {
    if (child.type === 'element' && child.name === 'g') child.attributes['aria-hidden'] = 'true';
  }
  root.children.unshift(node('title', 'title', text.title), node('desc', 'desc', text.description));
  return { svg: toXml(tree), width, height };
}
