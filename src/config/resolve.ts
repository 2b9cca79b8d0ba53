// From what the user wrote (SourcesFile) to what the program runs on (Config): defaults filled in,
// paths made absolute against the folder of sources.json, ids derived where left out.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, FetchLimits, Location, OutputConfig, Source } from '../types.js';
import { DEFAULTS } from './defaults.js';
import type { SourceEntry, SourcesFile } from './schema.js';

export interface Overrides {
  readonly outDir?: string;
  readonly stateDir?: string;
}

/** Returns the Config, or the problems (with their JSON paths) that the schema alone cannot see. */
export function resolveConfig(
  file: SourcesFile,
  configPath: string,
  overrides: Overrides = {},
  cwd = process.cwd(),
): { config: Config; problems: string[] } {
  const base = dirname(configPath);
  const problems: string[] = [];
  const d = file.defaults ?? {};

  const ids = file.sources.map((s) => s.id ?? deriveId(s));
  problems.push(
    ...duplicateIdProblems(ids.map((id, i) => ({ id, derived: file.sources[i]?.id === undefined }))),
  );
  const sources: Source[] = file.sources.map((s, i) => {
    const id = ids[i] ?? '';
    const limits: FetchLimits = {
      timeoutMs: s.timeoutMs ?? d.timeoutMs ?? DEFAULTS.timeoutMs,
      maxBytes: s.maxBytes ?? d.maxBytes ?? DEFAULTS.maxBytes,
      maxDecompressedBytes: s.maxDecompressedBytes ?? d.maxDecompressedBytes ?? DEFAULTS.maxDecompressedBytes,
      maxRedirects: s.maxRedirects ?? d.maxRedirects ?? DEFAULTS.maxRedirects,
      retries: s.retries ?? d.retries ?? DEFAULTS.retries,
    };
    const common = {
      id,
      ...(s.title !== undefined ? { title: s.title } : {}),
      location: locate(s, base),
      tags: s.tags ?? [],
      schedule: s.schedule ?? d.schedule ?? DEFAULTS.schedule,
      priority: s.priority ?? DEFAULTS.priority,
      maxItems: s.maxItems ?? d.maxItems ?? DEFAULTS.maxItems,
      limits,
    };
    if (s.kind !== 'page') return { ...common, kind: s.kind };
    // The schema refuses a page source without selectors, so this only guards the types.
    if (!s.select) throw new Error(`sources[${i}]: page source without select`);
    return { ...common, kind: 'page', select: s.select };
  });

  const known = new Set(ids);
  const nearEverywhere = file.dedupe?.near ?? DEFAULTS.dedupeNear;
  (file.outputs ?? []).forEach((o, i) => {
    // Near matching happens as items arrive; an output can only leave it out, not add it back.
    if (o.dedupe?.near && !nearEverywhere) {
      problems.push(
        `outputs[${i}].dedupe.near: near-duplicate matching is off in "dedupe"; turn it on there first`,
      );
    }
  });
  const outputs: OutputConfig[] = (file.outputs?.length ? file.outputs : [{ name: 'all' }]).map((o, i) => {
    (o.sources ?? []).forEach((id, j) => {
      if (!known.has(id)) problems.push(`outputs[${i}].sources[${j}]: no source has the id "${id}"`);
    });
    return {
      name: o.name,
      ...(o.title !== undefined ? { title: o.title } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
      limit: o.limit ?? DEFAULTS.outputLimit,
      ...(o.maxAgeDays !== undefined ? { maxAgeDays: o.maxAgeDays } : {}),
      tags: o.tags ?? [],
      sources: o.sources ?? [],
      formats: o.formats ?? ['rss', 'atom', 'json'],
      near: o.dedupe?.near ?? nearEverywhere,
    };
  });

  const f = file.fetch ?? {};
  const config: Config = {
    path: configPath,
    site: { title: DEFAULTS.siteTitle, ...file.site },
    sources,
    outputs,
    outDir: resolve(cwd, overrides.outDir ?? resolve(base, file.output ?? DEFAULTS.outDir)),
    stateDir: resolve(cwd, overrides.stateDir ?? resolve(base, file.state ?? DEFAULTS.stateDir)),
    fetch: {
      concurrency: f.concurrency ?? DEFAULTS.concurrency,
      perHost: f.perHost ?? DEFAULTS.perHost,
      retryAfterCapMs: f.retryAfterCapMs ?? DEFAULTS.retryAfterCapMs,
      backoffBaseMs: f.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      ...(f.userAgent !== undefined ? { userAgent: f.userAgent } : {}),
    },
    dedupe: {
      windowDays: file.dedupe?.windowDays ?? DEFAULTS.dedupeWindowDays,
      near: file.dedupe?.near ?? DEFAULTS.dedupeNear,
      threshold: file.dedupe?.threshold ?? DEFAULTS.dedupeThreshold,
    },
  };
  return { config, problems };
}

/** `sources[i].id` lines for every id used twice; `derived` ids came from a url or path. */
export function duplicateIdProblems(ids: readonly { id: string | undefined; derived: boolean }[]): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  ids.forEach(({ id, derived }, i) => {
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else {
      problems.push(
        `sources[${i}].id: "${id}" is already used by sources[${first}]${derived ? ' (derived from its url/path: give each an "id")' : ''}`,
      );
    }
  });
  return problems;
}

function locate(s: SourceEntry, base: string): Location {
  if (s.path !== undefined) return { path: isAbsolute(s.path) ? s.path : resolve(base, s.path) };
  const url = s.url ?? '';
  // file: URLs are local paths in disguise; one representation keeps fetch simple.
  if (url.startsWith('file:')) return { path: fileURLToPath(url) };
  return { url };
}

/** `https://www.example.com/blog/rss.xml` -> `example.com-blog-rss.xml`; a path -> its last parts. */
function deriveId(s: SourceEntry): string {
  let raw: string;
  if (s.url && !s.url.startsWith('file:')) {
    const u = new URL(s.url);
    raw = `${u.hostname.replace(/^www\./, '')}${u.pathname}${u.search}`;
  } else {
    raw = (s.path ?? s.url ?? 'source')
      .replace(/^file:\/*/, '')
      .split(/[\\/]/)
      .filter(Boolean)
      .slice(-2)
      .join('-');
  }
  const id = raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
    .slice(0, 80);
  return id || 'source';
}
