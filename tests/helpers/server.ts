// One loopback HTTP server for every test (ky's pattern). It serves files from a folder and records
// every request, so tests can assert on what a client really sent.
//
// A file `<name>.headers.json` beside a fixture sets the status and response headers for it:
//   { "status": 200, "headers": { "content-type": "application/rss+xml; charset=windows-1252" } }
// Served files get an ETag and Last-Modified and answer 304 to a matching conditional request.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Status the server answered with. */
  status: number;
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Absolute URL for a path on this server. */
  at(path: string): string;
  /** Adds or replaces a handler for an exact path (query string ignored). */
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

interface SidecarHeaders {
  status?: number;
  headers?: Record<string, string>;
}

/** Starts a server on 127.0.0.1, port 0, serving `root` (a fixtures folder), if given. */
export async function startServer(root?: string): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];

  const serveFile = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!root) return notFound(res);
    const file = normalize(join(root, decodeURIComponent(path)));
    if (!file.startsWith(normalize(root))) return notFound(res);
    let body: Buffer;
    let lastModified: string;
    try {
      const st = await stat(file);
      if (!st.isFile()) return notFound(res);
      lastModified = st.mtime.toUTCString();
      body = await readFile(file);
    } catch {
      return notFound(res);
    }
    let sidecar: SidecarHeaders = {};
    try {
      sidecar = JSON.parse(await readFile(`${file}.headers.json`, 'utf8')) as SidecarHeaders;
    } catch {
      // no sidecar: defaults
    }
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    const headers: Record<string, string> = {
      'content-type': contentTypeFor(file),
      etag,
      'last-modified': lastModified,
      ...sidecar.headers,
    };
    const status = sidecar.status ?? 200;
    if (status === 200 && notModified(req, etag, lastModified)) {
      res.writeHead(304, { etag, 'last-modified': lastModified });
      res.end();
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      status: 0,
    };
    requests.push(seen);
    res.on('finish', () => {
      seen.status = res.statusCode;
    });
    const handler = routes.get(path);
    Promise.resolve(handler ? handler(req, res) : serveFile(req, res, path)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  // Keep-alive sockets would hold close() open; tests end fast.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    at: (path) => `${url}${path.startsWith('/') ? '' : '/'}${path}`,
    route: (path, handler) => {
      routes.set(path, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// RFC 9110 §13.2.2: If-None-Match, when present, decides alone; If-Modified-Since only without it.
function notModified(req: IncomingMessage, etag: string, lastModified: string): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  return ims !== undefined && Date.parse(ims) >= Date.parse(lastModified);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

function contentTypeFor(file: string): string {
  if (file.endsWith('.json')) return 'application/json';
  if (file.endsWith('.xml') || file.endsWith('.rss') || file.endsWith('.atom')) return 'application/xml';
  if (file.endsWith('.html')) return 'text/html';
  return 'application/octet-stream';
}
