// WebSub with the real CLI: a hub on loopback receives exactly one publish ping per feed file a run
// changed, none when a run changed nothing, and a hub that is down costs a warning, not the run.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as cheerio from 'cheerio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { closedPort, E2E_FIXTURES, type Project, project } from './cli.js';

const FEED_BASE = 'https://feeds.example.org/';
const HARBOR = readFileSync(`${E2E_FIXTURES}/harbor.xml`, 'utf8');
const LATE_ITEM = `<item>
      <title>Night ferry added for the summer</title>
      <link>https://harbor.example.com/news/night-ferry</link>
      <guid isPermaLink="false">harbor-4</guid>
      <description>A late boat runs on Fridays.</description>
      <pubDate>Tue, 06 Jan 2026 08:00:00 GMT</pubDate>
    </item>
    <item>`;

let server: TestServer;
let harbor: string;
let pings: { contentType: string | undefined; fields: Record<string, string> }[];

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
  server = await startServer(E2E_FIXTURES);
  harbor = HARBOR;
  pings = [];
  // The harbor feed, editable by the test; everything else comes from the fixture folder.
  server.route('/live/harbor.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(harbor);
  });
  server.route('/hub', async (req, res) => {
    pings.push({
      contentType: req.headers['content-type'],
      fields: Object.fromEntries(new URLSearchParams(await readBody(req))),
    });
    res.writeHead(202).end();
  });
});

afterEach(async () => {
  await server.close();
});

async function setup(hub: string): Promise<Project> {
  return project({
    site: { title: 'Hub Desk', feedBase: FEED_BASE },
    websub: { hub },
    sources: [
      { id: 'harbor', kind: 'feed', url: server.at('live/harbor.xml'), tags: ['port'] },
      { id: 'science', kind: 'feed', url: server.at('science.atom'), tags: ['science'] },
    ],
    outputs: [{ name: 'all' }, { name: 'science', tags: ['science'] }],
  });
}

const pinged = (): string[] => pings.map((p) => p.fields['hub.url'] ?? '').sort();

describe('WebSub publish pings', () => {
  it('one per changed feed per run, none for an unchanged run', async () => {
    const p = await setup(server.at('hub'));
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(pinged()).toEqual(
      ['atom.xml', 'feed.json', 'feed.xml', 'science/atom.xml', 'science/feed.json', 'science/feed.xml'].map(
        (f) => `${FEED_BASE}${f}`,
      ),
    );
    expect(pings.every((x) => x.fields['hub.mode'] === 'publish')).toBe(true);
    expect(pings.every((x) => x.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(first.stderr).not.toContain('warning');

    pings = [];
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('output/ unchanged');
    expect(pings).toEqual([]);

    // A new harbor story changes the main output only: the science feeds keep their bytes.
    harbor = HARBOR.replace('<item>', LATE_ITEM);
    pings = [];
    const third = await p.run();
    expect(third.code, third.stderr).toBe(0);
    expect(pinged()).toEqual(['atom.xml', 'feed.json', 'feed.xml'].map((f) => `${FEED_BASE}${f}`));
  });

  it('puts rel="hub" and rel="self" in every feed', async () => {
    const hub = server.at('hub');
    const p = await setup(hub);
    expect((await p.run()).code).toBe(0);
    for (const prefix of ['', 'science/']) {
      const rss = cheerio.load(await p.read(`${prefix}feed.xml`), { xml: true });
      expect(rss('channel > atom\\:link[rel=hub]').attr('href')).toBe(hub);
      expect(rss('channel > atom\\:link[rel=self]').attr('href')).toBe(`${FEED_BASE}${prefix}feed.xml`);
      const atom = cheerio.load(await p.read(`${prefix}atom.xml`), { xml: true });
      expect(atom('feed > link[rel=hub]').attr('href')).toBe(hub);
      expect(atom('feed > link[rel=self]').attr('href')).toBe(`${FEED_BASE}${prefix}atom.xml`);
      const json = JSON.parse(await p.read(`${prefix}feed.json`));
      expect(json.hubs).toEqual([{ type: 'WebSub', url: hub }]);
    }
  });

  it('a hub that refuses or is down is a warning; the run still succeeds', async () => {
    server.route('/refusing-hub', async (req, res) => {
      await readBody(req);
      res.writeHead(500).end('busy');
    });
    const p = await setup(server.at('refusing-hub'));
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^feedloom: warning: websub: hub .* answered 500 to the publish ping for https:\/\/feeds\.example\.org\/feed\.xml: busy$/m,
    );

    const down = await setup(`http://127.0.0.1:${await closedPort()}/`);
    const d = await down.run();
    expect(d.code, d.stderr).toBe(0);
    expect(d.stderr.match(/warning: websub/g)).toHaveLength(1);
    expect(d.stderr).toContain('(and 5 more changed feeds not announced)');
    expect(await down.read('feed.xml')).toContain('rel="hub"');
  });

  it('refuses websub without site.feedBase, naming the path (exit 2)', async () => {
    const p = await project({
      websub: { hub: server.at('hub') },
      sources: [{ id: 'science', kind: 'feed', url: server.at('science.atom') }],
    });
    const r = await p.run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'websub.hub: WebSub needs the public URL of the feeds: set "site.feedBase" too',
    );
    expect(pings).toEqual([]);
  });
});
