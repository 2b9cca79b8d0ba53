// What emit writes, as data: file names, content types, MIME guesses. Reviews diff these tables.
import type { OutputFormat } from '../types.js';

/** File name per format, inside the output's folder (the prefix). */
export const FEED_FILES: Readonly<Record<OutputFormat, string>> = {
  rss: 'feed.xml',
  atom: 'atom.xml',
  json: 'feed.json',
};
export const HTML_FILE = 'index.html';
export const OPML_FILE = 'sources.opml';
/** The project's own outputs as a subscription list (issue 6). */
export const FEEDS_OPML_FILE = 'feeds.opml';

/** Served types; `serve` and tests read them from RenderedFile.contentType. */
export const CONTENT_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  // RFC-less but registered by the JSON Feed spec itself (jsonfeed.org/version/1.1, "MIME type").
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
} as const;

/** Autodiscovery types (the `type` of `<link rel="alternate">`), charset-free. */
export const DISCOVERY_TYPES: Readonly<Record<OutputFormat, string>> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

/** Human names of the formats for the page header. */
export const FORMAT_LABELS: Readonly<Record<OutputFormat, string>> = {
  rss: 'RSS',
  atom: 'Atom',
  json: 'JSON Feed',
};

/** Image MIME types by file extension, for enclosures whose type the source did not say. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  ico: 'image/vnd.microsoft.icon',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  jxl: 'image/jxl',
  heic: 'image/heic',
};
/** Most news images without an extension (CDN URLs like /img/123?w=800) are JPEG; readers only need `image/`. */
export const DEFAULT_IMAGE_TYPE = 'image/jpeg';

/** Text of the paragraph that names the other outlets of a story. */
export const ALSO_REPORTED_LABEL = 'Also reported by:';

/**
 * Name-based UUID namespace for Atom ids (a random v4 UUID minted once for feedloom; never change it:
 * every published atom:id is derived from it).
 */
export const ATOM_ID_NAMESPACE = '15aa0d8a-b1a5-4e1d-9c4e-9406315ff3ab';
