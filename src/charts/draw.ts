import type { TopLevelSpec } from 'vega-lite';
import { formatter } from '../render/format.js';
import { accessibleSvg, renderSvg } from './render.js';
import type { ChartText } from './spec.js';

/** One chart to draw: plain data, so it can cross to another thread. */
export interface ChartJob {
  spec: TopLevelSpec;
  locale: string;
  text: ChartText;
  /** Unique in the page the SVG is inlined in. */
  id: string;
}

/** Spec → accessible SVG in the job's locale. */
export async function drawChart(job: ChartJob): Promise<string> {
  const format = formatter(job.locale);
  return accessibleSvg(await renderSvg(job.spec, format), job.text, job.id);
}
