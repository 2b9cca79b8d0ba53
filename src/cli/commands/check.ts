import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import type { Config } from '../../types.js';
import type { CliIO } from '../io.js';
import { counted } from '../plural.js';

export function checkCommand(opts: { config: string }, io: CliIO): number {
  const config = loadConfig(resolve(io.cwd, opts.config));
  const kinds = new Map<string, number>();
  for (const s of config.sources) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const byKind = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ') || 'no sources';
  io.stdout.write(
    `${config.path}: ok (${counted(config.sources.length, 'source')}: ${byKind}; ${counted(config.outputs.length, 'output')})\n`,
  );
  for (const w of advice(config)) io.stderr.write(`feedloom: warning: ${w}\n`);
  return 0;
}

/** Settings that are valid but leave the outputs short of their formats' rules: exit 0, and said. */
function advice(config: Config): string[] {
  const out: string[] = [];
  const rss = config.outputs.some((o) => o.formats.includes('rss'));
  if (rss && !config.site.url && !config.site.feedBase)
    out.push(
      'site.url and site.feedBase are both unset: feed.xml gets no channel <link>, which RSS 2.0 requires ' +
        'as an absolute URL; set site.feedBase to the public URL of the output folder (or site.url to the home page)',
    );
  // A typo in a local path is valid JSON and a valid path: only the run would find it, as a failure.
  config.sources.forEach((s, i) => {
    if ('path' in s.location && !existsSync(s.location.path))
      out.push(
        `sources[${i}] ("${s.id}"): ${s.location.path} does not exist; a run reports this source as failed until it does`,
      );
  });
  return out;
}
