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
    if (s.kind === 'feed') return { ...common, kind: 'feed', ...(s.fullText ? { fullText: true } : {}) };
    if (s.kind !== 'page') return { ...common, kind: s.kind };
    // Without selectors the page's items are detected at ingest (issue 4).
    return {
      ...common,
      kind: 'page',
      ...(s.select ? { select: s.select } : {}),
      ...(s.maxPages !== undefined ? { maxPages: s.maxPages } : {}),
    };
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
      ...(o.language !== undefined ? { language: o.language } : {}),
      ...(o.icon !== undefined ? { icon: o.icon } : {}),
      ...(o.include !== undefined ? { include: o.include } : {}),
      ...(o.exclude !== undefined ? { exclude: o.exclude } : {}),
      ...(o.minWords !== undefined ? { minWords: o.minWords } : {}),
      perSource: o.perSource ?? false,
    };
  });
  problems.push(...perSourceProblems(outputs, sources));

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
    schedule: {
      minIntervalMinutes: file.schedule?.minIntervalMinutes ?? DEFAULTS.minIntervalMinutes,
      jitterSeconds: file.schedule?.jitterSeconds ?? DEFAULTS.jitterSeconds,
      backoffCapHours: file.schedule?.backoffCapHours ?? DEFAULTS.backoffCapHours,
      deadAfterFailures: file.schedule?.deadAfterFailures ?? DEFAULTS.deadAfterFailures,
      deadAfterHours: file.schedule?.deadAfterHours ?? DEFAULTS.deadAfterHours,
      graceSeconds: file.schedule?.graceSeconds ?? DEFAULTS.graceSeconds,
      debounceSeconds: file.schedule?.debounceSeconds ?? DEFAULTS.debounceSeconds,
    },
    ...(file.websub ? { websub: { hub: file.websub.hub } } : {}),
    ...(file.retention ? { retention: { days: file.retention.days } } : {}),
  };
  if (file.retention && file.retention.days < config.dedupe.windowDays) {
    // Shorter history than the dedupe window would let a late copy of a forgotten story in as new.
    problems.push(
      `retention.days: ${file.retention.days} is shorter than dedupe.windowDays (${config.dedupe.windowDays}); keep at least the dedupe window`,
    );
  }
  return { config, problems };
}

/** Names emit writes inside an output folder: a per-source folder must not take one (issue 6). */
const OUTPUT_FOLDER_FILES = [
  'feed.xml',
  'atom.xml',
  'feed.json',
  'feed.xsl',
  'index.html',
  'sources.opml',
  'feeds.opml',
  'status.json',
];

/**
 * perSource writes `<output folder>/<source id>/`: the id must be one safe folder name that clashes
 * with no file of that folder and, in the root, with no other output's folder. Compared without case,
 * as macOS and Windows file systems do.
 */
function perSourceProblems(outputs: readonly OutputConfig[], sources: readonly Source[]): string[] {
  const problems: string[] = [];
  const main = outputs.find((o) => o.name === 'all') ?? outputs[0];
  outputs.forEach((o, i) => {
    if (!o.perSource) return;
    const taken = new Set(OUTPUT_FOLDER_FILES);
    if (o === main) for (const other of outputs) if (other !== o) taken.add(other.name.toLowerCase());
    const seen = new Map<string, string>();
    for (const s of sources) {
      const byTag = o.tags.length === 0 || s.tags.some((t) => o.tags.includes(t));
      if (!byTag || (o.sources.length > 0 && !o.sources.includes(s.id))) continue;
      const folder = s.id.toLowerCase();
      const why = !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s.id)
        ? 'is not a safe folder name'
        : taken.has(folder)
          ? 'would take the name of a file or output folder there'
          : seen.has(folder)
            ? `differs from "${seen.get(folder)}" only in case`
            : undefined;
      if (why)
        problems.push(`outputs[${i}].perSource: source id "${s.id}" ${why}; give that source another id`);
      seen.set(folder, s.id);
    }
  });
  return problems;
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
