// `feedloom serve` as a user runs it: the real bin in a child process on a free port (--port 0, the
// URL read from its first line), answering for a real run's output/, then SIGTERM -> exit 0. With
// Chromium installed, the browser view: feed.xml and atom.xml opened through the server come out as
// the page feed.xsl makes (Chromium skips when absent; CI does not install it).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import * as cheerio from 'cheerio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { findTool } from '../unit/emit/tools.js';
import { CLI, E2E_FIXTURES, type Project, project } from './cli.js';

// Optional: a browser is too heavy for CI, so even FEEDLOOM_REQUIRE_TOOLS=1 does not demand it.
const chromium = findTool('chromium', ['chromium', 'chromium-browser', 'google-chrome'], ['--version'], true);

let fixtures: TestServer;
let p: Project;
let child: ChildProcess | undefined;

beforeEach(async () => {
  fixtures = await startServer(E2E_FIXTURES);
  p = await project({
    site: { title: 'Harbour Desk', feedBase: 'https://feeds.example.org/' },
    sources: [{ id: 'harbor', kind: 'feed', url: fixtures.at('harbor.xml') }],
  });
  const r = await p.run();
  expect(r.code, r.stderr).toBe(0);
});

afterEach(async () => {
  // A failed test must not leave the server running: stop the one child this file started.
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
  await fixtures.close();
});

interface Serving {
  readonly url: string;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

/** Starts `feedloom serve` with `args` in the project and waits (bounded) for its address line. */
async function serve(args: readonly string[]): Promise<Serving> {
  const proc = spawn(process.execPath, [CLI, 'serve', ...args], {
    cwd: p.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  proc.stderr.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address line in 10 s:\n${out}\n${err}`)), 10_000);
    const check = (): void => {
      const m = /^serving (.+) at (http:\/\/\S+)$/m.exec(out);
      if (m?.[2]) {
        clearTimeout(timer);
        resolve(m[2]);
      }
    };
    proc.stdout.on('data', check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
  return { url, output: () => out + err, exit };
}

/** Status of a GET with the path sent byte for byte. */
function rawStatus(base: string, path: string): Promise<number> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('feedloom serve', () => {
  it('serves output/ on the port it picked, with the right types, and stops on SIGTERM with 0', async () => {
    const s = await serve(['--config', 'sources.json', '--host', '127.0.0.1', '--port', '0']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.output()).toContain(`serving ${p.outDir} at ${s.url}`);

    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe(await p.read('index.html'));

    // A reader's Accept header, as Python feedparser sends it.
    const reader = { Accept: 'application/atom+xml,application/rss+xml,application/xml;q=0.9,*/*;q=0.1' };
    const rss = await fetch(new URL('feed.xml', s.url), { headers: reader });
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await rss.text()).toBe(await p.read('feed.xml'));
    const etag = rss.headers.get('etag') ?? '';
    const again = await fetch(new URL('feed.xml', s.url), { headers: { ...reader, 'If-None-Match': etag } });
    expect(again.status).toBe(304);

    const xsl = await fetch(new URL('feed.xsl', s.url));
    expect(xsl.headers.get('content-type')).toBe('text/xsl; charset=utf-8');
    // Raw paths: fetch would resolve the dot segments before sending them.
    for (const path of ['/../sources.json', '/%2e%2e/sources.json', '/..%2fsources.json'])
      expect(await rawStatus(s.url, path), path).toBe(404);

    child?.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    // The access log saw the requests; the last line says it stopped.
    expect(s.output()).toMatch(/^GET \/feed\.xml 200 \d+$/m);
    expect(s.output().trimEnd().split('\n').at(-1)).toBe('stopped');
  });

  it('serves a folder named by --out without a sources.json, and exits 0 on SIGINT', async () => {
    const s = await serve(['--out', 'output', '--port', '0', '--quiet']);
    expect((await fetch(new URL('atom.xml', s.url))).status).toBe(200);
    child?.kill('SIGINT');
    expect(await s.exit).toBe(0);
    expect(s.output()).not.toContain('GET /');
  });

  it('refuses a bad port as a usage error (exit 2)', async () => {
    const code = await new Promise<number>((resolve) => {
      execFile(process.execPath, [CLI, 'serve', '--port', '70000'], { cwd: p.dir, timeout: 10_000 }, (e) =>
        resolve(typeof e?.code === 'number' ? e.code : 0),
      );
    });
    expect(code).toBe(2);
  });
});

describe.skipIf(chromium.skip)('the browser view in headless Chromium', () => {
  it.each(['feed.xml', 'atom.xml'])('turns %s into the page feed.xsl makes', async (file) => {
    const s = await serve(['--port', '0', '--quiet']);
    const profile = await tempDir('feedloom-chromium-');
    const dom = await new Promise<string>((resolve, reject) => {
      execFile(
        chromium.command ?? 'chromium',
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          `--user-data-dir=${profile}`,
          '--dump-dom',
          new URL(file, s.url).href,
        ],
        { timeout: 60_000, encoding: 'utf8' },
        (e, stdout, stderr) => (e ? reject(new Error(`chromium: ${e.message}\n${stderr}`)) : resolve(stdout)),
      );
    });
    const $ = cheerio.load(dom);
    expect($('h1').text()).toBe('Harbour Desk');
    expect($('.subscribe input').attr('value')).toBe(`https://feeds.example.org/${file}`);
    const titles = (await p.feed()).json.map((e) => e.title);
    expect(
      $('main article h2')
        .toArray()
        .map((h) => $(h).text().trim()),
    ).toEqual(titles);
    expect(titles.length).toBeGreaterThan(0);
    child?.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});
