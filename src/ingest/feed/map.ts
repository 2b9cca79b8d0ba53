// Maps a feed tree (from either reader) to RawItems and SourceMeta. Strings stay as the feed wrote
// them; only the base URL is computed, since xml:base is invisible once the XML is gone.
import type { Enclosure, RawItem, SourceMeta } from '../../types.js';
import { isHttpUrl, resolveUrl } from '../../util/url.js';
import { compact } from '../document.js';
import type { XmlFeedFormat } from './detect.js';
import { FEED_ELEMENTS, ITEM_ELEMENTS, UPDATE_PERIOD_MINUTES } from './elements.js';
import { itemPageBase } from './item-base.js';
import type { FeedTree, XNode } from './xnode.js';

export interface MapContext {
  readonly sourceId: string;
  /** Document URL: the base of last resort. */
  readonly url: string;
  readonly format: XmlFeedFormat;
}

type Construct = { readonly value: string; readonly isHtml: boolean };

/** RawItems and SourceMeta of a parsed feed tree. */
export function mapFeedTree(tree: FeedTree, ctx: MapContext): { items: RawItem[]; meta: SourceMeta } {
  const { feedBase, feedAuthors, homePage } = feedContext(tree, ctx);
  const atom = isAtom(ctx);
  const items = tree.items.map((node) =>
    atom
      ? mapAtomEntry(node, feedBase, feedAuthors, ctx)
      : mapRssItem(node, feedBase, homePage, feedAuthors, ctx),
  );
  return { items, meta: mapMeta(tree.feed, feedBase, atom, ctx.format) };
}

/**
 * Everything an item's mapping reads besides its own element, as one string: an item element with the
 * same text in the same context maps to the same RawItem (known-items.ts relies on it). Keep it in step
 * with mapRssItem and mapAtomEntry.
 */
export function itemContext(tree: FeedTree, ctx: MapContext): string {
  const { feedBase, feedAuthors, homePage } = feedContext(tree, ctx);
  return JSON.stringify([ctx.sourceId, ctx.format, feedBase, feedAuthors, homePage ?? null]);
}

function feedContext(
  tree: FeedTree,
  ctx: MapContext,
): { feedBase: string; feedAuthors: string[]; homePage: string | undefined } {
  const atom = isAtom(ctx);
  return {
    feedBase: baseOf(tree.feed, ctx.url),
    // RFC 4287 §4.2.1: an entry without an author inherits the feed's; a podcast's episodes, the show's.
    feedAuthors: atom
      ? atomAuthors(tree.feed.children('author'))
      : unique(all(tree.feed, FEED_ELEMENTS.showAuthor).map((n) => n.text())),
    // RSS items' relative URLs may be written for the site the channel names (see itemPageBase).
    homePage: atom ? undefined : trimmed(first(tree.feed, FEED_ELEMENTS.link)?.text()),
  };
}

function isAtom(ctx: MapContext): boolean {
  return ctx.format === 'atom10' || ctx.format === 'atom03';
}

function mapRssItem(
  node: XNode,
  feedBase: string,
  homePage: string | undefined,
  feedAuthors: string[],
  ctx: MapContext,
): RawItem {
  const E = ITEM_ELEMENTS.rss;
  const guidNode = first(node, E.guid);
  // RSS 1.0 has no guid: rdf:about is the item's URI.
  const guid = trimmed(guidNode?.text()) ?? trimmed(node.attr('rdf:about'));
  let link = trimmed(first(node, E.link)?.text());
  // RSS 2.0: a guid is a permalink unless isPermaLink="false", which says it points to nothing.
  const permalink = guidNode?.attr('isPermaLink')?.trim().toLowerCase() !== 'false';
  if (!link && permalink && guid && isHttpUrl(guid)) link = guid;
  const declared = baseOf(node, feedBase);
  const baseUrl = declared === ctx.url ? (itemPageBase(link, ctx.url, homePage) ?? declared) : declared;
  const content = markupOrText(first(node, E.content));
  const description = markupOrText(first(node, E.description));
  const media = readMedia(node, E.media);
  const body =
    content === undefined && description === undefined ? mediaBody(node, E.mediaDescription, media) : {};
  const enclosures = [
    ...all(node, E.enclosures).flatMap((n) => enclosure(n.attr('url'), n.attr('type'), n.attr('length'))),
    ...media.enclosures,
  ];
  return compact({
    sourceId: ctx.sourceId,
    baseUrl,
    guid,
    link,
    title:
      nonBlank(first(node, E.title)?.text()) ??
      photoPostTitle(content ?? description ?? body.html ?? body.text, media),
    html: content ?? description ?? body.html,
    text: body.text,
    summary: content !== undefined ? description : undefined,
    published: firstText(node, E.published),
    updated: firstText(node, E.updated),
    authors: firstNonEmpty(
      unique(all(node, E.authors).map((n) => n.text())),
      unique(all(node, E.authorsFallback).map((n) => n.text())),
      feedAuthors,
    ),
    categories: unique(all(node, E.categories).map((n) => n.text())),
    enclosures: uniqueEnclosures(enclosures),
    image: media.image ?? enclosures.find((e) => e.type?.startsWith('image/'))?.url,
    imageIsTiny: media.image ? media.imageIsTiny : undefined,
    publisher: trimmed(first(node, E.source)?.text()),
  });
}

function mapAtomEntry(node: XNode, feedBase: string, feedAuthors: string[], ctx: MapContext): RawItem {
  const E = ITEM_ELEMENTS.atom;
  const entryBase = baseOf(node, feedBase);
  const contentNode = first(node, E.content);
  // Content is where relative URLs abound, so its own xml:base (if any) becomes the item's base.
  const baseUrl = contentNode ? baseOf(contentNode, entryBase) : entryBase;
  const content = contentNode ? construct(contentNode, ctx.format) : undefined;
  const summaryNode = first(node, E.description);
  const title = first(node, E.title);
  const titleConstruct = title ? construct(title, ctx.format) : undefined;

  let link: string | undefined;
  let linkScore = -1;
  const enclosures: Enclosure[] = [];
  for (const l of node.children('link')) {
    const href = hrefFor(l, entryBase, baseUrl);
    if (!href) continue;
    const rel = l.attr('rel')?.trim() || 'alternate';
    if (rel === 'enclosure') enclosures.push(...enclosure(href, l.attr('type'), l.attr('length')));
    if (rel !== 'alternate') continue;
    // Several alternates may differ by type or language; an HTML page is what a reader wants.
    const type = l.attr('type')?.trim();
    const score = !type || type === 'text/html' ? 2 : type.includes('html') ? 1 : 0;
    if (score > linkScore) [link, linkScore] = [href, score];
  }
  // RFC 4287 §4.1.3.2: out-of-line content (content@src) is where the entry is; it may then have no
  // alternate link, and is its link.
  const src = trimmed(contentNode?.attr('src'));
  if (!link && src) link = resolveUrl(src, baseUrl) ?? src;
  // FeedBurner's Atom feeds, like its RSS ones, keep the publisher's own URL beside the redirect.
  const origLink = trimmed(first(node, E.origLink)?.text());
  if (origLink) link = resolveUrl(origLink, entryBase) ?? link;
  const id = trimmed(first(node, E.guid)?.text());
  // An id that is a web address is, without any link, the best link there is (usually the post's).
  if (!link && id && isHttpUrl(id)) link = id;
  const media = readMedia(node, E.media);
  enclosures.push(...media.enclosures);
  const authors = atomAuthors(all(node, E.authors));
  const body = !content && !summaryNode ? mediaBody(node, E.mediaDescription, media) : {};
  return compact({
    sourceId: ctx.sourceId,
    baseUrl,
    guid: id,
    link,
    title: nonBlank(titleConstruct && asHtml(titleConstruct)),
    titleIsHtml: titleConstruct ? true : undefined,
    html: content?.isHtml ? nonBlank(content.value) : body.html,
    text: content && !content.isHtml ? nonBlank(content.value) : body.text,
    summary: summaryNode ? nonBlank(asHtml(construct(summaryNode, ctx.format))) : undefined,
    published: firstText(node, E.published),
    updated: firstText(node, E.updated),
    authors: authors.length > 0 ? authors : feedAuthors,
    categories: unique(all(node, E.categories).map((n) => n.attr('term') ?? n.text())),
    enclosures: uniqueEnclosures(enclosures),
    image: media.image ?? enclosures.find((e) => e.type?.startsWith('image/'))?.url,
    imageIsTiny: media.image ? media.imageIsTiny : undefined,
  });
}

/**
 * Atom text and content constructs. Atom 1.0: type text|html|xhtml or a MIME type. Atom 0.3: a MIME
 * type plus mode xml|escaped|base64.
 */
function construct(node: XNode, format: XmlFeedFormat): Construct {
  const type = (node.attr('type') ?? (format === 'atom03' ? 'text/plain' : 'text')).trim().toLowerCase();
  const mode = node.attr('mode')?.trim().toLowerCase();
  const isXhtml = type === 'xhtml' || type === 'application/xhtml+xml';
  const isHtml = isXhtml || type === 'html' || type === 'text/html';
  if (
    mode === 'base64' ||
    (type !== 'text' && !type.startsWith('text/') && !isHtml && !type.endsWith('xml'))
  ) {
    // Atom 1.0 §4.1.3.3: other MIME types are base64; decode text-like ones, keep the rest out.
    const decoded = Buffer.from(node.text().trim(), 'base64').toString('utf8');
    return { value: decoded, isHtml };
  }
  if (mode === 'escaped') return { value: node.text(), isHtml };
  if (isXhtml || node.hasElements()) return { value: xhtmlInner(node), isHtml: true };
  return { value: node.text(), isHtml };
}

/**
 * A construct as HTML. Declared text has its "<" and ">" escaped, so that "List<String>" in a
 * type="text" title or summary is read as the words it is, never sniffed as a tag and dropped. Its
 * "&" stays: entities are decoded once downstream, as for every title, and feeds that escape twice
 * (Reddit's "ads &amp;amp; popups") still read "ads & popups".
 */
function asHtml(c: Construct): string {
  return c.isHtml ? c.value : c.value.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// RFC 4287 §3.1.1.3: xhtml content is one xhtml:div whose children are the content.
function xhtmlInner(node: XNode): string {
  const elements = ['div', 'xhtml:div', 'html:div'].flatMap((n) => node.children(n));
  const div = elements.length === 1 ? elements[0] : undefined;
  return div ? div.markup() : node.markup();
}

function atomAuthors(nodes: readonly XNode[]): string[] {
  return unique(
    nodes.map((a) => first(a, ['name'])?.text() ?? first(a, ['email'])?.text() ?? a.text() ?? ''),
  );
}

interface Media {
  readonly image?: string;
  /** The image's element declares it under TINY_IMAGE_PX across or high. */
  readonly imageIsTiny?: true;
  readonly enclosures: Enclosure[];
  /** A media:group's media:description: what the group (a video, an episode) is about. */
  readonly description?: XNode;
  /** The picture's own media:description: its alt text (Mastodon writes it there). */
  readonly pictureAlt?: string;
}

/** Below this many pixels across or high, a declared image is a thumbnail crop or an avatar, not a picture. */
const TINY_IMAGE_PX = 100;

function declaresTiny(n: XNode): boolean {
  return ['width', 'height'].some((a) => {
    const px = Number.parseInt(n.attr(a) ?? '', 10);
    return px > 0 && px < TINY_IMAGE_PX;
  });
}

// Blogger's feeds give each post a 72-pixel square crop of its first picture: s72-c in the path
// (or after "=" in newer URLs). The same URL with s1600 is the picture itself, up to 1600 px wide.
const BLOGGER_CROP =
  /^(https?:\/\/(?:blogger\.googleusercontent\.com|[\w-]+\.bp\.blogspot\.com)\/[^?#]*?[/=])s\d{1,3}-c(?=\/|$)/i;

function readMedia(node: XNode, names: readonly string[]): Media {
  let thumbnail: { url: string; tiny: boolean } | undefined;
  let picture: { url: string; tiny: boolean; width: number } | undefined;
  let description: XNode | undefined;
  let pictureAlt: string | undefined;
  const enclosures: Enclosure[] = [];
  const renditions = new Set<string>();
  const visit = (n: XNode, inGroup = false): void => {
    if (n.name === 'media:group') {
      for (const child of ['media:content', 'media:thumbnail'].flatMap((c) => n.children(c)))
        visit(child, true);
      description ??= n.children('media:description')[0];
      return;
    }
    const url = trimmed(n.name === 'itunes:image' ? n.attr('href') : n.attr('url'));
    if (!url) return;
    if (n.name === 'media:thumbnail' || n.name === 'itunes:image') {
      const larger = url.replace(BLOGGER_CROP, '$1s1600');
      thumbnail ??= { url: larger, tiny: larger === url && declaresTiny(n) };
      return;
    }
    const type = n.attr('type')?.trim();
    if (isPicture(n, url, type)) {
      // Media RSS: a group's contents are renditions of one thing; pictures side by side (a
      // Mastodon post's four photos) are each the item's, and after the first they are attachments.
      // The same address at other sizes (The Guardian's ?width=140 and ?width=460) is a rendition too,
      // and the widest one is the picture.
      const rendition = picture && (inGroup || renditions.has(withoutQuery(url)));
      if (picture && !rendition && !declaresTiny(n))
        enclosures.push(...enclosure(url, type, n.attr('fileSize')));
      if (picture && rendition && !inGroup && widthOf(n) > picture.width)
        picture = { url, tiny: declaresTiny(n), width: widthOf(n) };
      renditions.add(withoutQuery(url));
      picture ??= { url, tiny: declaresTiny(n), width: widthOf(n) };
      pictureAlt ??= trimmed(n.children('media:description')[0]?.text());
    } else enclosures.push(...enclosure(url, type, n.attr('fileSize')));
  };
  for (const n of all(node, names)) visit(n);
  const image = picture ?? thumbnail;
  return compact({
    image: image?.url,
    imageIsTiny: image?.tiny ? (true as const) : undefined,
    enclosures,
    description,
    pictureAlt,
  });
}

const IMAGE_PATH = /\.(?:jpe?g|png|gif|webp|avif)$/i;

/** A media:content that is a picture: said so, or (with neither medium nor type) named like one. */
function isPicture(n: XNode, url: string, type: string | undefined): boolean {
  const medium = n.attr('medium')?.trim();
  if (medium || type) return medium === 'image' || !!type?.startsWith('image/');
  return IMAGE_PATH.test(withoutQuery(url));
}

function widthOf(n: XNode): number {
  return Number.parseInt(n.attr('width') ?? '', 10) || 0;
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/**
 * A photo post's title: an item with no title and no words at all (a Mastodon post that is only a
 * picture) is named by its picture's alt text, which says what the post shows, not "(untitled)".
 */
function photoPostTitle(words: string | undefined, media: Media): string | undefined {
  return words?.trim() ? undefined : media.pictureAlt;
}

/**
 * An item's body when it has no content and no description: its own media:description or
 * itunes:summary, else its media:group's. A media:description inside media:content is left alone:
 * it describes that one file (Mastodon puts an image's alt text there), not the item.
 */
function mediaBody(node: XNode, names: readonly string[], media: Media): { html?: string; text?: string } {
  const found = first(node, names) ?? media.description;
  if (!found) return {};
  // Media RSS: type="plain" (the default) or "html". iTunes summaries are plain text.
  if (found.name === 'media:description' && found.attr('type')?.trim().toLowerCase() === 'html') {
    const html = markupOrText(found);
    return html ? { html } : {};
  }
  const text = nonBlank(found.text());
  return text ? { text } : {};
}

function mapMeta(feed: XNode, feedBase: string, atom: boolean, format: XmlFeedFormat): SourceMeta {
  const F = FEED_ELEMENTS;
  let link: string | undefined;
  const titleNode = first(feed, F.title);
  // An Atom title is a construct (escaped when declared text); an RSS one is sniffed later.
  const atomTitle = atom && titleNode ? asHtml(construct(titleNode, format)) : undefined;
  if (atom) {
    const alt = feed.children('link').find((l) => (l.attr('rel')?.trim() || 'alternate') === 'alternate');
    link = hrefFor(alt, feedBase, '');
  } else {
    link = trimmed(first(feed, F.link)?.text());
  }
  return compact({
    title: trimmed(atomTitle ?? titleNode?.text()),
    titleIsHtml: atomTitle !== undefined ? true : undefined,
    link,
    description: trimmed(first(feed, F.description)?.text()),
    format,
    ttlMinutes: ttlOf(feed),
  });
}

/** RSS <ttl> in minutes, else the RSS 1.0 syndication module's period / frequency. */
function ttlOf(feed: XNode): number | undefined {
  const ttl = Number.parseInt(firstText(feed, FEED_ELEMENTS.ttl) ?? '', 10);
  if (Number.isFinite(ttl) && ttl > 0) return ttl;
  const period = firstText(feed, FEED_ELEMENTS.updatePeriod)?.toLowerCase();
  const frequencyText = firstText(feed, FEED_ELEMENTS.updateFrequency);
  if (!period && !frequencyText) return undefined;
  // Syndication module defaults: period daily, frequency 1.
  const minutes = UPDATE_PERIOD_MINUTES[period ?? 'daily'];
  const frequency = frequencyText ? Number.parseInt(frequencyText, 10) : 1;
  if (minutes === undefined || !(frequency > 0)) return undefined;
  return Math.max(1, Math.round(minutes / frequency));
}

/** href of a link element: raw, unless its own xml:base differs from the item's base. */
function hrefFor(l: XNode | undefined, parentBase: string, itemBase: string): string | undefined {
  const href = trimmed(l?.attr('href'));
  if (!l || !href) return undefined;
  const own = baseOf(l, parentBase);
  return own === itemBase ? href : (resolveUrl(href, own) ?? href);
}

function baseOf(node: XNode, parentBase: string): string {
  const base = node.attr('xml:base')?.trim();
  return base ? (resolveUrl(base, parentBase) ?? parentBase) : parentBase;
}

function enclosure(
  url: string | undefined,
  type: string | undefined,
  length: string | undefined,
): Enclosure[] {
  const u = trimmed(url);
  if (!u) return [];
  const n = Number.parseInt(length ?? '', 10);
  const t = trimmed(type);
  return [{ url: u, ...(t ? { type: t } : {}), ...(n >= 0 ? { length: n } : {}) }];
}

function uniqueEnclosures(list: readonly Enclosure[]): Enclosure[] {
  const seen = new Set<string>();
  return list.filter((e) => !seen.has(e.url) && seen.add(e.url));
}

/** The first list that has anything in it (an empty one when none has). */
function firstNonEmpty(...lists: string[][]): string[] {
  return lists.find((l) => l.some((v) => v.trim())) ?? [];
}

function first(node: XNode, names: readonly string[]): XNode | undefined {
  for (const name of names) {
    const found = node.children(name)[0];
    if (found) return found;
  }
  return undefined;
}

function all(node: XNode, names: readonly string[]): XNode[] {
  return names.flatMap((n) => node.children(n));
}

function firstText(node: XNode, names: readonly string[]): string | undefined {
  for (const name of names) {
    const t = trimmed(node.children(name)[0]?.text());
    if (t) return t;
  }
  return undefined;
}

// Unescaped HTML inside an RSS element arrives as child elements: keep it as markup.
function markupOrText(node: XNode | undefined): string | undefined {
  if (!node) return undefined;
  return nonBlank(node.hasElements() ? node.markup() : node.text());
}

function trimmed(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

function nonBlank(s: string | undefined): string | undefined {
  return s?.trim() ? s : undefined;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list.map((s) => s.trim()).filter((s) => s.length > 0))];
}
