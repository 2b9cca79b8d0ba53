// `feedloom serve` for the e2e tests that need output/ over HTTP (readers, the browser): the real bin
// on port 0, its address read from its first line, stopped with SIGTERM (SIGKILL if it hangs).
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from './cli.js';

export interface Served {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `feedloom serve --port 0 ...args` in `cwd` and waits (bounded, 10 s) for its address line.
 *
 * @example
 * const s = await serveOutput(p.dir, ['--quiet']); try { await fetch(s.url) } finally { await s.stop() }
 */
export async function serveOutput(cwd: string, args: readonly string[] = []): Promise<Served> {
  const proc: ChildProcess = spawn(
    process.execPath,
    [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...args],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    try {
      return await exit;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve: no address line in 10 s:\n${out}`)), 10_000);
      const check = (): void => {
        const m = /^serving .+ at (http:\/\/\S+)$/m.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      proc.stdout?.on('data', check);
      void exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before listening:\n${out}`));
      });
    });
    return { url, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
