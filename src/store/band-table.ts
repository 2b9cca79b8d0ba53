// The LSH bands of the dedupe window, in memory for the life of a store. Kept in SQLite, bands cost a
// B-tree row each (24 per item: most of a cold run's index writes) and a query of 24 range scans per
// new item. Now SQLite keeps the bands of each source's run in one row (near_chunks), read once when
// the first new item needs a look-up; this table answers the look-ups. Typed arrays, not a Map of
// arrays: a window of 100,000 items holds 2.4 million bands, which as JS objects would be most of the
// heap and of the GC's work.

const EMPTY = -1;
const TWO_32 = 2 ** 32;

/**
 * Band key (band number below 65,536, times 2^32, plus a 32-bit hash) -> items holding it, newest
 * first. Chained hashing over parallel typed arrays: `heads` maps a slot to its newest entry, `next`
 * links each entry to the one before it in that slot.
 *
 * @example
 * const table = new BandTable();
 * table.add(rowid, firstSeenMs, sig.bands);
 * table.candidates(otherSig.bands, windowStartMs, 50, 200); // rowids sharing bands, best first
 */
export class BandTable {
  #heads: Int32Array;
  #mask: number;
  #keyLo: Uint32Array;
  #keyHi: Uint16Array;
  #entryItem: Int32Array;
  #next: Int32Array;
  #entries = 0;
  #rowids: Float64Array;
  #firstSeen: Float64Array;
  #items = 0;

  /** `items` and `bandsPerItem`: the expected size, so that loading a window never regrows the arrays. */
  constructor(items = 64, bandsPerItem = 24) {
    // Exact sizes, not powers of two: at 100,000 items rounding up cost 30 MiB of the run's memory.
    const itemSlots = Math.max(64, items + 1);
    const entrySlots = Math.max(1024, itemSlots * bandsPerItem);
    const slots = headsFor(entrySlots);
    this.#heads = new Int32Array(slots).fill(EMPTY);
    this.#mask = slots - 1;
    this.#keyLo = new Uint32Array(entrySlots);
    this.#keyHi = new Uint16Array(entrySlots);
    this.#entryItem = new Int32Array(entrySlots);
    this.#next = new Int32Array(entrySlots);
    this.#rowids = new Float64Array(itemSlots);
    this.#firstSeen = new Float64Array(itemSlots);
  }

  get size(): number {
    return this.#entries;
  }

  /**
   * Adds an item's bands: `bands` from `start` to `end` (all of it by default). Items are added
   * oldest first, so that chains run newest first.
   */
  add(rowid: number, firstSeen: number, bands: ArrayLike<number>, start = 0, end = bands.length): void {
    if (this.#items === this.#rowids.length) {
      this.#rowids = grow(this.#rowids);
      this.#firstSeen = grow(this.#firstSeen);
    }
    const item = this.#items++;
    this.#rowids[item] = rowid;
    this.#firstSeen[item] = firstSeen;
    for (let b = start; b < end; b++) {
      const key = bands[b] ?? 0;
      if (this.#entries === this.#next.length) this.#growEntries();
      const e = this.#entries++;
      const lo = key % TWO_32;
      const hi = (key - lo) / TWO_32;
      this.#keyLo[e] = lo;
      this.#keyHi[e] = hi;
      this.#entryItem[e] = item;
      const slot = this.#slot(lo, hi);
      this.#next[e] = this.#heads[slot] ?? EMPTY;
      this.#heads[slot] = e;
    }
  }

  /**
   * Rowids of items first seen at or after `since` sharing a band with `bands`: at most `perBand`
   * newest per band (a band every item of a site shares must not make a look-up slow), ordered by
   * bands shared then newest, at most `max`. Items sharing many bands are the likely copies.
   */
  candidates(bands: ArrayLike<number>, since: number, perBand: number, max: number): number[] {
    const hits = new Map<number, number>();
    for (let b = 0; b < bands.length; b++) {
      const key = bands[b] ?? 0;
      const lo = key % TWO_32;
      const hi = (key - lo) / TWO_32;
      let taken = 0;
      for (
        let e = this.#heads[this.#slot(lo, hi)] ?? EMPTY;
        e !== EMPTY && taken < perBand;
        e = this.#next[e] ?? EMPTY
      ) {
        if (this.#keyLo[e] !== lo || this.#keyHi[e] !== hi) continue;
        const item = this.#entryItem[e] ?? 0;
        // Newest first: past the window's start, every later entry of this band is older still.
        if ((this.#firstSeen[item] ?? 0) < since) break;
        taken++;
        hits.set(item, (hits.get(item) ?? 0) + 1);
      }
    }
    return [...hits]
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, max)
      .map(([item]) => this.#rowids[item] ?? 0);
  }

  #slot(lo: number, hi: number): number {
    return ((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) & this.#mask;
  }

  #growEntries(): void {
    this.#keyLo = grow(this.#keyLo);
    this.#keyHi = grow(this.#keyHi);
    this.#entryItem = grow(this.#entryItem);
    this.#next = grow(this.#next);
    const slots = headsFor(this.#next.length);
    if (slots === this.#heads.length) return;
    // Re-linking in entry order keeps every chain newest first.
    this.#heads = new Int32Array(slots).fill(EMPTY);
    this.#mask = slots - 1;
    for (let e = 0; e < this.#entries; e++) {
      const slot = this.#slot(this.#keyLo[e] ?? 0, this.#keyHi[e] ?? 0);
      this.#next[e] = this.#heads[slot] ?? EMPTY;
      this.#heads[slot] = e;
    }
  }
}

/** Slots for `entries`: a power of two, about two entries per chain. */
function headsFor(entries: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(512, entries / 2)));
}

function grow<T extends Float64Array | Int32Array | Uint32Array | Uint16Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(Math.ceil(a.length * 1.5));
  bigger.set(a);
  return bigger;
}

/** One item's bands as near_chunks holds them. */
export interface IndexedBands {
  readonly rowid: number;
  readonly firstSeen: number;
  readonly bands: ArrayLike<number>;
}

/**
 * The bands of several items (a source's run) as one BLOB of 8-byte little-endian doubles: per item
 * its rowid, first-seen time, band count and bands (band keys are integers below 2^53). One row per
 * run rather than per item: loading a window of 25,000 items read 25,000 rows and made as many
 * buffers, most of a run's time when only a few feeds changed.
 */
export function encodeChunk(items: readonly IndexedBands[]): Buffer {
  let length = 0;
  for (const it of items) length += 3 + it.bands.length;
  const values = new Float64Array(length);
  let o = 0;
  for (const it of items) {
    values[o++] = it.rowid;
    values[o++] = it.firstSeen;
    values[o++] = it.bands.length;
    for (let b = 0; b < it.bands.length; b++) values[o++] = it.bands[b] ?? 0;
  }
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Calls `each` for every item of a chunk written by encodeChunk, with its bands as `values` from
 * `start` to `end` (no array per item: a window holds tens of thousands). A truncated tail is ignored.
 */
export function decodeChunk(
  blob: Uint8Array,
  each: (rowid: number, firstSeen: number, values: Float64Array, start: number, end: number) => void,
): void {
  // Every platform Node runs on here is little-endian, as encodeChunk writes. A BLOB read from SQLite
  // is a buffer of its own (aligned): viewed in place. Otherwise a copy, for alignment.
  let values: Float64Array;
  if (blob.byteOffset % 8 === 0)
    values = new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength >> 3);
  else {
    const aligned = new Uint8Array(blob.byteLength & ~7);
    aligned.set(blob.subarray(0, aligned.length));
    values = new Float64Array(aligned.buffer);
  }
  for (let o = 0; o + 3 <= values.length; ) {
    const rowid = values[o] ?? 0;
    const firstSeen = values[o + 1] ?? 0;
    const count = values[o + 2] ?? 0;
    const end = o + 3 + count;
    if (end > values.length) return;
    each(rowid, firstSeen, values, o + 3, end);
    o = end;
  }
}
