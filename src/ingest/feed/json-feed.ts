// JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). Validated loosely: a feed is kept when
// its items are an array; an item that is not an object is skipped with a warning.
import { FeedloomError } from '../../errors.js';
import type { Enclosure, RawItem, SourceMeta, Warning } from '../../types.js';
import { escapeText } from '../../util/text.js';
import { isHttpUrl } from '../../util/url.js';
import { compact, type DocumentResult } from '../document.js';
import type { JsonFeedFormat } from './detect.js';
import { itemPageBase } from './item-base.js';

type Json = Record<string, unknown>;

/**
 * RawItems of a parsed JSON Feed document.
 *
 * @example
 * ingestJsonFeed(JSON.parse(text), 'jsonfeed11', { sourceId: 'blog', url });
 */
export function ingestJsonFeed(
  feed: Json,
  format: JsonFeedFormat,
  ctx: { readonly sourceId: string; readonly url: string },
): DocumentResult {
  const rawItems = feed['items'];
  if (!Array.isArray(rawItems)) {
    throw new FeedloomError(
      'PARSE_FEED',
      `ingest: ${ctx.url}: JSON Feed "items" is ${rawItems === undefined ? 'missing' : typeof rawItems}, ` +
        'expected an array of items',
    );
  }
  const warnings: Warning[] = [];
  // 1.0 has one `author`, 1.1 an `authors` array; items inherit the feed's.
  const feedAuthors = authorsOf(feed);
  const items: RawItem[] = [];
  rawItems.forEach((value, i) => {
    if (!isObject(value)) {
      warnings.push({
        sourceId: ctx.sourceId,
        code: 'FEED_ITEM_SKIPPED',
        message: `ingest: ${ctx.url}: items[${i}] is not an object; skipped`,
      });
      return;
    }
    items.push(mapItem(value, feedAuthors, { ...ctx, homePage: str(feed['home_page_url']) }));
  });
  const meta: SourceMeta = compact({
    title: str(feed['title']),
    link: str(feed['home_page_url']),
    description: str(feed['description']),
    format,
  });
  return { items, meta, warnings, recovered: false };
}

function mapItem(
  item: Json,
  feedAuthors: string[],
  ctx: { sourceId: string; url: string; homePage: string | undefined },
): RawItem {
  const authors = authorsOf(item);
  const id = item['id'];
  const body = withExternalLink(item);
  return compact({
    sourceId: ctx.sourceId,
    // `url` is the item's own page; `external_url` is the page it is about, written by someone else.
    // The page's host may be the home page's rather than the feed's (see itemPageBase).
    baseUrl: itemPageBase(str(item['url']), ctx.url, ctx.homePage) ?? ctx.url,
    // 1.0 allowed numeric ids; they are still ids.
    guid: typeof id === 'number' ? String(id) : str(id),
    link: str(item['url']) ?? str(item['external_url']) ?? idAsLink(id),
    title: str(item['title']),
    html: body.html,
    text: body.text,
    summary: str(item['summary']),
    published: str(item['date_published']),
    updated: str(item['date_modified']),
    authors: authors.length > 0 ? authors : feedAuthors,
    categories: strings(item['tags']),
    enclosures: attachments(item['attachments']),
    image: str(item['image']) ?? str(item['banner_image']),
  });
}

/**
 * The item's body, with the page it is about when it has its own page too. JSON Feed 1.1: "If url
 * links to where you're talking about a thing, then external_url links to the thing you're talking
 * about" (a link blog's post on an article). A RawItem has one link, which stays `url`, the post;
 * `external_url` becomes a last paragraph "Link: <url>", unless the body links to it already.
 */
function withExternalLink(item: Json): { html?: string | undefined; text?: string | undefined } {
  const html = str(item['content_html']);
  const text = str(item['content_text']);
  const external = str(item['external_url'])?.trim();
  const url = str(item['url'])?.trim();
  if (!external || !url || external === url) return { html, text };
  if (html !== undefined) {
    if (html.includes(external) || html.includes(escapeText(external))) return { html, text };
    const href = escapeText(external).replace(/"/g, '&quot;');
    return { html: `${html}\n<p>Link: <a href="${href}">${escapeText(external)}</a></p>`, text };
  }
  // Plain text (or none: then the summary is all the body there is): a bare URL, made a link later.
  const plain = text ?? str(item['summary']) ?? '';
  if (plain.includes(external)) return { html, text };
  return { html, text: `${plain}\n\nLink: ${external}`.trim() };
}

/** A string id that is a web address (JSON Feed 1.1: "Ideally, the id is the full URL of the resource"). */
function idAsLink(id: unknown): string | undefined {
  const s = str(id)?.trim();
  return s && isHttpUrl(s) ? s : undefined;
}

function authorsOf(o: Json): string[] {
  const list = Array.isArray(o['authors']) ? o['authors'] : isObject(o['author']) ? [o['author']] : [];
  const names = list.filter(isObject).map((a) => str(a['name']) ?? str(a['url']));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

function attachments(value: unknown): Enclosure[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((a) => {
    const url = str(a['url']);
    if (!url) return [];
    const type = str(a['mime_type']);
    const size = a['size_in_bytes'];
    return [
      { url, ...(type ? { type } : {}), ...(typeof size === 'number' && size >= 0 ? { length: size } : {}) },
    ];
  });
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
