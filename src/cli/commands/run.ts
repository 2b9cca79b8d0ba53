import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { type ProgressEvent, runOnce } from '../../pipeline/index.js';
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

export interface RunFlags {
  readonly config: string;
  readonly out?: string;
  readonly state?: string;
  readonly quiet?: boolean;
  /** Wait for another run's lock instead of exiting with EXIT.locked. */
  readonly wait?: boolean;
  /** Seconds to wait with `wait`. */
  readonly waitTimeout?: number;
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
  // LOCKED (thrown) becomes EXIT.locked in main.ts.
  const lock = await takeLock(config.stateDir, flags, io);
  const unhook = releaseOnSignals(lock);
  try {
    return await runLocked(config, flags, io);
  } finally {
    unhook();
    lock.release();
  }
}

async function runLocked(config: Config, flags: RunFlags, io: CliIO): Promise<number> {
  const progress = flags.quiet ? undefined : progressLine(io);
  const report = await runOnce(config, progress ? { onProgress: progress } : {});
  if (io.stderr.isTTY && !flags.quiet) io.stderr.write('\r\x1b[K');
  if (!flags.quiet) io.stdout.write(summary(report, relative(io.cwd, config.outDir) || '.'));
  const failed = report.sources.filter((s) => s.outcome === 'failed');
  for (const s of failed) io.stderr.write(`feedloom: ${s.sourceId}: ${s.error?.message ?? 'failed'}\n`);
  if (report.sources.length > 0 && failed.length === report.sources.length) {
    io.stderr.write('feedloom: every source failed; the previous output was left as it was\n');
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
  const files = report.written.length
    ? `wrote ${report.written.length} file${report.written.length === 1 ? '' : 's'} to ${outDir}/: ${report.written.join(', ')}`
    : `${outDir}/ unchanged`;
  lines.push(
    '',
    `${report.sources.length} sources, ${newItems} new items, ${report.entries} entries in the main feed; ${files}`,
  );
  return `${lines.join('\n')}\n`;
}

function note(s: SourceReport): string {
  if (s.error) return s.error.message.split('\n')[0] ?? '';
  if (s.warnings.length)
    return `${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'}: ${s.warnings[0]?.message ?? ''}`;
  return '';
}
