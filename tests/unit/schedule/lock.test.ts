// The state-folder lock of `feedloom run`: one holder at a time, clear refusals, and abandoned locks
// (dead pid, old foreign host, half-written file) taken over. Real files, real processes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedloomError } from '../../../src/errors.js';
import {
  acquireLock,
  LOCK_FILE,
  LOCK_POLICY,
  processStartOf,
  readLock,
  waitForLock,
} from '../../../src/schedule/lock.js';
import { tempDir } from '../../helpers/tmp.js';

const HOST = hostname();

/** The pid of a process that has certainly exited (spawned, then awaited). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

function writeLock(dir: string, holder: unknown): string {
  const path = join(dir, LOCK_FILE);
  writeFileSync(path, typeof holder === 'string' ? holder : JSON.stringify(holder));
  return path;
}

function lockError(fn: () => unknown): FeedloomError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FeedloomError) return e;
    throw e;
  }
  throw new Error('expected a FeedloomError');
}

describe('acquireLock', () => {
  it('creates the lock file with pid, hostname and start time, and release removes it', async () => {
    const dir = join(await tempDir(), 'state-not-yet-made');
    const lock = acquireLock(dir, { now: () => new Date('2026-03-01T10:00:00Z') });
    const onDisk = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as unknown;
    expect(onDisk).toEqual({
      pid: process.pid,
      hostname: HOST,
      startedAt: '2026-03-01T10:00:00.000Z',
      ...(processStartOf(process.pid) ? { procStart: processStartOf(process.pid) } : {}),
    });
    expect(lock.tookOver).toBeUndefined();
    expect(readLock(dir)).toEqual(onDisk);
    lock.release();
    lock.release(); // twice is harmless
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second acquire in the same process', async () => {
    const dir = await tempDir();
    const lock = acquireLock(dir);
    try {
      const e = lockError(() => acquireLock(dir));
      expect(e.code).toBe('LOCKED');
      expect(e.message).toContain(`pid ${process.pid}`);
    } finally {
      lock.release();
    }
    acquireLock(dir).release();
  });

  it('refuses a lock held by a live process, naming it, the file and --wait', async () => {
    const dir = await tempDir();
    // Our parent (the vitest runner) is certainly alive on this host.
    const path = writeLock(dir, { pid: process.ppid, hostname: HOST, startedAt: '2026-03-01T09:00:00.000Z' });
    const e = lockError(() => acquireLock(dir));
    expect(e.code).toBe('LOCKED');
    expect(e.message).toBe(
      `another run (pid ${process.ppid}, started 2026-03-01T09:00:00.000Z) holds ${path}; try again later or use --wait`,
    );
    // Refusing never touches the holder's file.
    expect(readLock(dir)?.pid).toBe(process.ppid);
  });

  it.skipIf(processStartOf(process.pid) === undefined)(
    'takes over a lock whose live pid now belongs to another process (pid reused), not one that is still it',
    async () => {
      const dir = await tempDir();
      const start = processStartOf(process.ppid) ?? '';
      const holder = { pid: process.ppid, hostname: HOST, startedAt: '2026-03-01T09:00:00.000Z' };
      writeLock(dir, { ...holder, procStart: start });
      expect(lockError(() => acquireLock(dir)).code).toBe('LOCKED');
      writeLock(dir, { ...holder, procStart: `${start}1` });
      const lock = acquireLock(dir);
      expect(lock.tookOver?.reason).toBe(
        `pid ${process.ppid} now belongs to another process (the number was reused)`,
      );
      lock.release();
    },
  );

  it('takes over a lock whose pid is no longer running, and says whose it was', async () => {
    const dir = await tempDir();
    const pid = await deadPid();
    writeLock(dir, { pid, hostname: HOST, startedAt: '2026-03-01T09:00:00.000Z' });
    const lock = acquireLock(dir);
    expect(lock.tookOver?.holder?.pid).toBe(pid);
    expect(lock.tookOver?.reason).toBe(`pid ${pid} is no longer running`);
    expect(readLock(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock carrying our own pid from an earlier process (pid 1 in containers)', async () => {
    const dir = await tempDir();
    writeLock(dir, { pid: process.pid, hostname: HOST, startedAt: '2026-03-01T09:00:00.000Z' });
    const lock = acquireLock(dir);
    expect(lock.tookOver?.reason).toMatch(/is this process/);
    lock.release();
  });

  it.each([
    ['59 minutes old: may still run', 59, false],
    ['60 minutes old: presumed dead', 60, true],
  ])('a lock from another host %s', async (_name, minutes, takenOver) => {
    const dir = await tempDir();
    const startedAt = new Date('2026-03-01T09:00:00Z');
    writeLock(dir, { pid: process.ppid, hostname: 'elsewhere.example', startedAt: startedAt.toISOString() });
    const now = () => new Date(startedAt.getTime() + minutes * 60_000);
    if (takenOver) {
      const lock = acquireLock(dir, { now });
      expect(lock.tookOver?.reason).toMatch(/taken on elsewhere\.example more than 60 minutes ago/);
      lock.release();
    } else {
      const e = lockError(() => acquireLock(dir, { now }));
      expect(e.code).toBe('LOCKED');
      expect(e.message).toContain(`pid ${process.ppid} on elsewhere.example`);
    }
  });

  it('takes over an unreadable lock file only once it is old (a crash between create and write)', async () => {
    const dir = await tempDir();
    const path = writeLock(dir, '');
    expect(lockError(() => acquireLock(dir)).code).toBe('LOCKED');
    const old = new Date(Date.now() - LOCK_POLICY.unreadableStaleMs - 1000);
    utimesSync(path, old, old);
    const lock = acquireLock(dir);
    expect(lock.tookOver?.holder).toBeUndefined();
    expect(lock.tookOver?.reason).toMatch(/empty or unreadable/);
    lock.release();
  });

  it('release leaves alone a lock that another run took over meanwhile', async () => {
    const dir = await tempDir();
    const lock = acquireLock(dir);
    // Another run judged us dead and replaced the file (a new inode).
    const path = join(dir, LOCK_FILE);
    writeFileSync(`${path}.new`, JSON.stringify({ pid: process.ppid, hostname: HOST, startedAt: 'x' }));
    const { renameSync } = await import('node:fs');
    renameSync(`${path}.new`, path);
    lock.release();
    expect(readLock(dir)?.pid).toBe(process.ppid);
  });
});

describe('waitForLock', () => {
  it('waits until the holder releases, telling onWait who holds it', async () => {
    const dir = await tempDir();
    const first = acquireLock(dir);
    const holders: (number | undefined)[] = [];
    const timer = setTimeout(() => first.release(), 300);
    const second = await waitForLock(dir, {
      pollMs: 20,
      timeoutMs: 10_000,
      onWait: (h) => holders.push(h?.pid),
    });
    clearTimeout(timer);
    expect(holders).toEqual([process.pid]);
    expect(readLock(dir)?.pid).toBe(process.pid);
    second.release();
  });

  it('gives up after the timeout with LOCKED, naming the holder', async () => {
    const dir = await tempDir();
    writeLock(dir, { pid: process.ppid, hostname: HOST, startedAt: '2026-03-01T09:00:00.000Z' });
    const e = await waitForLock(dir, { pollMs: 20, timeoutMs: 100 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(FeedloomError);
    expect((e as FeedloomError).code).toBe('LOCKED');
    expect((e as FeedloomError).message).toMatch(
      new RegExp(`^gave up after waiting 0\\.1 s: another run \\(pid ${process.ppid},`),
    );
  });
});
