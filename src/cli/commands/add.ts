import { relative } from 'node:path';
import {
  addSourceToText,
  derivedSourceId,
  hostSourceId,
  type NewSource,
  sourceConflict,
} from '../../config/index.js';
import { bestFeed, discoverFeeds } from '../../pipeline/index.js';
import type { Config } from '../../types.js';
import type { CliIO } from '../io.js';
import { openSourcesFile, saveSourcesFile, tagList } from '../sources-file.js';
import { noFeedMessage, table, targetUrl } from './discover.js';

export interface AddFlags {
  readonly config: string;
  readonly id?: string;
  readonly tags?: string;
  readonly dryRun?: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `feedloom add <url>`: discovers the best feed of a page and appends it to sources.json, keeping
 * the file's formatting; a page source with found selectors when there is no feed.
 * Exit codes: 0 added, 1 nothing to add, 2 a bad argument, an invalid file, or the id or URL already there.
 */
export async function addCommand(input: string, flags: AddFlags, io: CliIO): Promise<number> {
  const url = targetUrl(input, io.cwd);
  if (!url) return refuse(io, `${JSON.stringify(input)} is not an http(s) URL`);
  if (flags.id !== undefined && !ID_PATTERN.test(flags.id)) {
    return refuse(io, `--id ${JSON.stringify(flags.id)}: expected letters, digits, ".", "_" or "-"`);
  }
  const tags = tagList(flags.tags);
  const { path, existing, text, config } = await openSourcesFile(io.cwd, flags.config);
  // The URL given, or an --id, already in the file: refused before any request ('' is no source's id).
  const early = sourceConflict(config, { id: flags.id ?? '', url });
  if (early) return refuse(io, `${relative(io.cwd, path)}: ${early}`);

  const found = await discoverFeeds(url);
  const best = bestFeed(found);
  let source: NewSource;
  let what: string;
  if (best) {
    const id = pickId(config, flags.id, best.url);
    source = { id, kind: 'feed', url: best.url, ...(tags.length ? { tags } : {}) };
    what = `${best.format} feed${best.title ? ` "${best.title}"` : ''} (${best.items} items)`;
  } else if (found.page) {
    const id = pickId(config, flags.id, found.pageUrl);
    source = {
      id,
      kind: 'page',
      url: found.pageUrl,
      ...(tags.length ? { tags } : {}),
      // Items named only by JSON-LD: the source detects them on each run, no selectors needed.
      ...(found.page.select ? { select: found.page.select } : {}),
    };
    what = `page source (${found.page.items} items ${found.page.select ? `with selectors ${JSON.stringify(found.page.select)}` : `found by ${found.page.method}, detected on each run`})`;
  } else {
    io.stderr.write(noFeedMessage(found));
    io.stderr.write('Nothing was added.\n');
    return 1;
  }
  const conflict = sourceConflict(config, source, best ? [best.requested] : []);
  if (conflict)
    return refuse(io, `${relative(io.cwd, path)}: ${conflict}${flags.id ? '' : '; choose an id with --id'}`);

  const next = addSourceToText(text, source, path);
  const shown = relative(io.cwd, path) || path;
  if (flags.dryRun) {
    io.stdout.write(next);
    return 0;
  }
  await saveSourcesFile(path, next);
  io.stdout.write(
    `added "${source.id}" to ${shown}${existing === undefined ? ' (created)' : ''}: ${what}\n  ${source.url}\n`,
  );
  const others = found.feeds.filter((f) => f !== best);
  if (others.length > 0) io.stdout.write(`other feeds found (not added):\n${table(others)}`);
  return 0;
}

/** --id, else the host (`example.com`), else config's host-and-path id when the host is taken. */
function pickId(config: Config, explicit: string | undefined, url: string): string {
  if (explicit !== undefined) return explicit;
  const host = hostSourceId(url);
  return config.sources.some((s) => s.id === host) ? derivedSourceId(url) : host;
}

function refuse(io: CliIO, message: string): number {
  io.stderr.write(`feedloom: add: ${message}\nNothing was added.\n`);
  return 2;
}
