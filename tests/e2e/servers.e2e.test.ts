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
