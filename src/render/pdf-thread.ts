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
  // started now: the thread reads its fonts while the caller draws the first charts
  const worker = new Worker(WORKER);
  const pending = new Map<
    number,
    { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void }
  >();
  let next = 0;
  worker.on('message', (reply: PdfReply) => {
    const job = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.pdf)
      job?.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
    else job?.reject(new Error(reply.error ?? 'PDF compilation failed'));
  });
  worker.on('error', (error) => {
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  });
  return {
    compile: (doc) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, doc } satisfies PdfRequest);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}
