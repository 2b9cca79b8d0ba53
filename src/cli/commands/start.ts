// `feedloom start`: the scheduler daemon in the foreground, for systemd or a container. Holds the
// state lock for its lifetime; SIGHUP reloads sources.json; SIGTERM and SIGINT stop it cleanly.
import { relative, resolve } from 'node:path';
import { loadConfig, type Overrides } from '../../config/index.js';
import { type DaemonEvent, startDaemon } from '../../schedule/daemon.js';
import { acquireLock } from '../../schedule/lock.js';
import type { CliIO } from '../io.js';
import { createLogger, type LogFormat, type Logger, type LogLevel } from '../log.js';
import { assertOutputFolder } from '../output-folder.js';
import { counted } from '../plural.js';

export interface StartFlags {
  readonly config: string;
  readonly out?: string;
  readonly state?: string;
  readonly log?: LogFormat;
  readonly logLevel?: LogLevel;
  /** Do not watch sources.json for changes (SIGHUP still reloads). */
  readonly watch?: boolean;
}

/**
 * Runs until SIGTERM or SIGINT, then returns 0. Exit codes otherwise: 2 the sources file is invalid
 * at start (thrown), 3 another run holds the state folder (LOCKED, thrown).
 */
export async function startCommand(flags: StartFlags, io: CliIO): Promise<number> {
  const overrides: Overrides = {
    ...(flags.out ? { outDir: resolve(io.cwd, flags.out) } : {}),
    ...(flags.state ? { stateDir: resolve(io.cwd, flags.state) } : {}),
  };
  const config = loadConfig(resolve(io.cwd, flags.config), overrides);
  // A daemon that cannot write its output would fetch all day and publish nothing.
  assertOutputFolder(config.outDir);
  const log = createLogger(io, { format: flags.log ?? 'human', level: flags.logLevel ?? 'info' });
  const lock = acquireLock(config.stateDir);
  if (lock.tookOver) log.warn(`took over the lock of ${lock.path}: ${lock.tookOver.reason}`);
  // The lock goes even if the process dies of an uncaught error.
  const releaseOnExit = (): void => lock.release();
  process.on('exit', releaseOnExit);

  let daemon: ReturnType<typeof startDaemon>;
  try {
    daemon = startDaemon({
      config,
      overrides,
      ...(flags.watch === false ? { watch: false } : {}),
      onEvent: (e) => logEvent(log, e, io.cwd),
    });
  } catch (e) {
    // The store could not be opened, say: the lock goes now, not at process exit.
    process.off('exit', releaseOnExit);
    lock.release();
    throw e;
  }
  const onHup = (): void => daemon.reload('SIGHUP');
  const onStop = (signal: NodeJS.Signals) => (): void => {
    void daemon.stop(signal);
  };
  const onTerm = onStop('SIGTERM');
  const onInt = onStop('SIGINT');
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    await daemon.stopped;
  } finally {
    process.off('SIGHUP', onHup);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('exit', releaseOnExit);
    lock.release();
  }
  log.info('stopped; lock released', { event: 'exit' });
  return 0;
}

function logEvent(log: Logger, e: DaemonEvent, cwd: string): void {
  switch (e.kind) {
    case 'started':
      log.info(`started: ${counted(e.sources, 'source')}, writing to ${relative(cwd, e.outDir) || '.'}`, {
        event: 'start',
        sources: e.sources,
        pid: process.pid,
      });
      return;
    case 'fetched':
      log.fetch(e.report);
      return;
    case 'held':
      log.debug(
        e.until
          ? `${e.sourceId}: held back until ${e.until.toISOString()} (${e.why})`
          : `${e.sourceId}: firing skipped (${e.why})`,
        { event: 'held', source: e.sourceId, nextDue: e.until?.toISOString(), why: e.why },
      );
      return;
    case 'written':
      log.info(
        (e.files.length
          ? `wrote ${counted(e.files.length, 'file')}: ${e.files.join(', ')}`
          : 'wrote nothing new') +
          (e.removed.length
            ? `; removed ${counted(e.removed.length, 'file')} no output writes any more: ${e.removed.join(', ')}`
            : ''),
        { event: 'write', files: e.files.length, removed: e.removed.length, entries: e.entries },
      );
      return;
    case 'reloaded':
      log.info(
        `reloaded the sources file (${e.trigger}): ${counted(e.sources, 'source')}` +
          (e.added.length ? `, added ${e.added.join(', ')}` : '') +
          (e.removed.length ? `, removed ${e.removed.join(', ')}` : ''),
        { event: 'reload', sources: e.sources },
      );
      return;
    case 'reload-failed':
      // The message lists the problems already, one per line, as `feedloom check` prints them.
      log.error(`the sources file was not reloaded, the previous one stays in force: ${e.message}`, {
        event: 'reload-failed',
        problems: e.problems.length,
      });
      return;
    case 'stopping':
      log.info(`stopping (${e.reason})${e.inFlight.length ? `: waiting for ${e.inFlight.join(', ')}` : ''}`, {
        event: 'stopping',
        inFlight: e.inFlight.length,
      });
      return;
    case 'cancelled':
      log.warn(`grace period over: cancelled ${e.sourceIds.join(', ')}`, { event: 'cancelled' });
      return;
    case 'stopped':
      return;
    case 'error':
      log.error(e.message, { event: 'error' });
      return;
    case 'warning':
      log.warn(e.message, { event: 'warning' });
      return;
    case 'debug':
      log.debug(e.message);
      return;
  }
}
