import { mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { FeedloomError } from '../errors.js';
import type { AlsoFrom, Enclosure, Entry, Item } from '../types.js';
import { hasWords } from '../util/text.js';
import { storyLinkKey } from '../util/url.js';
import { BandTable, decodeChunk, encodeChunk, type IndexedBands } from './band-table.js';
import { MIGRATIONS } from './migrations.js';
import {
  enableAutoVacuum,
  LAST_SEEN_GRANULARITY_MS,
  type PruneOptions,
  type PruneReport,
  pruneState,
  trimFetchLog,
} from './retention.js';
import {
  type CachedFullText,
  type EntryQuery,
  type ExplainedItem,
  FETCH_LOG_KEEP,
  type FetchRecord,
  type Grouping,
  type NearCandidateRow,
  type NearIndexRow,
  type NearReindexed,
  type SourceHealth,
  type SourceRun,
  type SourceState,
  type Store,
  type StoredItemInfo,
  type StoredSignature,
} from './store.js';

export const STATE_FILE = 'state.db';
/** Newest rows read per LSH band, and candidates returned per lookup: the bound on one lookup's cost. */
const NEAR_PER_BAND = 50;
const NEAR_MAX_CANDIDATES = 200;
/**
 * Writes of several sources share one commit: each commit rewrites every index page it dirtied, and
 * with one commit per source a cold run of 500 feeds spent most of its time committing. Each source
 * stays atomic inside the batch (a savepoint); a crash loses at most the uncommitted batch, whose
 * sources are simply fetched again (their validators are in the same batch).
 */
export const BATCH_SOURCES = 64;
export const BATCH_MAX_MS = 1000;
const DATA_VERSION = 'data_version';
const DAY_MS = 86_400_000;

interface ItemRow {
  key: string;
  source_id: string;
  entry_id: string;
  exact_entry_id: string | null;
  guid: string | null;
  link: string;
  title: string;
  content_html: string;
  summary: string;
  published: number;
  published_guessed: number;
  updated: number | null;
  authors: string;
  tags: string;
  image: string | null;
  enclosures: string;
  content_hash: string;
  fingerprint: string;
  first_seen: number;
}

/** What a run needs of a stored item: never its content. */
interface ItemHead {
  rid: number;
  entry_id: string;
  exact_entry_id: string | null;
  published: number;
  published_guessed: number;
  first_seen: number;
}

interface SourceRow {
  id: string;
  etag: string | null;
  last_modified: string | null;
  last_status: string | null;
  last_error: string | null;
  last_fetched_at: number | null;
  last_ok_at: number | null;
  consecutive_failures: number;
  title: string | null;
  link: string | null;
  feed_interval_s: number | null;
  max_age_s: number | null;
  retry_after_at: number | null;
  failing_since: number | null;
}

/** Fetch-log rows between two bulk trims: the log holds at most this many beyond its limit. */
const FETCH_LOG_TRIM_EVERY = 1000;

/** WAL written between automatic checkpoints. */
const WAL_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/**
 * Opens (creating if needed) the SQLite state in `stateDir`.
 * @example
 * const store = openSqliteStore('.feedloom'); try { ... } finally { store.close(); }
 */
export function openSqliteStore(stateDir: string): Store {
  let db: Database.Database;
  try {
    mkdirSync(stateDir, { recursive: true });
    db = new Database(join(stateDir, STATE_FILE));
    if (isEmpty(db)) {
      // Rows of a feed item (content, summary, signature) run to about 4 KB: with the default 4 KB
      // pages most spilled onto an overflow page, two page writes per item; with 8 KB pages a third of
      // the table was left empty, as two rows rarely fit one page. 16 KB pages hold three or four:
      // the medium bench's items table takes 115 MB instead of 139. Only a new file takes it.
      db.pragma('page_size = 16384');
    }
    enableAutoVacuum(db);
    // WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // A daemon never closes the store, so the WAL is never deleted: truncate it after checkpoints
    // instead of letting it keep the size of the largest transaction ever written.
    db.pragma('journal_size_limit = 4194304');
    sizePageCache(db);
    db.pragma('temp_store = MEMORY');
    // Fewer, larger checkpoints (64 MiB of WAL, whatever the file's page size): each one syncs and
    // copies back pages that later commits dirty again.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageSize)}`);
    migrate(db);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const sqlite = typeof code === 'string' && code.startsWith('SQLITE_') ? `${code}: ` : '';
    const why = `${sqlite}${(e as Error).message}`;
    throw new FeedloomError('STORE', `store: ${join(stateDir, STATE_FILE)}: ${why}`, { cause: e });
  }
  return new SqliteStore(db);
}

/** Page cache bounds, and the share of the file it is sized to (see sizePageCache). */
const PAGE_CACHE = { minBytes: 16 << 20, maxBytes: 48 << 20, fileShare: 1 / 8 } as const;

/**
 * Sizes the page cache to the state: an eighth of the file, 16 to 48 MiB. The default 2 MiB missed on
 * every index look-up. What must stay cached is the indexes (about a tenth of the file: item rows
 * are most of it, written once and seldom read again; bands live in memory, see band-table.ts); an
 * index page that falls out is read back, or, dirty, written out mid-batch and again at the commit.
 * A medium state (25k items, 140 MB) gets 17 MiB, as fast as 32 MiB was and 15 MiB smaller; a large
 * one (100k items) 48 MiB: its cold run took 37.2 s with 16 MiB, 34 s with 64 MiB (at 392 MiB peak).
 */
function sizePageCache(db: Database.Database): void {
  const fileBytes =
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number);
  const bytes = Math.min(
    PAGE_CACHE.maxBytes,
    Math.max(PAGE_CACHE.minBytes, fileBytes * PAGE_CACHE.fileShare),
  );
  db.pragma(`cache_size = -${Math.round(bytes / 1024)}`);
}

function isEmpty(db: Database.Database): boolean {
  return (db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sqlite_master').get()?.n ?? 0) === 0;
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(
      `state was written by a newer feedloom (schema ${version}, this one knows ${MIGRATIONS.length})`,
    );
  }
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] ?? '');
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}

const json = (v: unknown): string => JSON.stringify(v);
const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

function stateOf(r: SourceRow): SourceState {
  const opt = <T>(k: string, v: T | null | undefined) => (v === null || v === undefined ? {} : { [k]: v });
  return {
    validators: { ...opt('etag', r.etag), ...opt('lastModified', r.last_modified) },
    ...opt('lastStatus', r.last_status),
    ...opt('lastError', r.last_error),
    ...opt('lastFetchedAt', date(r.last_fetched_at)),
    ...opt('lastOkAt', date(r.last_ok_at)),
    consecutiveFailures: r.consecutive_failures,
    ...opt('title', r.title),
    ...opt('link', r.link),
    ...opt('feedIntervalS', r.feed_interval_s),
    ...opt('maxAgeS', r.max_age_s),
    ...opt('retryAfterAt', date(r.retry_after_at)),
    ...opt('failingSince', date(r.failing_since)),
  };
}

/** Words a representative's summary needs to tell the story, rather than point at it. */
const STORY_WORDS = 20;

class SqliteStore implements Store {
  readonly #db: Database.Database;
  // Prepared once: a run asks these per item, thousands of times.
  readonly #q;
  readonly #groups: Record<Grouping, GroupStatements>;
  #batch: { sources: number; timer: NodeJS.Timeout } | undefined;
  readonly #prepared = new Map<string, Database.Statement>();
  /** The dedupe window's bands in memory, and the window start they were read for. */
  #bands: { table: BandTable; since: number } | undefined;
  #failed: Error | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#groups = {
      near: groupStatements(db, 'entries', 'entry_id'),
      exact: groupStatements(db, 'exact_entries', 'exact_entry_id'),
    };
    this.#q = {
      source: db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?'),
      hasRaw: db.prepare<[string, string], { one: number }>(
        'SELECT 1 AS one FROM items WHERE source_id = ? AND raw_hash = ? LIMIT 1',
      ),
      // Named columns: SELECT * would read the content too, which often lies on overflow pages.
      item: db.prepare<[string], ItemHead>(
        `SELECT rowid AS rid, entry_id, exact_entry_id, published, published_guessed, first_seen
         FROM items WHERE key = ?`,
      ),
      rawHashes: db.prepare<[string], { raw_hash: string }>('SELECT raw_hash FROM items WHERE source_id = ?'),
      // Positional parameters, in ITEM_COLUMNS order: binding 27 named ones made a key string per
      // parameter per row (65 MB of garbage per 25k items) and cost a fifth of the statement.
      upsertItem: db.prepare<ItemValues>(`
        INSERT INTO items (${ITEM_COLUMNS.join(', ')})
        VALUES (${ITEM_COLUMNS.map(() => '?').join(', ')})
        ON CONFLICT(key) DO UPDATE SET raw_hash = excluded.raw_hash, guid = excluded.guid, link = excluded.link,
          link_key = excluded.link_key, title = excluded.title, content_html = excluded.content_html,
          summary = excluded.summary, published = excluded.published, published_guessed = excluded.published_guessed,
          updated = excluded.updated, authors = excluded.authors, tags = excluded.tags, image = excluded.image,
          enclosures = excluded.enclosures, content_hash = excluded.content_hash, fingerprint = excluded.fingerprint,
          content_key = excluded.content_key, last_seen = excluded.last_seen, near_sig = excluded.near_sig,
          priority = excluded.priority`),
      // Only a stale last_seen is rewritten: retention reads it in days, and rewriting every unchanged
      // item of every changed feed was most of a churn run's writes (see LAST_SEEN_GRANULARITY_MS).
      // One statement for a feed's unchanged items, not one per item: the hashes go in as a JSON array.
      touchRaw: db.prepare<[number, string, number, string]>(
        `UPDATE items SET last_seen = ? WHERE source_id = ? AND last_seen < ?
           AND raw_hash IN (SELECT value FROM json_each(?))`,
      ),
      saveBands: db.prepare<[number, Buffer]>('INSERT INTO near_chunks (newest, items) VALUES (?, ?)'),
      nearSignature: db.prepare<
        [number],
        { entryId: string; signature: StoredSignature | null; sourceId: string }
      >(
        'SELECT entry_id AS entryId, near_sig AS signature, source_id AS sourceId FROM items WHERE rowid = ?',
      ),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
      // Indexed look-ups first; the scan for a raw link or guid runs only when they find nothing.
      entryOfRef: db.prepare<[{ ref: string; canonical: string }], { entry_id: string }>(
        `SELECT entry_id FROM entries WHERE entry_id = @ref
         UNION ALL SELECT entry_id FROM items WHERE link_key = @canonical
         UNION ALL SELECT entry_id FROM items WHERE link = @ref OR guid = @ref LIMIT 1`,
      ),
      saveSource: db.prepare(`
        INSERT INTO sources (id, etag, last_modified, last_status, last_error, last_fetched_at, last_ok_at,
          consecutive_failures, title, link, feed_interval_s, max_age_s, retry_after_at)
        VALUES (@id, @etag, @last_modified, @status, NULL, @at, @at, 0, @title, @link, @feed_interval_s,
          @max_age_s, NULL)
        ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
          last_status = excluded.last_status, last_error = NULL, last_fetched_at = excluded.last_fetched_at,
          last_ok_at = excluded.last_ok_at, consecutive_failures = 0, feed_interval_s = excluded.feed_interval_s,
          max_age_s = excluded.max_age_s, retry_after_at = NULL,
          title = COALESCE(excluded.title, sources.title), link = COALESCE(excluded.link, sources.link)`),
      failSource: db.prepare(`
        INSERT INTO sources (id, last_status, last_error, last_fetched_at, consecutive_failures, retry_after_at)
        VALUES (?, 'failed', ?, ?, 1, ?)
        ON CONFLICT(id) DO UPDATE SET last_status = 'failed', last_error = excluded.last_error,
          last_fetched_at = excluded.last_fetched_at, consecutive_failures = sources.consecutive_failures + 1,
          retry_after_at = excluded.retry_after_at`),
    };
  }

  sourceState(sourceId: string): SourceState | undefined {
    const r = this.#q.source.get(sourceId);
    return r ? stateOf(r) : undefined;
  }

  sourceStates(sourceIds: readonly string[]): Map<string, SourceState> {
    const rows = this.#stmt<[string], SourceRow>(
      'SELECT * FROM sources WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(sourceIds));
    return new Map(rows.map((r) => [r.id, stateOf(r)]));
  }

  hasRaw(sourceId: string, rawHash: string): boolean {
    return this.#q.hasRaw.get(sourceId, rawHash) !== undefined;
  }

  rawHashes(sourceId: string): string[] {
    return this.#q.rawHashes.all(sourceId).map((r) => r.raw_hash);
  }

  item(key: string): StoredItemInfo | undefined {
    const r = this.#q.item.get(key);
    if (!r) return undefined;
    return {
      entryId: r.entry_id,
      exactEntryId: r.exact_entry_id ?? r.entry_id,
      published: new Date(r.published),
      publishedGuessed: r.published_guessed === 1,
      firstSeen: new Date(r.first_seen),
    };
  }

  entryForLink(link: string, since: Date, grouping: Grouping = 'near'): string | undefined {
    return this.#groups[grouping].byLink.get(link, since.getTime())?.entry_id ?? undefined;
  }

  entryForFingerprint(fingerprint: string, since: Date, grouping: Grouping = 'near'): string | undefined {
    return this.#groups[grouping].byText.get(fingerprint, since.getTime())?.entry_id ?? undefined;
  }

  saveSourceRun(run: SourceRun): void {
    const at = run.at.getTime();
    this.#tx(
      () => {
        // Only what outputs can show: new or changed items, or a new name or home page of the source.
        const known = this.#q.source.get(run.sourceId);
        if (
          run.items.length > 0 ||
          (run.title !== undefined && run.title !== known?.title) ||
          (run.link !== undefined && run.link !== known?.link)
        )
          this.#bumpDataVersion();
        const indexed: IndexedBands[] = [];
        for (const save of run.items) {
          const { item } = save;
          const before = this.#q.item.get(item.key);
          const firstSeen = before?.first_seen ?? at;
          const exact = save.exact ?? { entryId: save.entryId, newEntry: save.newEntry };
          // An item keeps the stories it joined first; only a new item is assigned.
          const entry = before?.entry_id ?? save.entryId;
          const exactEntry = before?.exact_entry_id ?? exact.entryId;
          const written = this.#q.upsertItem.run(
            itemValues(item, {
              entryId: entry,
              exactEntryId: exactEntry,
              rawHash: save.rawHash,
              linkKey: save.linkKey ?? null,
              contentKey: save.contentKey ?? null,
              firstSeen,
              lastSeen: at,
              nearSignature: save.nearSignature ?? null,
              matchedBy: save.matchedBy ?? null,
              matchDetail: save.matchDetail ?? null,
              priority: save.priority,
            }),
          );
          // The rowid from the look-up or the insert, not from RETURNING: that doubled the statement's
          // cost (75 us an item, most of a cold run's store time).
          const rid = before ? before.rid : Number(written.lastInsertRowid);
          if (save.nearBands) indexed.push({ rowid: rid, firstSeen, bands: save.nearBands });
          const story = { item, priority: save.priority, runId: run.runId, firstSeen, isNewItem: !before };
          this.#placeInStory(this.#groups.near, entry, save.newEntry, story);
          this.#placeInStory(this.#groups.exact, exactEntry, exact.newEntry, story);
        }
        this.#saveBands(indexed);
        const stale = at - LAST_SEEN_GRANULARITY_MS;
        if (run.seenRawHashes.length > 0)
          this.#q.touchRaw.run(at, run.sourceId, stale, JSON.stringify(run.seenRawHashes));
        this.#q.saveSource.run({
          id: run.sourceId,
          etag: run.validators.etag ?? null,
          last_modified: run.validators.lastModified ?? null,
          status: run.status,
          at,
          title: run.title ?? null,
          link: run.link ?? null,
          feed_interval_s: run.feedIntervalS ?? null,
          max_age_s: run.maxAgeS ?? null,
        });
      },
      { source: true },
    );
  }

  /**
   * A copy joining a story opened in this same run replaces the representative when it is better: a
   * higher source priority, else a story over a stub (an aggregator's "Comments" link to the article
   * is no copy to show), else an earlier publication (the original rather than a republication).
   * An entry from an earlier run keeps its representative: its link is already in readers' hands.
   */
  #placeInStory(
    g: GroupStatements,
    entryId: string,
    opensEntry: boolean,
    story: { item: Item; priority: number; runId: number; firstSeen: number; isNewItem: boolean },
  ): void {
    const { item, priority, runId } = story;
    if (opensEntry && story.isNewItem) {
      g.insert.run(entryId, item.key, item.sourceId, item.published.getTime(), story.firstSeen, runId);
      return;
    }
    g.refresh.run(item.published.getTime(), item.key);
    if (!story.isNewItem) return;
    const head = g.head.get(entryId);
    if (!head || head.created_run !== runId || head.rep_key === item.key) return;
    const told = hasWords(item.summary, STORY_WORDS);
    const headTold = hasWords(head.summary, STORY_WORDS);
    const better =
      priority > head.priority ||
      (priority === head.priority && (told !== headTold ? told : item.published.getTime() < head.published));
    if (better) g.takeOver.run(item.key, item.sourceId, item.published.getTime(), entryId);
  }

  nearCandidates(bands: readonly number[], since: Date): NearCandidateRow[] {
    if (bands.length === 0) return [];
    const table = this.#bandTable(since.getTime());
    const out: NearCandidateRow[] = [];
    for (const rowid of table.candidates(bands, since.getTime(), NEAR_PER_BAND, NEAR_MAX_CANDIDATES)) {
      // A rowid whose item was pruned (or whose batch rolled back) since the table was read finds nothing.
      const row = this.#q.nearSignature.get(rowid);
      if (row?.signature)
        out.push({ entryId: row.entryId, signature: row.signature, sourceId: row.sourceId });
    }
    return out;
  }

  loadNearWindow(since: Date): void {
    this.#bandTable(since.getTime());
  }

  /**
   * The bands of the window, read from near_chunks on the first look-up. A store that stays open (the
   * daemon) reads them again once the window has moved on a day, so the table never holds much more
   * than the window.
   */
  #bandTable(since: number): BandTable {
    if (this.#bands && since - this.#bands.since < DAY_MS) return this.#bands.table;
    // all(), not iterate(): one call into SQLite for the window instead of one per row.
    const rows = this.#db
      .prepare<[number], [Buffer]>('SELECT items FROM near_chunks WHERE newest >= ? ORDER BY id')
      .raw()
      .all(since);
    // Sized for the window (24 bands of 8 bytes per item, and its 3 header values) and what a run
    // adds to it, so it is built without regrowing.
    let bytes = 0;
    for (const [items] of rows) bytes += items.byteLength;
    const table = new BandTable(Math.ceil(bytes / (8 * 27)) + 4096);
    for (const [items] of rows) {
      decodeChunk(items, (rowid, firstSeen, values, start, end) => {
        // Oldest first within the window: a look-up stops at the first entry older than its start.
        if (firstSeen >= since) table.add(rowid, firstSeen, values, start, end);
      });
    }
    this.#bands = { table, since };
    return table;
  }

  /**
   * Keeps the bands of a source's run in one near_chunks row and, once the window is in memory, in
   * the table too. A chunk outlives items pruned or re-indexed since: their rowids find no signature,
   * or another one, which the look-up scores like any candidate.
   */
  #saveBands(indexed: readonly IndexedBands[]): void {
    if (indexed.length === 0) return;
    let newest = 0;
    for (const it of indexed) newest = Math.max(newest, it.firstSeen);
    this.#q.saveBands.run(newest, encodeChunk(indexed));
    for (const it of indexed) this.#bands?.table.add(it.rowid, it.firstSeen, it.bands);
  }

  reindexNear(since: Date, index: (row: NearIndexRow) => NearReindexed | undefined): number {
    // In pages of rows: the window's content may be far larger than memory should hold at once.
    const page = this.#db.prepare<[number, number], { rid: number; first_seen: number } & NearIndexRow>(
      `SELECT rowid AS rid, first_seen, near_sig AS signature, title, content_html AS contentHtml, summary
       FROM items WHERE rowid > ? AND first_seen >= ? AND near_sig IS NOT NULL ORDER BY rowid LIMIT 256`,
    );
    const resign = this.#db.prepare<[Uint8Array, number]>('UPDATE items SET near_sig = ? WHERE rowid = ?');
    let indexed = 0;
    // Read again on the next look-up.
    this.#bands = undefined;
    this.#tx(() => {
      // Every chunk goes: the window's are written again below, older ones are never read.
      this.#db.exec('DELETE FROM near_chunks');
      for (
        let after = 0, rows = page.all(after, since.getTime());
        rows.length;
        rows = page.all(after, since.getTime())
      ) {
        const chunk: IndexedBands[] = [];
        for (const row of rows) {
          after = row.rid;
          const done = index(row);
          if (!done) continue;
          if (done.signature !== undefined) resign.run(done.signature, row.rid);
          chunk.push({ rowid: row.rid, firstSeen: row.first_seen, bands: done.bands });
          indexed++;
        }
        this.#saveBands(chunk);
      }
    });
    return indexed;
  }

  explain(linkOrId: string): { entryId: string; items: ExplainedItem[] } | undefined {
    // A link is looked up by its story key, as dedupe stored it; an entry id or a guid stays as it is.
    const canonical = storyLinkKey(linkOrId) ?? linkOrId;
    const entryId = this.#q.entryOfRef.get({ ref: linkOrId, canonical })?.entry_id;
    if (!entryId) return undefined;
    const head = this.#groups.near.head.get(entryId);
    const rows = this.#db
      .prepare<[string], ItemRow & { matched_by: string | null; match_detail: string | null }>(
        'SELECT * FROM items WHERE entry_id = ? ORDER BY first_seen, key',
      )
      .all(entryId);
    return {
      entryId,
      items: rows.map((r) => ({
        key: r.key,
        sourceId: r.source_id,
        title: r.title,
        link: r.link,
        published: new Date(r.published),
        firstSeen: new Date(r.first_seen),
        representative: r.key === head?.rep_key,
        ...(r.matched_by ? { matchedBy: r.matched_by } : {}),
        ...(r.match_detail ? { matchDetail: r.match_detail } : {}),
      })),
    };
  }

  recordFailure(sourceId: string, at: Date, error: string, retryAfterAt?: Date): void {
    this.#tx(() => this.#q.failSource.run(sourceId, error, at.getTime(), retryAfterAt?.getTime() ?? null), {
      source: true,
    });
  }

  entries(query: EntryQuery, titleOf: (sourceId: string) => string): Entry[] {
    if (!query.sourceIds.length || query.limit <= 0) return [];
    const g = this.#groups[query.grouping ?? 'near'];
    const heads = g.heads.all(
      json(query.sourceIds),
      query.since?.getTime() ?? Number.MIN_SAFE_INTEGER,
      query.limit,
    );
    const byEntry = new Map<string, ItemRow[]>();
    for (const row of g.members.all(json(heads.map((h) => h.entry_id)))) {
      const list = byEntry.get(row.group_id) ?? [];
      list.push(row);
      byEntry.set(row.group_id, list);
    }
    return heads.flatMap((h) => {
      const rows = byEntry.get(h.entry_id) ?? [];
      const rep = rows.find((r) => r.key === h.rep_key);
      if (!rep) return [];
      const alsoFrom: AlsoFrom[] = [];
      const named = new Set([rep.source_id]);
      for (const r of rows) {
        // One line per outlet: a source that carried the story twice is still one outlet.
        if (named.has(r.source_id)) continue;
        named.add(r.source_id);
        alsoFrom.push({
          sourceId: r.source_id,
          sourceTitle: titleOf(r.source_id),
          link: r.link,
          title: r.title,
        });
      }
      return [
        {
          entryId: h.entry_id,
          item: rowToItem(rep),
          sourceTitle: titleOf(rep.source_id),
          alsoFrom,
          firstSeen: new Date(h.first_seen),
        },
      ];
    });
  }

  flush(): void {
    if (this.#failed) {
      // Reported once: the batch it lost is gone, and the next write starts a fresh one.
      const failed = this.#failed;
      this.#failed = undefined;
      throw failed;
    }
    if (this.#batch) clearTimeout(this.#batch.timer);
    this.#batch = undefined;
    if (!this.#db.open || !this.#db.inTransaction) return;
    try {
      this.#db.exec('COMMIT');
    } catch (e) {
      // A failed COMMIT (disk full) leaves the transaction open: roll it back so the next run starts clean.
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      throw storeError(this.#db, 'committing', e);
    }
    // A cold run grows the file from nothing: the cache follows it.
    sizePageCache(this.#db);
  }

  close(): void {
    if (!this.#db.open) return;
    try {
      this.flush();
    } finally {
      this.#db.close();
    }
  }

  recordFetch(sourceId: string, at: Date, ms: number, outcome: string): void {
    const t = at.getTime();
    this.#tx(() => {
      const { lastInsertRowid } = this.#stmt(
        'INSERT INTO fetch_log (source_id, at, ms, status) VALUES (?, ?, ?, ?)',
      ).run(sourceId, t, Math.max(0, Math.round(ms)), outcome);
      // The streak starts at its first failure and ends with any fetch that did not fail. Written only
      // when it changes: an unchanged row is not rewritten.
      if (outcome === 'failed')
        this.#stmt('UPDATE sources SET failing_since = ? WHERE id = ? AND failing_since IS NULL').run(
          t,
          sourceId,
        );
      else
        this.#stmt('UPDATE sources SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL').run(
          sourceId,
        );
      // Trimmed in bulk once every FETCH_LOG_TRIM_EVERY rows, counted by rowid so that it holds across
      // processes (cron): a trim per insert was most of the log's cost in a run of 304s.
      if (Number(lastInsertRowid) % FETCH_LOG_TRIM_EVERY === 0) trimFetchLog(this.#db, FETCH_LOG_KEEP);
    });
  }

  sourceHealth(sourceIds: readonly string[]): Map<string, SourceHealth> {
    // Three statements for all the sources, not three per source: status covers every source each run.
    const ids = JSON.stringify(sourceIds);
    const fetches = new Map<string, FetchRecord[]>();
    const logged = this.#stmt<[string], { id: string; at: number; ms: number; status: string }>(
      `SELECT source_id AS id, at, ms, status FROM fetch_log WHERE source_id IN (SELECT value FROM json_each(?))
       ORDER BY source_id, at DESC, rowid DESC`,
    ).all(ids);
    for (const r of logged) {
      let list = fetches.get(r.id);
      if (!list) {
        list = [];
        fetches.set(r.id, list);
      }
      if (list.length < FETCH_LOG_KEEP) list.push({ at: new Date(r.at), ms: r.ms, outcome: r.status });
    }
    const failing = new Map(
      this.#stmt<[string], { id: string; since: number }>(
        `SELECT id, failing_since AS since FROM sources
         WHERE id IN (SELECT value FROM json_each(?)) AND failing_since IS NOT NULL`,
      )
        .all(ids)
        .map((r) => [r.id, r.since]),
    );
    const counts = new Map(
      this.#stmt<[string], { id: string; n: number }>(
        `SELECT source_id AS id, COUNT(*) AS n FROM items
         WHERE source_id IN (SELECT value FROM json_each(?)) GROUP BY source_id`,
      )
        .all(ids)
        .map((r) => [r.id, r.n]),
    );
    return new Map(
      sourceIds.map((id) => {
        const since = failing.get(id);
        const health: SourceHealth = {
          fetches: fetches.get(id) ?? [],
          items: counts.get(id) ?? 0,
          ...(since !== undefined ? { failingSince: new Date(since) } : {}),
        };
        return [id, health];
      }),
    );
  }

  fullText(url: string): CachedFullText | undefined {
    const row = this.#stmt<
      [string],
      { item_hash: string; html: string; text_length: number; fetched_at: number }
    >('SELECT item_hash, html, text_length, fetched_at FROM full_text WHERE url = ?').get(url);
    return row
      ? {
          url,
          itemHash: row.item_hash,
          html: row.html,
          textLength: row.text_length,
          fetchedAt: new Date(row.fetched_at),
        }
      : undefined;
  }

  saveFullText(entry: CachedFullText): void {
    this.#tx(() => {
      this.#stmt(
        'INSERT OR REPLACE INTO full_text (url, item_hash, html, text_length, fetched_at) VALUES (?, ?, ?, ?, ?)',
      ).run(entry.url, entry.itemHash, entry.html, entry.textLength, entry.fetchedAt.getTime());
    });
  }

  prune(options: PruneOptions): PruneReport {
    try {
      // No change of the data version: retention never removes what an output shows.
      return pruneState(this.#db, options, FETCH_LOG_KEEP);
    } catch (e) {
      throw storeError(this.#db, 'pruning old items', e);
    }
  }

  /** Statements of the less frequent paths, prepared on first use and kept: preparing costs more than running. */
  #stmt<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.#prepared.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#prepared.set(sql, statement);
    }
    return statement as Database.Statement<P, R>;
  }

  dataVersion(): number {
    return Number(this.meta(DATA_VERSION) ?? 0);
  }

  meta(key: string): string | undefined {
    return this.#q.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.#tx(() => this.#q.setMeta.run(key, value));
  }

  #bumpDataVersion(): void {
    this.#q.setMeta.run(DATA_VERSION, String(this.dataVersion() + 1));
  }

  /** One source's writes: a savepoint inside the open batch, committed with the batch. */
  #tx(fn: () => void, { source = false }: { source?: boolean } = {}): void {
    if (this.#failed) {
      // Reported once: the batch it lost is gone, and the next write starts a fresh one.
      const failed = this.#failed;
      this.#failed = undefined;
      throw failed;
    }
    try {
      // No transaction open: the first write of a batch, or SQLite rolled the batch back on an error.
      if (!this.#batch || !this.#db.inTransaction) {
        if (this.#batch) clearTimeout(this.#batch.timer);
        this.#db.exec('BEGIN');
        // A timer commits a batch that stops growing (a daemon between fetches); unref: never keeps us alive.
        const timer = setTimeout(() => this.#flushQuietly(), BATCH_MAX_MS);
        timer.unref();
        this.#batch = { sources: 0, timer };
      }
      this.#db.transaction(fn)();
    } catch (e) {
      throw storeError(this.#db, 'saving', e);
    }
    // Counted per source: its fetch log line, a cached page or a meta value are part of its work.
    if (source && ++this.#batch.sources >= BATCH_SOURCES) this.flush();
  }

  /** Timer-driven commit: nobody to throw to, so the error waits for the next write or flush. */
  #flushQuietly(): void {
    try {
      this.flush();
    } catch (e) {
      this.#failed = e as Error;
    }
  }
}

/**
 * A failed write named by file and SQLite code: SQLITE_FULL (disk full, or the process file-size
 * limit) and SQLITE_IOERR are the user's to fix, and the rolled-back transaction left the file intact.
 */
function storeError(db: Database.Database, doing: string, e: unknown): FeedloomError {
  const code = (e as { code?: unknown }).code;
  const prefix = typeof code === 'string' && code.startsWith('SQLITE_') ? `${code}: ` : '';
  let hint = '';
  if (code === 'SQLITE_FULL' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))) {
    const why = writeTrouble(dirname(db.name));
    hint = ` (${why ? `likely ${why}` : `check the disk holding ${dirname(db.name)}`}; nothing of this change was kept)`;
  }
  return new FeedloomError('STORE', `store: ${db.name}: ${doing}: ${prefix}${(e as Error).message}${hint}`, {
    cause: e,
  });
}

/** Free space under which a failed write is blamed on a full disk. */
const LOW_SPACE_BYTES = 1 << 20;

/**
 * SQLite reports ENOSPC as SQLITE_FULL and EFBIG (a file-size limit) as SQLITE_IOERR_WRITE, without
 * the errno: look for either cause from outside, so the message says what to fix.
 */
function writeTrouble(dir: string): string | undefined {
  const causes: string[] = [];
  try {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < LOW_SPACE_BYTES) causes.push(`ENOSPC: ${free} bytes free on the disk holding ${dir}`);
  } catch {
    // no statfs here: say nothing rather than guess
  }
  try {
    // Linux: the soft limit is the second column of "Max file size"; "unlimited" is the usual value.
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max file size'));
    const soft = line?.slice('Max file size'.length).trim().split(/\s+/)[0];
    if (soft && soft !== 'unlimited')
      causes.push(`EFBIG: this process may not write files over ${soft} bytes (ulimit -f)`);
  } catch {
    // not Linux
  }
  return causes.length ? causes.join(', or ') : undefined;
}

type GroupStatements = ReturnType<typeof groupStatements>;

/** The statements of one grouping: its entries table and the items column that points into it. */
function groupStatements(
  db: Database.Database,
  table: 'entries' | 'exact_entries',
  column: 'entry_id' | 'exact_entry_id',
) {
  return {
    insert: db.prepare<[string, string, string, number, number, number]>(
      `INSERT OR IGNORE INTO ${table} (entry_id, rep_key, source_id, published, first_seen, created_run)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    head: db.prepare<
      [string],
      { rep_key: string; created_run: number; priority: number; published: number; summary: string }
    >(
      `SELECT e.rep_key, e.created_run, i.priority, i.published, i.summary FROM ${table} e
       JOIN items i ON i.key = e.rep_key WHERE e.entry_id = ?`,
    ),
    takeOver: db.prepare<[string, string, number, string]>(
      `UPDATE ${table} SET rep_key = ?, source_id = ?, published = ? WHERE entry_id = ?`,
    ),
    // The representative may be re-dated by its own source (a corrected pubDate); the id never moves.
    refresh: db.prepare<[number, string]>(`UPDATE ${table} SET published = ? WHERE rep_key = ?`),
    byLink: db.prepare<[string, number], { entry_id: string | null }>(
      `SELECT ${column} AS entry_id FROM items WHERE link_key = ? AND first_seen >= ? ORDER BY first_seen LIMIT 1`,
    ),
    byText: db.prepare<[string, number], { entry_id: string | null }>(
      `SELECT ${column} AS entry_id FROM items WHERE content_key = ? AND first_seen >= ? ORDER BY first_seen LIMIT 1`,
    ),
    // Equal dates are common (date-only pages, feeds stamped with their build time): the run that
    // first saw an entry, newest first, then the order its source listed them (rowid), not the hash.
    heads: db.prepare<[string, number, number], { entry_id: string; rep_key: string; first_seen: number }>(
      `SELECT entry_id, rep_key, first_seen FROM ${table}
       WHERE source_id IN (SELECT value FROM json_each(?)) AND published >= ?
       ORDER BY published DESC, first_seen DESC, rowid LIMIT ?`,
    ),
    members: db.prepare<[string], ItemRow & { group_id: string }>(
      `SELECT *, ${column} AS group_id FROM items WHERE ${column} IN (SELECT value FROM json_each(?))
       ORDER BY first_seen, key`,
    ),
  };
}

/** The items table's columns as upsertItem binds them; itemValues gives the values in this order. */
const ITEM_COLUMNS = [
  'key',
  'source_id',
  'entry_id',
  'exact_entry_id',
  'raw_hash',
  'guid',
  'link',
  'link_key',
  'title',
  'content_html',
  'summary',
  'published',
  'published_guessed',
  'updated',
  'authors',
  'tags',
  'image',
  'enclosures',
  'content_hash',
  'fingerprint',
  'content_key',
  'first_seen',
  'last_seen',
  'near_sig',
  'matched_by',
  'match_detail',
  'priority',
] as const;

type ItemValues = [(string | number | Uint8Array | null)[]];

/** What the store decides about an item's row, beside the item itself. */
interface ItemRowState {
  entryId: string;
  exactEntryId: string;
  rawHash: string;
  linkKey: string | null;
  contentKey: string | null;
  firstSeen: number;
  lastSeen: number;
  nearSignature: Uint8Array | null;
  matchedBy: string | null;
  matchDetail: string | null;
  priority: number;
}

/** An item's row values in ITEM_COLUMNS order. */
function itemValues(item: Item, row: ItemRowState): (string | number | Uint8Array | null)[] {
  return [
    item.key,
    item.sourceId,
    row.entryId,
    row.exactEntryId,
    row.rawHash,
    item.guid ?? null,
    item.link,
    row.linkKey,
    item.title,
    item.contentHtml,
    item.summary,
    item.published.getTime(),
    item.publishedGuessed ? 1 : 0,
    item.updated?.getTime() ?? null,
    json(item.authors),
    json(item.tags),
    item.image ?? null,
    json(item.enclosures),
    item.contentHash,
    item.fingerprint,
    row.contentKey,
    row.firstSeen,
    row.lastSeen,
    row.nearSignature,
    row.matchedBy,
    row.matchDetail,
    row.priority,
  ];
}

function rowToItem(r: ItemRow): Item {
  return {
    key: r.key,
    sourceId: r.source_id,
    ...(r.guid !== null ? { guid: r.guid } : {}),
    link: r.link,
    title: r.title,
    contentHtml: r.content_html,
    summary: r.summary,
    published: new Date(r.published),
    publishedGuessed: r.published_guessed === 1,
    ...(r.updated !== null ? { updated: new Date(r.updated) } : {}),
    authors: JSON.parse(r.authors) as string[],
    tags: JSON.parse(r.tags) as string[],
    ...(r.image !== null ? { image: r.image } : {}),
    enclosures: JSON.parse(r.enclosures) as Enclosure[],
    contentHash: r.content_hash,
    fingerprint: r.fingerprint,
  };
}
