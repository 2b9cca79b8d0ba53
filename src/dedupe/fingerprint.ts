// Near-duplicate fingerprints: what a story's text looks like, in a few hundred bytes.
//
// Why these choices:
// - Word 4-shingles, not characters or single words. Copies of one story share long runs of words;
//   different stories on one subject share names ("Foreign Minister Elena Varga") but rarely four
//   words in a row beyond them. Four words tolerate copy-edits (one changed word costs four shingles)
//   while keeping shared names from making same-topic stories look alike. 3 gave same-topic pairs
//   more overlap on the corpus, 5 cost recall on copy-edited copies.
// - MinHash, not SimHash. SimHash estimates cosine similarity of weighted features and is strong for
//   nearly identical pages, but it cannot say "this excerpt is contained in that article"; MinHash
//   estimates set overlap, from which both Jaccard and containment follow, and bands into LSH keys
//   with a known collision curve. We compute it by one-permutation hashing (one hash per shingle,
//   binned, with deterministic densification for empty bins), so the cost is O(shingles), not
//   O(shingles x hashes): 64 hash functions per shingle would blow the time budget of issue 3.
// - Scoring does not use the MinHash: it uses a bottom-k sketch (the 256 smallest shingle hashes). For
//   texts up to 256 shingles (most feed items) the sketch is the exact shingle set, so Jaccard and
//   containment are exact; above, both are estimated on the shared hash range, which is an unbiased
//   sample. That is what lets an aggregator's three-paragraph excerpt match the full article.
// - Two groups of LSH bands: 16 bands x 4 rows over the 64 MinHash bins of the whole text (a pair
//   with Jaccard 0.6 collides with probability 0.89, 0.8: 0.9999, 0.2: 0.03), and 8 bands x 2 rows
//   over 16 bins of the text's first 40 shingles, the lead (lead Jaccard 0.5: 0.90, 0.2: 0.28).
//   Excerpts, teasers and trimmed copies have a low Jaccard with the full article but share its
//   lead, so the lead bands find them; 2 rows because copy-edits often touch the first sentence.
//   Band collisions only choose candidates: every candidate is then scored on the sketch.
// - Bounded cost: only the first MAX_WORDS words count (a longer article is identified by them).
// - Cheap per item (issue 3 wants 100k items in 2 s): words are hashed straight from the paragraph
//   strings, the half of each word's mixing that does not depend on its neighbours is done once per
//   word, shingle hashes are sorted by one counting pass plus an insertion sort (they are uniform),
//   and a signature's arrays are cut from shared slabs instead of getting a buffer each. None of this
//   changes a signature: the same text gives the same bits as before (SIGNATURE_VERSION stays).
import type { Item } from '../types.js';
import { bodyParagraphs, normalizeForFingerprint } from './text.js';

/** Words per shingle (see above). */
export const SHINGLE_WORDS = 4;
/** Words read per item: bounds the cost of one signature whatever the article's length. */
export const MAX_WORDS = 2000;
/** Bottom-k sketch size: texts with at most this many distinct shingles are kept exactly. */
export const SKETCH_SIZE = 256;
/** One-permutation MinHash over the whole text: bins, and how they are banded for LSH. */
export const BODY_BINS = 64;
export const BODY_ROWS = 4;
/** The same over the lead: the first LEAD_SHINGLES shingles. */
export const LEAD_SHINGLES = 40;
export const LEAD_BINS = 16;
export const LEAD_ROWS = 2;
/** Bump when any parameter above or the hashing changes: stored signatures then no longer compare. */
export const SIGNATURE_VERSION = 1;

/** Title words that say nothing about which story it is. */
export const TITLE_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the of in on at to for from by with and or but as is are was were be been it its this that ' +
    'these those after before over under into about amid than s says said new'
  ).split(' '),
);

/**
 * Words of titles that outlets reuse for every story of a kind ("Live updates", "Morning briefing",
 * "The latest: what we know"). A title made only of these, stopwords, numbers and dates is generic:
 * it carries no title signal at all, so two briefings never look alike by their titles.
 */
export const GENERIC_TITLE_WORDS: ReadonlySet<string> = new Set(
  (
    'live update updates latest news briefing briefings morning evening afternoon night daily weekly ' +
    'today tonight todays weekend week digest roundup round up newsletter headlines headline top ' +
    'stories story breaking podcast video watch what we know you need your here heres edition bulletin ' +
    'minute highlights recap blog opinion letters editor things first look day ahead markets wrap ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june ' +
    'july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'am pm edt est gmt utc cet bst part episode no'
  ).split(' '),
);

/** Everything near-duplicate detection keeps of an item; serializable with encodeSignature. */
export interface NearSignature {
  /** One-permutation MinHash: BODY_BINS bins of the whole text, then LEAD_BINS bins of its lead. */
  readonly minhash: Uint32Array;
  /** LSH keys derived from `minhash` (bandIndex * 2**32 + hash32): the index is looked up and filled with these. */
  readonly bands: readonly number[];
  /** Distinct shingles of the body (within MAX_WORDS). 0 when the item has no text. */
  readonly shingleCount: number;
  /** The SKETCH_SIZE smallest shingle hashes, ascending: the exact set when shingleCount <= SKETCH_SIZE. */
  readonly sketch: Uint32Array;
  /** Distinctive title words, sorted; empty when the title is generic. */
  readonly titleTokens: readonly string[];
}

/**
 * What scoring reads of a signature. An index keeps only this of each item: the MinHash and the LSH
 * keys are spent once the item is added, and holding them kept 100k signatures' worth of garbage
 * alive for the collector to copy and mark (see MemoryNearIndex in near.ts).
 */
export type ScoredSignature = Pick<NearSignature, 'shingleCount' | 'sketch' | 'titleTokens'>;

// ---- hashing -----------------------------------------------------------------------------------

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const EMPTY = 0xffffffff;

/** murmur3's finalizer: spreads every input bit over the output (bins take the top bits). */
function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** murmur3's block step, to fold one 32-bit value into a running hash. */
function mixIn(h: number, k: number): number {
  return mixPremixed(h, premix(k));
}

/** The half of mixIn that depends on the value only: done once per word, not once per shingle it is in. */
function premix(k: number): number {
  const x = Math.imul(k, 0xcc9e2d51);
  return Math.imul((x << 15) | (x >>> 17), 0x1b873593);
}

function mixPremixed(h: number, x: number): number {
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

// ---- words -------------------------------------------------------------------------------------

/** 1: part of a word, 2: separator, 0: not looked up yet. Filled lazily for characters beyond ASCII. */
const charClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const word = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  charClass[c] = word ? 1 : 2;
}
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Scratch buffers reused across calls: signatureOf allocates only its results. */
const words = new Uint32Array(MAX_WORDS);
const shingles = new Uint32Array(MAX_WORDS);

/**
 * Hashes the words of `raw` into `words` from index `n` on (FNV-1a over lower-cased characters),
 * without making a string per word. Returns the new count. Same folding as normalizeForFingerprint:
 * NFKC, lower case, anything but letters and digits separates words; the end of `raw` ends a word.
 */
function hashWords(raw: string, start: number): number {
  if (start >= MAX_WORDS) return start;
  const n = hashFolded(raw, start, false);
  // NFKC and Unicode lower-casing only when needed: most English prose is ASCII and lowercased inline.
  return n >= 0 ? n : hashFolded(raw.normalize('NFKC').toLowerCase(), start, true);
}

/** hashWords' loop; returns -1 on the first non-ASCII character unless the text is already folded. */
function hashFolded(text: string, start: number, folded: boolean): number {
  let n = start;
  let h = FNV_OFFSET;
  let inWord = false;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    let c = text.charCodeAt(i);
    let cls = charClass[c];
    if (c > 127) {
      if (!folded) return -1;
      if (cls === 0) {
        // Surrogate halves count as word characters: astral letters (CJK extension B) outnumber emoji in prose.
        cls = (c >= 0xd800 && c <= 0xdfff) || WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
        charClass[c] = cls;
      }
    }
    if (cls === 1) {
      if (c >= 65 && c <= 90) c |= 32;
      h = Math.imul(h ^ c, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      // "40,000" and "40000" (and "5.25"/"5,25") are one number: copy desks add and drop the separator.
      if ((c === 44 || c === 46) && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1)))
        continue;
      words[n++] = h >>> 0;
      h = FNV_OFFSET;
      inWord = false;
      if (n >= MAX_WORDS) return n;
    }
  }
  if (inWord) words[n++] = h >>> 0;
  return n;
}

/**
 * The distinct values of `a[0..n)`, ascending, the first SKETCH_SIZE of them cut from the slab, and
 * how many there are. The values are hashes, uniform over 32 bits: one counting pass on the top bits
 * (about one value per bucket) leaves them nearly sorted, and an insertion sort finishes in about
 * linear time. TypedArray#sort boxed every value above 2**31 on the way and was the signature's
 * largest cost; a 4-pass radix sort cost more than this for the ~150 shingles of a typical item.
 * (Only SKETCH_SIZE values are kept, but the distinct count needs every shingle deduplicated, so a
 * full sort it is.) The sketch is written to the slab directly: copying it there was 5 % of a signature.
 */
function bottomSketch(a: Uint32Array, n: number): { sketch: Uint32Array; distinct: number } {
  const out = sortScratch;
  if (n > 1) {
    const bits = Math.min(MAX_BUCKET_BITS, Math.max(4, 32 - Math.clz32(n - 1)));
    const shift = 32 - bits;
    const buckets = 1 << bits;
    const start = bucketStarts.fill(0, 0, buckets + 1);
    for (let i = 0; i < n; i++) {
      const d = ((a[i] ?? 0) >>> shift) + 1;
      start[d] = (start[d] ?? 0) + 1;
    }
    for (let d = 1; d <= buckets; d++) start[d] = (start[d] ?? 0) + (start[d - 1] ?? 0);
    for (let i = 0; i < n; i++) {
      const v = a[i] ?? 0;
      const d = v >>> shift;
      const at = start[d] ?? 0;
      out[at] = v;
      start[d] = at + 1;
    }
    for (let i = 1; i < n; i++) {
      const v = out[i] ?? 0;
      let j = i;
      for (; j > 0 && (out[j - 1] ?? 0) > v; j--) out[j] = out[j - 1] ?? 0;
      out[j] = v;
    }
  } else if (n === 1) out[0] = a[0] ?? 0;
  const room = Math.min(n, SKETCH_SIZE);
  const sketch = sketchSlabs.take(room);
  let distinct = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const v = out[i] ?? 0;
    if (distinct > 0 && v === last) continue;
    if (distinct < room) sketch[distinct] = v;
    distinct++;
    last = v;
  }
  if (distinct >= room) return { sketch, distinct };
  // Duplicates left room unused at the slab's end: give it back, and hand out a view of what is used.
  sketchSlabs.giveBack(room - distinct);
  return { sketch: sketch.subarray(0, distinct), distinct };
}
const MAX_BUCKET_BITS = 11;
const sortScratch = new Uint32Array(MAX_WORDS);
const bucketStarts = new Uint32Array((1 << MAX_BUCKET_BITS) + 1);

/**
 * Signature arrays are cut from shared slabs: a typed array of more than 64 bytes gets its own
 * off-heap buffer, and making one per signature was the largest single cost left in signatureOf
 * (and work for the collector). A slab lives while any signature cut from it does, so at most one
 * slab's worth is held beyond the signatures themselves per batch. Structured clone (postMessage)
 * copies a view's whole buffer: post a batch of signatures in one message, not one per message.
 * Slabs of 1 MiB, not 64 KiB: each new buffer costs a fixed ~0.2 ms of external-memory bookkeeping,
 * which at 64 KiB was a tenth of the time of signing 100k items.
 */
const SLAB_LENGTH = 262144;

/**
 * A bump allocator over slabs. MinHashes and sketches have slabs of their own: an index keeps only
 * the sketch (ScoredSignature), and a MinHash sharing its slab kept a third of a
 * signature alive for nothing; on this VM every page first touched costs ~10 us.
 */
class Slabs {
  #slab = new Uint32Array(SLAB_LENGTH);
  #used = 0;

  take(length: number): Uint32Array {
    if (this.#used + length > SLAB_LENGTH) {
      this.#slab = new Uint32Array(SLAB_LENGTH);
      this.#used = 0;
    }
    const out = this.#slab.subarray(this.#used, this.#used + length);
    this.#used += length;
    return out;
  }

  /** Hands back the end of the last `take`: `length` values nobody was given a view of. */
  giveBack(length: number): void {
    this.#used -= length;
  }
}
const minhashSlabs = new Slabs();
const sketchSlabs = new Slabs();

// ---- MinHash (one permutation, densified) ------------------------------------------------------

/**
 * Fills empty bins the way Shrivastava (2017, "optimal densification") does: probe other bins in
 * a sequence that depends only on the bin number, and copy the first filled one. Two texts probe
 * the same sequence, so a filled bin they share keeps the collision probability close to Jaccard.
 */
function densify(bins: Uint32Array, from: number, count: number): void {
  let filled = 0;
  for (let i = 0; i < count; i++) if (bins[from + i] !== EMPTY) filled++;
  if (filled === 0 || filled === count) return;
  // Copy from the bins as hashed, never from ones filled by this loop: keeps the probe order-independent.
  const original = densifyScratch;
  for (let i = 0; i < count; i++) original[i] = bins[from + i] ?? EMPTY;
  for (let i = 0; i < count; i++) {
    if (original[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(mixIn(i * 0x9e3779b1, attempt)) % count;
      const v = original[j];
      if (v !== undefined && v !== EMPTY) {
        bins[from + i] = v;
        break;
      }
    }
  }
}
const densifyScratch = new Uint32Array(Math.max(BODY_BINS, LEAD_BINS));

/** Band keys carry their band's number above the 32-bit hash: bandIndex * 2**32 + hash32. */
const BAND_STRIDE = 2 ** 32;

/**
 * One band's rows hashed to a number: the band's number times 2**32 plus the 32-bit hash of its rows.
 * A safe integer, so SQLite stores it as an INTEGER (8 bytes, no string to build or compare), and the
 * band number keeps equal row hashes of different bands apart.
 */
function bandKey(band: number, bins: Uint32Array, from: number, rows: number): number {
  let h = mixIn(0x5bd1e995, band);
  for (let r = 0; r < rows; r++) h = mixIn(h, bins[from + r] ?? 0);
  return band * BAND_STRIDE + fmix32(h);
}

const BODY_BANDS = BODY_BINS / BODY_ROWS;
const LEAD_BANDS = LEAD_BINS / LEAD_ROWS;

/** The LSH keys of a MinHash (body bands, then lead bands); empty when the text had no shingles. */
export function bandsOf(minhash: Uint32Array): number[] {
  const out: number[] = [];
  if (minhash[0] === EMPTY || minhash.length < BODY_BINS + LEAD_BINS) return out;
  for (let b = 0; b < BODY_BANDS; b++) out.push(bandKey(b, minhash, b * BODY_ROWS, BODY_ROWS));
  for (let b = 0; b < LEAD_BANDS; b++)
    out.push(bandKey(BODY_BANDS + b, minhash, BODY_BINS + b * LEAD_ROWS, LEAD_ROWS));
  return out;
}

// ---- title -------------------------------------------------------------------------------------

/** Distinctive title words, sorted and unique; [] for a generic title ("Live updates", "Morning briefing"). */
export function titleTokensOf(title: string): string[] {
  const titleWords = asciiTitleWords(title) ?? normalizeForFingerprint(title).split(' ');
  const tokens: string[] = [];
  let specific = 0;
  for (const t of titleWords) {
    if (!t || TITLE_STOPWORDS.has(t)) continue;
    tokens.push(t);
    if (!GENERIC_TITLE_WORDS.has(t) && !isNumber(t)) specific++;
  }
  // Two specific words at least: "Briefing: Storm" is still a briefing headline, not a story's.
  if (specific < 2) return [];
  tokens.sort();
  let kept = 0;
  for (const t of tokens) if (kept === 0 || t !== tokens[kept - 1]) tokens[kept++] = t;
  tokens.length = kept;
  return tokens;
}

/**
 * The words of an ASCII title as normalizeForFingerprint(title).split(' ') gives them, by one scan
 * instead of two regular expressions and a split (a title per item, 100k items in the bench);
 * undefined when the title is not ASCII (it then needs NFKC and Unicode classes).
 */
function asciiTitleWords(title: string): string[] | undefined {
  const lower = title.toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    if (title.charCodeAt(i) > 127) return undefined;
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(lower.slice(start));
  return out;
}

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isDigit(word.charCodeAt(i))) return false;
  return word.length > 0;
}

// ---- signature ---------------------------------------------------------------------------------

/** Signature of a plain text (already stripped of markup and boilerplate) and a title. */
export function signatureOfText(text: string, title = ''): NearSignature {
  return signatureOfWords(hashWords(text, 0), title);
}

/** The signature of the first `n` words in `words`. */
function signatureOfWords(n: number, title: string): NearSignature {
  const count = n === 0 ? 0 : Math.max(1, n - SHINGLE_WORDS + 1);

  const minhash = minhashSlabs.take(MINHASH_LENGTH).fill(EMPTY);
  for (let w = 0; w < n; w++) words[w] = premix(words[w] ?? 0);
  // Full shingles (SHINGLE_WORDS words) unrolled; only a text shorter than that has a shorter one.
  const full = n >= SHINGLE_WORDS ? count : 0;
  for (let i = 0; i < count; i++) {
    let h: number;
    if (i < full) {
      h = mixPremixed(0x2f1d3b5a, words[i] ?? 0);
      h = mixPremixed(h, words[i + 1] ?? 0);
      h = mixPremixed(h, words[i + 2] ?? 0);
      h = fmix32(mixPremixed(h, words[i + 3] ?? 0) ^ SHINGLE_WORDS);
    } else {
      h = 0x2f1d3b5a;
      for (let w = i; w < n; w++) h = mixPremixed(h, words[w] ?? 0);
      h = fmix32(h ^ (n - i));
    }
    // Top 6 bits pick the body bin; the value compared within a bin is the whole hash.
    const bin = h >>> 26;
    if (h < (minhash[bin] ?? EMPTY)) minhash[bin] = h;
    if (i < LEAD_SHINGLES) {
      const lead = BODY_BINS + ((Math.imul(h & 0xffff, LEAD_BINS) >>> 16) % LEAD_BINS);
      if (h < (minhash[lead] ?? EMPTY)) minhash[lead] = h;
    }
    // The sketch orders by a second, independent-looking permutation of the same hash.
    shingles[i] = fmix32(h ^ 0x9e3779b9);
  }
  densify(minhash, 0, BODY_BINS);
  densify(minhash, BODY_BINS, LEAD_BINS);

  const { sketch, distinct } = bottomSketch(shingles, count);
  return {
    minhash,
    bands: bandsOf(minhash),
    shingleCount: distinct,
    sketch,
    titleTokens: titleTokensOf(title),
  };
}
const MINHASH_LENGTH = BODY_BINS + LEAD_BINS;

/**
 * The near-duplicate signature of an item: body text (content or summary, boilerplate removed)
 * shingled and hashed, plus its title's distinctive words. Deterministic: the same item gives the
 * same signature in every process.
 *
 * @example
 * const sig = signatureOf(item);
 * index.candidates(sig.bands); // entries that share a band with it
 */
export function signatureOf(item: Pick<Item, 'contentHtml' | 'summary' | 'title'>): NearSignature {
  // Paragraphs hashed in turn, as bodyText would join them: a paragraph's end ends its last word.
  let n = 0;
  for (const p of bodyParagraphs(item)) n = hashWords(p, n);
  return signatureOfWords(n, item.title);
}

// ---- storage -----------------------------------------------------------------------------------

/**
 * A signature as stored (a BLOB): version, counts, MinHash, sketch, then the title words. Bands are
 * not stored: they follow from the MinHash. Binary, not base64 text as before: a third smaller, and
 * an item row of about 4 KB then shares its 8 KB page more often.
 *
 * @example
 * decodeSignature(encodeSignature(sig)) // equal to sig
 */
export function encodeSignature(sig: NearSignature): Buffer {
  const title = Buffer.from(sig.titleTokens.join(' '), 'utf8');
  const size = HEADER_BYTES + 4 * (sig.minhash.length + sig.sketch.length) + title.length;
  const buf = Buffer.allocUnsafe(size);
  let o = buf.writeUInt8(SIGNATURE_VERSION, 0);
  o = buf.writeUInt32LE(sig.shingleCount, o);
  o = buf.writeUInt8(sig.minhash.length, o);
  o = buf.writeUInt16LE(sig.sketch.length, o);
  o = writeWords(buf, o, sig.minhash);
  o = writeWords(buf, o, sig.sketch);
  title.copy(buf, o);
  return buf;
}

/** Bytes before the MinHash: version, shingle count, MinHash length, sketch length. */
const HEADER_BYTES = 8;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Writes `words` little-endian at `offset`; returns the offset after them. Copied as one block when
 * the machine is little-endian and the offset is aligned (Buffer's pool aligns to 8, and the header
 * is 8 bytes): a writeUInt32LE call per value was most of the cost of encoding a signature.
 */
function writeWords(buf: Buffer, offset: number, words: Uint32Array): number {
  const at = buf.byteOffset + offset;
  if (LITTLE_ENDIAN && at % 4 === 0) new Uint32Array(buf.buffer, at, words.length).set(words);
  else for (let i = 0; i < words.length; i++) buf.writeUInt32LE(words[i] ?? 0, offset + 4 * i);
  return offset + 4 * words.length;
}

/** `count` little-endian words from `offset`, copied out as one block (a copy starts aligned). */
function readWords(buf: Buffer, offset: number, count: number): Uint32Array {
  const at = buf.byteOffset + offset;
  if (LITTLE_ENDIAN) return new Uint32Array(buf.buffer.slice(at, at + 4 * count));
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = buf.readUInt32LE(offset + 4 * i);
  return out;
}

/** A stored signature: bytes, or base64 text as versions before the BLOB wrote it. */
export type EncodedSignature = Uint8Array | string;

/**
 * The signature back from encodeSignature, or undefined when it is not one or was written with
 * other parameters (SIGNATURE_VERSION): the caller then recomputes it from the item.
 */
export function decodeSignature(stored: EncodedSignature): NearSignature | undefined {
  const parts = readSignature(stored);
  if (!parts) return undefined;
  const minhash = readWords(parts.buf, HEADER_BYTES, parts.bins);
  return { minhash, bands: bandsOf(minhash), ...scoredParts(parts) };
}

/**
 * What scoring reads of a stored signature (ScoredSignature): a candidate found by its
 * bands is only scored, so its MinHash is neither copied nor banded again.
 */
export function decodeScoredSignature(stored: EncodedSignature): ScoredSignature | undefined {
  const parts = readSignature(stored);
  return parts && scoredParts(parts);
}

interface SignatureParts {
  readonly buf: Buffer;
  readonly shingleCount: number;
  readonly bins: number;
  readonly sketchLength: number;
}

/** The header of a stored signature, checked; undefined for another version or garbage. */
function readSignature(stored: EncodedSignature): SignatureParts | undefined {
  const buf =
    typeof stored === 'string'
      ? Buffer.from(stored, 'base64')
      : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (buf.length < HEADER_BYTES || buf.readUInt8(0) !== SIGNATURE_VERSION) return undefined;
  const shingleCount = buf.readUInt32LE(1);
  const bins = buf.readUInt8(5);
  const sketchLength = buf.readUInt16LE(6);
  const end = HEADER_BYTES + 4 * (bins + sketchLength);
  if (bins !== BODY_BINS + LEAD_BINS || sketchLength > SKETCH_SIZE || buf.length < end) return undefined;
  return { buf, shingleCount, bins, sketchLength };
}

function scoredParts({ buf, shingleCount, bins, sketchLength }: SignatureParts): ScoredSignature {
  const sketch = readWords(buf, HEADER_BYTES + 4 * bins, sketchLength);
  const title = buf.toString('utf8', HEADER_BYTES + 4 * (bins + sketchLength));
  return { shingleCount, sketch, titleTokens: title ? title.split(' ') : [] };
}
