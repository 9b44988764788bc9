import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.js';
import { compilePdf, type PdfDocument } from './pdf.js';
import type { PdfReply, PdfRequest } from './pdf-worker.js';

/** Compiles PDFs without holding up the caller; `close` ends its thread. */
export interface PdfCompiler {
  compile: (doc: PdfDocument) => Promise<Uint8Array>;
  close: () => Promise<void>;
}

const WORKER = join(packageRoot, 'dist/bundle/pdf-worker.js');

/** Compiles in the calling thread. */
export const inThread: PdfCompiler = {
  compile: async (doc) => compilePdf(doc),
  close: async () => {},
};

/**
 * A compiler on a second thread (the bundled worker of the installed tool), started at once;
 * in the calling thread when the bundle is not there. Same Typst, same bytes.
 */
export function pdfThread(): PdfCompiler {
  if (!existsSync(WORKER)) return inThread;
  let worker: Worker | undefined;
  const pending = new Map<
    number,
    { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  const start = () => {
    const w = new Worker(WORKER);
    w.on('message', (reply: PdfReply) => {
      const job = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.pdf)
        job?.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else job?.reject(new Error(reply.error ?? 'PDF compilation failed'));
    });
    w.on('error', (error) => {
      for (const job of pending.values()) job.reject(error);
      pending.clear();
    });
    return w;
  };
  // started now: the thread reads its fonts while the caller draws the first charts
  worker = start();
  return {
    compile: (doc) => {
      worker ??= start();
      const w = worker;
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, doc } satisfies PdfRequest);
      });
    },
    close: async () => {
      await worker?.terminate();
    },
  };
}
