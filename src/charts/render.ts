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
 * Renders a Vega-Lite spec to static SVG in Node (no browser, no canvas), in the page's number
 * locale. Given `runtimes`, charts alike share their compiled spec (the same SVG, sooner).
 */
export async function renderSvg(
  spec: TopLevelSpec,
  format: Formatter,
  runtimes?: Map<string, vega.Runtime>,
): Promise<string> {
  const { runtime, values, signals } = runtimes
    ? prepare(spec, runtimes)
    : { runtime: vega.parse(compile(spec).spec), values: undefined, signals: [] };
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
 * `id` must be unique in the page the SVG is inlined in. Returns the SVG with the size the
 * renderer drew it at, in CSS pixels.
 */
export function accessibleSvg(
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
