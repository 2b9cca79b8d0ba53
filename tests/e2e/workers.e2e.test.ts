// Issue 7, both cores: a run with many sources reads their content in worker threads. What a reader
// gets must not depend on it: the same sources read in the main thread (FEEDLOOM_WORKERS=0), by the
// default pool and by two workers give the same entries, the same merged stories and the same failure
// for a broken feed. The run's JSON log says how many workers read content, so each case is the one
// it claims to be.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { type CliResult, project, runCli } from './cli.js';

const FEEDS = 30;
let server: TestServer;

const WORDS = (
  'harbour council ferry route timetable fares pier district school library budget bridge tram cyclist ' +
  'orchestra museum festival market bakery stadium hospital clinic nurse teacher farmer vineyard harvest ' +
  'drought river flood dyke village mayor election ballot candidate museum painter sculptor novel poet ' +
  'lighthouse keeper storm sailor trawler quota cannery tunnel railway station platform signal engineer'
).split(' ');

/** A paragraph of `n` words that no other (feed, story) pair repeats: a small LCG picks them. */
function prose(seed: number, n: number): string {
  let x = seed * 7919 + 17;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length] as string);
  }
  return `${out.join(' ')}.`;
}

/** Feed `f`: three stories of its own, one story every feed links to, one wire copy with a dateline. */
function feed(f: number): string {
  const own = [0, 1, 2].map(
    (i) => `<item>
  <title>Desk ${f}, story ${i}: ${prose(f * 3 + i + 1000, 6)}</title>
  <link>/desk${f}/story-${i}?utm_source=rss</link>
  <guid>desk${f}-story-${i}</guid>
  <pubDate>Wed, 25 Nov 2026 ${String(8 + i).padStart(2, '0')}:${String(f).padStart(2, '0')}:00 GMT</pubDate>
  <description><![CDATA[<p onclick="x()">${prose(f * 3 + i, 40)} <a href="/minutes/${f}-${i}">The minutes</a>.</p><script>track()</script><p>${prose(f * 3 + i + 500, 30)}</p>]]></description>
</item>`,
  );
  const shared = `<item>
  <title>Storm closes the northern bridge</title>
  <link>https://wire.example.com/storm-bridge</link>
  <guid>desk${f}-storm</guid>
  <pubDate>Tue, 24 Nov 2026 07:${String(f).padStart(2, '0')}:00 GMT</pubDate>
  <description><![CDATA[<p>The northern bridge was closed on Tuesday morning after gusts above 120 km/h tore road signs loose and pushed a lorry against the railing, officials said.</p>]]></description>
</item>`;
  const wire = `<item>
  <title>${f % 2 ? 'Fishing quotas cut by a fifth' : 'Quotas for fishing fleets cut by a fifth'}</title>
  <link>/desk${f}/quotas</link>
  <guid>desk${f}-quotas</guid>
  <pubDate>Mon, 23 Nov 2026 06:${String(f).padStart(2, '0')}:00 GMT</pubDate>
  <description><![CDATA[<p>${f % 3 ? 'OSLO (Wire) — ' : ''}Ministers agreed late on Sunday to cut the cod and haddock quotas of the northern fleets by a fifth next year, after scientists warned that spawning stocks had fallen for the fourth year running and that the grounds east of the islands could close entirely.</p><p>Fleet owners called the cut a disaster for the coastal towns that depend on the catch, while environmental groups said it came too late and too small to let the stocks recover before the end of the decade.</p>${f % 4 ? '' : '<p>This article originally appeared on Wire.</p>'}]]></description>
</item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Desk ${f}</title><link>https://desk${f}.example.org/</link><description>d</description>
${own.join('\n')}
${shared}
${wire}
</channel></rss>`;
}

/** [path, title, charset in Content-Type, encoding in the XML prolog] */
const LEGACY: readonly [string, string, string | undefined, string][] = [
  [
    '/cp1252.xml',
    'Caf\u00e9 \u201cquoted\u201d \u2014 cr\u00e8me br\u00fbl\u00e9e',
    'windows-1252',
    'windows-1252',
  ],
  ['/latin1.xml', 'Z\u00fcrich \u00f6ffnet die Br\u00fccke', undefined, 'ISO-8859-1'],
];

function legacyFeed(title: string, encoding: string, path: string): Buffer {
  const xml = `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0"><channel><title>${title}</title><link>https://legacy.example.org/</link><description>d</description>
<item><title>${title}</title><link>https://legacy.example.org${path}/story</link><guid>${path}</guid>
<pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate><description>${title}: ${prose(path.charCodeAt(1) * 31, 30)}</description></item>
</channel></rss>`;
  return iconv.encode(xml, encoding);
}

beforeAll(async () => {
  server = await startServer();
  for (let f = 0; f < FEEDS; f++) {
    // Every other feed gzipped: its body reaches whichever thread reads it still compressed.
    server.route(`/desk${f}.xml`, (_req, res) => {
      const gzip = f % 2 === 0;
      res.writeHead(200, {
        'content-type': 'application/rss+xml; charset=utf-8',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(gzip ? gzipSync(feed(f)) : feed(f));
    });
  }
  // Small on the wire, past its source's maxDecompressedBytes once inflated, in any thread.
  server.route('/bomb.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
    res.end(gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)));
  });
  // Legacy encodings, decoded by whichever thread reads the content: one declared by the HTTP header
  // (with the bytes Windows-1252 has and Latin-1 lacks), one by the XML prolog only.
  for (const [path, title, charset, label] of LEGACY) {
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': `application/rss+xml${charset ? `; charset=${charset}` : ''}` });
      res.end(legacyFeed(title, label, path));
    });
  }
  // Not a feed at all: ingest fails inside whichever thread reads it.
  server.route('/broken.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('This is not a feed.\n');
  });
});

afterAll(async () => {
  await server.close();
});

interface Outcome {
  readonly result: CliResult;
  readonly workers: number;
  /** Entries as a reader sees them. Entry ids and the order of the other outlets follow the order in
   * which sources happened to finish, in any thread, so they are left out and sorted. */
  readonly stories: unknown[];
  readonly failure: string | undefined;
  readonly bomb: string | undefined;
}

const ALSO = /<p>Also reported by: .*<\/p>$/;

function story(item: Record<string, unknown>): unknown {
  const { id: _id, content_html, _feedloom, ...rest } = item;
  const sources = ((_feedloom as { sources?: { id: string }[] } | undefined)?.sources ?? []).map((s) => s.id);
  return { ...rest, content: String(content_html).replace(ALSO, ''), sources: sources.sort() };
}

async function runWith(workers: string | undefined): Promise<Outcome> {
  const p = await project({
    site: { title: 'Desks', feedBase: 'https://feeds.example.org/' },
    sources: [
      ...Array.from({ length: FEEDS }, (_, f) => ({
        id: `desk${f}`,
        kind: 'feed',
        url: server.at(`/desk${f}.xml`),
      })),
      ...LEGACY.map(([path], i) => ({ id: `legacy${i}`, kind: 'feed', url: server.at(path) })),
      { id: 'broken', kind: 'feed', url: server.at('/broken.xml') },
      { id: 'bomb', kind: 'feed', url: server.at('/bomb.xml'), maxDecompressedBytes: 1024 * 1024 },
    ],
  });
  const before = process.env['FEEDLOOM_WORKERS'];
  if (workers === undefined) delete process.env['FEEDLOOM_WORKERS'];
  else process.env['FEEDLOOM_WORKERS'] = workers;
  let result: CliResult;
  try {
    result = await runCli(['run', '--config', 'sources.json', '--log', 'json'], p.dir, 60_000);
  } finally {
    if (before === undefined) delete process.env['FEEDLOOM_WORKERS'];
    else process.env['FEEDLOOM_WORKERS'] = before;
  }
  const lines = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const finished = lines.find((l) => l['msg'] === 'run finished');
  const feedJson = JSON.parse(await p.read('feed.json')) as { items: Record<string, unknown>[] };
  return {
    result,
    workers: Number(finished?.['workers']),
    stories: feedJson.items.map(story).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    failure: result.stderr.split('\n').find((l) => l.includes('broken')),
    bomb: result.stderr.split('\n').find((l) => l.includes('bomb')),
  };
}

describe('content read in worker threads', () => {
  let inThread: Outcome;

  beforeAll(async () => {
    inThread = await runWith('0');
  }, 90_000);

  it('reads everything in the main thread with FEEDLOOM_WORKERS=0', () => {
    expect(inThread.result.code).toBe(0);
    expect(inThread.workers).toBe(0);
    // 30 × 3 own stories, one shared story and one wire story merged across 30 outlets, two legacy ones.
    expect(inThread.stories).toHaveLength(FEEDS * 3 + 2 + LEGACY.length);
    const titles = inThread.stories.map((s) => (s as { title: string }).title);
    for (const [, title] of LEGACY) expect(titles).toContain(title);
    expect(
      inThread.stories.filter((s) => (s as { sources: string[] }).sources.length === FEEDS),
    ).toHaveLength(2);
    expect(inThread.failure).toMatch(/^feedloom: broken: /);
    expect(inThread.bomb).toMatch(/^feedloom: bomb: .*raise "maxDecompressedBytes"/);
  });

  it.each([
    ['the default pool', undefined],
    ['one worker', '1'],
    ['two workers', '2'],
  ])(
    'gives the same entries, stories and failure with %s',
    async (_name, workers) => {
      const pooled = await runWith(workers);
      expect(pooled.result.code).toBe(0);
      expect(pooled.workers).toBeGreaterThanOrEqual(1);
      if (workers) expect(pooled.workers).toBe(Number(workers));
      expect(pooled.stories).toEqual(inThread.stories);
      expect(pooled.failure).toBe(inThread.failure);
      expect(pooled.bomb).toBe(inThread.bomb);
    },
    90_000,
  );

  it('sanitized what the workers read: no script, no handler, absolute links without tracking', async () => {
    const pooled = await runWith('2');
    const html = JSON.stringify(pooled.stories);
    expect(html).not.toMatch(/<script|onclick|utm_source/);
    expect(html).toContain(server.at('/minutes/3-1'));
  }, 90_000);
});
