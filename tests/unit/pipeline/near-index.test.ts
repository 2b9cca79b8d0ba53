// Upgrading keeps near-duplicate matching: state written before the bands moved to one row per item
// (schema 10, text band keys) is migrated, and the first run rebuilds the bands of the dedupe window
// from the stored signatures, or from the stored item where the signature is of another version.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { encodeSignature, signatureOf } from '../../../src/dedupe/index.js';
import { ensureNearIndex } from '../../../src/pipeline/near-index.js';
import { openSqliteStore, STATE_FILE } from '../../../src/store/index.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { tempDir } from '../../helpers/tmp.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const SINCE = new Date(NOW - 7 * 86_400_000);

const story = {
  title: 'Ferry operator cancels the winter timetable',
  contentHtml:
    '<p>The island ferry operator cancelled its winter timetable on Thursday, leaving three villages ' +
    'without a daily crossing until March, after two of its four boats failed their safety inspection ' +
    'and the replacement vessel promised by the ministry was delayed at the shipyard.</p>',
  summary: '',
};
const other = {
  title: 'Library opens a night reading room',
  contentHtml:
    '<p>The city library will keep one reading room open until midnight from next month, a trial the ' +
    'council funded after students complained that every quiet place to work closed at six.</p>',
  summary: '',
};

/** A state file as feedloom wrote it before this change: schema 10, one text band row per band. */
function oldState(dir: string): void {
  const db = new Database(join(dir, STATE_FILE));
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const step of MIGRATIONS.slice(0, 10)) db.exec(step);
    db.pragma('user_version = 10');
  })();
  const insert = db.prepare(`INSERT INTO items (key, source_id, entry_id, raw_hash, link, title, content_html,
      summary, published, published_guessed, authors, tags, enclosures, content_hash, fingerprint, first_seen,
      last_seen, near_sig, exact_entry_id) VALUES (?, 'wire', ?, 'r', ?, ?, ?, ?, ?, 0, '[]', '[]', '[]', 'h', 'f',
      ?, ?, ?, ?)`);
  // One signature as versions before BLOBs stored it (base64 text), one of an unknown older version
  // (not decodable).
  insert.run(
    'k1',
    'e1',
    'https://wire.example/ferry',
    story.title,
    story.contentHtml,
    '',
    NOW,
    NOW,
    NOW,
    encodeSignature(signatureOf(story)).toString('base64'),
    'e1',
  );
  insert.run(
    'k2',
    'e2',
    'https://wire.example/library',
    other.title,
    other.contentHtml,
    '',
    NOW,
    NOW,
    NOW,
    'AAAA',
    'e2',
  );
  db.prepare("INSERT INTO near_bands (band, first_seen, item) VALUES ('0abcdef', ?, 1)").run(NOW);
  db.close();
}

describe('ensureNearIndex', () => {
  it('rebuilds the bands of upgraded state so its stories are still found', async () => {
    const dir = await tempDir();
    oldState(dir);
    const store = openSqliteStore(dir);
    // Migrated: the old band rows are gone, so nothing is found before the rebuild.
    expect(store.nearCandidates(signatureOf(story).bands, SINCE)).toEqual([]);

    expect(ensureNearIndex(store, SINCE)).toBe(2);
    expect(store.nearCandidates(signatureOf(story).bands, SINCE).map((c) => c.entryId)).toEqual(['e1']);
    // The undecodable signature was made again from the stored item.
    const found = store.nearCandidates(signatureOf(other).bands, SINCE);
    expect(found.map((c) => c.entryId)).toEqual(['e2']);
    expect(found[0]?.signature).toEqual(encodeSignature(signatureOf(other)));

    // Once only: the next run finds the index current.
    expect(ensureNearIndex(store, SINCE)).toBe(0);
    store.close();
  });

  it('indexes nothing, once, in a new state file', async () => {
    const store = openSqliteStore(await tempDir());
    expect(ensureNearIndex(store, SINCE)).toBe(0);
    expect(store.meta('near_index')).toBeDefined();
    store.close();
  });
});
