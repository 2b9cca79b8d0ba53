// emit: Entry[] -> the files of one output (RSS, Atom, JSON Feed, index.html), the OPML list, and the
// atomic writer. Rendering is pure; only write.ts touches the disk.
import type { Entry, RenderedFile } from '../types.js';
import { renderAtom } from './atom.js';
import type { EmitContext, OutputListing } from './context.js';
import { renderRss } from './feed.js';
import { type ListedOutput, type PageContext, renderHtml } from './html.js';
import { renderJsonFeed } from './json-feed.js';
import { CONTENT_TYPES, FEED_FILES, HTML_FILE } from './policy.js';
import { feedLinks, feedUrls, prepareEntry, prepareFeed } from './prepare.js';
import { renderXsl, XSL_CONTENT_TYPE, XSL_FILE } from './xsl.js';

export type { EmitContext, EmitSource, OpmlContext, OutputListing } from './context.js';
export { renderFeedsOpml, renderOpml } from './opml.js';
export { FEED_FILES } from './policy.js';
export { sweepTempFiles, writeFiles } from './write.js';

/**
 * The files of one output, paths prefixed with `ctx.prefix`: `feed.xml`, `atom.xml`, `feed.json` as
 * `ctx.output.formats` says, `feed.xsl` (their browser view) with either XML feed, and always `index.html`.
 * Entries are rendered in the order given: the store's query has already chosen and sorted them.
 *
 * @example
 * const files = renderOutput(entries, { site, output, sources, now, prefix: '', generator });
 */
export function renderOutput(entries: readonly Entry[], ctx: EmitContext): RenderedFile[] {
  const feeds = feedUrls(ctx.sources);
  const prepared = entries.map((e) => prepareEntry(e, ctx.now, feeds));
  const meta = prepareFeed(prepared, ctx);
  const files: RenderedFile[] = [];
  const file = (name: string, contentType: string, body: string): void => {
    files.push({ path: `${ctx.prefix}${name}`, contentType, body });
  };
  const formats = new Set(ctx.output.formats);
  for (const format of formats) {
    if (format === 'rss') file(FEED_FILES.rss, CONTENT_TYPES.rss, renderRss(meta, prepared));
    else if (format === 'atom') file(FEED_FILES.atom, CONTENT_TYPES.atom, renderAtom(meta, prepared));
    else file(FEED_FILES.json, CONTENT_TYPES.json, renderJsonFeed(meta, prepared));
  }
  // The browser view that feed.xml and atom.xml point at, beside them in the same folder.
  if (formats.has('rss') || formats.has('atom')) file(XSL_FILE, XSL_CONTENT_TYPE, renderXsl());
  file(HTML_FILE, CONTENT_TYPES.html, renderHtml(meta, prepared, pageContext(ctx)));
  return files;
}

/** Root page: every output listed; any other page: a link up to the root page. */
function pageContext(ctx: EmitContext): PageContext {
  if (ctx.prefix) return { home: `${'../'.repeat(ctx.prefix.split('/').length - 1)}${HTML_FILE}` };
  if (!ctx.outputs) return {};
  const listed = (o: OutputListing): ListedOutput => ({
    title: o.title,
    ...(o.description ? { description: o.description } : {}),
    page: `${o.prefix}${HTML_FILE}`,
    // From the root page, a feed of another folder is that folder's prefix plus the file name.
    links: feedLinks(ctx.site, o.formats, o.prefix).map((l) => ({
      ...l,
      href: l.absolute ?? o.prefix + l.file,
    })),
    children: o.children.map(listed),
  });
  return { outputs: ctx.outputs.map(listed) };
}
