// Log lines of `run` and `start`: human lines by default (a terminal, a journal), JSON lines with
// `--log json` (pino: one object per line, for log shippers). One line per source fetch, with its
// status, HTTP status, bytes, time, items and new items, in both formats.
import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import type { SourceReport } from '../types.js';
import type { CliIO } from './io.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['human', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** One line for one source's fetch (or its skip): failures warn, skips are debug. */
  fetch(report: SourceReport): void;
}

export interface LoggerOptions {
  readonly format: LogFormat;
  readonly level: LogLevel;
  now?(): Date;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger writing to the CLI's streams: JSON lines on stdout, or human lines (info and debug on
 * stdout, warnings and errors on stderr).
 *
 * @example
 * const log = createLogger(io, { format: 'json', level: 'info' });
 * log.fetch(report);
 */
export function createLogger(io: CliIO, options: LoggerOptions): Logger {
  const write = options.format === 'json' ? jsonWriter(io, options.level) : humanWriter(io, options);
  const at =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      if (RANK[level] >= RANK[options.level]) write(level, message, fields);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fetch: (r) => at(fetchLevel(r))(fetchMessage(r), fetchFields(r)),
  };
}

/** Parses `--log-level`; undefined for anything else. */
export function parseLogLevel(value: string): LogLevel | undefined {
  return (LOG_LEVELS as readonly string[]).includes(value) ? (value as LogLevel) : undefined;
}

/** Parses `--log`; undefined for anything else. */
export function parseLogFormat(value: string): LogFormat | undefined {
  return (LOG_FORMATS as readonly string[]).includes(value) ? (value as LogFormat) : undefined;
}

type Write = (level: LogLevel, message: string, fields: LogFields) => void;

// Loaded only for `--log json`: every other command starts without it.
const require = createRequire(import.meta.url);

function jsonWriter(io: CliIO, level: LogLevel): Write {
  const pino = require('pino') as typeof pinoModule;
  // Written synchronously through the CLI's own stream, so nothing is lost when the process ends.
  const logger = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // "info" rather than 30: readable with jq and grep, and what most log shippers map.
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (s: string) => io.stdout.write(s) },
  );
  return (lvl, message, fields) => logger[lvl](withoutUndefined(fields), message);
}

function humanWriter(io: CliIO, options: LoggerOptions): Write {
  const now = options.now ?? (() => new Date());
  return (level, message, fields) => {
    const extra = Object.entries(fields)
      .filter(([k, v]) => v !== undefined && !HIDDEN_IN_HUMAN.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
    const line = `${now().toISOString()} ${level.padEnd(5)} ${message}${extra.length ? ` ${extra.join(' ')}` : ''}\n`;
    (RANK[level] >= RANK.warn ? io.stderr : io.stdout).write(line);
  };
}

/** Fields already said by the human message of a fetch or held-back line. */
const HIDDEN_IN_HUMAN: ReadonlySet<string> = new Set([
  'event',
  'errorCode',
  'source',
  'status',
  'httpStatus',
  'bytes',
  'ms',
  'items',
  'newItems',
  'error',
  'nextDue',
  'why',
]);

function fetchLevel(r: SourceReport): LogLevel {
  if (r.outcome === 'not-due') return 'debug';
  return r.outcome === 'failed' ? 'warn' : 'info';
}

function fetchMessage(r: SourceReport): string {
  if (r.outcome === 'not-due') return `${r.sourceId}: not due until ${r.nextDue?.toISOString() ?? '?'}`;
  const parts = [
    r.httpStatus !== undefined ? `HTTP ${r.httpStatus}` : undefined,
    r.bytes !== undefined ? bytes(r.bytes) : undefined,
    `${r.ms} ms`,
    r.outcome === 'failed' ? undefined : `${r.items} items, ${r.newItems} new`,
  ].filter((p) => p !== undefined);
  const error = r.error ? `: ${r.error.message.split('\n')[0] ?? ''}` : '';
  return `${r.sourceId}: ${r.outcome} (${parts.join(', ')})${error}`;
}

function fetchFields(r: SourceReport): LogFields {
  return {
    event: 'fetch',
    source: r.sourceId,
    status: r.outcome,
    httpStatus: r.httpStatus,
    bytes: r.bytes,
    ms: r.ms,
    items: r.items,
    newItems: r.newItems,
    warnings: r.warnings.length || undefined,
    // The first one in words, as the run summary shows it: a count alone tells nobody to act.
    warning: r.warnings[0]?.message,
    errorCode: r.error?.code,
    error: r.error?.message,
    nextDue: r.nextDue?.toISOString(),
  };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function withoutUndefined(fields: LogFields): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
