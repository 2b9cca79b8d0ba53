// A static file server for output/, on node:http alone: right content types, validators and 304s,
// gzip/br on request, HEAD, and no way out of the folder. Readers poll these files all day, so the
// cheap paths (304, cached compressed bodies) matter more than anything clever.

import type { FileHandle } from 'node:fs/promises';
import { open, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import { FeedloomError } from '../errors.js';
import { COMPRESSION, type FileType, fileTypeOf } from './mime.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export const INDEX_FILE = 'index.html';
const ALLOW = 'GET, HEAD';

export type Coding = 'br' | 'gzip';

export interface ServeOptions {
  /** The folder to serve; nothing outside it is ever read. */
  readonly root: string;
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** Called once per answered request (access log). */
  readonly onResponse?: (line: { method: string; path: string; status: number; bytes: number }) => void;
}

export interface RunningServer {
  /** `http://host:port/`, with the port actually bound. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight responses finish briefly, then resolves. */
  close(): Promise<void>;
}

/**
 * Starts serving `root` and resolves once listening.
 *
 * @example
 * const s = await startStaticServer({ root: 'output', host: '127.0.0.1', port: 0 });
 * console.log(`serving at ${s.url}`); // … later: await s.close();
 */
export async function startStaticServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const root = await folderRoot(options.root);
  const server = createServer(handler(root, options.onResponse));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new FeedloomError(
          'SERVE_LISTEN',
          `serve: cannot listen on ${host}:${options.port ?? 8080}: ${e.code ?? e.message}` +
            (e.code === 'EADDRINUSE' ? ' (another program uses the port: pick another with --port)' : ''),
          { cause: e },
        ),
      ),
    );
    server.listen(options.port ?? 8080, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown}:${port}/`, port, close: () => closeServer(server) };
}

/** The real path of the folder; throws a message saying what to do when it is not there. */
async function folderRoot(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if ((await stat(real)).isDirectory()) return real;
  } catch {
    // fall through to the message below
  }
  throw new FeedloomError(
    'SERVE_LISTEN',
    `serve: ${dir} is not a folder: run \`feedloom run\` first, or point --out at the output`,
  );
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A reader stalled mid-download must not keep the process alive forever.
  const timer = setTimeout(() => server.closeAllConnections(), 2000);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

/** The request handler over an already-resolved real `root` (exported for in-process tests). */
export function handler(
  root: string,
  onResponse?: ServeOptions['onResponse'],
): (req: IncomingMessage, res: ServerResponse) => void {
  const cache = new CompressedCache(COMPRESSION.cacheBytes);
  return (req, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    res.once('finish', () => {
      const sent =
        method === 'HEAD' || res.statusCode === 304 ? 0 : Number(res.getHeader('content-length') ?? 0);
      onResponse?.({ method, path, status: res.statusCode, bytes: sent });
    });
    serveOne(root, cache, req, res, method, path).catch((e: unknown) => {
      // A client that hangs up mid-body is not our error; anything else is a 500 if headers are unsent.
      if (!res.headersSent) plain(res, 500, `internal error: ${e instanceof Error ? e.message : String(e)}`);
      else res.destroy();
    });
  };
}

async function serveOne(
  root: string,
  cache: CompressedCache,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  rawPath: string,
): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', ALLOW);
    return plain(res, 405, `method not allowed: ${method} (allowed: ${ALLOW})`);
  }
  const segments = safeSegments(rawPath);
  if (!segments) return notFound(res, rawPath);
  const wantsFolder = rawPath.endsWith('/');
  const found = await openInside(root, wantsFolder ? [...segments, INDEX_FILE] : segments);
  if (found === 'folder') {
    // `/news` -> `/news/`, so the page's relative links (feed.xml, ../) resolve inside its folder.
    // safeSegments refused empty segments, so the Location can never start with `//` (another host).
    res.setHeader('Location', `${rawPath}/`);
    return plain(res, 301, `moved to ${rawPath}/`);
  }
  if (!found) return notFound(res, rawPath);
  const { handle, size, mtime, etagBase, relPath } = found;
  let handed = false;
  try {
    const type = fileTypeOf(relPath);
    const coding =
      type.compressible && size >= COMPRESSION.minBytes && size <= COMPRESSION.maxBytes
        ? pickCoding(req.headers['accept-encoding'])
        : undefined;
    const etag = `"${etagBase}${coding ? `-${coding}` : ''}"`;
    setCommonHeaders(res, type, etag, mtime, isPageRequest(req.headers.accept));
    if (notModified(req, etag, mtime)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    let body: Buffer | undefined;
    if (coding) {
      body = await cache.get(`${etag}`, coding, () => handle.readFile());
      res.setHeader('Content-Encoding', coding);
    }
    res.setHeader('Content-Length', body ? body.length : size);
    res.statusCode = 200;
    if (method === 'HEAD') {
      res.end();
      return;
    }
    if (body) {
      res.end(body);
      return;
    }
    // Streamed from the handle we already checked: a rename in between cannot swap the bytes.
    handed = true;
    await pipeline(handle.createReadStream({ autoClose: true }), res);
  } finally {
    if (!handed) await handle.close();
  }
}

/**
 * The decoded path segments, or undefined for anything that could name a file outside the folder or
 * a hidden one: `..` and `.` in any encoding, encoded `/` or `\`, backslashes, NUL, empty segments
 * (`//`), dot-files (write.ts's temp files are `.name.tmp`; `.git` must never leak).
 */
export function safeSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/') || rawPath.includes('\\')) return undefined;
  const parts = rawPath.slice(1).split('/');
  // A trailing slash leaves one empty last part: it means "the folder's index".
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const out: string[] = [];
  for (const part of parts) {
    let s: string;
    try {
      s = decodeURIComponent(part);
    } catch {
      return undefined; // malformed percent-encoding
    }
    if (s === '' || s.startsWith('.') || /[/\\\0]/.test(s)) return undefined;
    out.push(s);
  }
  return out;
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly size: number;
  readonly mtime: Date;
  readonly etagBase: string;
  /** The requested path inside the folder, for the type lookup (a symlink keeps its own name). */
  readonly relPath: string;
}

/** Opens the regular file at root/segments when its real path stays inside root. */
async function openInside(
  root: string,
  segments: readonly string[],
): Promise<OpenFile | 'folder' | undefined> {
  let real: string;
  try {
    real = await realpath(join(root, ...segments));
  } catch {
    return undefined;
  }
  // The realpath check catches symlinks (anywhere on the path) that lead out of the folder.
  if (real !== root && !real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) return undefined;
  let handle: FileHandle;
  try {
    handle = await open(real, 'r');
  } catch {
    return undefined;
  }
  const st = await handle.stat().catch(() => undefined);
  if (!st?.isFile()) {
    await handle.close();
    return st?.isDirectory() && segments.length > 0 ? 'folder' : undefined;
  }
  // Strong validator from inode, size and mtime (ms): write.ts renames a new file in (new inode) and
  // leaves unchanged files alone (same mtime), so this changes exactly when the bytes do.
  const etagBase = `${st.ino.toString(36)}-${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}`;
  return { handle, size: st.size, mtime: st.mtime, etagBase, relPath: segments.join('/') };
}

function setCommonHeaders(
  res: ServerResponse,
  type: FileType,
  etag: string,
  mtime: Date,
  page: boolean,
): void {
  res.setHeader('Content-Type', page && type.browserType ? type.browserType : type.contentType);
  res.setHeader('Cache-Control', type.cacheControl);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', mtime.toUTCString());
  // Say what the response depends on, even when this one went plain, so caches keep variants apart.
  const vary = [...(type.compressible ? ['Accept-Encoding'] : []), ...(type.browserType ? ['Accept'] : [])];
  if (vary.length) res.setHeader('Vary', vary.join(', '));
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * A browser navigating to the file, not a feed reader polling it: the Accept header asks for HTML and
 * names no feed type. Browsers send `text/html,application/xhtml+xml,…`; readers send the feed types,
 * `*\/*` or nothing. A reader that mimics a browser gets application/xml, which every reader takes.
 *
 * @example
 * isPageRequest('text/html,application/xhtml+xml,application/xml;q=0.9,*\/*;q=0.8') // true
 * isPageRequest('application/atom+xml,application/rss+xml,application/xml;q=0.9')    // false
 */
export function isPageRequest(accept: string | undefined): boolean {
  if (!accept) return false;
  const a = accept.toLowerCase();
  return /(^|,)\s*text\/html\s*(;|,|$)/.test(a) && !/application\/(rss|atom)\+xml/.test(a);
}

/**
 * RFC 9110 §13.2.2: If-None-Match wins when present (weak comparison, `*` matches any); only without it
 * is If-Modified-Since evaluated, at one-second resolution (HTTP dates have no milliseconds).
 */
export function notModified(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const opaque = (t: string): string => t.trim().replace(/^W\//, '');
    return inm.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

/**
 * The coding to use for an Accept-Encoding header: the one with the highest q-value, br on a tie
 * (smaller), undefined for none. `*` stands for any coding not named; q=0 means "not this one".
 *
 * @example
 * pickCoding('gzip, deflate, br') // 'br'
 * pickCoding('br;q=0, gzip')      // 'gzip'
 */
export function pickCoding(header: string | string[] | undefined): Coding | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number.parseFloat(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isNaN(value) ? 0 : value);
  }
  const of = (c: Coding): number =>
    q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  const br = of('br');
  const gz = of('gzip');
  if (br <= 0 && gz <= 0) return undefined;
  return br >= gz ? 'br' : 'gzip';
}

/** Compressed bodies by ETag and coding, bounded in bytes; the oldest go first. */
class CompressedCache {
  private readonly entries = new Map<string, Buffer>();
  private total = 0;

  constructor(private readonly limit: number) {}

  async get(etag: string, coding: Coding, read: () => Promise<Buffer>): Promise<Buffer> {
    const key = `${coding}:${etag}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh its place: Map keeps insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const raw = await read();
    const body =
      coding === 'br'
        ? await brotliAsync(raw, {
            params: {
              [zlibConstants.BROTLI_PARAM_QUALITY]: COMPRESSION.brotliQuality,
              [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
            },
          })
        : await gzipAsync(raw, { level: COMPRESSION.gzipLevel });
    if (body.length <= this.limit && !this.entries.has(key)) {
      this.entries.set(key, body);
      this.total += body.length;
      for (const [k, v] of this.entries) {
        if (this.total <= this.limit) break;
        this.entries.delete(k);
        this.total -= v.length;
      }
    }
    return body;
  }
}

function notFound(res: ServerResponse, rawPath: string): void {
  plain(res, 404, `not found: ${rawPath}`);
}

/** A short text/plain answer; the path is echoed as plain text, which nosniff keeps from being HTML. */
function plain(res: ServerResponse, status: number, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
