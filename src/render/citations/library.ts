import { plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { InputError } from '../../errors.js';
import type { SourceFile } from '../../load/study.js';

/** A work in CSL-JSON, the form every citation style is applied to. */
export interface CslItem {
  id: string;
  type: string;
  [field: string]: unknown;
}

/** The works a study may cite, by key. */
export interface Library {
  file: string;
  items: Map<string, CslItem>;
}

const lineAt = (text: string, index: number) =>
  (text.slice(0, index).match(/\n/g)?.length ?? 0) + 1;

/**
 * Reads `data/references.bib` (BibTeX or BibLaTeX, read by citation.js) or
 * `data/references.json` (CSL-JSON, as Zotero exports it). A syntax error, a work without a
 * key or type, or a key given twice is an error naming the file and line.
 */
export function parseLibrary(file: SourceFile): Library {
  const items = file.path.endsWith('.json') ? cslJson(file) : bibtex(file);
  return { file: file.path, items };
}

function bibtex(file: SourceFile): Map<string, CslItem> {
  let parsed: CslItem[];
  try {
    parsed = plugins.input.chain(file.text, {
      forceType: '@biblatex/text',
      generateGraph: false,
    }) as CslItem[];
  } catch (error) {
    const message = (error as Error).message;
    const at = /^(.*?) at line (\d+) col \d+/.exec(message);
    throw new InputError(
      file.path,
      at ? Number(at[2]) : undefined,
      `BibTeX syntax error: ${at ? at[1] : message.split('\n')[0]}`,
      'each entry is @type{key, field = {value}, …}, fields separated by commas',
    );
  }
  const items = new Map<string, CslItem>();
  const entry = /@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)\s*,/g;
  const lines = new Map<string, number[]>();
  for (const m of file.text.matchAll(entry)) {
    const key = m[2] ?? '';
    lines.set(key, [...(lines.get(key) ?? []), lineAt(file.text, m.index)]);
  }
  for (const item of parsed) {
    const key = String(item['citation-key'] ?? item.id ?? '');
    if (!key)
      throw new InputError(file.path, undefined, 'an entry has no key', 'write @type{key, …}');
    if (items.has(key))
      throw new InputError(
        file.path,
        lines.get(key)?.[1],
        `the key "${key}" is given twice`,
        `the first is on line ${lines.get(key)?.[0]}; give each work its own key`,
      );
    items.set(key, { ...item, id: key });
  }
  return items;
}

function cslJson(file: SourceFile): Map<string, CslItem> {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const line = /\(line (\d+)/.exec(message)?.[1];
    throw new InputError(
      file.path,
      line ? Number(line) : position ? lineAt(file.text, Number(position[1])) : undefined,
      `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '')}`,
    );
  }
  if (!Array.isArray(data))
    throw new InputError(file.path, 1, 'CSL-JSON is a list of works: [{"id": …, "type": …}, …]');
  const items = new Map<string, CslItem>();
  const lineOf = (id: unknown) => {
    const at = file.text.indexOf(`"id"`, 0);
    if (typeof id !== 'string') return at === -1 ? undefined : lineAt(file.text, at);
    const m = new RegExp(
      `"id"\\s*:\\s*${JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
    ).exec(file.text);
    return m ? lineAt(file.text, m.index) : undefined;
  };
  data.forEach((item: unknown, i) => {
    const work = item as Partial<CslItem> | null;
    if (!work || typeof work !== 'object' || typeof work.id !== 'string' || work.id === '')
      throw new InputError(
        file.path,
        undefined,
        `work ${i + 1} has no "id" (its citation key, a string)`,
      );
    if (typeof work.type !== 'string')
      throw new InputError(
        file.path,
        lineOf(work.id),
        `the work "${work.id}" has no "type" (a CSL type such as "book" or "article-journal")`,
      );
    if (items.has(work.id))
      throw new InputError(file.path, undefined, `the key "${work.id}" is given twice`);
    items.set(work.id, work as CslItem);
  });
  return items;
}
