// What a source asks of our polling reaches the store, and holds the source back: RSS <ttl>,
// Cache-Control max-age / Expires, and a Retry-After longer than a run waits. A real loopback server,
// a real SQLite state, the pipeline's own fetchSources.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { freshnessS } from '../../../src/fetch/http.js';
import { createHttpClient, fetchSources } from '../../../src/pipeline/index.js';
import { duePolicy } from '../../../src/schedule/due.js';
import { openSqliteStore } from '../../../src/store/index.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { tempDir } from '../../helpers/tmp.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('freshnessS', () => {
  it.each([
    ['max-age', 'public, max-age=600', undefined, undefined, 600],
    ['a quoted max-age', 'max-age="60"', undefined, undefined, 60],
    [
      'max-age over s-maxage (we are no shared cache)',
      's-maxage=300, max-age=600',
      undefined,
      undefined,
      600,
    ],
    ['s-maxage alone', 's-maxage=300', undefined, undefined, 300],
    ['max-age=0: nothing asked', 'max-age=0', undefined, undefined, undefined],
    ['no-cache: nothing asked', 'no-cache', undefined, undefined, undefined],
    ['Expires minus Date', undefined, 'Mon, 02 Mar 2026 13:00:00 GMT', 'Mon, 02 Mar 2026 12:00:00 GMT', 3600],
    [
      'max-age wins over Expires',
      'max-age=60',
      'Mon, 02 Mar 2026 13:00:00 GMT',
      'Mon, 02 Mar 2026 12:00:00 GMT',
      60,
    ],
    [
      'Expires in the past',
      undefined,
      'Mon, 02 Mar 2026 11:00:00 GMT',
      'Mon, 02 Mar 2026 12:00:00 GMT',
      undefined,
    ],
    ['Expires: 0 (the common "already expired")', undefined, '0', 'Mon, 02 Mar 2026 12:00:00 GMT', undefined],
    ['nothing', undefined, undefined, undefined, undefined],
  ])('%s', (_name, cacheControl, expires, date, seconds) => {
    expect(freshnessS(cacheControl, expires, date)).toBe(seconds);
  });
});

const FEED = (ttl: string) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><link>http://example.org/</link><description>d</description>${ttl}
<item><title>One</title><link>http://example.org/1</link><guid>http://example.org/1</guid></item>
</channel></rss>`;

describe('politeness hints in the store', () => {
  it('keeps ttl and max-age, carries a long Retry-After, and holds the sources back until then', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'ttl.xml'), FEED('<ttl>30</ttl>'));
    // A sidecar sets the 200's headers; the helper's 304 carries validators only.
    await writeFile(
      join(root, 'ttl.xml.headers.json'),
      JSON.stringify({ headers: { 'cache-control': 'max-age=900', 'content-type': 'application/rss+xml' } }),
    );
    const server = await startServer(root);
    servers.push(server);
    server.route('/busy.xml', (_req, res) => {
      res.writeHead(503, { 'retry-after': '120' });
      res.end();
    });
    const dir = await tempDir();
    await writeFile(
      join(dir, 'sources.json'),
      JSON.stringify({
        defaults: { retries: 0, timeoutMs: 5000 },
        sources: [
          { id: 'ttl', kind: 'feed', url: server.at('/ttl.xml') },
          { id: 'busy', kind: 'feed', url: server.at('/busy.xml') },
        ],
      }),
    );
    const config = loadConfig(join(dir, 'sources.json'));
    const store = openSqliteStore(config.stateDir);
    const client = createHttpClient(config.fetch);
    const t0 = new Date();
    const pass = (due?: ReturnType<typeof duePolicy>) =>
      fetchSources(config, config.sources, {
        store,
        client,
        now: () => new Date(),
        runId: Date.now(),
        ...(due ? { due } : {}),
      });
    try {
      const first = await pass();
      expect(first.map((r) => [r.sourceId, r.outcome, r.httpStatus])).toEqual([
        ['ttl', 'ok', 200],
        ['busy', 'failed', 503],
      ]);
      expect(first[0]?.bytes).toBeGreaterThan(0);
      expect(store.sourceState('ttl')).toMatchObject({ feedIntervalS: 1800, maxAgeS: 900 });
      const busy = store.sourceState('busy');
      expect(busy?.consecutiveFailures).toBe(1);
      // About two minutes from the answer: not sooner, and not a day later.
      const retryAt = busy?.retryAfterAt?.getTime() ?? 0;
      expect(retryAt).toBeGreaterThanOrEqual(t0.getTime() + 119_000);
      expect(retryAt).toBeLessThan(Date.now() + 121_000);

      // The schedule's rule holds both back: nothing reaches the server.
      const before = server.requests.length;
      const second = await pass(duePolicy(config.schedule));
      expect(second.map((r) => r.outcome)).toEqual(['not-due', 'not-due']);
      expect(second[1]?.nextDue).toEqual(busy?.retryAfterAt);
      expect(server.requests.length).toBe(before);

      // Without it (run --all), a 304: the ttl of the unchanged body stays, the header's max-age is gone.
      const third = await pass();
      expect(third[0]).toMatchObject({ outcome: 'not-modified', httpStatus: 304 });
      expect(store.sourceState('ttl')).toMatchObject({ feedIntervalS: 1800 });
      expect(store.sourceState('ttl')?.maxAgeS).toBeUndefined();
    } finally {
      await client.close();
      store.close();
    }
  });
});
