// Loopback HTTP server for the benchmark corpus: 127.0.0.1, a free port, one URL per feed
// (/feeds/<id>.<ext>). Answers conditional requests with 304 (If-None-Match first, then
// If-Modified-Since, as RFC 9110 says), gzips when the client asks, and counts what it sends.
//
// Bodies are rendered and gzipped once up front (the server must not compete with the measured
// process for CPU during a run); only the gzipped copy is kept, to keep memory at a sixth of the XML.
import { createServer } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FORMAT_INFO } from './corpus.mjs';

/**
 * Starts the server for `corpus`.
 * @example
 * const server = await startCorpusServer(createCorpus(WORKLOADS.small));
 * server.feedUrl(0); // http://127.0.0.1:41234/feeds/feed-0000.xml
 * server.churn(1);   // 10 % of the feeds get 5 new items
 * await server.close();
 */
export async function startCorpusServer(corpus) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  const pathOf = (f) => `/feeds/${corpus.feeds[f].id}.${FORMAT_INFO[corpus.feeds[f].format].ext}`;
  const feedUrl = (f) => `${origin}${pathOf(f)}`;

  const build = (f, round) => {
    const doc = corpus.render(f, feedUrl(f), round);
    const raw = Buffer.from(doc.body);
    return {
      gz: gzipSync(raw, { level: 6 }),
      rawBytes: raw.length,
      etag: doc.etag,
      lastModified: doc.updated.toUTCString(),
      lastModifiedMs: doc.updated.getTime(),
      contentType: doc.contentType,
      items: doc.items,
    };
  };
  const base = corpus.feeds.map((_, f) => build(f, 0));
  const byPath = new Map(corpus.feeds.map((_, f) => [pathOf(f), f]));
  let overlay = new Map(); // feed index -> document after churn
  let round = 0;

  const zero = () => ({
    requests: 0,
    ok: 0,
    notModified: 0,
    other: 0,
    gzipped: 0,
    bodyBytes: 0,
    items: 0,
  });
  let stats = zero();

  // Wire bytes (headers included) from the sockets: closed ones summed, open ones read on demand.
  const sockets = new Set();
  let closedWritten = 0;
  let closedRead = 0;
  let wireBaseline = { written: 0, read: 0 };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closedWritten += socket.bytesWritten;
      closedRead += socket.bytesRead;
    });
  });
  const wire = () => {
    let written = closedWritten;
    let read = closedRead;
    for (const s of sockets) {
      written += s.bytesWritten;
      read += s.bytesRead;
    }
    return { written, read };
  };

  server.on('request', (req, res) => {
    stats.requests++;
    const f = byPath.get(new URL(req.url ?? '/', origin).pathname);
    if (f === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      stats.other++;
      res.writeHead(f === undefined ? 404 : 405, { 'content-type': 'text/plain' });
      res.end('not here\n');
      return;
    }
    const doc = overlay.get(f) ?? base[f];
    const headers = {
      etag: doc.etag,
      'last-modified': doc.lastModified,
      'cache-control': 'max-age=300',
      vary: 'Accept-Encoding',
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh =
      inm !== undefined
        ? inm.split(',').some((t) => t.trim().replace(/^W\//, '') === doc.etag || t.trim() === '*')
        : ims !== undefined && Date.parse(ims) >= doc.lastModifiedMs;
    if (fresh) {
      stats.notModified++;
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = /\bgzip\b(?!;\s*q=0(\.0*)?\b)/i.test(req.headers['accept-encoding'] ?? '');
    const body = gzip ? doc.gz : gunzipSync(doc.gz);
    stats.ok++;
    stats.items += doc.items;
    if (gzip) stats.gzipped++;
    stats.bodyBytes += body.length;
    res.writeHead(200, {
      ...headers,
      'content-type': doc.contentType,
      'content-length': body.length,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });

  return {
    origin,
    feedUrl,
    /** Corpus totals of the current round: documents, uncompressed and gzipped bytes. */
    size() {
      let raw = 0;
      let gz = 0;
      corpus.feeds.forEach((_, f) => {
        const doc = overlay.get(f) ?? base[f];
        raw += doc.rawBytes;
        gz += doc.gz.length;
      });
      return { feeds: corpus.feeds.length, rawBytes: raw, gzipBytes: gz };
    },
    /** Moves to churn round `r` (cumulative); returns the feed indexes that changed in that round. */
    churn(r) {
      const changed = [];
      for (let k = round + 1; k <= r; k++) {
        for (const f of corpus.changedAt(k)) {
          overlay.set(f, build(f, k));
          if (k === r) changed.push(f);
        }
      }
      round = r;
      return changed;
    },
    /** Back to the original corpus (round 0). */
    reset() {
      overlay = new Map();
      round = 0;
    },
    stats() {
      const w = wire();
      return {
        ...stats,
        wireBytesOut: w.written - wireBaseline.written,
        wireBytesIn: w.read - wireBaseline.read,
      };
    },
    resetStats() {
      stats = zero();
      wireBaseline = wire();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
