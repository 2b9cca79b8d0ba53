// The data that flows between the stages of one run. Plain readonly objects: no classes, no I/O.
// Every stage imports its shapes from here and from nowhere else (see tests/architecture.test.ts).

/** Where a source lives: a remote URL (http/https) or a local path (absolute, resolved by config). */
export type Location = { readonly url: string } | { readonly path: string };

/** CSS selectors for a `page` source; `a@href` reads an attribute (issue 4 deepens this). */
export interface PageSelectors {
  readonly item: string;
  readonly title: string;
  readonly link: string;
  readonly date?: string;
  readonly summary?: string;
  readonly image?: string;
  readonly author?: string;
  /** The next-page link (`a.older@href`); followed up to the source's `maxPages`. */
  readonly next?: string;
  /** How the site prints `date` ("DD.MM.YYYY HH:mm", "MMMM D, YYYY"); see README "Page sources". */
  readonly dateFormat?: string;
}

/** Per-source network limits, already merged with the config defaults. */
export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxDecompressedBytes: number;
  readonly maxRedirects: number;
  readonly retries: number;
}

interface SourceBase {
  readonly id: string;
  readonly title?: string;
  readonly location: Location;
  readonly tags: readonly string[];
  readonly schedule: string;
  /** Higher wins when several copies of one story compete to represent it (dedupe). */
  readonly priority: number;
  readonly maxItems: number;
  readonly limits: FetchLimits;
}
export type Source =
  | (SourceBase & {
      readonly kind: 'feed';
      /** Items that look truncated are replaced by the article extracted from their page (issue 4). */
      readonly fullText?: boolean;
    })
  | (SourceBase & {
      readonly kind: 'page';
      /** Without selectors the items are detected (JSON-LD, h-entry, <article>, repeated blocks). */
      readonly select?: PageSelectors;
      /** Listing pages read per run by following the next-page link; undefined: 1. */
      readonly maxPages?: number;
    })
  | (SourceBase & { readonly kind: 'article' });
export type SourceKind = Source['kind'];

/** HTTP validators kept between runs for conditional GET. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

/** One decoded document: a feed, a page, or one article file of a folder. */
export interface FetchedDocument {
  /** Final URL after redirects; `file:` URL for local files. Base for relative links. */
  readonly url: string;
  readonly contentType: string;
  /** The charset actually used to decode `text` (for example `windows-1252`). */
  readonly charset: string;
  readonly text: string;
  /** Last modification time where known (local files: mtime; HTTP: Last-Modified). */
  readonly modifiedAt?: Date;
}

/**
 * A fetched body not decoded yet: what the fetch stage hands the content pool, whose workers decode
 * it (fetch/decode.ts), so that the main thread neither decodes it nor copies the text to them.
 */
export interface EncodedDocument {
  readonly url: string;
  readonly contentType: string;
  /** The body as received, content codings still on. */
  readonly body: Uint8Array;
  /** Content codings on the body, in the order they were applied (Content-Encoding). */
  readonly contentEncodings?: readonly string[];
  /** The source's limits.maxDecompressedBytes, which taking the codings (declared or sniffed) off must respect. */
  readonly maxDecompressedBytes?: number;
  readonly modifiedAt?: Date;
}

/** `D`: decoded documents, unless the caller asked for them as fetched (fetchSourceEncoded). */
export type Fetched<D extends FetchedDocument | EncodedDocument = FetchedDocument> =
  | {
      readonly status: 'ok';
      readonly source: Source;
      readonly url: string;
      /** One document for a URL or file; one per file for an article folder. */
      readonly documents: readonly D[];
      readonly validators: Validators;
      readonly fetchedAt: Date;
      readonly bytes: number;
      /** HTTP status of the final response (absent for local files). */
      readonly httpStatus?: number;
      /** Seconds the response may be reused: Cache-Control max-age, else Expires (the scheduler waits). */
      readonly maxAgeS?: number;
      /** The source's URL redirects here permanently (301, 308): the URL to put in sources.json. */
      readonly movedTo?: string;
    }
  | {
      readonly status: 'not-modified';
      readonly source: Source;
      readonly url: string;
      readonly validators: Validators;
      readonly fetchedAt: Date;
      readonly httpStatus?: number;
      readonly maxAgeS?: number;
      readonly movedTo?: string;
    };

/** Something was wrong with the input but we carried on (feedparser's "bozo", kept and reported). */
export interface Warning {
  readonly sourceId: string;
  readonly code: string;
  readonly message: string;
}

export interface Enclosure {
  readonly url: string;
  readonly type?: string;
  readonly length?: number;
}

/** What the source said: strings, untouched. */
export interface RawItem {
  readonly sourceId: string;
  /** Base for relative URLs in this item (document URL, or Atom xml:base where given). */
  readonly baseUrl: string;
  readonly guid?: string;
  readonly link?: string;
  readonly title?: string;
  /** Title given as HTML (Atom type="html"/"xhtml"); normalize strips it to text. */
  readonly titleIsHtml?: boolean;
  readonly html?: string;
  readonly text?: string;
  readonly summary?: string;
  readonly published?: string;
  readonly updated?: string;
  readonly authors: readonly string[];
  readonly categories: readonly string[];
  readonly enclosures: readonly Enclosure[];
  readonly image?: string;
  /**
   * The source declared `image` smaller than 100 px across or high (a thumbnail crop, an author's
   * avatar): normalize never takes it for the item's picture.
   */
  readonly imageIsTiny?: boolean;
  /** Publisher named by the item itself (a `Source: X` line, JSON-LD publisher). */
  readonly publisher?: string;
  /**
   * Identity of the item's raw form, when the reader can give one without serializing the item (a
   * feed item: the hash of its XML and of the feed context it is read in). Otherwise it is the hash
   * of the RawItem's JSON (ingest/raw-hash.ts).
   */
  readonly rawHash?: string;
}

/** What the source said about itself. */
export interface SourceMeta {
  /** As the source wrote it: normalize's sourceTitle makes it plain text. */
  readonly title?: string;
  /** The title is HTML (Atom type="html" or "xhtml"), not text. */
  readonly titleIsHtml?: boolean;
  readonly link?: string;
  readonly description?: string;
  /** Detected format: rss2, rss1, atom10, jsonfeed11, article-html, ... */
  readonly format: string;
  /** Minutes the source asks us to wait between fetches (RSS ttl), for the scheduler. */
  readonly ttlMinutes?: number;
}

export interface Ingested {
  readonly items: readonly RawItem[];
  readonly meta: SourceMeta;
  readonly warnings: readonly Warning[];
  /** True when strict parsing failed and items were recovered leniently. */
  readonly recovered: boolean;
  /** Raw hashes of stored items the source still carries, recognized without being read again. */
  readonly unchanged?: readonly string[];
}

/** Clean, complete, safe to publish. */
export interface Item {
  /** hash(sourceId + (guid ?? canonical link ?? content)): stable for this source. */
  readonly key: string;
  readonly sourceId: string;
  readonly guid?: string;
  /** Absolute, canonical, tracking parameters removed. */
  readonly link: string;
  /** Plain text, entities decoded, whitespace collapsed. */
  readonly title: string;
  /** Sanitized to the allowlist, absolute URLs, no XML-illegal characters. */
  readonly contentHtml: string;
  /** Plain text, about 300 characters, cut at a word. */
  readonly summary: string;
  readonly published: Date;
  /** True when the source gave no usable date and the first-seen time stands in. */
  readonly publishedGuessed: boolean;
  readonly updated?: Date;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly image?: string;
  readonly enclosures: readonly Enclosure[];
  /** Changes whenever anything published about the item changes: the "changed?" test. */
  readonly contentHash: string;
  /** Hash of the normalized plain text: exact-duplicate key across sources; near-dupe seam. */
  readonly fingerprint: string;
}

export interface AlsoFrom {
  readonly sourceId: string;
  readonly sourceTitle: string;
  readonly link: string;
  readonly title: string;
}

/** One story, however many sources carried it. */
export interface Entry {
  /** Assigned once, never changes: feed readers remember it. */
  readonly entryId: string;
  /** The representative copy. */
  readonly item: Item;
  readonly sourceTitle: string;
  readonly alsoFrom: readonly AlsoFrom[];
  readonly firstSeen: Date;
}

export interface RenderedFile {
  /** Relative to the output folder, `/`-separated. */
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** `not-due`: skipped this pass by the schedule (politeness or backoff); nothing was fetched. */
export type SourceOutcome = 'ok' | 'recovered' | 'not-modified' | 'failed' | 'not-due';

export interface SourceReport {
  readonly sourceId: string;
  readonly outcome: SourceOutcome;
  /** Items the source gave this run. */
  readonly items: number;
  /** Items never stored before. */
  readonly newItems: number;
  readonly warnings: readonly Warning[];
  readonly error?: { readonly code: string; readonly message: string };
  readonly ms: number;
  /** HTTP status of the last response, where there was one (for logs). */
  readonly httpStatus?: number;
  /** Bytes received on the wire (for logs). */
  readonly bytes?: number;
  /** A `not-due` source: from when it may be fetched again. */
  readonly nextDue?: Date;
  /** A `not-due` source held back after failures (backoff, dead), not because it is fresh. */
  readonly failing?: boolean;
}

export interface RunReport {
  readonly startedAt: Date;
  readonly sources: readonly SourceReport[];
  /** Output files written this run (relative paths); unchanged files are not listed. */
  readonly written: readonly string[];
  /** Files earlier runs wrote that no output writes any more (a source or output removed), removed. */
  readonly removed?: readonly string[];
  readonly entries: number;
  /** Worker threads that parsed and normalized content (0: all of it was read in the main thread). */
  readonly workers: number;
  /** Run-level problems that did not fail the run (a WebSub hub that did not answer). */
  readonly warnings?: readonly Warning[];
}

/** The public face of the aggregate: names, links and where the feeds will be served. */
export interface SiteConfig {
  readonly title: string;
  readonly description?: string;
  /** Home page of the site that serves output/ (links in feeds point here). */
  readonly url?: string;
  /** Public URL of the output folder; feed self links are built on it. */
  readonly feedBase?: string;
  readonly language?: string;
  readonly author?: { readonly name: string; readonly email?: string; readonly url?: string };
  readonly icon?: string;
}

export type OutputFormat = 'rss' | 'atom' | 'json';

export interface OutputConfig {
  /** `all` (or the first output) writes to the root of output/; others to output/<name>/. */
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  /** Newest entries kept in the files. */
  readonly limit: number;
  /** Entries older than this many days are left out; undefined keeps any age. */
  readonly maxAgeDays?: number;
  /** Only entries from sources with one of these tags (empty: all). */
  readonly tags: readonly string[];
  /** Only entries from these source ids (empty: all). */
  readonly sources: readonly string[];
  readonly formats: readonly OutputFormat[];
  /** Near-duplicate copies merged into one entry here; false keeps exact-key merging only. */
  readonly near: boolean;
  /** Language tag of this output's feeds and page; the site's when undefined. */
  readonly language?: string;
  /** Icon URL of this output's feeds; the site's when undefined. */
  readonly icon?: string;
  /** Keep only entries matching every field given (regular expressions, case-insensitive). */
  readonly include?: EntryFilter;
  /** Drop entries matching any field given (regular expressions, case-insensitive). */
  readonly exclude?: EntryFilter;
  /** Drop entries whose text (content, else summary) has fewer words. */
  readonly minWords?: number;
  /** Also write one feed per selected source under `<output folder>/<source id>/`. */
  readonly perSource: boolean;
}

/** Regular-expression sources matched against an entry's fields (issue 6). */
export interface EntryFilter {
  readonly title?: string;
  /** The plain text of the content and the summary. */
  readonly content?: string;
  /** Any one author. */
  readonly author?: string;
  /** Any one category (the item's own tags). */
  readonly category?: string;
}

/** WebSub (W3C Recommendation): the hub told after each run that changed a feed. */
export interface WebSubSettings {
  readonly hub: string;
}

export interface FetchSettings {
  /** Requests in flight at once, all hosts together. */
  readonly concurrency: number;
  readonly perHost: number;
  /** Longest Retry-After we wait for within a run; longer ones fail the fetch and say when to retry. */
  readonly retryAfterCapMs: number;
  readonly backoffBaseMs: number;
  readonly userAgent?: string;
}

export interface RetentionSettings {
  /** Days items are kept after they were last seen (outputs' newest entries are kept whatever their age). */
  readonly days: number;
}

export interface DedupeSettings {
  /** Stories first seen longer ago than this no longer attract new copies. */
  readonly windowDays: number;
  /** Near-duplicate matching (republished, trimmed, retitled copies); exact keys always apply. */
  readonly near: boolean;
  /** Near-duplicate score at or above which two items are one story (0..1). */
  readonly threshold: number;
}

/** How `start` schedules sources and how both `start` and `run` hold back polite and failing ones (issue 5). */
export interface ScheduleSettings {
  /** Floor on the interval between two fetches of one source, whatever it asks; 0: none. */
  readonly minIntervalMinutes: number;
  /** Most random delay added to a scheduled fetch (capped at a tenth of the source's own period). */
  readonly jitterSeconds: number;
  /** Longest backoff of a failing source. */
  readonly backoffCapHours: number;
  /** A source failing this many times in a row, over at least deadAfterHours, is dead: fetched daily. */
  readonly deadAfterFailures: number;
  readonly deadAfterHours: number;
  /** On SIGTERM/SIGINT, how long fetches in flight may finish before they are cancelled. */
  readonly graceSeconds: number;
  /** Outputs are rebuilt this long after the last source brought something new. */
  readonly debounceSeconds: number;
}

export interface Config {
  /** Absolute path of sources.json. */
  readonly path: string;
  readonly site: SiteConfig;
  readonly sources: readonly Source[];
  readonly outputs: readonly OutputConfig[];
  /** Absolute paths. */
  readonly outDir: string;
  readonly stateDir: string;
  readonly fetch: FetchSettings;
  readonly dedupe: DedupeSettings;
  /** Set: history older than this is pruned; unset: derived from dedupe and outputs (issue 5). */
  readonly retention?: RetentionSettings;
  readonly schedule: ScheduleSettings;
  /** Set: feeds carry rel="hub"/"self" and changed feeds are pinged (issue 6). */
  readonly websub?: WebSubSettings;
}
