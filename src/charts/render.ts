import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toXast } from 'hast-util-to-xast';
import { visit } from 'unist-util-visit';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
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
  const tree = fromHtml(svg, { fragment: true, space: 'svg' }) as Root;
  const root = tree.children.find((n): n is Element => n.type === 'element' && n.tagName === 'svg');
  if (!root) throw new Error('renderer returned no <svg> element');
  root.properties = {
    ...root.properties,
    role: 'img',
    ariaLabelledBy: [`${id}-title`],
    ariaDescribedBy: [`${id}-desc`],
  };
  const node = (tagName: string, suffix: string, value: string): ElementContent => ({
    type: 'element',
    tagName,
    properties: { id: `${id}-${suffix}` },
    children: [{ type: 'text', value }],
  });
  // Vega's marks describe themselves in English; the chart speaks through its title and desc instead.
  // Their labels are dropped, and the marks hidden from assistive technology.
  visit(root, 'element', (el: Element) => {
    if (el === root) return;
    const { ariaLabel, ariaRoleDescription, role, ...rest } = el.properties;
    el.properties = rest;
  });
  for (const child of root.children) {
    if (child.type === 'element' && child.tagName === 'g')
      child.properties = { ...child.properties, ariaHidden: 'true' };
  }
  root.children.unshift(node('title', 'title', text.title), node('desc', 'desc', text.description));
  // serialised as XML: an SVG file must be well-formed for every reader, not only browsers
  return toXml(toXast(tree));
}
