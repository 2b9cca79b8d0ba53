import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config/index.js';
import { startStaticServer } from '../../serve/index.js';
import type { CliIO } from '../io.js';
import type { LogLevel } from '../log.js';
import { assertOutputFolder } from '../output-folder.js';

export interface ServeFlags {
  readonly config: string;
  readonly out?: string;
  readonly host: string;
  readonly port: number;
  readonly quiet?: boolean;
  /** Also run the scheduler (`feedloom start`) in this process, so the served feeds stay fresh. */
  readonly watch?: boolean;
  readonly state?: string;
  /** The scheduler's log level with --watch; request lines are info, so warn and error drop them. */
  readonly logLevel?: LogLevel;
}

export const SERVE_DEFAULTS = { host: '127.0.0.1', port: 8080 } as const;

/** commander argument parser for --port: an integer 0-65535 (0: any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free one)');
  return n;
}

/**
 * Serves the output folder until `stop` settles (by default SIGINT or SIGTERM), then closes and
 * returns 0. `--out` alone needs no sources.json; otherwise the folder is the config's output.
 */
export async function serveCommand(flags: ServeFlags, io: CliIO, stop?: Promise<unknown>): Promise<number> {
  const root = flags.out ? resolve(io.cwd, flags.out) : loadConfig(resolve(io.cwd, flags.config)).outDir;
  // With --watch the scheduler fills the folder: a first start has nothing to serve yet, not an error.
  if (flags.watch) {
    assertOutputFolder(root);
    mkdirSync(root, { recursive: true });
  }
  // Request lines and "stopped" are info lines: --log-level warn (or error) leaves only the problems.
  const chatty = !flags.quiet && flags.logLevel !== 'warn' && flags.logLevel !== 'error';
  const server = await startStaticServer({
    root,
    host: flags.host,
    port: flags.port,
    ...(!chatty
      ? {}
      : {
          onResponse: (r: { method: string; path: string; status: number; bytes: number }) => {
            io.stdout.write(`${r.method} ${r.path} ${r.status} ${r.bytes}\n`);
          },
        }),
  });
  // Printed even with --quiet: the only way to learn the port when --port 0 picked one.
  io.stdout.write(`serving ${root} at ${server.url}\n`);
  let code = 0;
  if (flags.watch) {
    // The daemon owns the signals: it stops on SIGTERM/SIGINT (after its grace period), then we close.
    const { startCommand } = await import('./start.js');
    try {
      code = await startCommand(
        {
          config: flags.config,
          ...(flags.out ? { out: flags.out } : {}),
          ...(flags.state ? { state: flags.state } : {}),
          ...(flags.logLevel ? { logLevel: flags.logLevel } : {}),
        },
        io,
      );
    } finally {
      await server.close();
    }
    if (chatty) io.stdout.write('stopped\n');
    return code;
  }
  await (stop ?? untilSignal());
  await server.close();
  if (chatty) io.stdout.write('stopped\n');
  return 0;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}
