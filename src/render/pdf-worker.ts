import { parentPort } from 'node:worker_threads';
import { compilePdf, type PdfDocument, preparePdfCompiler } from './pdf.js';

export type PdfRequest = { id: number; doc: PdfDocument };
export type PdfReply = { id: number; pdf?: Uint8Array; error?: string };

// ready before the first document arrives: the fonts read, the compiler made
preparePdfCompiler();

/** Compiles PDFs on a thread of its own, while the main thread renders the next language. */
parentPort?.on('message', ({ id, doc }: PdfRequest) => {
  try {
    parentPort?.postMessage({ id, pdf: compilePdf(doc) } satisfies PdfReply);
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message } satisfies PdfReply);
  }
});
