// `feedloom run` against servers that behave as real ones do: feeds that moved, feeds that are gone,
// servers that lie about their bodies. What the user reads in the summary, and what the next run does.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { E2E_FIXTURES, project, summaryRow } from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(): Promise<TestServer> {
  const s = await startServer(E2E_FIXTURES);
  servers.push(s);
  return s;
}

describe('a feed that moved for good', () => {
  it('is still read, and the row says which URL to put in sources.json, also once it answers 304', async () => {
    const server = await serve();
    server.route('/old/harbor.rss', (_req, res) => {
      res.writeHead(301, { location: '/harbor.xml' });
      res.end();
    });
    const p = await project({ sources: [{ id: 'harbor', kind: 'feed', url: server.at('/old/harbor.rss') }] });
    const hint = `has moved permanently to ${server.at('/harbor.xml')} (301/308 redirect): put the new URL in sources.json`;

    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(summaryRow(first.stdout, 'harbor')?.slice(0, 3)).toEqual(['harbor', 'ok', '3']);
    expect(first.stdout).toContain(hint);
    expect((await p.feed()).rss).toHaveLength(3);

    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(summaryRow(second.stdout, 'harbor')?.[1]).toBe('not-modified');
    expect(second.stdout).toContain(hint);

    // The log lines of `run --log json` and of the daemon say it too, not only that there is a warning.
    const logged = await p.run(['--log', 'json']);
    const line = logged.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['source'] === 'harbor');
    expect(line).toMatchObject({ status: 'not-modified', warnings: 1 });
    expect(line?.['warning']).toContain(hint);
  });
});

describe('one broken source among many', () => {
  it('the run finishes with every other source, exit 0, and the summary line counts the failures', async () => {
    const server = await serve();
    server.route('/gone.xml', (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    const p = await project({
      sources: [
        { id: 'harbor', kind: 'feed', url: server.at('/harbor.xml') },
        { id: 'gone', kind: 'feed', url: server.at('/gone.xml') },
        { id: 'science', kind: 'feed', url: server.at('/science.atom') },
        { id: 'culture', kind: 'feed', url: server.at('/culture.json') },
      ],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'gone')?.slice(0, 2)).toEqual(['gone', 'failed']);
    expect(r.stdout).toMatch(/^4 sources \(1 failed\), 7 new items, 7 entries in the main feed; wrote /m);
    expect(r.stderr).toContain(`feedloom: gone: fetch: GET ${server.at('/gone.xml')}: 404 Not Found`);
    expect((await p.feed()).rss).toHaveLength(7);
  });
});

describe('a feed that is gone (410)', () => {
  it('says so, and the next runs leave it alone for a day instead of a minute', async () => {
    const server = await serve();
    server.route('/closed.xml', (_req, res) => {
      res.writeHead(410, { 'content-type': 'text/html' });
      res.end('<h1>Gone</h1>');
    });
    const p = await project({
      sources: [
        { id: 'harbor', kind: 'feed', url: server.at('/harbor.xml') },
        { id: 'closed', kind: 'feed', url: server.at('/closed.xml') },
      ],
    });
    const started = Date.now();
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(summaryRow(first.stdout, 'closed')?.[1]).toBe('failed');
    expect(first.stderr).toContain('410 Gone: the server says it was removed for good');

    const second = await p.run();
    const row = summaryRow(second.stdout, 'closed');
    expect(row?.[1]).toBe('not-due');
    const due = Date.parse(/next due (\S+)/.exec(row?.[5] ?? '')?.[1] ?? '');
    expect(due).toBeGreaterThan(started + 23 * 3600_000);
    expect(server.requests.filter((r) => r.path === '/closed.xml')).toHaveLength(1);
  });
});

describe('a feed source whose URL is a site page', () => {
  it('reads the feed the page advertises, and says which URL to put in sources.json', async () => {
    const server = await serve();
    server.route('/blog/', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><html><head><title>Harbor blog</title>' +
          '<link rel="alternate" type="application/rss+xml" title="Posts" href="../harbor.xml">' +
          '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">' +
          '</head><body><h1>Harbor blog</h1></body></html>',
      );
    });
    const p = await project({ sources: [{ id: 'harbor', kind: 'feed', url: server.at('/blog/') }] });
    const hint = `${server.at('/blog/')} is an HTML page, not a feed; read the feed it advertises, ${server.at('/harbor.xml')}: put that URL in sources.json`;

    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(summaryRow(first.stdout, 'harbor')?.slice(0, 3)).toEqual(['harbor', 'ok', '3']);
    expect(first.stdout).toContain(hint);
    expect((await p.feed()).rss).toHaveLength(3);
    expect(server.requests.some((r) => r.path === '/comments.xml')).toBe(false);

    // The feed's validators go along: unchanged, it answers 304.
    const second = await p.run(['--all']);
    expect(second.code, second.stderr).toBe(0);
    expect(summaryRow(second.stdout, 'harbor')?.[1]).toBe('not-modified');
    expect(second.stdout).toContain(hint);
  });

  it('does the same among many sources, whose content is read in worker threads', async () => {
    const server = await serve();
    server.route('/blog/', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/harbor.xml"></head></html>',
      );
    });
    // Enough sources for the content pool (each a URL of its own: the query is ignored by the server).
    const others = Array.from({ length: 25 }, (_, i) => ({
      id: `science-${i}`,
      kind: 'feed',
      url: server.at(`/science.atom?copy=${i}`),
    }));
    const p = await project({
      sources: [{ id: 'harbor', kind: 'feed', url: server.at('/blog/') }, ...others],
    });
    const r = await p.run(['--log', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['msg'] === 'run finished')?.['workers']).toBeGreaterThan(0);
    expect(lines.find((l) => l['source'] === 'harbor')).toMatchObject({ status: 'ok', items: 3 });
  });

  it('fails with the feed error when the advertised feed does not work, naming both URLs', async () => {
    const server = await serve();
    server.route('/home', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>',
      );
    });
    const p = await project({ sources: [{ id: 'home', kind: 'feed', url: server.at('/home') }] });
    const r = await p.run();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `feedloom: home: fetch: ${server.at('/home')} is an HTML page that advertises the feed ${server.at('/atom.xml')}, which failed: fetch: GET ${server.at('/atom.xml')}: 404 Not Found`,
    );
  });

  it('a feed URL that redirects to a sign-in page fails saying it was redirected there', async () => {
    const server = await serve();
    server.route('/members/feed.xml', (_req, res) => {
      res.writeHead(302, { location: '/login?next=%2Fmembers%2Ffeed.xml' });
      res.end();
    });
    server.route('/login', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>Sign in</title></head><body><form></form></body></html>');
    });
    const p = await project({
      sources: [{ id: 'members', kind: 'feed', url: server.at('/members/feed.xml') }],
    });
    const r = await p.run();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `feedloom: members: ingest: ${server.at('/login?next=%2Fmembers%2Ffeed.xml')}: the document is an HTML page, not a feed`,
    );
    expect(r.stderr).toContain(`(${server.at('/members/feed.xml')} redirected there)`);
  });

  it('fails clearly when the page advertises no feed', async () => {
    const server = await serve();
    server.route('/plain', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><head><title>Shop</title></head><body><p>Hello</p></body></html>');
    });
    const p = await project({ sources: [{ id: 'plain', kind: 'feed', url: server.at('/plain') }] });
    const r = await p.run();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `feedloom: plain: ingest: ${server.at('/plain')}: the document is an HTML page, not a feed`,
    );
    expect(r.stderr).toContain(`feedloom discover ${server.at('/plain')}`);
  });
});
