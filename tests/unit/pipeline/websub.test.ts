// WebSub publish pings (src/pipeline/websub.ts) through fetch's postForm, against a loopback hub.
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, postForm } from '../../../src/fetch/index.js';
import { changedFeedUrls, pingHub, WEBSUB_WARNING_SOURCE } from '../../../src/pipeline/websub.js';
import { closedPort } from '../../e2e/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let hub: TestServer;
let client: HttpClient;
let pings: { contentType: string | undefined; body: string }[];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => resolve(body));
  });
}

beforeEach(async () => {
  hub = await startServer();
  pings = [];
  hub.route('/hub', async (req, res) => {
    pings.push({ contentType: req.headers['content-type'], body: await readBody(req) });
    res.writeHead(204).end();
  });
  hub.route('/refuse', async (req, res) => {
    await readBody(req);
    res.writeHead(400, { 'content-type': 'text/plain' }).end('hub.url not\n allowed');
  });
  client = createHttpClient({});
});

afterEach(async () => {
  await client.close();
  await hub.close();
});

const post = (url: string, fields: Readonly<Record<string, string>>) => postForm(url, fields, client);

describe('changedFeedUrls', () => {
  it('keeps the feed files among the written paths, as public URLs', () => {
    expect(
      changedFeedUrls(
        [
          'feed.xml',
          'index.html',
          'feed.xsl',
          'asia/atom.xml',
          'asia/feed.json',
          'sources.opml',
          'by/w/feed.xml',
        ],
        'https://x.example/feeds/',
      ),
    ).toEqual([
      'https://x.example/feeds/feed.xml',
      'https://x.example/feeds/asia/atom.xml',
      'https://x.example/feeds/asia/feed.json',
      'https://x.example/feeds/by/w/feed.xml',
    ]);
    expect(changedFeedUrls(['index.html', 'feeds.opml'], 'https://x.example/')).toEqual([]);
  });
});

describe('pingHub', () => {
  it('POSTs hub.mode=publish and hub.url, form-encoded, once per feed', async () => {
    const urls = ['https://x.example/feeds/feed.xml', 'https://x.example/feeds/a b/atom.xml?x=1&y=2'];
    expect(await pingHub(hub.at('hub'), urls, post)).toEqual([]);
    expect(pings.map((p) => p.contentType)).toEqual([
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded',
    ]);
    const sent = pings.map((p) => Object.fromEntries(new URLSearchParams(p.body)));
    expect(sent.map((f) => f['hub.url']).sort()).toEqual([...urls].sort());
    expect(sent.every((f) => f['hub.mode'] === 'publish')).toBe(true);
    expect(hub.requests.every((r) => r.method === 'POST')).toBe(true);
  });

  it('sends nothing for no changed feed', async () => {
    expect(await pingHub(hub.at('hub'), [], post)).toEqual([]);
    expect(hub.requests).toEqual([]);
  });

  it('turns a refusal into a warning with the status and what the hub said', async () => {
    const warnings = await pingHub(hub.at('refuse'), ['https://x.example/feed.xml'], post);
    expect(warnings).toEqual([
      {
        sourceId: WEBSUB_WARNING_SOURCE,
        code: 'WEBSUB_REFUSED',
        message: `websub: hub ${hub.at('refuse')} answered 400 to the publish ping for https://x.example/feed.xml: hub.url not allowed`,
      },
    ]);
  });

  it('turns an unreachable hub into one warning, never a throw', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}/`;
    const warnings = await pingHub(dead, ['https://x.example/a.xml', 'https://x.example/b.xml'], post);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('WEBSUB_UNREACHABLE');
    expect(warnings[0]?.message).toMatch(
      /^websub: publish ping for https:\/\/x\.example\/a\.xml failed: fetch: POST /,
    );
    expect(warnings[0]?.message).toContain('(and 1 more changed feeds not announced)');
  });
});

describe('postForm', () => {
  it('gives up on a hub that trickles its answer forever, within its deadline', async () => {
    const timers: NodeJS.Timeout[] = [];
    hub.route('/trickle', async (req, res) => {
      await readBody(req);
      res.writeHead(200, { 'content-type': 'text/plain' });
      // A byte every 50 ms: never a gap long enough for a per-chunk timeout.
      timers.push(setInterval(() => res.write('.'), 50));
    });
    try {
      await expect(
        postForm(hub.at('/trickle'), { 'hub.mode': 'publish' }, client, 400),
      ).rejects.toMatchObject({
        code: 'FETCH_TIMEOUT',
      });
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });
});
