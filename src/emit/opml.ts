// sources.opml: the feed sources as an OPML 2.0 subscription list (http://opml.org/spec2.opml), so a
// reader can subscribe to the originals. Page and article sources have no feed to subscribe to.

import type { RenderedFile } from '../types.js';
import type { OpmlContext } from './context.js';
import { escapeAttr as a, escapeText as t } from './escape.js';
import { CONTENT_TYPES, OPML_FILE } from './policy.js';
import { clean, cleanUrl } from './prepare.js';

/**
 * OPML 2.0 list of every `feed` source with a URL. No date in the head: an unchanged list must
 * render to the same bytes, so it is not rewritten.
 *
 * @example
 * renderOpml({ site, sources }) // { path: 'sources.opml', … }
 */
export function renderOpml(ctx: OpmlContext): RenderedFile {
  const title = `${clean(ctx.site.title)}: sources`;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${t(title)}</title>`,
  ];
  const owner = ctx.site.author;
  if (owner) out.push(`    <ownerName>${t(clean(owner.name))}</ownerName>`);
  out.push('    <docs>http://opml.org/spec2.opml</docs>', '  </head>', '  <body>');
  for (const s of ctx.sources) {
    const xmlUrl = s.kind === 'feed' ? cleanUrl(s.url) : undefined;
    if (!xmlUrl) continue;
    const name = clean(s.title).trim() || clean(s.id);
    const htmlUrl = cleanUrl(s.siteUrl);
    // OPML 2.0: `text` is required on every outline; `title` is what readers show for subscriptions.
    let line = `    <outline type="rss" text="${a(name)}" title="${a(name)}" xmlUrl="${a(xmlUrl)}"`;
    if (htmlUrl) line += ` htmlUrl="${a(htmlUrl)}"`;
    out.push(`${line}/>`);
  }
  out.push('  </body>', '</opml>', '');
  return { path: OPML_FILE, contentType: CONTENT_TYPES.opml, body: out.join('\n') };
}
