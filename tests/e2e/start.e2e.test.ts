// The scheduler daemon through the real bin (issue 5): `feedloom start` against a loopback server of
// sources on short schedules (node-cron's seconds field). Each source is fetched again and again on
// its schedule; one answering Retry-After: 120 and one with <ttl>60</ttl> are not; SIGHUP and edits
// of sources.json reload it (an invalid one is refused); SIGTERM ends it cleanly. `run` in cron mode
// skips a source that is not due unless --all. Waits are bounded polls; nothing asserts on timing.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { CLI, type CliResult, type Project, parseOutputs, project, runCli, summaryRow } from './cli.js';

const servers: TestServer[] = [];
const children: ChildProcess[] = [];
const hung: ServerResponse[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const res of hung.splice(0)) res.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Test settings: no jitter, quick writes and a short grace period. */
const SCHEDULE = { jitterSeconds: 0, debounceSeconds: 0.2, graceSeconds: 1 };
const EVERY_SECOND = '* * * * * *';
const EVERY_2_SECONDS = '*/2 * * * * *';

interface Daemon {
  readonly child: ChildProcess;
  readonly out: { stdout: string; stderr: string };
  readonly done: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** `feedloom start ...args` in the project folder, as a child we can signal. */
function startDaemon(p: Project, args: readonly string[] = []): Daemon {
  const child = spawn(process.execPath, [CLI, 'start', '--config', 'sources.json', ...args], {
    cwd: p.dir,
    env: { ...process.env, NO_COLOR: '1' },
  });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => {
    out.stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    out.stderr += d.toString('utf8');
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, ...out }));
  });
  return { child, out, done };
}

/** Polls (bounded) until `test` holds; the message says what never happened. */
async function until(what: string, test: () => boolean, limitMs = 20_000, daemon?: Daemon): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!test()) {
    if (Date.now() > deadline) {
      const logs = daemon ? `\nstdout:\n${daemon.out.stdout}\nstderr:\n${daemon.out.stderr}` : '';
      throw new Error(`timed out waiting for ${what}${logs}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Settles with the exit, or fails the test after `limitMs` (a bound, not a timing assertion). */
async function exitOf(d: Daemon, limitMs = 20_000): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the daemon did not exit\n${d.out.stdout}\n${d.out.stderr}`)),
      limitMs,
    );
  });
  try {
    return await Promise.race([d.done, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** An RSS 2.0 feed whose one item is numbered by the request, so every fetch brings something new. */
function rss(title: string, n: number, extra = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${title}</title><link>http://example.org/${title}</link>
<description>${title}</description>${extra}
<item><title>${title} story ${n}</title><link>http://example.org/${title}/${n}</link>
<guid>http://example.org/${title}/${n}</guid><pubDate>Mon, 02 Mar 2026 12:00:${String(n % 60).padStart(2, '0')} GMT</pubDate>
<description>Story number ${n} of ${title}.</description></item>
</channel></rss>`;
}

/** Serves /<name>.xml as a fresh feed on every request (no validators: always a 200). */
function feedRoute(server: TestServer, name: string, extra = ''): void {
  let n = 0;
  server.route(`/${name}.xml`, (_req, res) => {
    n++;
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(rss(name, n, extra));
  });
}

function hits(server: TestServer, name: string): number {
  return server.requests.filter((r) => r.path.startsWith(`/${name}.xml`)).length;
}

const source = (server: TestServer, id: string, schedule: string) => ({
  id,
  kind: 'feed',
  url: server.at(`/${id}.xml`),
  schedule,
});

async function setup(): Promise<TestServer> {
  const server = await startServer();
  servers.push(server);
  feedRoute(server, 'fast');
  feedRoute(server, 'slow');
  feedRoute(server, 'extra');
  // The RSS 2.0 <ttl>: "minutes it can be cached before refreshing from the source".
  feedRoute(server, 'ttl', '<ttl>60</ttl>');
  server.route('/busy.xml', (_req, res) => {
    res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' });
    res.end('slow down');
  });
  // Never answers: a fetch that is still in flight when the daemon is told to stop.
  server.route('/hang.xml', (_req, res) => {
    hung.push(res);
  });
  return server;
}

describe('feedloom start', () => {
  it('fetches each source on its own schedule, honours Retry-After and <ttl>, and stops cleanly on SIGTERM', async () => {
    const server = await setup();
    const p = await project({
      schedule: SCHEDULE,
      sources: [
        source(server, 'fast', EVERY_SECOND),
        source(server, 'slow', EVERY_2_SECONDS),
        source(server, 'busy', EVERY_SECOND),
        source(server, 'ttl', EVERY_SECOND),
      ],
    });
    const d = startDaemon(p, ['--log', 'json']);
    await until(
      'fast fetched 4 times and slow twice',
      () => hits(server, 'fast') >= 4 && hits(server, 'slow') >= 2,
      20_000,
      d,
    );
    // Many firings of busy and ttl have passed by now: each was held back, none reached the server.
    expect(hits(server, 'busy')).toBe(1);
    expect(hits(server, 'ttl')).toBe(1);
    await until('the outputs', () => existsSync(join(p.outDir, 'feed.xml')), 20_000, d);

    // The state folder is the daemon's: a cron run meanwhile is refused with exit code 3.
    const refused = await p.run();
    expect(refused.code).toBe(3);

    d.child.kill('SIGTERM');
    const exit = await exitOf(d);
    expect(exit.code).toBe(0);
    expect(existsSync(join(p.stateDir, 'lock'))).toBe(false);

    // Every line is JSON; one per fetch, with what the issue asks of it.
    const lines = exit.stdout.trim().split('\n');
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const fetches = logs.filter((l) => l['event'] === 'fetch');
    const fast = fetches.find((l) => l['source'] === 'fast' && l['status'] === 'ok');
    expect(fast).toMatchObject({ level: 'info', httpStatus: 200, items: 1, newItems: 1 });
    expect(fast?.['bytes']).toBeGreaterThan(0);
    expect(typeof fast?.['ms']).toBe('number');
    expect(typeof fast?.['time']).toBe('string');
    expect(fetches.filter((l) => l['source'] === 'busy')).toEqual([
      expect.objectContaining({ level: 'warn', status: 'failed', httpStatus: 429 }),
    ]);
    expect(logs.some((l) => l['event'] === 'write')).toBe(true);

    // The outputs hold what was fetched; the stop wrote the last of it.
    const feed = await parseOutputs(p.outDir);
    const titles = feed.rss.map((e) => e.title);
    expect(titles).toContain('fast story 1');
    expect(titles).toContain('ttl story 1');
    const status = JSON.parse(await p.read('status.json')) as {
      sources: { id: string; nextDue: string | null; consecutiveFailures: number }[];
    };
    const busy = status.sources.find((s) => s.id === 'busy');
    // Not before the server's Retry-After, about two minutes after it was asked.
    expect(busy?.consecutiveFailures).toBe(1);
    expect(Date.parse(busy?.nextDue ?? '')).toBeGreaterThan(Date.now() + 60_000);
    const ttl = status.sources.find((s) => s.id === 'ttl');
    expect(Date.parse(ttl?.nextDue ?? '')).toBeGreaterThan(Date.now() + 30 * 60_000);
  }, 60_000);

  it('reloads on SIGHUP: a new source is picked up, an invalid file is refused and the old one keeps running', async () => {
    const server = await setup();
    const base = { schedule: SCHEDULE, sources: [source(server, 'fast', EVERY_SECOND)] };
    const p = await project(base);
    const d = startDaemon(p, ['--no-watch']);
    await until('fast fetched', () => hits(server, 'fast') >= 1, 20_000, d);

    await p.configure({ ...base, sources: [...base.sources, source(server, 'extra', EVERY_SECOND)] });
    d.child.kill('SIGHUP');
    await until('the new source fetched', () => hits(server, 'extra') >= 1, 20_000, d);
    expect(d.out.stdout).toMatch(/reloaded the sources file \(SIGHUP\): 2 sources, added extra/);

    await p.configure({ ...base, sources: [{ id: 'broken', kind: 'nonsense', url: 'not a url' }] });
    d.child.kill('SIGHUP');
    await until('the refusal', () => /not reloaded/.test(d.out.stderr), 20_000, d);
    expect(d.out.stderr).toMatch(/the previous one stays in force/);
    expect(d.out.stderr).toMatch(/sources\[0\]\.kind/);
    // Both sources of the previous file go on being fetched.
    const fast = hits(server, 'fast');
    const extra = hits(server, 'extra');
    await until(
      'both sources fetched again',
      () => hits(server, 'fast') >= fast + 2 && hits(server, 'extra') >= extra + 2,
      20_000,
      d,
    );

    d.child.kill('SIGINT');
    expect((await exitOf(d)).code).toBe(0);
  }, 60_000);

  it('reloads when sources.json changes on disk', async () => {
    const server = await setup();
    const base = { schedule: SCHEDULE, sources: [source(server, 'fast', EVERY_SECOND)] };
    const p = await project(base);
    const d = startDaemon(p);
    await until('fast fetched', () => hits(server, 'fast') >= 1, 20_000, d);
    await p.configure({ ...base, sources: [...base.sources, source(server, 'slow', EVERY_2_SECONDS)] });
    await until('the added source fetched', () => hits(server, 'slow') >= 1, 20_000, d);
    expect(d.out.stdout).toMatch(/reloaded the sources file \(sources\.json changed\)/);
    d.child.kill('SIGTERM');
    expect((await exitOf(d)).code).toBe(0);
  }, 60_000);

  it('on SIGTERM cancels a fetch still running after the grace period, writes the outputs and exits 0', async () => {
    const server = await setup();
    const p = await project({
      schedule: SCHEDULE,
      defaults: { timeoutMs: 60_000, retries: 0 },
      sources: [source(server, 'fast', EVERY_SECOND), source(server, 'hang', EVERY_SECOND)],
    });
    const d = startDaemon(p);
    await until(
      'a hanging request and a written feed',
      () => hung.length > 0 && existsSync(join(p.outDir, 'feed.xml')),
      20_000,
      d,
    );
    d.child.kill('SIGTERM');
    const exit = await exitOf(d);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/stopping \(SIGTERM\): waiting for .*hang/);
    expect(exit.stderr).toMatch(/grace period over: cancelled hang/);
    expect(existsSync(join(p.stateDir, 'lock'))).toBe(false);
    expect((await parseOutputs(p.outDir)).rss.map((e) => e.title)).toContain('fast story 1');
    // Our own cancel is not the source's failure.
    const status = await runCli(['status', '--json', '--config', 'sources.json'], p.dir);
    const hang = (
      JSON.parse(status.stdout) as { sources: { id: string; consecutiveFailures: number }[] }
    ).sources.find((s) => s.id === 'hang');
    expect(hang?.consecutiveFailures).toBe(0);
  }, 60_000);

  it('fetches never-fetched sources at once, without jitter (issue: first fetch 17-30 s late)', async () => {
    const server = await setup();
    for (const id of ['a', 'b', 'c']) feedRoute(server, id);
    // A daily schedule lets the jitter reach the whole hour asked for: a catch-up must not wait it.
    const daily = '0 0 * * *';
    const p = await project({
      schedule: { ...SCHEDULE, jitterSeconds: 3600 },
      sources: ['a', 'b', 'c'].map((id) => source(server, id, daily)),
    });
    const d = startDaemon(p);
    await until('a, b and c fetched', () => ['a', 'b', 'c'].every((id) => hits(server, id) === 1), 15_000, d);
    d.child.kill('SIGTERM');
    expect((await exitOf(d)).code).toBe(0);
  }, 60_000);

  it('with --log-level debug says why each firing was held back; a stop waits only for requests under way', async () => {
    const server = await setup();
    const spread = ['a', 'b', 'c'];
    for (const id of spread) feedRoute(server, id);
    const p = await project({
      // Every 10 s, so the jitter (at most a tenth of the period) is up to a second: long enough to stop in.
      schedule: { ...SCHEDULE, jitterSeconds: 3600 },
      defaults: { timeoutMs: 60_000, retries: 0 },
      sources: [
        ...spread.map((id) => source(server, id, '*/10 * * * * *')),
        source(server, 'ttl', EVERY_SECOND),
        source(server, 'hang', EVERY_SECOND),
      ],
    });
    const d = startDaemon(p, ['--log-level', 'debug']);
    await until('the first fetches', () => spread.every((id) => hits(server, id) === 1), 15_000, d);
    await until(
      'a firing held back by its ttl',
      () => /ttl: held back until \S+ \(asks 60 min/.test(d.out.stdout),
      15_000,
      d,
    );
    await until(
      'a firing skipped while the previous fetch hangs',
      () => /hang: firing skipped \(the previous fetch is still running\)/.test(d.out.stdout),
      15_000,
      d,
    );
    // The next regular firing of a, b and c waits out its jitter: stop while it does.
    await until(
      'a jitter wait',
      () => /[abc]: held back until \S+ \(jitter: [\d.]+ s of schedule\.jitterSeconds\)/.test(d.out.stdout),
      15_000,
      d,
    );
    d.child.kill('SIGTERM');
    const exit = await exitOf(d);
    expect(exit.code).toBe(0);
    const waitingFor = /stopping \(SIGTERM\)(?:: waiting for (.*?))?(?: inFlight=\d+)?$/m.exec(exit.stdout);
    expect(waitingFor, exit.stdout).not.toBeNull();
    const listed = waitingFor?.[1]?.split(', ') ?? [];
    // hang's request is under way; a source still in its jitter wait sent no second request.
    expect(listed).toContain('hang');
    for (const id of listed.filter((l) => spread.includes(l))) expect(hits(server, id), id).toBe(2);
  }, 60_000);

  it('refuses an invalid sources file at start with exit code 2', async () => {
    const p = await project({ sources: [{ kind: 'feed' }] });
    const exit = await exitOf(startDaemon(p));
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/sources\[0\]/);
    expect(existsSync(join(p.stateDir, 'lock'))).toBe(false);
  });
});

describe('feedloom run in cron mode', () => {
  it('skips a source that is not due yet, and fetches it with --all', async () => {
    const server = await setup();
    const p = await project({
      sources: [source(server, 'ttl', EVERY_SECOND), source(server, 'fast', EVERY_SECOND)],
    });
    expect((await p.run()).code).toBe(0);
    expect([hits(server, 'ttl'), hits(server, 'fast')]).toEqual([1, 1]);

    // The crontab line is the schedule: a source that asks for nothing is fetched on every run.
    const second = await p.run();
    expect(second.code).toBe(0);
    expect(summaryRow(second.stdout, 'ttl')?.[1]).toBe('not-due');
    expect(summaryRow(second.stdout, 'ttl')?.join(' ')).toMatch(/next due \d{4}-\d\d-\d\dT/);
    expect(summaryRow(second.stdout, 'fast')?.[1]).toBe('ok');
    expect(second.stdout).toMatch(/1 not due: run --all/);
    expect([hits(server, 'ttl'), hits(server, 'fast')]).toEqual([1, 2]);

    const all = await p.run(['--all', '--log', 'json']);
    expect(all.code).toBe(0);
    expect([hits(server, 'ttl'), hits(server, 'fast')]).toEqual([2, 3]);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['event'] === 'fetch').map((l) => l['source'])).toEqual(
      expect.arrayContaining(['ttl', 'fast']),
    );
    expect(lines.at(-1)).toMatchObject({ msg: 'run finished', sources: 2, notDue: 0 });

    // status shows when each source is next due, in the table and in status.json.
    const status = await runCli(['status', '--config', 'sources.json'], p.dir);
    expect(status.stdout).toMatch(/next run/);
    const json = JSON.parse(await readFile(join(p.outDir, 'status.json'), 'utf8')) as {
      sources: { id: string; nextDue: string | null }[];
    };
    expect(json.sources.map((s) => typeof s.nextDue)).toEqual(['string', 'string']);
  }, 60_000);
});

describe('feedloom serve --watch', () => {
  it('serves output/ while the scheduler keeps it fresh, and stops on SIGTERM with 0', async () => {
    const server = await setup();
    const p = await project({ schedule: SCHEDULE, sources: [source(server, 'fast', EVERY_SECOND)] });
    const { serveOutput } = await import('./serving.js');
    const served = await serveOutput(p.dir, ['--watch', '--config', 'sources.json']);
    try {
      // The feed a reader fetches from this server gains the stories the scheduler fetched.
      const storiesServed = async (): Promise<number> => {
        const res = await fetch(new URL('feed.xml', served.url));
        return res.ok ? ((await res.text()).match(/fast story \d+/g) ?? []).length : 0;
      };
      const deadline = Date.now() + 20_000;
      let stories = await storiesServed();
      while (stories < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        stories = await storiesServed();
      }
      expect(stories, served.output()).toBeGreaterThanOrEqual(2);
      expect(hits(server, 'fast')).toBeGreaterThanOrEqual(2);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(served.output()).toMatch(/^serving .+ at http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(existsSync(join(p.stateDir, 'lock'))).toBe(false);
  });

  it('logs what the outputs write got past (a WebSub hub down) as a warning, not an error', async () => {
    const server = await setup();
    const { closedPort } = await import('./cli.js');
    const p = await project({
      site: { title: 'Desk', feedBase: 'https://feeds.example.org/' },
      websub: { hub: `http://127.0.0.1:${await closedPort()}/` },
      schedule: SCHEDULE,
      sources: [source(server, 'fast', EVERY_SECOND)],
    });
    const d = startDaemon(p, ['--log-level', 'warn']);
    await until('the hub failure logged', () => /websub/.test(d.out.stderr), 20_000, d);
    d.child.kill('SIGTERM');
    const exit = await exitOf(d);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toMatch(/^\S+ warn {2}WEBSUB_UNREACHABLE: websub: /m);
    expect(exit.stderr).not.toMatch(/ error /);
  });

  it('serve --watch takes --log-level as start does: warn leaves only the problems', async () => {
    const server = await setup();
    const p = await project({
      schedule: SCHEDULE,
      sources: [source(server, 'fast', EVERY_SECOND), source(server, 'busy', EVERY_SECOND)],
    });
    const { serveOutput } = await import('./serving.js');
    const served = await serveOutput(p.dir, ['--watch', '--config', 'sources.json', '--log-level', 'warn']);
    try {
      await until('the failing source reported', () => /busy: failed/.test(served.output()));
      await until('the feed written', () => existsSync(join(p.outDir, 'feed.xml')));
      expect((await fetch(new URL('feed.xml', served.url))).status).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    const out = served.output();
    expect(out).toMatch(/^\S+ warn {2}busy: failed \(HTTP 429/m);
    // No info lines: neither the scheduler's nor the server's request lines.
    expect(out).not.toMatch(/ info |GET \/feed\.xml|^stopped$/m);
    expect(out).toMatch(/^serving .+ at http:/m);
  });
});
