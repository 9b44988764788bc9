import { collectHeap } from '../heap.js';

/**
 * What a scan's heap may hold before it is collected. A scan keeps one chunk and running totals
 * alive (it completes with the old generation capped at 64 MB), but V8 grows the heap well past
 * that before it collects: 2 MB of prose peaked at 250–330 MB of resident memory. Collecting
 * between chunks, once the heap is over this budget, keeps the process under 200 MiB.
 */
export const HEAP_BUDGET = 64 * 2 ** 20;

/** The chunks of `chunks`, the heap collected between them when it holds more than HEAP_BUDGET. */
export async function* withSmallHeap<T>(chunks: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const chunk of chunks) {
    collectHeap(HEAP_BUDGET);
    yield chunk;
  }
}

/** The batches of numbers of one chunk, the heap collected between them as between chunks. */
export function* batchesWithSmallHeap<T>(batches: Iterable<T>): Generator<T> {
  for (const batch of batches) {
    collectHeap(HEAP_BUDGET);
    yield batch;
  }
}
