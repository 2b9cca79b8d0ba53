import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { readStatus, type SourceStatus, type StatusReport } from '../../pipeline/index.js';
import { duePolicy } from '../../schedule/due.js';
import { collapseWhitespace, truncateAtWord } from '../../util/text.js';
import type { CliIO } from '../io.js';
import { counted } from '../plural.js';

export interface StatusFlags {
  readonly config: string;
  readonly state?: string;
  readonly json?: boolean;
  /** Exit 1 when any source is dead. */
  readonly check?: boolean;
}

/** Longest last-error text in the table; the JSON keeps it whole. */
const ERROR_COLUMN_CHARS = 60;

/** Exit codes: 0, or 1 with `--check` when a source is dead; 2 config error (thrown). */
export function statusCommand(flags: StatusFlags, io: CliIO): number {
  const config = loadConfig(
    resolve(io.cwd, flags.config),
    flags.state ? { stateDir: resolve(io.cwd, flags.state) } : {},
  );
  const now = new Date();
  const report = readStatus(config, now, duePolicy(config.schedule));
  io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : table(report, now));
  if (report.dead.length > 0) {
    // On stderr too, so `status --check --json >status.json` in cron still mails who is dead.
    io.stderr.write(
      `feedloom: dead source${report.dead.length === 1 ? '' : 's'}: ${report.dead.join(', ')} ` +
        `(${report.policy.deadAfterFailures} or more failures in a row over at least ` +
        `${report.policy.deadAfterHours} h)\n`,
    );
  }
  return flags.check && report.dead.length > 0 ? 1 : 0;
}

function table(report: StatusReport, now: Date): string {
  const header = ['source', 'status', 'last success', 'fails', 'items', 'median', 'next run', 'last error'];
  const rows = report.sources.map((s) => row(s, now));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([3, 4, 5]);
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const failing = report.sources.filter((s) => s.status === 'failed').length;
  const lines = [line(header), ...rows.map(line), ''];
  lines.push(
    `${counted(report.sources.length, 'source')}, ${failing} failing, ${report.dead.length} dead` +
      (report.dead.length ? `: ${report.dead.join(', ')}` : ''),
  );
  return `${lines.join('\n')}\n`;
}

function row(s: SourceStatus, now: Date): string[] {
  return [
    s.id,
    s.dead ? `${s.status} (dead)` : s.status,
    s.lastSuccess ? seconds(s.lastSuccess) : 'never',
    String(s.consecutiveFailures),
    String(s.items),
    s.medianMs === null ? '-' : `${s.medianMs} ms`,
    // Overdue (or never fetched): `start` fetches it at once, `run` at its next call.
    s.nextDue === null ? '-' : Date.parse(s.nextDue) <= now.getTime() ? 'now' : seconds(s.nextDue),
    s.lastError ? truncateAtWord(collapseWhitespace(s.lastError), ERROR_COLUMN_CHARS) : '',
  ];
}

/** ISO time to the second: milliseconds are noise in a table read by people. */
function seconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}
