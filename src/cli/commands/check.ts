import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import type { CliIO } from '../io.js';

export function checkCommand(opts: { config: string }, io: CliIO): number {
  const config = loadConfig(resolve(io.cwd, opts.config));
  const kinds = new Map<string, number>();
  for (const s of config.sources) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const byKind = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ') || 'no sources';
  io.stdout.write(
    `${config.path}: ok (${config.sources.length} sources: ${byKind}; ${config.outputs.length} output${config.outputs.length === 1 ? '' : 's'})\n`,
  );
  return 0;
}
