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

/** Renders a Vega-Lite spec to static SVG in Node (no browser, no canvas), in the page's number locale. */
export async function renderSvg(spec: TopLevelSpec, format: Formatter): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), {
    renderer: 'none',
    locale: localeOf(format),
  });
  try {
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
