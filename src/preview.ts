import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, posix, relative, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { build, type Format } from './build.js';
import { buildCache } from './cache.js';
import { InputError } from './errors.js';
import { layout } from './load/study.js';
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
  // function replacements: a `$` in the error (`$&`, `` $` ``) is text, not a replacement pattern
  return html
    .replace(/<body([^>]*)>/, (tag) => `${tag}${banner}`)
    .replace(/<\/body>(?![\s\S]*<\/body>)/, (end) => `${reload}${end}`);
}

function errorPage(error: string): string {
  return decorate(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head><body><main></main></body></html>',
    error,
  );
}

/** The request's path as the file it names, or null when it is not a path at all (`/%`). */
function requestPath(raw: string): { path: string; trailingSlash: boolean } | null {
  if (!raw.startsWith('/')) return null; // only origin-form: `GET /path`
  const pathname = raw.replace(/[?#].*$/s, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // `.`, `..` and repeated slashes resolved inside the site: `/.//es` is `es`, never `//es`
  const path = posix.normalize(`/${decoded}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return { path: path === '.' ? '' : path, trailingSlash: decoded.endsWith('/') };
}

/** The path as a URL path: every segment percent-encoded, one leading slash. */
const urlPath = (path: string) => `/${path.split('/').map(encodeURIComponent).join('/')}`;

const plain = (res: ServerResponse, status: number, text: string) =>
  res
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    })
    .end(`${text}\n`);

/** A study folder to preview: it exists and holds a codebook, or the preview does not start. */
async function checkStudyFolder(root: string, given: string): Promise<void> {
  const kind = await stat(root).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (kind !== 'folder')
    throw new InputError(
      given,
      undefined,
      kind === 'missing' ? 'folder not found' : 'is a file, expected the study folder',
      'give the study folder (the one holding data/ and templates/) with --root',
    );
  if (
    !(await stat(join(root, layout.codebook)).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new InputError(
      layout.codebook,
      undefined,
      'file not found',
      `looked in ${root}; give the study folder (the one holding data/ and templates/) with --root`,
    );
}

/**
 * Builds the report in memory, serves it on 127.0.0.1, watches data/ and templates/,
 * rebuilds on a change and reloads open pages. A failed build is shown in the terminal
 * and on the page; the last good report keeps being served and the server keeps running.
 * Only requests addressed to this machine by name (`127.0.0.1`, `localhost`, `[::1]` and
 * the port) are answered, so a web page whose name was rebound to 127.0.0.1 reads nothing.
 */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const root = resolve(options.root);
  await checkStudyFolder(root, options.root);
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

  let allowedHosts = new Set<string>();
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      plain(res, 403, 'forbidden: this preview answers only http://127.0.0.1, localhost or [::1]');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      plain(res, 405, `method not allowed: ${req.method}`);
      return;
    }
    const target = requestPath(req.url ?? '/');
    if (!target) {
      plain(res, 400, 'bad request: not a valid path');
      return;
    }
    if (`/${target.path}` === EVENTS) {
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
    let path = target.path;
    if (path === '' || target.trailingSlash) path = path ? `${path}/index.html` : 'index.html';
    else if (!extname(path) && files.has(`${path}/index.html`)) {
      res.writeHead(301, { location: `${urlPath(path)}/` }).end();
      return;
    }
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    const content = files.get(path);
    if (type.startsWith('text/html')) {
      const html =
        content === undefined
          ? error
            ? errorPage(error)
            : undefined
          : decorate(String(content), error);
      if (html !== undefined) {
        res.writeHead(200, headers).end(html);
        return;
      }
    } else if (content !== undefined) {
      res.writeHead(200, headers).end(content);
      return;
    }
    plain(res, 404, `not found: ${urlPath(path)}`);
  };

  const server: Server = createServer((req, res) => {
    try {
      serve(req, res);
    } catch (e) {
      // a request never stops the server
      options.log(`error: answering ${JSON.stringify(req.url)}: ${(e as Error).message}`, 'error');
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.end();
    }
  });
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
  const urlHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set(
    ['127.0.0.1', 'localhost', '[::1]', urlHost].map((name) => `${name.toLowerCase()}:${port}`),
  );

  await rebuild();
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), options.debounce ?? 10);
  };
  // The study folder is watched, not its files: a file saved by renaming another over it
  // (editors, `sed -i`, `git checkout`), or a file or folder deleted and made again, is seen
  // each time. Only data/ and templates/ are looked into; dot-files and backups (`name~`) are not inputs.
  const watched = new Set(['data', 'templates']);
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (path) => {
      const rel = relative(root, path);
      if (rel === '') return false;
      const parts = rel.split(sep);
      const name = parts[parts.length - 1] as string;
      return !watched.has(parts[0] as string) || name.startsWith('.') || name.endsWith('~');
    },
  });
  watcher.on('all', onChange);
  watcher.on('error', (e) =>
    options.log(`error: watching ${root}: ${(e as Error).message}`, 'error'),
  );
  await new Promise<void>((ready) => watcher.once('ready', ready));

  return {
    url: `http://${urlHost}:${port}/`,
    rebuild,
    get error() {
      return error;
    },
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      for (const c of clients) c.end();
      await running;
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
