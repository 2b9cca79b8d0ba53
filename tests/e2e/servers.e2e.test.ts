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
