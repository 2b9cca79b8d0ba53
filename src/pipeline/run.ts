// One pass over every source, then the outputs. Returns the report; never decides an exit code.
import { renderOpml, renderOutput, sweepTempFiles, writeFiles } from '../emit/index.js';
import { createHttpClient } from '../fetch/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import type { Config, RenderedFile, RunReport, SourceReport } from '../types.js';
import { VERSION } from '../util/version.js';
import { outputPrefix, sourcesOf } from './outputs.js';
import { processSource } from './source.js';
import { statusFile, statusReport } from './status.js';

export type ProgressEvent =
  | { readonly kind: 'start'; readonly total: number }
  | {
      readonly kind: 'source-done';
      readonly done: number;
      readonly total: number;
      readonly report: SourceReport;
    }
  | { readonly kind: 'emit' };

export interface RunOptions {
  now?(): Date;
  onProgress?(event: ProgressEvent): void;
}

/**
 * Fetches every source, stores what is new, and rewrites the outputs that changed.
 * @example
 * const report = await runOnce(loadConfig('sources.json'));
 */
export async function runOnce(config: Config, options: RunOptions = {}): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const store = openSqliteStore(config.stateDir);
  const client = createHttpClient(config.fetch);
  try {
    const total = config.sources.length;
    const dedupeSince = new Date(startedAt.getTime() - config.dedupe.windowDays * 86_400_000);
    options.onProgress?.({ kind: 'start', total });
    let done = 0;
    const reports = await Promise.all(
      config.sources.map(async (source) => {
        const report = await processSource(source, {
          store,
          fetch: { now, client },
          now,
          dedupeSince,
          dedupe: config.dedupe,
          runId: startedAt.getTime(),
        });
        logFetch(store, report, now());
        done++;
        options.onProgress?.({ kind: 'source-done', done, total, report });
        return report;
      }),
    );

    // Every source failed: the outputs from the last good run stay as they are.
    const allFailed = reports.length > 0 && reports.every((r) => r.outcome === 'failed');
    let written: string[] = [];
    let entries = 0;
    if (!allFailed) {
      options.onProgress?.({ kind: 'emit' });
      // A run killed mid-write leaves its temp files; the caller holds the lock, so none is live.
      await sweepTempFiles(config.outDir);
      const files = renderAll(config, store, now());
      entries = files.entries;
      written = await writeFiles(config.outDir, files.files);
    }
    // Written even when every source failed (that is when monitoring needs it most). Not listed in
    // `written`: it changes every run, and "output/ unchanged" speaks of the feeds.
    await writeFiles(config.outDir, [statusFile(statusReport(config, store, now()))]);
    return { startedAt, sources: reports, written, entries };
  } finally {
    await client.close();
    store.close();
  }
}

function renderAll(config: Config, store: Store, now: Date): { files: RenderedFile[]; entries: number } {
  const titleOf = sourceTitles(config, store);
  const sources = config.sources.map((s) => {
    const state = store.sourceState(s.id);
    return {
      id: s.id,
      title: titleOf(s.id),
      kind: s.kind,
      ...('url' in s.location ? { url: s.location.url } : {}),
      ...(state?.link ? { siteUrl: state.link } : {}),
    };
  });
  const generator = `feedloom ${VERSION}`;
  const files: RenderedFile[] = [];
  let entries = 0;
  for (const output of config.outputs) {
    const since = output.maxAgeDays ? new Date(now.getTime() - output.maxAgeDays * 86_400_000) : undefined;
    const selected = store.entries(
      {
        sourceIds: sourcesOf(config, output),
        limit: output.limit,
        grouping: output.near ? 'near' : 'exact',
        ...(since ? { since } : {}),
      },
      titleOf,
    );
    entries = Math.max(entries, selected.length);
    files.push(
      ...renderOutput(selected, {
        site: config.site,
        output,
        sources,
        now,
        prefix: outputPrefix(config, output),
        generator,
      }),
    );
  }
  files.push(renderOpml({ site: config.site, sources }));
  return { files, entries };
}

/** Display name of a source: its title in sources.json, else what the feed calls itself, else its id. */
function sourceTitles(config: Config, store: Store): (id: string) => string {
  const names = new Map<string, string>();
  for (const s of config.sources) names.set(s.id, s.title ?? store.sourceState(s.id)?.title ?? s.id);
  return (id) => names.get(id) ?? store.sourceState(id)?.title ?? id;
}

/** Duration and outcome for `feedloom status`; a failure to log it never fails the fetch it describes. */
function logFetch(store: Store, report: SourceReport, at: Date): void {
  try {
    store.recordFetch(report.sourceId, at, report.ms, report.outcome);
  } catch {
    // The store is failing: the next write of this run reports it.
  }
}
