import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
// pipeline/run.js, not the stage's index: the index also loads discovery and page preview.
import { everySourceFailing, type ProgressEvent, runOnce } from '../../pipeline/run.js';
import { duePolicy } from '../../schedule/due.js';
import {
  acquireLock,
  LOCK_FILE,
  LOCK_POLICY,
  releaseOnSignals,
  type StateLock,
  waitForLock,
} from '../../schedule/lock.js';
import type { Config, RunReport, SourceReport } from '../../types.js';
import type { CliIO } from '../io.js';
import { createLogger, type LogFormat, type LogLevel } from '../log.js';
import { assertOutputFolder } from '../output-folder.js';
import { counted } from '../plural.js';

export interface RunFlags {
  readonly config: string;
  readonly out?: string;
  readonly state?: string;
  readonly quiet?: boolean;
  /** Wait for another run's lock instead of exiting with EXIT.locked. */
  readonly wait?: boolean;
  /** Seconds to wait with `wait`. */
  readonly waitTimeout?: number;
  /** Fetch every source, also those not due yet (politeness waits, backoff, dead). */
  readonly all?: boolean;
  /** `json`: JSON lines on stdout instead of the summary table. */
  readonly log?: LogFormat;
  /** With `human`, set: one log line per source besides the table. */
  readonly logLevel?: LogLevel;
}

/**
 * Exit codes: 0 output written (or already up to date), 1 every source failed, 2 config error (thrown),
 * 3 another run holds the state folder's lock (LOCKED, thrown).
 */
export async function runCommand(flags: RunFlags, io: CliIO): Promise<number> {
  const config = loadConfig(resolve(io.cwd, flags.config), {
    ...(flags.out ? { outDir: resolve(io.cwd, flags.out) } : {}),
    ...(flags.state ? { stateDir: resolve(io.cwd, flags.state) } : {}),
  });
  // Before the lock and the fetch: a run that cannot write its output should not fetch and store.
  assertOutputFolder(config.outDir);
  // Hooked before the lock exists: a signal right after its file appears must still remove it.
  let lock: StateLock | undefined;
  const unhook = releaseOnSignals(() => lock);
  try {
    // LOCKED (thrown) becomes EXIT.locked in main.ts.
    lock = await takeLock(config.stateDir, flags, io);
    return await runLocked(config, flags, io);
  } finally {
    unhook();
    lock?.release();
  }
}

async function runLocked(config: Config, flags: RunFlags, io: CliIO): Promise<number> {
  const json = flags.log === 'json';
  // JSON lines, or human log lines when a level is asked for; the table stays for people either way.
  const log =
    json || flags.logLevel
      ? createLogger(io, { format: flags.log ?? 'human', level: flags.logLevel ?? 'info' })
      : undefined;
  const progress = flags.quiet || json ? undefined : progressLine(io);
  const report = await runOnce(config, {
    ...(progress || log
      ? {
          onProgress: (e: ProgressEvent) => {
            progress?.(e);
            if (log && e.kind === 'source-done') log.fetch(e.report);
          },
        }
      : {}),
    // Without --all, sources still held back (ttl, max-age, Retry-After, backoff, dead) are skipped.
    due: duePolicy(config.schedule),
    ...(flags.all ? { fetchAll: true } : {}),
  });
  if (io.stderr.isTTY && !flags.quiet && !json) io.stderr.write('\r\x1b[K');
  if (json) log?.info('run finished', runFields(report));
  else if (!flags.quiet) io.stdout.write(summary(report, relative(io.cwd, config.outDir) || '.'));
  const failed = report.sources.filter((s) => s.outcome === 'failed');
  for (const s of failed) io.stderr.write(`feedloom: ${s.sourceId}: ${s.error?.message ?? 'failed'}\n`);
  // Run-level problems that did not fail the run (a WebSub hub that did not answer), even with --quiet.
  for (const w of report.warnings ?? []) io.stderr.write(`feedloom: warning: ${w.message}\n`);
  if (everySourceFailing(report.sources)) {
    const why =
      failed.length > 0 ? 'every source failed' : 'every source is waiting out a backoff after failures';
    io.stderr.write(`feedloom: ${why}; the previous output was left as it was\n`);
    return 1;
  }
  return 0;
}

async function takeLock(stateDir: string, flags: RunFlags, io: CliIO): Promise<StateLock> {
  const lock = flags.wait
    ? await waitForLock(stateDir, {
        timeoutMs: (flags.waitTimeout ?? LOCK_POLICY.waitTimeoutMs / 1000) * 1000,
        onWait: (holder) => {
          if (flags.quiet) return;
          const who = holder ? `pid ${holder.pid} (started ${holder.startedAt})` : 'another run';
          io.stderr.write(`feedloom: waiting for ${who} to release ${join(stateDir, LOCK_FILE)}\n`);
        },
      })
    : acquireLock(stateDir);
  // Said even with --quiet: a run that died holding the lock is worth a line in the cron mail.
  if (lock.tookOver) {
    const h = lock.tookOver.holder;
    const who = h ? ` of pid ${h.pid} on ${h.hostname} (started ${h.startedAt})` : '';
    io.stderr.write(`feedloom: warning: took over the lock${who}: ${lock.tookOver.reason}\n`);
  }
  return lock;
}

/** One line, rewritten in place, on a terminal only: cron mail and logs get the summary alone. */
function progressLine(io: CliIO): ((e: ProgressEvent) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (e) => {
    if (e.kind === 'source-done') {
      io.stderr.write(`\r\x1b[K[${e.done}/${e.total}] ${e.report.sourceId}: ${e.report.outcome}`);
    } else if (e.kind === 'emit') {
      io.stderr.write('\r\x1b[Kwriting outputs');
    }
  };
}

function summary(report: RunReport, outDir: string): string {
  const rows = report.sources.map((s) => [
    s.sourceId,
    s.outcome,
    String(s.items),
    String(s.newItems),
    `${s.ms} ms`,
    note(s),
  ]);
  const header = ['source', 'status', 'items', 'new', 'time', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([2, 3, 4]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const newItems = report.sources.reduce((n, s) => n + s.newItems, 0);
  const failed = report.sources.filter((s) => s.outcome === 'failed').length;
  const notDue = report.sources.filter((s) => s.outcome === 'not-due').length;
  // Exit code 0 says output was written, not that every source worked: the line says how many did not.
  const held = [
    ...(failed ? [`${failed} failed`] : []),
    ...(notDue ? [`${notDue} not due: run --all to fetch them anyway`] : []),
  ];
  const removed = report.removed ?? [];
  const files =
    (report.written.length
      ? `wrote ${counted(report.written.length, 'file')} to ${outDir}/: ${report.written.join(', ')}`
      : removed.length
        ? `wrote nothing new to ${outDir}/`
        : `${outDir}/ unchanged`) +
    (removed.length
      ? `; removed ${counted(removed.length, 'file')} no output writes any more: ${removed.join(', ')}`
      : '');
  lines.push(
    '',
    `${counted(report.sources.length, 'source')}${held.length ? ` (${held.join('; ')})` : ''}, ` +
      `${counted(newItems, 'new item')}, ${report.entries} ${report.entries === 1 ? 'entry' : 'entries'} in the main feed; ${files}`,
  );
  return `${lines.join('\n')}\n`;
}

function note(s: SourceReport): string {
  if (s.outcome === 'not-due')
    return `next due ${s.nextDue?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? 'later'}`;
  if (s.error) return s.error.message.split('\n')[0] ?? '';
  if (s.warnings.length)
    return `${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}: ${s.warnings[0]?.message ?? ''}`;
  return '';
}

/** The run's totals as one JSON log line. */
function runFields(report: RunReport): Record<string, number> {
  const count = (o: SourceReport['outcome']) => report.sources.filter((s) => s.outcome === o).length;
  return {
    sources: report.sources.length,
    failed: count('failed'),
    notDue: count('not-due'),
    newItems: report.sources.reduce((n, s) => n + s.newItems, 0),
    entries: report.entries,
    written: report.written.length,
    removed: report.removed?.length ?? 0,
    workers: report.workers,
  };
}
