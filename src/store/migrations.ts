// Forward-only schema steps; `PRAGMA user_version` says how many have run. Never edit a released step.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_status TEXT,
    last_error TEXT,
    last_fetched_at INTEGER,
    last_ok_at INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    link TEXT
  );
  CREATE TABLE items (
    key TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    guid TEXT,
    link TEXT NOT NULL,
    link_key TEXT,
    title TEXT NOT NULL,
    content_html TEXT NOT NULL,
    summary TEXT NOT NULL,
    published INTEGER NOT NULL,
    published_guessed INTEGER NOT NULL,
    updated INTEGER,
    authors TEXT NOT NULL,
    tags TEXT NOT NULL,
    image TEXT,
    enclosures TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    content_key TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  );
  CREATE INDEX items_entry ON items(entry_id);
  CREATE INDEX items_source_raw ON items(source_id, raw_hash);
  CREATE INDEX items_link_key ON items(link_key) WHERE link_key IS NOT NULL;
  CREATE INDEX items_content_key ON items(content_key) WHERE content_key IS NOT NULL;
  CREATE TABLE entries (
    entry_id TEXT PRIMARY KEY,
    rep_key TEXT NOT NULL,
    source_id TEXT NOT NULL,
    published INTEGER NOT NULL,
    first_seen INTEGER NOT NULL
  );
  CREATE INDEX entries_published ON entries(published DESC);
  `,
  // Near-duplicate stories (issue 3): LSH bands per item, the signature to score against, why an
  // item joined its entry, and which run opened an entry (its representative may improve until then).
  `
  ALTER TABLE items ADD COLUMN near_sig TEXT;
  ALTER TABLE items ADD COLUMN matched_by TEXT;
  ALTER TABLE items ADD COLUMN match_detail TEXT;
  ALTER TABLE items ADD COLUMN priority REAL NOT NULL DEFAULT 0;
  ALTER TABLE entries ADD COLUMN created_run INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE near_bands (
    band TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    first_seen INTEGER NOT NULL
  );
  CREATE INDEX near_bands_band ON near_bands(band, first_seen DESC);
  CREATE INDEX near_bands_item ON near_bands(item_key);
  CREATE INDEX items_link ON items(link);
  `,
  // Source health (issue 5): the time of each recent fetch for median latency, and when the current
  // failure streak began (a source is dead after N failures spread over at least a day).
  `
  CREATE TABLE fetch_log (
    source_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    status TEXT NOT NULL
  );
  CREATE INDEX fetch_log_source ON fetch_log(source_id, at DESC);
  ALTER TABLE sources ADD COLUMN failing_since INTEGER;
  UPDATE sources SET failing_since = last_fetched_at WHERE consecutive_failures > 0;
  `,
  // Per-output dedupe (issue 3): a second grouping under exact keys only, beside the near one.
  `
  ALTER TABLE items ADD COLUMN exact_entry_id TEXT;
  UPDATE items SET exact_entry_id = entry_id;
  CREATE INDEX items_exact_entry ON items(exact_entry_id);
  CREATE TABLE exact_entries (
    entry_id TEXT PRIMARY KEY,
    rep_key TEXT NOT NULL,
    source_id TEXT NOT NULL,
    published INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    created_run INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO exact_entries SELECT entry_id, rep_key, source_id, published, first_seen, created_run FROM entries;
  CREATE INDEX exact_entries_published ON exact_entries(published DESC);
  `,
  // Retention (issue 5): find old items by last_seen, and each source's latest feed (its newest
  // last_seen), without a scan of items on every run.
  `
  CREATE INDEX items_last_seen ON items(last_seen);
  CREATE INDEX items_source_seen ON items(source_id, last_seen);
  `,
  // Politeness (issue 5, scheduler): the interval a source asks for in its content (RSS ttl,
  // sy:updatePeriod) and in its headers (Cache-Control max-age, Expires), and a Retry-After too long
  // to wait for within a run, so `start` and `run` do not come back before then.
  `
  ALTER TABLE sources ADD COLUMN feed_interval_s INTEGER;
  ALTER TABLE sources ADD COLUMN max_age_s INTEGER;
  ALTER TABLE sources ADD COLUMN retry_after_at INTEGER;
  `,
  // Full text for feeds (issue 4): the article extracted from an item's page, by URL, with the hash of
  // the feed item it was fetched for, so an unchanged item never costs a page request again.
  `
  CREATE TABLE full_text (
    url TEXT PRIMARY KEY,
    item_hash TEXT NOT NULL,
    html TEXT NOT NULL,
    text_length INTEGER NOT NULL,
    fetched_at INTEGER NOT NULL
  );
  `,
  // Speed (issue 7): a representative is re-dated by its key on every fetch of its source; without an
  // index that UPDATE scanned every entry, once per item, in both groupings.
  `
  CREATE INDEX entries_rep ON entries(rep_key);
  CREATE INDEX exact_entries_rep ON exact_entries(rep_key);
  `,
  // Speed (issue 7): band rows were the largest part of the state (a text entry id and item key in each
  // of 24 rows per item, plus two indexes). Now one clustered key per row, pointing at the item's rowid.
  // The rowid of items is stable as long as the file is never rebuilt by a full VACUUM (retention uses
  // incremental vacuum only).
  `
  CREATE TABLE near_bands_v2 (
    band TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    item INTEGER NOT NULL,
    PRIMARY KEY (band, first_seen, item)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO near_bands_v2 (band, first_seen, item)
    SELECT b.band, b.first_seen, i.rowid FROM near_bands b JOIN items i ON i.key = b.item_key;
  DROP TABLE near_bands;
  ALTER TABLE near_bands_v2 RENAME TO near_bands;
  CREATE INDEX near_bands_item ON near_bands(item);
  `,
  // Speed (issue 7): a counter of changes to what outputs show, and the stamp of the last render, so a
  // run where nothing changed (every source 304) skips rendering.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // Speed (issue 7): one row of LSH bands per item (a BLOB of integer keys) instead of a B-tree row per
  // band: band rows were most of a cold run's index writes, and a look-up cost 24 range scans. The
  // store now reads the window's bands once into memory (store/band-table.ts). items_link served only
  // `explain`; one index by source (with the raw hash and last_seen) serves what two did. The pipeline
  // rebuilds the bands of the dedupe window from the stored signatures (meta near_index), so upgraded
  // state keeps matching against recent stories.
  `
  DROP INDEX items_link;
  DROP INDEX items_source_seen;
  DROP INDEX items_source_raw;
  CREATE INDEX items_source_raw ON items(source_id, raw_hash, last_seen);
  DROP TABLE near_bands;
  CREATE TABLE near_index (
    item INTEGER PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    bands BLOB NOT NULL
  );
  DELETE FROM meta WHERE key = 'near_index';
  `,
  `
  DROP TABLE near_index;
  CREATE TABLE near_chunks (
    id INTEGER PRIMARY KEY,
    newest INTEGER NOT NULL,
    items BLOB NOT NULL
  );
  DELETE FROM meta WHERE key = 'near_index';
  `,
];
