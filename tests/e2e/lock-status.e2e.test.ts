// Cron mode and source health through the real bin (issue 5): two `run`s at once (one refused, or
// waiting with --wait), a lock left by a dead process taken over, a SIGTERM that leaves no lock, and
// `status` / `status --check` / output/status.json reporting a dead source.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { CLI, type CliResult, E2E_FIXTURES, project, runCli, summaryRow } from './cli.js';

const servers: TestServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const HOUR = 3_600_000;
/** Longest the held feed waits for the test to release it: a bound, so a broken test cannot hang. */
const HOLD_LIMIT_MS = 10_000;

interface Started {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** `feedloom ...args` in `cwd` as a child we can signal; `done` settles when it exits. */
function start(args: readonly string[], cwd: string): Started {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Polls (bounded) until `test` holds. */
async function until(what: string, test: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A server whose /slow.xml answers harbor.xml only once the test calls `release()` (so a run stays
 * busy for as long as the test needs, however slow the machine); it logs each answer's start and end.
 */
async function slowServer(): Promise<{ server: TestServer; log: string[]; release(): void }> {
  const server = await startServer(E2E_FIXTURES);
  servers.push(server);
  const body = await readFile(join(E2E_FIXTURES, 'harbor.xml'));
  const log: string[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
    setTimeout(resolve, HOLD_LIMIT_MS).unref();
  });
  let n = 0;
  server.route('/slow.xml', async (_req, res) => {
    const id = ++n;
    log.push(`start ${id}`);
    await gate;
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(body);
    log.push(`end ${id}`);
  });
  return { server, log, release: () => open() };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

describe('the state-folder lock of `run`', () => {
  it('refuses a second run at once with exit 3, naming the holder; the first completes', async () => {
    const { server, release } = await slowServer();
    const p = await project({ sources: [{ id: 'slow', kind: 'feed', url: server.at('slow.xml') }] });
    const lockPath = join(p.stateDir, 'lock');

    const first = start(['run', '--config', 'sources.json'], p.dir);
    await until('the first run to take the lock', () => existsSync(lockPath));
    const second = await p.run();
    release();
    expect(second.code, second.stderr).toBe(3);
    expect(second.stderr).toMatch(
      new RegExp(
        `^feedloom: another run \\(pid ${first.child.pid}, started \\d{4}-\\d\\d-\\d\\dT[^)]+\\) holds ` +
          `${lockPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; try again later or use --wait\\n$`,
      ),
    );
    expect(second.stdout).toBe('');

    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'slow')?.[1]).toBe('ok');
    expect(existsSync(lockPath)).toBe(false);
  });

  it('with --wait, the second run waits for the first, then runs', async () => {
    const { server, log, release } = await slowServer();
    const p = await project({ sources: [{ id: 'slow', kind: 'feed', url: server.at('slow.xml') }] });
    const lockPath = join(p.stateDir, 'lock');

    const first = start(['run', '--config', 'sources.json'], p.dir);
    await until('the first run to take the lock', () => existsSync(lockPath));
    const waiting = start(['run', '--config', 'sources.json', '--wait', '--wait-timeout', '20'], p.dir);
    let said = '';
    waiting.child.stderr?.on('data', (d: Buffer) => {
      said += d.toString('utf8');
    });
    await until('the second run to say it waits', () => said.includes('waiting for'));
    release();
    const second = await waiting.done;
    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(
      new RegExp(`waiting for pid ${first.child.pid} \\(started [^)]+\\) to release`),
    );
    // The second fetch began only after the first run's fetch had been answered: never side by side.
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock left by a dead process, with a warning', async () => {
    const server = await startServer(E2E_FIXTURES);
    servers.push(server);
    const p = await project({ sources: [{ id: 'harbor', kind: 'feed', url: server.at('harbor.xml') }] });
    const pid = await deadPid();
    await mkdir(p.stateDir, { recursive: true });
    await writeFile(
      join(p.stateDir, 'lock'),
      JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `feedloom: warning: took over the lock of pid ${pid} on ${hostname()} (started 2026-01-01T00:00:00.000Z): ` +
        `pid ${pid} is no longer running`,
    );
    expect(summaryRow(r.stdout, 'harbor')?.[1]).toBe('ok');
    expect(existsSync(join(p.stateDir, 'lock'))).toBe(false);
  });

  it('SIGTERM mid-run removes the lock and ends with the signal; the next run needs no takeover', async () => {
    const { server, release } = await slowServer();
    const p = await project({ sources: [{ id: 'slow', kind: 'feed', url: server.at('slow.xml') }] });
    const lockPath = join(p.stateDir, 'lock');
    const first = start(['run', '--config', 'sources.json'], p.dir);
    await until('the run to take the lock', () => existsSync(lockPath));
    first.child.kill('SIGTERM');
    const r = await first.done;
    // Died of the signal (a shell reports 143), not a normal exit.
    expect(r.signal).toBe('SIGTERM');
    expect(existsSync(lockPath)).toBe(false);

    release();
    const next = await p.run();
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/took over/);
  });
});

describe('feedloom status', () => {
  it('reports a dead source in the table, in --json, in status.json, and --check exits 1', async () => {
    const server = await startServer(E2E_FIXTURES);
    servers.push(server);
    const p = await project({
      sources: [
        { id: 'harbor', kind: 'feed', url: server.at('harbor.xml') },
        { id: 'gone', kind: 'feed', url: server.at('no-such-feed.xml') },
      ],
    });
    // No clock to fast-forward in a child process: seed the history of ten failures over two days,
    // the last one over a day ago, as earlier runs would have left it. A dead source is tried daily,
    // so this run tries it again, and its 404 extends the streak.
    const store = openSqliteStore(p.stateDir);
    const started = Date.now() - 3 * 24 * HOUR;
    for (let i = 0; i < 10; i++) {
      const at = new Date(started + i * 4 * HOUR);
      store.recordFailure('gone', at, 'fetch: 404 Not Found');
      store.recordFetch('gone', at, 40 + i, 'failed');
    }
    store.close();

    const run = await p.run();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/feedloom: gone: .*404/);

    const file = JSON.parse(await p.read('status.json')) as {
      dead: string[];
      sources: { id: string; status: string; consecutiveFailures: number; medianMs: number; dead: boolean }[];
    };
    expect(file.dead).toEqual(['gone']);
    expect(file.sources.map((s) => [s.id, s.status, s.consecutiveFailures, s.dead])).toEqual([
      ['harbor', 'ok', 0, false],
      ['gone', 'failed', 11, true],
    ]);
    expect(typeof file.sources[0]?.medianMs).toBe('number');
    // status.json changes every run, so it is not listed among the feed files written.
    expect(run.stdout).toMatch(/wrote \d+ files/);
    expect(run.stdout).not.toMatch(/status\.json/);

    const check = await runCli(['status', '--check'], p.dir);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stderr).toMatch(/^feedloom: dead source: gone \(10 or more failures in a row/);
    const rows = check.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual([
      'source',
      'status',
      'last success',
      'fails',
      'items',
      'median',
      'next run',
      'last error',
    ]);
    const gone = rows.find((r) => r[0] === 'gone');
    expect(gone?.slice(1, 5)).toEqual(['failed (dead)', 'never', '11', '0']);
    // Dead: tried again a day after this run's failure.
    expect(Date.parse(gone?.[6] ?? '')).toBeGreaterThan(Date.now() + 20 * HOUR);
    expect(gone?.[7]).toMatch(/404/);
    const harbor = rows.find((r) => r[0] === 'harbor');
    expect(harbor?.[1]).toBe('ok');
    expect(harbor?.[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(harbor?.[4]).toBe('3');
    expect(harbor?.[5]).toMatch(/^\d+ ms$/);

    // Without --check the same news, but exit 0: `status` is for reading.
    const plain = await runCli(['status'], p.dir);
    expect(plain.code).toBe(0);

    const json = await runCli(['status', '--json', '--check'], p.dir);
    expect(json.code).toBe(1);
    const fromCli = JSON.parse(json.stdout) as { generatedAt: string };
    expect({ ...fromCli, generatedAt: '' }).toEqual({ ...file, generatedAt: '' });
  });

  it('--check exits 0 when every source is healthy; a project never run says "never run"', async () => {
    const server = await startServer(E2E_FIXTURES);
    servers.push(server);
    const p = await project({ sources: [{ id: 'harbor', kind: 'feed', url: server.at('harbor.xml') }] });

    const before = await runCli(['status', '--check'], p.dir);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/^harbor\s+never run\s+never\s+0\s+0\s+-\s+now\s*$/m);
    // Reading the status creates no state.
    expect(existsSync(p.stateDir)).toBe(false);

    expect((await p.run()).code).toBe(0);
    const after = await runCli(['status', '--check'], p.dir);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toBe('');
    expect(after.stdout).toMatch(/1 source, 0 failing, 0 dead/);
    const file = JSON.parse(await p.read('status.json')) as { dead: string[] };
    expect(file.dead).toEqual([]);
  });
});
