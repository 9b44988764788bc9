import { visit } from 'unist-util-visit';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Element, ElementContent } from 'xast';
import { fromXml } from 'xast-util-from-xml';
import { toXml } from 'xast-util-to-xml';
import type { Formatter } from '../render/format.js';
import type { ChartText } from './spec.js';

/** vega's locale() is exported at run time but missing from its typings. */
const vegaLocale = (
  vega as unknown as { locale: (number: object, time?: object) => vega.LocaleFormatters }
).locale;
const localeOf = (format: Formatter) => vegaLocale(format.d3Locale);

/**
 * A spec split into what is compiled and what is given to each view: its inline data and its
 * title texts become a named dataset and two signals, so that charts alike but for those share
 * one compiled and parsed Vega runtime. (Vega-Lite compiling is most of a chart's time.)
 */
interface Prepared {
  runtime: vega.Runtime;
  values?: unknown[];
  signals: [string, unknown][];
}

const DATA = 'table';
const runtimes = new Map<string, vega.Runtime>();

function prepare(spec: TopLevelSpec, reuse: boolean): Prepared {
  const data = (spec as { data?: { values?: unknown } }).data;
  const title = (spec as { title?: unknown }).title;
  const values = Array.isArray(data?.values) ? (data.values as unknown[]) : undefined;
  if (
    !reuse ||
    !values ||
    (title !== undefined && typeof title !== 'string' && typeof title !== 'object')
  )
    return { runtime: vega.parse(compile(spec).spec), signals: [] };
  const signals: [string, unknown][] = [];
  const params: { name: string; value: unknown }[] = [];
  const expr = (name: string, value: unknown) => {
    signals.push([name, value]);
    params.push({ name, value: '' });
    return { expr: name };
  };
  let templateTitle: unknown = title;
  if (typeof title === 'string') templateTitle = expr('chartTitle', title);
  else if (title && typeof title === 'object') {
    const t = title as { text?: unknown; subtitle?: unknown };
    templateTitle = {
      ...t,
      ...(typeof t.text === 'string' ? { text: expr('chartTitle', t.text) } : {}),
      ...(typeof t.subtitle === 'string' ? { subtitle: expr('chartSubtitle', t.subtitle) } : {}),
    };
  }
  const { description: _description, ...rest } = spec as TopLevelSpec & { description?: string };
  const template = {
    ...rest,
    data: { name: DATA },
    ...(templateTitle === undefined ? {} : { title: templateTitle }),
    params: [...((rest as { params?: unknown[] }).params ?? []), ...params],
  } as TopLevelSpec;
  const key = JSON.stringify(template);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = vega.parse(compile(template).spec);
    runtimes.set(key, runtime);
    for (const old of runtimes.keys()) if (runtimes.size > 32) runtimes.delete(old);
  }
  return { runtime, values, signals };
}

/**
 * Renders a Vega-Lite spec to static SVG in Node (no browser, no canvas), in the page's number
 * locale. `reuse: false` compiles the spec as it is (the same SVG, more slowly).
 */
export async function renderSvg(
  spec: TopLevelSpec,
  format: Formatter,
  options: { reuse?: boolean } = {},
): Promise<string> {
  const { runtime, values, signals } = prepare(spec, options.reuse ?? true);
  const view = new vega.View(runtime, { renderer: 'none', locale: localeOf(format) });
  try {
    for (const [name, value] of signals) view.signal(name, value);
    if (values) view.data(DATA, values);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Gives a chart an accessible name and description in the page's language:
 * `role="img"`, `<title>` and `<desc>` (Vega's own are missing or English only).
 * `id` must be unique in the page the SVG is inlined in.
 */
export function accessibleSvg(svg: string, text: ChartText, id: string): string {
  // Vega writes well-formed XML: read as XML (faster than an HTML parser, and exact)
  const tree = fromXml(svg);
  const root = tree.children.find((n): n is Element => n.type === 'element' && n.name === 'svg');
  if (!root) throw new Error('renderer returned no <svg> element');
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
  return toXml(tree);
}
