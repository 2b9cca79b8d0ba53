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
];
