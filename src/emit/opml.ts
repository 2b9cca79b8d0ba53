// sources.opml: the feed sources as an OPML 2.0 subscription list (http://opml.org/spec2.opml), so a
// reader can subscribe to the originals. Page and article sources have no feed to subscribe to.

import type { OutputFormat, RenderedFile, SiteConfig } from '../types.js';
import type { OpmlContext, OutputListing } from './context.js';
import { escapeAttr as a, escapeText as t } from './escape.js';
import { CONTENT_TYPES, FEEDS_OPML_FILE, HTML_FILE, OPML_FILE } from './policy.js';
import { clean, cleanUrl, feedLinks } from './prepare.js';

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

/** The format a subscription list offers for an output: one per output, or readers subscribe thrice. */
export const OPML_FORMAT_PREFERENCE: readonly OutputFormat[] = ['rss', 'atom', 'json'];

/**
 * feeds.opml: the project's own outputs as an OPML 2.0 subscription list, one outline per output (its
 * RSS feed, else Atom, else JSON Feed), per-source feeds grouped in a folder outline under it. URLs are
 * absolute under `site.feedBase`, else relative to output/ (readers that import a file then ask).
 *
 * @example
 * renderFeedsOpml(site, [{ name: 'all', title: 'World desk', prefix: '', formats: ['rss'], children: [] }])
 */
export function renderFeedsOpml(site: SiteConfig, outputs: readonly OutputListing[]): RenderedFile {
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${t(`${clean(site.title)}: feeds`)}</title>`,
  ];
  if (site.author) out.push(`    <ownerName>${t(clean(site.author.name))}</ownerName>`);
  out.push('    <docs>http://opml.org/spec2.opml</docs>', '  </head>', '  <body>');
  const outline = (o: OutputListing, indent: string): void => {
    const links = feedLinks(site, o.formats, o.prefix);
    const link = OPML_FORMAT_PREFERENCE.map((f) => links.find((l) => l.format === f)).find(Boolean);
    if (!link) return;
    const name = clean(o.title);
    const page = link.absolute ? new URL(HTML_FILE, link.absolute).href : `${o.prefix}${HTML_FILE}`;
    const xmlUrl = link.absolute ?? `${o.prefix}${link.file}`;
    const type = link.format === 'json' ? 'json' : 'rss';
    let line = `${indent}<outline type="${type}" text="${a(name)}" title="${a(name)}" xmlUrl="${a(xmlUrl)}" htmlUrl="${a(page)}"`;
    if (o.description) line += ` description="${a(clean(o.description))}"`;
    out.push(`${line}/>`);
  };
  for (const o of outputs) {
    outline(o, '    ');
    if (o.children.length === 0) continue;
    // A folder outline (no xmlUrl): readers show it as a category holding the per-source feeds.
    const folder = `${clean(o.title)}: per source`;
    out.push(`    <outline text="${a(folder)}" title="${a(folder)}">`);
    for (const c of o.children) outline(c, '      ');
    out.push('    </outline>');
  }
  out.push('  </body>', '</opml>', '');
  return { path: FEEDS_OPML_FILE, contentType: CONTENT_TYPES.opml, body: out.join('\n') };
}
