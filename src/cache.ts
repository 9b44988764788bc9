import type { Runtime } from 'vega';
import type { Claim } from './load/claims.js';
import type { Codebook } from './load/codebook.js';

/**
 * What a long-running caller (preview) keeps from one build to the next, every entry keyed by
 * the content it was made from, so a hit is exactly what the work would give again. A build
 * without one starts from empty maps and keeps nothing: no stage holds state of its own.
 */
export interface BuildCache {
  /** Accessible SVG of a chart and its size, by locale and Vega-Lite spec. */
  charts: Map<string, { svg: string; width: number; height: number }>;
  /** Parsed Vega runtimes, by the spec with its data and titles taken out (see renderSvg). */
  runtimes: Map<string, Runtime>;
  /** Compiled templates, by path, helper names and text. */
  templates: Map<string, HandlebarsTemplateDelegate>;
  /** The parsed codebook and claims, by the text of their files. */
  designs: Map<string, { codebook: Codebook; claims: Claim[]; warnings: string[] }>;
}

export function buildCache(): BuildCache {
  return { charts: new Map(), runtimes: new Map(), templates: new Map(), designs: new Map() };
}

/** Keeps a map to its `most` newest entries (a preview meets many versions of a file). */
export function trim<K, V>(map: Map<K, V>, most: number): void {
  for (const key of map.keys()) {
    if (map.size <= most) return;
    map.delete(key);
  }
}
