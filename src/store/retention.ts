// Retention (issue 5): the state file must stay bounded over months of runs. Items nobody needs any
// more are deleted with their LSH bands and their stories; freed pages go back to the file system.
//
// What is still needed, and therefore never pruned:
// - anything seen within the retention window (dedupe matches against it; outputs may show it);
// - every story among an output's newest `limit` entries (an output without maxAgeDays shows old
//   entries as long as nothing newer pushes them out);
// - the items of each source's latest fetched feed: forgetting one that is still in the feed makes
//   it "new" on the next fetch and publishes it again. A 304 does not touch last_seen, so "latest
//   feed" is read from the data (the source's newest last_seen), not from the clock;
// - every other item of a story that keeps one item: a story is kept or deleted whole, so no entry
//   loses its representative and no item points at a missing entry.
import type Database from 'better-sqlite3';
import type { EntryQuery, Grouping } from './store.js';

/** Retention policy as data; the window itself comes from config (see retentionDays). */
export const RETENTION_POLICY = {
  /** Added to the longest window config needs: a late copy or a clock step must not miss its story. */
  marginDays: 7,
} as const;

const DAY_MS = 86_400_000;

/**
 * A run rewrites an unchanged item's last_seen only when it is older than this: retention counts in
 * days, and rewriting every unchanged item of every changed feed was most of a busy run's writes. An
 * item of a source's latest feed therefore has a last_seen within this of the source's newest one.
 */
export const LAST_SEEN_GRANULARITY_MS = 3_600_000;

export interface PruneOptions {
  /** Items first and last seen before this are candidates. */
  readonly before: Date;
  /** Each output's selection: its entries (and every item of them) are kept whatever their age. */
  readonly keep: readonly EntryQuery[];
  /** Entries kept by id: what a filtered output shows, which no plain query describes. */
  readonly keepEntries?: readonly { readonly grouping: Grouping; readonly entryIds: readonly string[] }[];
}

export interface PruneReport {
  readonly items: number;
  /** Stories removed, near and exact groupings together. */
  readonly entries: number;
  readonly bands: number;
  readonly fetchLog: number;
  /** Pages handed back to the file system. */
  readonly freedPages: number;
}

/**
 * Days of history kept: `override` when set, else the longest of the dedupe window and every
 * output's maxAgeDays, plus RETENTION_POLICY.marginDays.
 *
 * @example
 * retentionDays({ dedupeWindowDays: 7, maxAgeDays: [30, undefined] }) // 37
 */
export function retentionDays(needs: {
  readonly dedupeWindowDays: number;
  readonly maxAgeDays: readonly (number | undefined)[];
  readonly override?: number;
}): number {
  if (needs.override !== undefined) return needs.override;
  const ages = needs.maxAgeDays.filter((d): d is number => d !== undefined);
  return Math.max(needs.dedupeWindowDays, ...ages) + RETENTION_POLICY.marginDays;
}

/** The `before` of PruneOptions for a window of `days` ending at `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Turns on incremental auto_vacuum for a new, empty database file. SQLite accepts the setting only
 * before the first table exists; older files are converted by pruneState when worth it.
 */
export function enableAutoVacuum(db: Database.Database): void {
  const tables = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sqlite_master').get()?.n ?? 0;
  if (tables === 0) db.pragma('auto_vacuum = INCREMENTAL');
}

/**
 * Deletes what is no longer needed (see the head of this file) in one transaction, trims the fetch
 * log, then returns freed pages to the file system. Cheap when nothing is old: one indexed probe.
 *
 * @example
 * pruneState(db, { before: retentionCutoff(now, 14), keep: outputs.map(queryOf) })
 */
export function pruneState(db: Database.Database, options: PruneOptions, fetchLogKeep: number): PruneReport {
  const before = options.before.getTime();
  const old = db
    .prepare<[number], { one: number }>('SELECT 1 AS one FROM items WHERE last_seen < ? LIMIT 1')
    .get(before);
  let report = { items: 0, entries: 0, bands: 0, fetchLog: 0 };
  db.transaction(() => {
    if (old) report = { ...report, ...deleteOld(db, before, options) };
    report.fetchLog = trimFetchLog(db, fetchLogKeep);
  })();
  const removed = report.items + report.entries + report.bands + report.fetchLog;
  return { ...report, freedPages: removed > 0 ? releasePages(db) : 0 };
}

function deleteOld(
  db: Database.Database,
  before: number,
  options: PruneOptions,
): { items: number; entries: number; bands: number } {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS prune_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS prune_groups (grouping TEXT NOT NULL, entry_id TEXT NOT NULL,
      PRIMARY KEY (grouping, entry_id)) WITHOUT ROWID;
    DELETE FROM prune_keys;
    DELETE FROM prune_groups;
  `);
  // last_seen >= first_seen always, so one indexed bound covers "first and last seen before".
  db.prepare('INSERT INTO prune_keys SELECT key FROM items WHERE last_seen < ?').run(before);
  // The source's latest feed: items updated by its newest content fetch (items_source_raw covers it).
  db.exec(`
    DELETE FROM prune_keys WHERE key IN (
      SELECT i.key FROM prune_keys p JOIN items i ON i.key = p.key
      WHERE i.last_seen >= (SELECT max(j.last_seen) FROM items j WHERE j.source_id = i.source_id) - ${LAST_SEEN_GRANULARITY_MS})
  `);
  for (const q of options.keep) keepSelection(db, q);
  for (const k of options.keepEntries ?? []) keepEntries(db, k.grouping, k.entryIds);
  // A story is kept whole: repeat until no candidate shares a story with a kept item. Each pass can
  // only shrink the set, so this ends; in practice after one or two passes.
  const spare = db.prepare(`
    DELETE FROM prune_keys WHERE key IN (
      SELECT p.key FROM prune_keys p JOIN items i ON i.key = p.key
      WHERE EXISTS (SELECT 1 FROM items j WHERE j.entry_id = i.entry_id
                    AND j.key NOT IN (SELECT key FROM prune_keys))
         OR EXISTS (SELECT 1 FROM items j WHERE j.exact_entry_id = i.exact_entry_id
                    AND j.key NOT IN (SELECT key FROM prune_keys)))`);
  while (spare.run().changes > 0);

  db.exec(`
    INSERT OR IGNORE INTO prune_groups SELECT 'near', i.entry_id FROM items i JOIN prune_keys p ON p.key = i.key;
    INSERT OR IGNORE INTO prune_groups SELECT 'exact', coalesce(i.exact_entry_id, i.entry_id)
      FROM items i JOIN prune_keys p ON p.key = i.key;
  `);
  // A chunk holds one run's bands; it goes once every item in it was first seen before the cutoff
  // (which lies before the dedupe window's start unless retentionDays is set lower). Pruned items
  // still in a younger chunk find nothing when looked up.
  const bands = db.prepare('DELETE FROM near_chunks WHERE newest < ?').run(before).changes;
  // Extracted pages of items this old are not asked for again (full text is looked up for new items).
  db.prepare('DELETE FROM full_text WHERE fetched_at < ?').run(before);
  const items = db.prepare('DELETE FROM items WHERE key IN (SELECT key FROM prune_keys)').run();
  // Only stories left without items: the closure above makes that every story of a pruned item.
  const near = db
    .prepare(`DELETE FROM entries WHERE entry_id IN (SELECT entry_id FROM prune_groups WHERE grouping = 'near')
              AND NOT EXISTS (SELECT 1 FROM items WHERE items.entry_id = entries.entry_id)`)
    .run();
  const exact = db
    .prepare(`DELETE FROM exact_entries
              WHERE entry_id IN (SELECT entry_id FROM prune_groups WHERE grouping = 'exact')
              AND NOT EXISTS (SELECT 1 FROM items WHERE items.exact_entry_id = exact_entries.entry_id)`)
    .run();
  db.exec('DELETE FROM prune_keys; DELETE FROM prune_groups;');
  return { items: items.changes, entries: near.changes + exact.changes, bands };
}

/** Removes from the candidates every item of the entries one output shows now. */
function keepSelection(db: Database.Database, q: EntryQuery): void {
  if (!q.sourceIds.length || q.limit <= 0) return;
  const [table, column] =
    (q.grouping ?? 'near') === 'near' ? ['entries', 'entry_id'] : ['exact_entries', 'exact_entry_id'];
  // The same selection as SqliteStore.entries: newest `limit` by published, from these sources.
  db.prepare(
    `DELETE FROM prune_keys WHERE key IN (
       SELECT i.key FROM items i WHERE i.${column} IN (
         SELECT entry_id FROM ${table}
         WHERE source_id IN (SELECT value FROM json_each(?)) AND published >= ?
         ORDER BY published DESC, entry_id LIMIT ?))`,
  ).run(JSON.stringify(q.sourceIds), q.since?.getTime() ?? Number.MIN_SAFE_INTEGER, q.limit);
}

function keepEntries(db: Database.Database, grouping: Grouping, entryIds: readonly string[]): void {
  if (!entryIds.length) return;
  const column = grouping === 'near' ? 'entry_id' : 'exact_entry_id';
  db.prepare(
    `DELETE FROM prune_keys WHERE key IN (
       SELECT key FROM items WHERE ${column} IN (SELECT value FROM json_each(?)))`,
  ).run(JSON.stringify(entryIds));
}

/** Keeps the newest `keep` fetches per source; the store also calls it every so many fetches it logs. */
export function trimFetchLog(db: Database.Database, keep: number): number {
  return db
    .prepare(
      `DELETE FROM fetch_log WHERE rowid IN (
         SELECT rowid FROM (SELECT rowid, row_number() OVER (
           PARTITION BY source_id ORDER BY at DESC, rowid DESC) AS n FROM fetch_log) WHERE n > ?)`,
    )
    .run(keep).changes;
}

/**
 * Gives free pages back where incremental vacuum is on. A file from before it (auto_vacuum off) is
 * never rebuilt by a full VACUUM: that may renumber the rowids near_chunks refer to. Its free pages
 * are reused by later writes, so it stops growing all the same.
 */
function releasePages(db: Database.Database): number {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  if (free === 0) return 0;
  const mode = db.pragma('auto_vacuum', { simple: true }) as number;
  if (mode !== 2) return 0;
  db.pragma('incremental_vacuum');
  return free - (db.pragma('freelist_count', { simple: true }) as number);
}
