// One writer per state folder. `feedloom run` from cron can overlap a slow previous run; two runs
// sharing one SQLite file and one output/ would fetch twice and race on every rename. The lock is a
// file created with O_EXCL, so exactly one process wins even on a crowded cron minute.
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { FeedloomError } from '../errors.js';

export const LOCK_FILE = 'lock';

/** When a lock counts as abandoned, and how `--wait` polls. */
export const LOCK_POLICY = {
  /** A lock from another host cannot be probed by pid: after this long it is presumed dead. */
  foreignStaleMs: 3_600_000,
  /** A lock file that is empty or not JSON this long after its mtime was left by a crash mid-write. */
  unreadableStaleMs: 10_000,
  pollMs: 200,
  waitTimeoutMs: 600_000,
} as const;

/** What the lock file holds: enough for a person (and the next run) to judge whether it is stale. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  /**
   * The holder's process start time in kernel ticks (/proc/<pid>/stat field 22), where the system has
   * /proc. A live pid with another start time is a new process that reused the number.
   */
  readonly procStart?: string;
}

export interface StateLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Set when an abandoned lock was taken over: whose it was and why it counted as abandoned. */
  readonly tookOver?: { readonly holder: LockHolder | undefined; readonly reason: string };
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void;
}

export interface LockOptions {
  now?(): Date;
  /** For tests: who we are. Defaults to this process on this machine. */
  readonly pid?: number;
  readonly hostname?: string;
}

// Paths locked by this process: a second acquire from the same process (a daemon tick overlapping
// a manual run) must fail, although the pid in the file is our own and alive.
const heldHere = new Set<string>();

/**
 * Takes the lock of `stateDir` at once, taking over a lock abandoned by a dead process.
 * Throws FeedloomError('LOCKED') naming the holder when another live run has it.
 *
 * @example
 * const lock = acquireLock(config.stateDir);
 * try { await runOnce(config); } finally { lock.release(); }
 */
export function acquireLock(stateDir: string, options: LockOptions = {}): StateLock {
  const path = join(stateDir, LOCK_FILE);
  const now = options.now ?? (() => new Date());
  const pid = options.pid ?? process.pid;
  const procStart = processStartOf(pid);
  const me: LockHolder = {
    pid,
    hostname: options.hostname ?? osHostname(),
    startedAt: now().toISOString(),
    ...(procStart ? { procStart } : {}),
  };
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (e) {
    const why = (e as Error).message;
    throw new FeedloomError('STORE', `lock: cannot create the state folder ${stateDir}: ${why}`, {
      cause: e,
    });
  }
  let tookOver: StateLock['tookOver'];
  // Twice at most: a first attempt, and one more after clearing an abandoned lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(path, me)) return held(path, me, tookOver);
    const found = inspect(path);
    if (!found) continue; // released between our create and our read: try again
    const reason = heldHere.has(path) ? undefined : staleReason(found, me, now());
    if (!reason) throw lockedError(path, found.holder);
    if (!clearStale(path, found.ino)) throw lockedError(path, inspect(path)?.holder);
    tookOver = { holder: found.holder, reason };
  }
  throw lockedError(path, inspect(path)?.holder);
}

/**
 * Like acquireLock, but polls until the lock is free or `timeoutMs` has passed.
 * `onWait` is called once, with the holder, when the first attempt finds the lock taken.
 *
 * @example
 * const lock = await waitForLock(dir, { timeoutMs: 60_000, onWait: (h) => log(`waiting for pid ${h?.pid}`) });
 */
export async function waitForLock(
  stateDir: string,
  options: LockOptions & {
    readonly timeoutMs?: number;
    readonly pollMs?: number;
    onWait?(holder: LockHolder | undefined): void;
  } = {},
): Promise<StateLock> {
  const timeoutMs = options.timeoutMs ?? LOCK_POLICY.waitTimeoutMs;
  const pollMs = options.pollMs ?? LOCK_POLICY.pollMs;
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      return acquireLock(stateDir, options);
    } catch (e) {
      if (!(e instanceof FeedloomError) || e.code !== 'LOCKED') throw e;
      if (!waited) options.onWait?.(inspect(join(stateDir, LOCK_FILE))?.holder);
      waited = true;
      if (Date.now() >= deadline) {
        const holder = inspect(join(stateDir, LOCK_FILE))?.holder;
        throw new FeedloomError(
          'LOCKED',
          `gave up after waiting ${timeoutMs / 1000} s: ${holderText(holder)} still holds ${join(stateDir, LOCK_FILE)}`,
          { cause: e },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  }
}

/** The holder written in `stateDir`'s lock, if there is one and it is readable. */
export function readLock(stateDir: string): LockHolder | undefined {
  return inspect(join(stateDir, LOCK_FILE))?.holder;
}

/**
 * On SIGINT or SIGTERM, removes the lock and then dies of that signal (so the shell sees 130 or
 * 143, as for any interrupted program). Returns a function that removes the handlers again.
 * `lockOf` gives the lock once it is held: hook before taking it, or a signal between the lock file's
 * creation and the hook would end the process by the default action and leave the file behind.
 *
 * @example
 * let lock; const unhook = releaseOnSignals(() => lock);
 * lock = acquireLock(dir); try { ... } finally { unhook(); lock.release(); }
 */
export function releaseOnSignals(lockOf: () => StateLock | undefined): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = (): void => {
      lockOf()?.release();
      unhook();
      // Re-raised with no handler left, the default action ends the process with the signal's status,
      // without a process.exit here (only cli.ts ends the process on purpose).
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  // A crash (uncaught exception) still runs 'exit' handlers: leave no lock behind then either.
  const onExit = (): void => lockOf()?.release();
  process.on('exit', onExit);
  const unhook = (): void => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('exit', onExit);
  };
  return unhook;
}

function held(path: string, me: LockHolder, tookOver: StateLock['tookOver']): StateLock {
  heldHere.add(path);
  const ino = statSync(path).ino;
  let released = false;
  return {
    path,
    holder: me,
    ...(tookOver ? { tookOver } : {}),
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(path);
      // Only our own file: if a later run took over (it judged us dead), its lock is not ours to remove.
      try {
        if (statSync(path).ino === ino) unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}

/** Creates the lock file with O_EXCL and writes the holder; false when it already exists. */
function tryCreate(path: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // Not "held by another run": a permission or disk problem the user must fix, so not LOCKED.
    throw new FeedloomError('STORE', `lock: cannot create ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

interface Found {
  readonly ino: number;
  readonly mtimeMs: number;
  readonly holder: LockHolder | undefined;
}

function inspect(path: string): Found | undefined {
  try {
    const st = statSync(path);
    return { ino: st.ino, mtimeMs: st.mtimeMs, holder: parseHolder(readFileSync(path, 'utf8')) };
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return undefined;
    if (typeof v.hostname !== 'string' || typeof v.startedAt !== 'string') return undefined;
    return {
      pid: v.pid,
      hostname: v.hostname,
      startedAt: v.startedAt,
      ...(typeof v.procStart === 'string' ? { procStart: v.procStart } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Why a lock found on disk may be taken over, or undefined when its holder may still be running. */
export function staleReason(
  found: { readonly holder: LockHolder | undefined; readonly mtimeMs: number },
  me: Pick<LockHolder, 'pid' | 'hostname'>,
  now: Date,
): string | undefined {
  const { holder } = found;
  if (!holder) {
    return now.getTime() - found.mtimeMs >= LOCK_POLICY.unreadableStaleMs
      ? 'the lock file is empty or unreadable (left by a crash while it was written)'
      : undefined;
  }
  if (holder.hostname === me.hostname) {
    // Our own pid in someone else's lock: a previous process had it (pid 1 in every container run).
    if (holder.pid === me.pid) return `pid ${holder.pid} is this process, so that run has ended`;
    if (!alive(holder.pid)) return `pid ${holder.pid} is no longer running`;
    const start = holder.procStart ? processStartOf(holder.pid) : undefined;
    return start && start !== holder.procStart
      ? `pid ${holder.pid} now belongs to another process (the number was reused)`
      : undefined;
  }
  const started = Date.parse(holder.startedAt);
  // Another machine (a shared state folder): its pid means nothing here, so only age can tell.
  const age = now.getTime() - (Number.isNaN(started) ? found.mtimeMs : started);
  return age >= LOCK_POLICY.foreignStaleMs
    ? `it was taken on ${holder.hostname} more than ${LOCK_POLICY.foreignStaleMs / 60_000} minutes ago`
    : undefined;
}

/** Start time of a process in clock ticks since boot, from /proc; undefined where there is no /proc. */
export function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Moves an abandoned lock aside. Renaming is atomic, so of two runs clearing the same stale lock at
 * once only one moves it; if the file we moved is not the one we judged (another run already
 * replaced it with a live lock), it is put back and we report the lock as held.
 */
function clearStale(path: string, staleIno: number): boolean {
  const aside = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return true; // gone already: the next create decides
  }
  try {
    if (statSync(aside).ino === staleIno) return true;
    try {
      linkSync(aside, path);
    } catch {
      // A third run created a lock meanwhile: it holds it, and ours stays aside until unlinked.
    }
    return false;
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // nothing to clean
    }
  }
}

function lockedError(path: string, holder: LockHolder | undefined): FeedloomError {
  return new FeedloomError('LOCKED', `${holderText(holder)} holds ${path}; try again later or use --wait`);
}

function holderText(holder: LockHolder | undefined): string {
  if (!holder) return 'another run';
  const host = holder.hostname === osHostname() ? '' : ` on ${holder.hostname}`;
  return `another run (pid ${holder.pid}${host}, started ${holder.startedAt})`;
}
