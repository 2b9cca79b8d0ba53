// A full disk (issue 5, point 6): a run that cannot write must fail with a message naming the folder
// and the error, leave the previous outputs byte for byte, leave no temporary file, keep the state
// intact, and once space is back the next run must publish what arrived meanwhile.
//
// Two real limits, no injected fault: a small tmpfs filled to the brim (ENOSPC; needs root with
// CAP_SYS_ADMIN, as CI has: skipped with a note elsewhere), and a process file-size limit set with
// prlimit (EFBIG; Node ignores SIGXFSZ, so the write fails instead of killing the process).
import { execFile, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmdirSync, statfsSync, writeSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { CLI, type CliResult, project } from './cli.js';

const TEMP_FILE = /^\..+\.tmp$/;
const ITEMS_PER_ROUND = 5;
/** Every source on every run: the scheduling rules are not this test's subject. */
const RUN = ['run', '--config', 'sources.json', '--all'];

const servers: TestServer[] = [];
const mounts: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const m of mounts.splice(0)) {
    spawnSync('umount', ['-l', m]);
    rmdirSync(m);
  }
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN), and why not. */
function probeMount(): { ok: boolean; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'not Linux' };
  const dir = mkdtempSync(join(tmpdir(), 'feedloom-mount-probe-'));
  try {
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'feedloom-probe', dir], {
      encoding: 'utf8',
    });
    if (r.status !== 0) return { ok: false, why: (r.stderr || String(r.error)).trim() };
    spawnSync('umount', [dir]);
    return { ok: true, why: '' };
  } finally {
    rmdirSync(dir);
  }
}

const MOUNT = probeMount();
if (!MOUNT.ok)
  console.warn(
    `disk-full: tmpfs cases skipped: mounting a tmpfs needs root with CAP_SYS_ADMIN (${MOUNT.why})`,
  );
const PRLIMIT = process.platform === 'linux' && spawnSync('prlimit', ['--version']).status === 0;
if (!PRLIMIT) console.warn('disk-full: file-size-limit case skipped: prlimit (util-linux) is not installed');

function mountTmpfs(bytes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'feedloom-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'feedloom-test', dir], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`mount tmpfs on ${dir}: ${r.stderr}`);
  mounts.push(dir);
  return dir;
}

/** Fills the file system of `dir` until at most `leave` bytes are free; returns the filler's path. */
function fill(dir: string, leave: number): string {
  const path = join(dir, 'filler.bin');
  const fd = openSync(path, 'w');
  try {
    for (;;) {
      const s = statfsSync(dir);
      const free = s.bavail * s.bsize - leave;
      if (free <= 0) break;
      writeSync(fd, Buffer.alloc(Math.min(free, 1 << 20), 0x61));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * Two feeds whose items (about 9 kB each) change with `round()`: five new per round, the last `shown`
 * rounds in the feed; round 0 has `firstRound` items per feed.
 */
async function feeds(round: () => number, firstRound: number, shown: number): Promise<TestServer> {
  const server = await startServer();
  servers.push(server);
  for (const id of ['a', 'b']) {
    server.route(`/${id}.xml`, (_req: IncomingMessage, res: ServerResponse) => {
      const items: string[] = [];
      for (let r = round(); r > round() - shown && r >= 0; r--) {
        for (let k = (r === 0 ? firstRound : ITEMS_PER_ROUND) - 1; k >= 0; k--) {
          const para = `<p>${id} ${r} ${k} ${'lorem ipsum dolor sit amet '.repeat(10)}</p>`;
          items.push(`<item><title>${id} round ${r} story ${k}</title><link>${linkOf(id, r, k)}</link>
<guid isPermaLink="false">${id}-${r}-${k}</guid><pubDate>${new Date(Date.UTC(2026, 0, 1, r, k)).toUTCString()}</pubDate>
<description><![CDATA[${para.repeat(30)}]]></description></item>`);
        }
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${id}</title>
<link>https://${id}.example/</link><description>${id}</description>${items.join('\n')}</channel></rss>`);
    });
  }
  return server;
}

const linkOf = (id: string, r: number, k: number): string => `https://${id}.example/${r}/${k}`;
const roundLinks = (r: number): string[] =>
  ['a', 'b'].flatMap((id) => Array.from({ length: ITEMS_PER_ROUND }, (_, k) => linkOf(id, r, k)));

/** Every file under `dir` (relative path -> bytes), temp files included. */
async function snapshot(dir: string, rel = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) for (const [k, v] of await snapshot(dir, path)) out.set(k, v);
    else out.set(path, await readFile(join(dir, path)));
  }
  return out;
}

const temps = (files: Map<string, Buffer>): string[] =>
  [...files.keys()].filter((f) => TEMP_FILE.test(f.split('/').pop() ?? ''));

/** integrity_check and the stored links. */
function state(stateDir: string): { integrity: string; links: Set<string> } {
  const db = new Database(join(stateDir, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      links: new Set((db.prepare('SELECT link FROM items').all() as { link: string }[]).map((r) => r.link)),
    };
  } finally {
    db.close();
  }
}

async function publishedLinks(outDir: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(join(outDir, 'feed.json'), 'utf8')) as { items: { url: string }[] };
  return doc.items.map((i) => i.url);
}

/** `feedloom run` under a file-size limit of `bytes` for every file it writes. */
function runLimited(bytes: number, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'prlimit',
      [`--fsize=${bytes}`, process.execPath, CLI, ...RUN],
      { cwd, timeout: 30_000, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

interface Setup {
  readonly dir: string;
  readonly outDir: string;
  readonly stateDir: string;
  next(): void;
  run(): Promise<CliResult>;
}

/** A project whose output and state folders are where the case puts them, after one good run. */
async function setUp(where: {
  outDir?: string;
  stateDir?: string;
  firstRound?: number;
  shown?: number;
}): Promise<Setup> {
  let round = 0;
  const server = await feeds(() => round, where.firstRound ?? ITEMS_PER_ROUND, where.shown ?? 2);
  const p = await project({
    ...(where.outDir ? { output: where.outDir } : {}),
    ...(where.stateDir ? { state: where.stateDir } : {}),
    sources: ['a', 'b'].map((id) => ({ id, kind: 'feed', url: server.at(`/${id}.xml`) })),
  });
  const s: Setup = {
    dir: p.dir,
    outDir: where.outDir ?? p.outDir,
    stateDir: where.stateDir ?? p.stateDir,
    next: () => {
      round++;
    },
    run: () => p.run(['--all']),
  };
  const first = await s.run();
  expect(first.code, first.stderr).toBe(0);
  expect(await publishedLinks(s.outDir)).toEqual(expect.arrayContaining(roundLinks(0)));
  return s;
}

/** What every case checks after the failed run, and after space is back. */
async function expectCleanFailure(
  s: Setup,
  failed: CliResult,
  before: Map<string, Buffer>,
  folder: string,
  errno: RegExp,
): Promise<void> {
  expect(failed.code, failed.stdout + failed.stderr).not.toBe(0);
  expect(failed.stderr).toMatch(errno);
  expect(failed.stderr).toContain(folder);
  const after = await snapshot(s.outDir);
  expect(temps(after)).toEqual([]);
  // status.json is health data, rewritten by a run even when every source fails; the feeds are not.
  before.delete('status.json');
  after.delete('status.json');
  expect(after).toEqual(before);
}

async function expectRecovery(s: Setup, storedBefore: Set<string>): Promise<void> {
  const intact = state(s.stateDir);
  expect(intact.integrity).toBe('ok');
  expect([...storedBefore].filter((l) => !intact.links.has(l))).toEqual([]);
  const again = await s.run();
  expect(again.code, again.stderr).toBe(0);
  expect(await publishedLinks(s.outDir)).toEqual(expect.arrayContaining(roundLinks(1)));
  expect(temps(await snapshot(s.outDir))).toEqual([]);
  expect(state(s.stateDir).integrity).toBe('ok');
}

describe.skipIf(!MOUNT.ok)('a full disk (a filled tmpfs: ENOSPC)', () => {
  it('output folder full: the run fails naming it, the old feeds stay, the state keeps the new items', async () => {
    const disk = mountTmpfs(8 << 20);
    const s = await setUp({ outDir: join(disk, 'output') });
    const before = await snapshot(s.outDir);
    s.next();
    // Room for the first new feed file (twice the items of the largest old one) but not the second:
    // only writing every temp file before renaming any keeps the set consistent.
    const largest = Math.max(...[...before.values()].map((b) => b.length));
    const filler = fill(disk, Math.round(largest * 2.5));

    const failed = await s.run();
    await expectCleanFailure(s, failed, before, s.outDir, /ENOSPC/);
    // The state lives elsewhere: the new items were stored, only publishing them failed.
    const stored = state(s.stateDir);
    expect(stored.integrity).toBe('ok');
    expect([...stored.links]).toEqual(expect.arrayContaining(roundLinks(1)));

    await rm(filler);
    await expectRecovery(s, stored.links);
  }, 180_000);

  it('state and output on one full disk: the store fails cleanly, nothing half-written stays', async () => {
    const disk = mountTmpfs(8 << 20);
    const s = await setUp({ outDir: join(disk, 'output'), stateDir: join(disk, 'state') });
    const before = await snapshot(s.outDir);
    const storedBefore = state(s.stateDir).links;
    s.next();
    // Room for the lock file and small writes, not for a source's items (about 45 kB each).
    const filler = fill(disk, 24 << 10);

    const failed = await s.run();
    await expectCleanFailure(s, failed, before, disk, /SQLITE_FULL|ENOSPC/);

    await rm(filler);
    await expectRecovery(s, storedBefore);
  }, 180_000);
});

describe.skipIf(!PRLIMIT)('a file-size limit (prlimit --fsize: EFBIG)', () => {
  it('in the store: the run fails naming the state file and EFBIG, nothing is published', async () => {
    const s = await setUp({});
    const before = await snapshot(s.outDir);
    const storedBefore = state(s.stateDir).links;
    s.next();
    // Far below one source's transaction: the WAL cannot grow enough to commit it.
    const failed = await runLimited(64 << 10, s.dir);
    await expectCleanFailure(s, failed, before, join(s.stateDir, 'state.db'), /SQLITE_IOERR\w*: .*EFBIG/);
    expect(existsSync(join(s.stateDir, 'lock'))).toBe(false);

    await expectRecovery(s, storedBefore);
  }, 180_000);

  it('in the outputs: the run fails naming the output folder and EFBIG, the old feeds stay', async () => {
    // Ninety items already published, and feeds showing only their newest round: each new feed file
    // outgrows the limit, while the round's WAL (ten new items, nothing else touched) stays under it.
    const s = await setUp({ firstRound: 45, shown: 1 });
    const before = await snapshot(s.outDir);
    s.next();
    const largest = Math.max(...[...before.values()].map((b) => b.length));
    const failed = await runLimited(largest, s.dir);
    await expectCleanFailure(s, failed, before, s.outDir, /EFBIG/);
    const stored = state(s.stateDir);
    expect(stored.integrity).toBe('ok');
    expect([...stored.links]).toEqual(expect.arrayContaining(roundLinks(1)));

    await expectRecovery(s, stored.links);
  }, 180_000);
});
