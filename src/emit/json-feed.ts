// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written here: `feed` writes only 1.0
// (singular `author`, no `language`, no `authors`).
import { rfc3339 } from './atom.js';
import type { EmitEntry, EmitFeed } from './prepare.js';

/** JSON Feed allows extension keys starting with `_`; readers that do not know them ignore them. */
export const EXTENSION_KEY = '_feedloom';

/** JSON Feed 1.1 asks custom objects to name a page describing them. */
export const EXTENSION_ABOUT = 'https://github.com/feedloom/feedloom#json-feed-extension';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON Feed 1.1 document for the prepared entries. */
export function renderJsonFeed(meta: EmitFeed, entries: readonly EmitEntry[]): string {
  const doc: { [key: string]: Json } = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
  };
  if (meta.homeUrl) doc['home_page_url'] = meta.homeUrl;
  const self = meta.links.find((l) => l.format === 'json')?.absolute;
  if (self) doc['feed_url'] = self;
  // JSON Feed 1.1 "hubs": the WebSub hub, for readers that subscribe in real time.
  if (self && meta.hub) doc['hubs'] = [{ type: 'WebSub', url: meta.hub }];
  if (meta.description) doc['description'] = meta.description;
  if (meta.language) doc['language'] = meta.language;
  if (meta.icon) doc['icon'] = meta.icon;
  doc['authors'] = [person(meta.author.name, meta.author.url)];
  doc['items'] = entries.map(item);
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function item(e: EmitEntry): { [key: string]: Json } {
  const out: { [key: string]: Json } = { id: e.id };
  if (e.link) out['url'] = e.link;
  out['title'] = e.title;
  out['content_html'] = e.contentHtml;
  if (e.summary) out['summary'] = e.summary;
  if (e.image) out['image'] = e.image.url;
  out['date_published'] = rfc3339(e.published);
  if (e.updated.getTime() !== e.published.getTime()) out['date_modified'] = rfc3339(e.updated);
  if (e.authors.length) out['authors'] = e.authors.map((name) => person(name));
  if (e.tags.length) out['tags'] = [...e.tags];
  if (e.enclosures.length)
    out['attachments'] = e.enclosures.map((x) => {
      const att: { [key: string]: Json } = { url: x.url, mime_type: x.type };
      if (x.length !== undefined && x.length > 0) att['size_in_bytes'] = x.length;
      return att;
    });
  // Every item names its outlets (one, or each that carried the story): JSON Feed has no field for
  // the feed an aggregated item came from.
  out[EXTENSION_KEY] = {
    about: EXTENSION_ABOUT,
    sources: e.outlets.map((o) => {
      const s: { [key: string]: Json } = { id: o.sourceId, title: o.sourceTitle };
      if (o.link) s['url'] = o.link;
      return s;
    }),
  };
  return out;
}

function person(name: string, url?: string): { [key: string]: Json } {
  return url ? { name, url } : { name };
}
