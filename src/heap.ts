import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined | null = null;

/**
 * Collects the heap now when it holds more than `budget` bytes (a no-op where the collector cannot
 * be reached). A build calls it while the PDF thread typesets: V8 would grow the heap with a
 * language's garbage while Typst holds its layout, and the process's peak is their sum.
 */
export function collectHeap(budget: number): void {
  if (collect === null) {
    try {
      // the collector, without --expose-gc on the command line
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = undefined;
    }
  }
  if (collect && getHeapStatistics().used_heap_size > budget) collect();
}
