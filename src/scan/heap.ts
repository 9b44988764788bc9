import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * What a scan's heap may hold before it is collected. A scan keeps one chunk and running totals
 * alive (it completes with the old generation capped at 64 MB), but V8 grows the heap well past
 * that before it collects: 2 MB of prose peaked at 250–330 MB of resident memory. Collecting
 * between chunks, once the heap is over this budget, keeps the process under 200 MiB.
 */
export const HEAP_BUDGET = 64 * 2 ** 20;

let collect: (() => void) | undefined | null = null;

/** Collects the heap when it holds more than HEAP_BUDGET (called between chunks). */
export function keepHeapSmall(): void {
  if (collect === null) {
    try {
      // the collector, without --expose-gc on the command line
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  if (collect && getHeapStatistics().used_heap_size > HEAP_BUDGET) collect();
}

/** The chunks of `chunks`, the heap kept small between them. */
export async function* withSmallHeap<T>(chunks: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    keepHeapSmall();
    yield chunk;
  }
}
