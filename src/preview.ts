import { type FSWatcher, watch } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { build, type Format } from './build.js';
import { buildCache } from './cache.js';
import { InputError } from './errors.js';
import type { OutputFiles } from './publish/publish.js';

export interface PreviewOptions {
  root: string;
  port: number;
  host?: string;
  langs?: string[];
  formats?: Format[];
  /** One line per event: a rebuild and its time, or an error. */
  log: (line: string, kind: 'info' | 'error') => void;
  /** Quiet period after a file change before rebuilding, in ms. */
  debounce?: number;
}

export interface Preview {
  url: string;
  /** Rebuilds now; resolves when the build (and any queued one) is done. */
  rebuild: () => Promise<void>;
  close: () => Promise<void>;
  /** The error of the last build, if it failed. */
  readonly error: string | null;
}

const EVENTS = '/__report/events';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
  '.csv': 'text/csv; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.typ': 'text/plain; charset=utf-8',
};

/** A page's live-reload hook, and the banner of a failed build. */
function decorate(html: string, error: string | null): string {
  const reload = `<script>new EventSource(${JSON.stringify(EVENTS)}).onmessage = () => location.reload();</script>`;
  const banner = error
    ? toHtml(
        h(
          'div',
          {
            role: 'alert',
            id: 'report-build-error',
            style:
              'position:sticky;top:0;z-index:9;background:#a4161a;color:#fff;padding:.75rem 1rem;font:14px/1.4 monospace;white-space:pre-wrap',
          },
          `Build failed: ${error}`,
        ),
      )
    : '';
  return html.replace(/<body([^>]*)>/, `<body$1>${banner}`).replace('</body>', `${reload}</body>`);
}

function errorPage(error: string): string {
  return decorate(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head><body><main></main></body></html>',
    error,
  );
}

/**
 * Builds the report in memory, serves it on 127.0.0.1, watches data/ and templates/,
 * rebuilds on a change and reloads open pages. A failed build is shown in the terminal
 * and on the page; the last good report keeps being served and the server keeps running.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const root = resolve(options.root);
  const host = options.host ?? '127.0.0.1';
  let files: OutputFiles = new Map();
  let error: string | null = null;
  const clients = new Set<ServerResponse>();
  const cache = buildCache();

  let running: Promise<void> | null = null;
  let queued = false;
  const runBuild = async () => {
    const started = performance.now();
    try {
      const result = await build({
        root,
        langs: options.langs,
        formats: options.formats ?? ['html'],
        dryRun: true,
        cache,
      });
      files = result.files;
      error = null;
      const v = result.verification;
      options.log(
        `rebuilt in ${(performance.now() - started).toFixed(0)} ms · claims: ${v.passed} passed, ${v.failed} failed`,
        'info',
      );
    } catch (e) {
      error = e instanceof InputError ? e.message : `internal error: ${(e as Error).message}`;
      options.log(`error: ${error}`, 'error');
    }
    for (const client of clients) client.write('data: reload\n\n');
  };
  const rebuild = async (): Promise<void> => {
    if (running) {
      queued = true;
      return running;
    }
    running = (async () => {
      do {
        queued = false;
        await runBuild();
      } while (queued);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS) {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    let path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (path === '' || path.endsWith('/')) path += 'index.html';
    else if (!extname(path) && files.has(`${path}/index.html`)) {
      res.writeHead(301, { location: `${url.pathname}/` }).end();
      return;
    }
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const content = files.get(path);
    if (type.startsWith('text/html')) {
      const html =
        content === undefined
          ? error
            ? errorPage(error)
            : undefined
          : decorate(String(content), error);
      if (html !== undefined) {
        res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(html);
        return;
      }
    } else if (content !== undefined) {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content);
      return;
    }
    res
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`not found: /${path}\n`);
  };

  const server: Server = createServer(serve);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(
          new InputError(
            `${host}:${options.port}`,
            undefined,
            `port ${options.port} is taken`,
            `choose another with --port, e.g. --port ${options.port + 1}`,
          ),
        );
      else reject(e);
    });
    server.listen(options.port, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;

  await rebuild();
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), options.debounce ?? 10);
  };
  const watchers: FSWatcher[] = ['data', 'templates'].map((dir) =>
    watch(join(root, dir), { recursive: true }, onChange),
  );

  return {
    url: `http://${host}:${port}/`,
    rebuild,
    get error() {
      return error;
    },
    close: async () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const c of clients) c.end();
      await running;
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
