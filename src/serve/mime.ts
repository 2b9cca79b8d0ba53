// What `serve` sends for each file, as data: content type, whether compressing pays, how long caches
// may keep it. Reviews diff these tables, not the server.

export interface FileType {
  readonly contentType: string;
  /** Text compresses well; images and archives are compressed already. */
  readonly compressible: boolean;
  readonly cacheControl: string;
  /**
   * The type to send a browser opening the file as a page (see server.ts `isPageRequest`). Chromium
   * shows application/rss+xml and application/atom+xml as plain text and Firefox downloads them, so
   * neither would apply the feed's xml-stylesheet; as application/xml both do. Feed readers still get
   * `contentType`.
   */
  readonly browserType?: string;
}

// Readers poll feeds every 15-60 minutes; five minutes of freshness spares the disk and still shows a
// new run promptly. Every response carries an ETag, so a stale copy costs one 304.
const FEED_CACHE = 'public, max-age=300';
// A person reloading the page expects the latest run.
const PAGE_CACHE = 'public, max-age=60';
const STATIC_CACHE = 'public, max-age=3600';

const text = (contentType: string, cacheControl = FEED_CACHE): FileType => ({
  contentType,
  compressible: true,
  cacheControl,
});
/** A feed: its own type for readers, plain XML for a browser so it applies feed.xsl. */
const feed = (contentType: string): FileType => ({
  ...text(contentType),
  browserType: 'application/xml; charset=utf-8',
});
const binary = (contentType: string): FileType => ({
  contentType,
  compressible: false,
  cacheControl: STATIC_CACHE,
});

/** Exact file names first: `feed.xml` is RSS wherever it is, while another `.xml` is just XML. */
export const FILE_NAME_TYPES: Readonly<Record<string, FileType>> = {
  'feed.xml': feed('application/rss+xml; charset=utf-8'),
  'atom.xml': feed('application/atom+xml; charset=utf-8'),
  // Registered by the JSON Feed 1.1 spec itself (jsonfeed.org/version/1.1).
  'feed.json': text('application/feed+json; charset=utf-8'),
  // The run status changes every run and a monitor wants it fresh.
  'status.json': text('application/json; charset=utf-8', 'no-cache'),
};

/** Then the extension (lower-cased, without the dot). */
export const EXTENSION_TYPES: Readonly<Record<string, FileType>> = {
  html: text('text/html; charset=utf-8', PAGE_CACHE),
  htm: text('text/html; charset=utf-8', PAGE_CACHE),
  // text/xsl, not the registered application/xslt+xml: Chromium applies an xml-stylesheet only when
  // the stylesheet arrives as text/xsl (or plain XML); Firefox accepts both.
  xsl: text('text/xsl; charset=utf-8'),
  xslt: text('text/xsl; charset=utf-8'),
  opml: text('text/x-opml; charset=utf-8'),
  xml: text('application/xml; charset=utf-8'),
  rss: feed('application/rss+xml; charset=utf-8'),
  atom: feed('application/atom+xml; charset=utf-8'),
  json: text('application/json; charset=utf-8'),
  css: text('text/css; charset=utf-8', STATIC_CACHE),
  txt: text('text/plain; charset=utf-8'),
  svg: text('image/svg+xml', STATIC_CACHE),
  png: binary('image/png'),
  jpg: binary('image/jpeg'),
  jpeg: binary('image/jpeg'),
  gif: binary('image/gif'),
  webp: binary('image/webp'),
  avif: binary('image/avif'),
  ico: binary('image/vnd.microsoft.icon'),
};

/** Anything else: browsers download it rather than guess (with nosniff they cannot guess). */
export const DEFAULT_TYPE: FileType = binary('application/octet-stream');

/**
 * The type of a file by its name.
 *
 * @example
 * fileTypeOf('news/feed.xml').contentType // 'application/rss+xml; charset=utf-8'
 */
export function fileTypeOf(path: string): FileType {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = FILE_NAME_TYPES[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return (dot > 0 && EXTENSION_TYPES[name.slice(dot + 1)]) || DEFAULT_TYPE;
}

/** Limits of the in-memory compression, as data. */
export const COMPRESSION = {
  /** Below this a compressed body saves less than its headers cost. */
  minBytes: 1024,
  /** Larger files are sent as they are, streamed from disk. */
  maxBytes: 16 * 1024 * 1024,
  /** Total compressed bytes kept between requests (keyed by ETag, oldest evicted first). */
  cacheBytes: 32 * 1024 * 1024,
  gzipLevel: 6,
  /** 11 is ~10x slower for ~5% less; bodies are cached, but the first reader should not wait. */
  brotliQuality: 9,
} as const;
