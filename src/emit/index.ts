// emit: Entry[] -> the files of one output (RSS, Atom, JSON Feed, index.html), the OPML list, and the
// atomic writer. Rendering is pure; only write.ts touches the disk.
import type { Entry, RenderedFile } from '../types.js';
import { renderAtom } from './atom.js';
import type { EmitContext } from './context.js';
import { renderRss } from './feed.js';
import { renderHtml } from './html.js';
import { renderJsonFeed } from './json-feed.js';
import { CONTENT_TYPES, FEED_FILES, HTML_FILE } from './policy.js';
import { feedUrls, prepareEntry, prepareFeed } from './prepare.js';

export type { EmitContext, EmitSource, OpmlContext } from './context.js';
export { renderOpml } from './opml.js';
export { selectEntries } from './select.js';
export { writeFiles } from './write.js';

/**
 * The files of one output, paths prefixed with `ctx.prefix`: `feed.xml`, `atom.xml`, `feed.json` as
 * `ctx.output.formats` says, and always `index.html`. Entries are rendered in the order given (use
 * selectEntries first).
 *
 * @example
 * const files = renderOutput(selectEntries(all, output, tags, now), { site, output, sources, now, prefix: '', generator });
 */
export function renderOutput(entries: readonly Entry[], ctx: EmitContext): RenderedFile[] {
  const feeds = feedUrls(ctx.sources);
  const prepared = entries.map((e) => prepareEntry(e, ctx.now, feeds));
  const meta = prepareFeed(prepared, ctx);
  const files: RenderedFile[] = [];
  const file = (name: string, contentType: string, body: string): void => {
    files.push({ path: `${ctx.prefix}${name}`, contentType, body });
  };
  for (const format of new Set(ctx.output.formats)) {
    if (format === 'rss') file(FEED_FILES.rss, CONTENT_TYPES.rss, renderRss(meta, prepared));
    else if (format === 'atom') file(FEED_FILES.atom, CONTENT_TYPES.atom, renderAtom(meta, prepared));
    else file(FEED_FILES.json, CONTENT_TYPES.json, renderJsonFeed(meta, prepared));
  }
  file(HTML_FILE, CONTENT_TYPES.html, renderHtml(meta, prepared));
  return files;
}
