import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plugins } from '@citation-js/core';
import '@citation-js/plugin-csl';
import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { PhrasingContent } from 'mdast';
import { InputError } from '../../errors.js';
import { packageRoot } from '../../paths.js';
import type { CslItem, Library } from './library.js';
import type { CitedItem } from './syntax.js';

/**
 * One formatter for every output: citation.js runs citeproc-js over a CSL style and locale, and
 * the same text goes into the HTML page, the PDF and any other back-end. The styles and locales
 * are files shipped in assets/csl/ (nothing is fetched).
 */

const CSL_DIR = join(packageRoot, 'assets', 'csl');
/** The CSL locales shipped, and the one a language's code falls back to. */
const LOCALES = ['de-DE', 'en-GB', 'en-US', 'es-ES', 'fr-FR', 'pt-BR', 'pt-PT'];
const BY_LANGUAGE: Record<string, string> = {
  de: 'de-DE',
  en: 'en-US',
  es: 'es-ES',
  fr: 'fr-FR',
  pt: 'pt-BR',
};

/** A CSL style: where it came from (for errors) and its XML. */
export interface CitationStyle {
  path: string;
  xml: string;
}

const shipped = new Map<string, string>();
const readShipped = (name: string) => {
  let xml = shipped.get(name);
  if (xml === undefined) {
    xml = readFileSync(join(CSL_DIR, name), 'utf8');
    shipped.set(name, xml);
  }
  return xml;
};

/** The shipped CSL locale for a language's locale (`es-PE` → `es-ES`; `en-US` for a language none fits). */
export function cslLocale(locale: string): string {
  if (LOCALES.includes(locale)) return locale;
  const primary = locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
  return BY_LANGUAGE[primary] ?? 'en-US';
}

/**
 * The style of a language: the study's own CSL file when it names one, else APA 7 — in Spanish
 * the variant that joins the last two names with "y" (the stock style prints "&" in every
 * language).
 */
export function styleFor(lang: string, custom?: CitationStyle): CitationStyle {
  if (custom) return custom;
  const name = lang.split(/[-_]/)[0]?.toLowerCase() === 'es' ? 'apa-es.csl' : 'apa.csl';
  return { path: `assets/csl/${name}`, xml: readShipped(name) };
}

/** A part of a formatted citation: the text of one work (with its key) or what stands between. */
export interface Segment {
  text: string;
  key?: string;
}

export interface Formatted {
  /** Each citation, in the order given, as its segments. */
  citations: Segment[][];
  /** The works cited, in the style's order: key and entry as mdast phrasing. */
  bibliography: { key: string; content: PhrasingContent[] }[];
}

let localesRegistered = false;

function engineFor(library: Library, style: CitationStyle, locale: string) {
  const csl = plugins.config.get('@csl');
  if (!localesRegistered) {
    for (const code of LOCALES) csl.locales.set(code, readShipped(`locales-${code}.xml`));
    localesRegistered = true;
  }
  // a style is registered under its content's hash: two studies' files never share a name
  const name = `style-${createHash('sha256').update(style.xml).digest('hex').slice(0, 16)}`;
  if (!csl.templates.has(name)) {
    if (!/<style\b[^>]*xmlns="http:\/\/purl\.org\/net\/xbiblio\/csl"/.test(style.xml))
      throw new InputError(
        style.path,
        undefined,
        'not a CSL style (no <style> in the CSL namespace)',
      );
    csl.templates.add(name, style.xml);
  }
  try {
    return csl.engine([...library.items.values()], name, cslLocale(locale), 'text');
  } catch (error) {
    throw new InputError(
      style.path,
      undefined,
      `the CSL style cannot be used: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

// Invisible separator and invisible plus: citeproc keeps them, so each work's part of a
// citation of several works can be found in the text it returns.
const OPEN = '\u2063';
const CLOSE = '\u2064';

function cslItem(item: CitedItem, marked?: number) {
  const suffix = item.suffix ? `, ${item.suffix}` : '';
  return {
    id: item.key,
    ...(item.locator ? { locator: item.locator, label: item.label ?? 'page' } : {}),
    ...(item.suppressAuthor ? { 'suppress-author': true } : {}),
    ...(marked === undefined
      ? suffix
        ? { suffix }
        : {}
      : { prefix: OPEN.repeat(marked + 1), suffix: `${suffix}${CLOSE}` }),
  };
}

/** Formats citations (each a list of works) and the list of works they cite. */
export function formatCitations(
  library: Library,
  citations: CitedItem[][],
  style: CitationStyle,
  locale: string,
): Formatted {
  const engine = engineFor(library, style, locale);
  const citation = (items: CitedItem[], i: number, marked: boolean) => ({
    citationID: `c${i}`,
    citationItems: items.map((item, j) => cslItem(item, marked ? j : undefined)),
    properties: { noteIndex: 0 },
  });
  const plain = engine.rebuildProcessorState(
    citations.map((c, i) => citation(c, i, false)),
    'text',
  );
  const marked = engine.rebuildProcessorState(
    citations.map((c, i) => citation(c, i, true)),
    'text',
  );
  const formatted = citations.map((items, i) => {
    const text = plain[i]?.[2] ?? '';
    const withMarks = marked[i]?.[2] ?? '';
    const segments: Segment[] = [];
    let at = 0;
    for (const m of withMarks.matchAll(/(\u2063+)([^\u2063\u2064]*)\u2064/g)) {
      if (m.index > at) segments.push({ text: withMarks.slice(at, m.index) });
      segments.push({ text: m[2] ?? '', key: items[(m[1]?.length ?? 1) - 1]?.key });
      at = m.index + m[0].length;
    }
    if (at < withMarks.length) segments.push({ text: withMarks.slice(at) });
    // where the style moved the marks (collapsed works, say), the citation links to its first work
    const same =
      segments.map((s) => s.text).join('') === text &&
      segments.every((s) => !/[\u2063\u2064]/.test(s.text));
    return same ? segments.filter((s) => s.text !== '') : [{ text, key: items[0]?.key }];
  });
  engine.setOutputFormat('html');
  const bib = engine.makeBibliography();
  const bibliography = bib
    ? bib[1].map((html, i) => ({
        key: bib[0].entry_ids[i]?.[0] ?? '',
        content: htmlToPhrasing(html),
      }))
    : [];
  return { citations: formatted, bibliography };
}

/**
 * Reference-list entries for works given directly (the report and its source, in "how to
 * cite"), in the order given, by the same engine, style and locale as the works cited.
 */
export function formatReferences(
  works: CslItem[],
  style: CitationStyle,
  locale: string,
): PhrasingContent[][] {
  // citeproc keeps a work by its id across calls: the id is the work's content, so a work
  // changed by another build is never printed from the cache
  const ids = works.map(
    (w) => `work-${createHash('sha256').update(JSON.stringify(w)).digest('hex').slice(0, 16)}`,
  );
  const items = new Map(works.map((w, i) => [ids[i] as string, { ...w, id: ids[i] as string }]));
  const engine = engineFor({ file: style.path, items }, style, locale);
  engine.updateItems(ids);
  engine.setOutputFormat('html');
  const bib = engine.makeBibliography();
  const byId = new Map<string, PhrasingContent[]>();
  if (bib)
    bib[1].forEach((html, i) => {
      byId.set(bib[0].entry_ids[i]?.[0] ?? '', htmlToPhrasing(html));
    });
  return ids.map((id) => byId.get(id) ?? []);
}

/** citeproc's HTML of an entry as mdast: italics, bold and links kept, everything else as text. */
function htmlToPhrasing(html: string): PhrasingContent[] {
  const tree = fromHtml(html.trim(), { fragment: true });
  const convert = (nodes: ElementContent[]): PhrasingContent[] =>
    nodes.flatMap((node): PhrasingContent[] => {
      if (node.type === 'text') return node.value ? [{ type: 'text', value: node.value }] : [];
      if (node.type !== 'element') return [];
      const children = convert(node.children);
      return element(node, children);
    });
  const element = (node: Element, children: PhrasingContent[]): PhrasingContent[] => {
    if (node.tagName === 'i' || node.tagName === 'em') return [{ type: 'emphasis', children }];
    if (node.tagName === 'b' || node.tagName === 'strong') return [{ type: 'strong', children }];
    if (node.tagName === 'a' && typeof node.properties.href === 'string')
      return [{ type: 'link', url: node.properties.href, children }];
    return children;
  };
  const merged: PhrasingContent[] = [];
  for (const node of convert(tree.children as ElementContent[])) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text') last.value += node.value;
    else merged.push(node);
  }
  // the entry's text as one line: the HTML's line breaks and indents are no part of it
  for (const node of merged)
    if (node.type === 'text') node.value = node.value.replace(/[ \t\r\n]+/g, ' ');
  const first = merged[0];
  if (first?.type === 'text') first.value = first.value.replace(/^[ \t\r\n]+/, '');
  const last = merged[merged.length - 1];
  if (last?.type === 'text') last.value = last.value.replace(/[ \t\r\n]+$/, '');
  return merged;
}

/** The locale's word for the list of works cited ("References", "Referencias"). */
export function referencesHeading(locale: string): string {
  const xml = readShipped(`locales-${cslLocale(locale)}.xml`);
  const word =
    /<term name="reference">\s*<single>[^<]*<\/single>\s*<multiple>([^<]+)<\/multiple>/.exec(
      xml,
    )?.[1] ?? 'references';
  return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
}
