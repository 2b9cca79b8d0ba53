// RSS 2.0 through the `feed` package: the only file that imports it (the adapter EmitEntry -> feed's Item).
//
// `feed` hands our strings to xml-js (1.6.x), whose writer has three traps, each defended here and
// pinned by a test in tests/unit/emit/feed-traps.test.ts:
//  1. CDATA: it escapes with `cdata.replace(']]>', …)`, i.e. only the FIRST `]]>`; a second one closes
//     the section early and the rest is parsed as markup. `cdata()` pre-splits every later one, so the
//     single replacement xml-js does completes the job.
//  2. Text: it turns every `&amp;` back into `&` before escaping (to "avoid double escaping"), so the
//     literal text `&amp;` would come out as `&`. `text()` escapes every `&` first; xml-js undoes exactly
//     that and escapes again, so the text round-trips.
//  3. Attributes: it escapes only `"`. `attr()` escapes `&` and `<` for the attributes `feed` passes
//     through raw; the ones `feed` runs through its own `sanitize` (`&` -> `&amp;`) get URLs that the
//     WHATWG serializer already freed of `<` and `"` (prepare.ts cleanUrl).
// No writer removes XML-illegal characters: prepare.ts strips them from every string first.
import { type Category, type Enclosure, type Extension, Feed, type Item } from 'feed';
import { escapeText } from './escape.js';
import { clean, type EmitEnclosure, type EmitEntry, type EmitFeed, optional } from './prepare.js';
import { withStylesheet } from './xsl.js';

const CDATA_SPLIT = ']]]]><![CDATA[>';

/** For a `_cdata` slot: every `]]>` after the first pre-split, the first left for xml-js. */
export function cdata(s: string): string {
  const parts = clean(s).split(']]>');
  if (parts.length <= 2) return parts.join(']]>');
  return `${parts[0]}]]>${parts.slice(1).join(CDATA_SPLIT)}`;
}

/** For a `_text` slot that `feed` does not sanitize: cancels xml-js's `&amp;` -> `&` step. */
export function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;');
}

/** For an attribute `feed` passes through raw (xml-js escapes only `"`). */
export function attr(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * RSS 2.0 document for the prepared entries.
 *
 * @example
 * const xml = renderRss(feed, entries.map((e) => prepareEntry(e, now)));
 */
export function renderRss(meta: EmitFeed, entries: readonly EmitEntry[]): string {
  const self = meta.links.find((l) => l.format === 'rss')?.absolute;
  const home = meta.homeUrl ?? self;
  const feed = new Feed({
    title: text(meta.title),
    // feed always writes a channel <link> ("undefined" when it has none): an empty one, removed below.
    link: home ?? '',
    description: text(meta.description ?? ''),
    updated: meta.updated,
    generator: text(meta.generator),
    ...optional('language', meta.language ? text(meta.language) : undefined),
    ...optional('image', meta.icon ? text(meta.icon) : undefined),
    // rss2() turns feedLinks.rss into <atom:link rel="self" type="application/rss+xml">.
    ...optional('feedLinks', self ? { rss: self } : undefined),
    // WebSub §4: <atom:link rel="hub"> beside rel="self" (rss2() writes it; `feed` escapes the href).
    ...optional('hub', self ? meta.hub : undefined),
  });
  for (const e of entries) feed.addItem(toItem(e));
  // The browser view (xsl.ts); feed readers skip the processing instruction.
  return `${withStylesheet(home ? feed.rss2() : withoutChannelLink(feed.rss2()))}\n`;
}

/**
 * Without site.url or site.feedBase there is no absolute URL to give: RSS 2.0 wants one in the
 * channel <link>, and a relative one has no base to resolve against in RSS. An empty <link></link>
 * is a link to nowhere that some readers open; no <link> just says "no home page", which feedparser
 * and newsboat accept. `feedloom check` warns about the missing setting.
 */
function withoutChannelLink(xml: string): string {
  // The channel's own elements come before its first <item>, so the first empty link is the channel's.
  return xml.replace(/\n?[ \t]*<link><\/link>/, '');
}

function toItem(e: EmitEntry): Item {
  const extensions: Extension[] = [];
  // RSS <author> must be an e-mail address; names go in dc:creator (feed declares xmlns:dc whenever an
  // item has content, and prepare.ts guarantees every item has).
  if (e.authors.length > 0)
    extensions.push({
      name: 'dc:creator',
      objects: e.authors.map((a) => ({ _text: text(a) })) as unknown as Record<string, unknown>,
    });
  const origin = e.outlets[0];
  if (origin.feedUrl)
    // RSS 2.0 <source url>: the feed the representative copy came from, as aggregators do.
    extensions.push({
      name: 'source',
      objects: { _text: text(origin.sourceTitle), _attributes: { url: attr(origin.feedUrl) } },
    });
  const enclosure = pickEnclosure(e);
  return {
    title: cdata(e.title),
    // feed sanitizes item links itself (`&` -> `&amp;`), and its text writer undoes that once.
    link: e.link ?? '',
    // guid is written raw: pre-escape. isPermaLink=false: the entry id is a key, not an address.
    guid: text(e.id),
    date: e.published,
    published: e.published,
    // Plain text in an HTML slot: readers render description as HTML, so escape it.
    ...optional('description', e.summary ? cdata(escapeText(e.summary)) : undefined),
    content: cdata(e.contentHtml),
    category: e.tags.map((t): Category => ({ name: text(t) })),
    ...optional('enclosure', enclosure ? toEnclosure(enclosure) : undefined),
    ...optional('extensions', extensions.length ? extensions : undefined),
  };
}

/** RSS allows one enclosure: the source's audio or video first (podcasts), else the image. */
function pickEnclosure(e: EmitEntry): EmitEnclosure | undefined {
  return e.enclosures.find((x) => /^(audio|video)\//.test(x.type)) ?? e.image ?? e.enclosures[0];
}

function toEnclosure(x: EmitEnclosure): Enclosure {
  // feed spreads this over its own guess ({ length: 0, type: 'image/<ext>' }), so our type wins;
  // the RSS spec requires length, and 0 is the convention for "unknown".
  return { url: attr(x.url), type: attr(x.type), length: x.length ?? 0 };
}
