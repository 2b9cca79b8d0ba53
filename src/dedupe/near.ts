// Deciding whether two signatures are one story, and finding the entry a new item belongs to.
// The decision rests on the body text. Jaccard catches copies: republished, retitled, copy-edited.
// Containment catches an excerpt or a trimmed copy inside a longer article. The title adds a small
// bonus and never decides alone: "Live updates" or one headline over two different texts is not
// evidence of one story.
import { type NearSignature, type ScoredSignature, SKETCH_SIZE } from './fingerprint.js';

export interface NearOptions {
  /** Score from which two texts are one story, 0..1. */
  readonly threshold: number;
}

/** Whether two items come from one source: their shared text may then be the source's template. */
export type Provenance = 'same-source' | 'other-sources';

/** Scores `feedloom explain` prints for a pair. */
export interface NearScores {
  readonly match: boolean;
  /** What the decision compared with the threshold: max(jaccard, containment) plus the title bonus. */
  readonly score: number;
  /** Shared shingles over all shingles of both. */
  readonly jaccard: number;
  /** Shared shingles over those of the shorter text, a cautious (lower-bound) estimate when sampled. */
  readonly containment: number;
  /** Jaccard of the distinctive title words; 0 when either title is generic. */
  readonly title: number;
  readonly reason: string;
}

/**
 * Chosen on the labeled corpus (tests/fixtures/dedupe, 247 items): different stories score 0.22 at
 * most (three "Morning briefing" newsletters sharing their opening line), same-topic stories with
 * shared names 0.15 or less; copies of one story score 0.46 at the least, and that is two lossy
 * copies (a copy-edited one against an excerpt) which clustering links through better copies. The
 * threshold sits just under the true pairs, leaving the widest margin above the false ones, because
 * real same-topic stories reuse wire background paragraphs more than the corpus does.
 */
export const DEFAULT_NEAR_THRESHOLD = 0.45;

/** Policy for the decision; see nearMatch. */
export const NEAR_POLICY = {
  /** Below this many shingles (about 25 words) a text is short: containment proves little. */
  shortTextShingles: 24,
  /** A short text needs this Jaccard at least, whatever the threshold: near-identical or nothing. */
  shortTextJaccard: 0.8,
  /** Most the title can add to the score. */
  titleBonus: 0.1,
  /**
   * Title similarity from which a short text may match at all, and from which two items of one
   * source count as one story on the usual threshold. Below it, a short text is no evidence: "Comments"
   * (every Hacker News item), "No content." (release notes), "Bug fixes and performance improvements."
   * say nothing of which story it is.
   */
  titleAgreement: 0.5,
  /**
   * Jaccard two items of one source need when their titles do not agree. A source repeats its own
   * template in every item (a podcast's sponsor and subscribe footer, a newsletter's sign-off), so
   * shared text is weak evidence there: only a near-identical body (the story re-posted under a new
   * guid and headline) is one story. Across sources, templates differ and the usual threshold holds.
   */
  sameSourceJaccard: 0.9,
  /** z of the Wilson lower bound on sampled containment (one-sided 95 %). */
  containmentZ: 1.645,
} as const;

/** Lower bound of the Wilson interval: a containment seen on few sampled shingles counts for less. */
function wilsonLower(hits: number, n: number, z: number): number {
  if (n === 0) return 0;
  const p = hits / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}

/**
 * Compares two bottom-k sketches on the hash range both cover completely (up to the smaller of their
 * largest values, or everything when a sketch holds the whole set): exact when both texts fit in
 * the sketch, an unbiased sample of the shingle space otherwise.
 */
function compareSketches(a: ScoredSignature, b: ScoredSignature): void {
  const sa = a.sketch;
  const sb = b.sketch;
  const limitA = a.shingleCount > SKETCH_SIZE ? (sa[sa.length - 1] ?? 0) : 0xffffffff;
  const limitB = b.shingleCount > SKETCH_SIZE ? (sb[sb.length - 1] ?? 0) : 0xffffffff;
  const limit = Math.min(limitA, limitB);
  let i = 0;
  let j = 0;
  let inA = 0;
  let inB = 0;
  let shared = 0;
  while (i < sa.length || j < sb.length) {
    const x = i < sa.length ? (sa[i] ?? 0) : 0x100000000;
    const y = j < sb.length ? (sb[j] ?? 0) : 0x100000000;
    const v = Math.min(x, y);
    if (v > limit) break;
    if (x === y) {
      shared++;
      inA++;
      inB++;
      i++;
      j++;
    } else if (x < y) {
      inA++;
      i++;
    } else {
      inB++;
      j++;
    }
  }
  const union = inA + inB - shared;
  const jaccard = union === 0 ? 0 : shared / union;
  // Containment of the shorter text in the longer, over the sample of the shorter one.
  const shorter = a.shingleCount <= b.shingleCount ? a : b;
  const sample = shorter === a ? inA : inB;
  const exact = sample >= shorter.shingleCount;
  const containment = exact
    ? sample === 0
      ? 0
      : shared / sample
    : wilsonLower(shared, sample, NEAR_POLICY.containmentZ);
  compared.jaccard = jaccard;
  compared.containment = containment;
}
/** compareSketches' answer: scoring a candidate allocates nothing (findNearEntry scores hundreds per item). */
const compared = { jaccard: 0, containment: 0 };

function titleSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  let i = 0;
  let j = 0;
  // Both sorted (titleTokensOf): a merge, no Set.
  while (i < a.length && j < b.length) {
    const x = a[i] ?? '';
    const y = b[j] ?? '';
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Whether two signatures are the same story, with the scores behind the answer.
 *
 * @example
 * nearMatch(signatureOf(wire), signatureOf(partnerCopy), { threshold: DEFAULT_NEAR_THRESHOLD })
 * // { match: true, score: 0.93, jaccard: 0.86, containment: 0.93, title: 0.4, reason: '...' }
 */
export function nearMatch(
  a: ScoredSignature,
  b: ScoredSignature,
  options: NearOptions = { threshold: DEFAULT_NEAR_THRESHOLD },
  provenance: Provenance = 'other-sources',
): NearScores {
  const threshold = options.threshold;
  const score = scorePair(a, b, threshold, provenance);
  const { title, jaccard, containment, fewest } = scored;
  const match = score >= 0;
  if (fewest === 0) {
    return { match: false, score: 0, jaccard: 0, containment: 0, title, reason: 'no text to compare' };
  }
  return {
    match,
    score: scored.score,
    jaccard,
    containment,
    title,
    reason: reasonFor(match, threshold, provenance),
  };
}

/** Why scorePair decided as it did, from the figures it left in `scored`. */
function reasonFor(match: boolean, threshold: number, provenance: Provenance): string {
  const { title, jaccard, containment, fewest } = scored;
  const agree = NEAR_POLICY.titleAgreement;
  if (fewest < NEAR_POLICY.shortTextShingles) {
    const why = match
      ? 'near-identical, titles agree'
      : title < agree
        ? `titles differ (${title} < ${agree})`
        : `needs jaccard ${Math.max(threshold, NEAR_POLICY.shortTextJaccard)}`;
    return `short text (${fewest} shingles): ${why}`;
  }
  if (provenance === 'same-source' && title < agree) {
    return `same source, titles differ: jaccard ${jaccard} ${match ? '>=' : '<'} ${NEAR_POLICY.sameSourceJaccard}`;
  }
  const by = containment > jaccard ? `containment ${containment}` : `jaccard ${jaccard}`;
  const withTitle = NEAR_POLICY.titleBonus * title > 0 ? ` + title ${title}` : '';
  return `${by}${withTitle} ${match ? '>=' : '<'} ${threshold}`;
}

/** scorePair's figures, for nearMatch to explain: no object per scored candidate. */
const scored = { score: 0, jaccard: 0, containment: 0, title: 0, fewest: 0 };

/** The pair's score when it matches, else -1; the figures behind it are left in `scored`. */
function scorePair(
  a: ScoredSignature,
  b: ScoredSignature,
  threshold: number,
  provenance: Provenance,
): number {
  const title = round(titleSimilarity(a.titleTokens, b.titleTokens));
  const fewest = Math.min(a.shingleCount, b.shingleCount);
  scored.title = title;
  scored.fewest = fewest;
  if (fewest === 0) {
    scored.score = scored.jaccard = scored.containment = 0;
    return -1;
  }
  compareSketches(a, b);
  const jaccard = round(compared.jaccard);
  const containment = round(compared.containment);
  const bonus = NEAR_POLICY.titleBonus * title;
  scored.jaccard = jaccard;
  scored.containment = containment;

  if (fewest < NEAR_POLICY.shortTextShingles) {
    // A teaser of a dozen words fits inside many articles; only a near-identical text counts.
    const need = Math.max(threshold, NEAR_POLICY.shortTextJaccard);
    const score = round(Math.min(1, jaccard + bonus));
    scored.score = score;
    const agreed = title >= NEAR_POLICY.titleAgreement;
    return agreed && score >= need && jaccard >= NEAR_POLICY.shortTextJaccard ? score : -1;
  }

  const score = round(Math.min(1, Math.max(jaccard, containment) + bonus));
  scored.score = score;
  if (provenance === 'same-source' && title < NEAR_POLICY.titleAgreement) {
    return jaccard >= NEAR_POLICY.sameSourceJaccard ? score : -1;
  }
  return score >= threshold ? score : -1;
}

// ---- index -------------------------------------------------------------------------------------

export interface NearCandidate {
  readonly entryId: string;
  readonly signature: ScoredSignature;
  /** The source of the item; unknown means another source (the cautious rules are for one source). */
  readonly sourceId?: string;
}

/**
 * Where signatures of earlier items are found by their LSH bands. The store implements it over a
 * table of (band, entry) rows; MemoryNearIndex is the reference and the one tests use.
 */
export interface NearIndex {
  /** Items sharing at least one band, each once, newest first within a band. */
  candidates(bands: readonly number[]): Iterable<NearCandidate>;
  add(entryId: string, signature: NearSignature, sourceId?: string): void;
}

/** Items kept per band; older ones fall out, so a very common band never makes a lookup slow. */
export const MAX_PER_BAND = 50;
/** Candidates scored per lookup at most: bounds the cost of one item whatever the history holds. */
export const MAX_CANDIDATES = 200;

/** Slots of a band table filled at most to this share before it doubles (linear probing stays short). */
const MAX_LOAD = 0.75;
const NONE = -1;
/** A free slot of a BandTable (whose slots hold node + 1). */
const FREE = 0;

/**
 * One band number's keys: an open-addressed table of (low 32 bits of the key, first node) pairs side
 * by side in one Int32Array, so that a probe touches one cache line. A slot holds its first node
 * plus one, so that 0 marks a free slot and a new table needs no fill (tables of 100k keys are 1 MiB).
 */
class BandTable {
  slots: Int32Array;
  size = 0;

  /** Room for `keys` keys before the first doubling. */
  constructor(keys: number) {
    // Small to start: a run builds one index per source for its few dozen items, 24 tables each.
    let slots = 64;
    while (slots * MAX_LOAD < keys) slots *= 2;
    this.slots = new Int32Array(2 * slots);
  }

  /** The slot index (even) holding `lo`, or the free one where it goes. */
  find(lo: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    for (let at = (spread(lo) << 1) & mask; ; at = (at + 2) & mask) {
      if (slots[at + 1] === FREE || slots[at] === lo) return at;
    }
  }

  grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = slots.length - 2;
    for (let i = 0; i < old.length; i += 2) {
      const head = old[i + 1] ?? FREE;
      if (head === FREE) continue;
      const lo = old[i] ?? 0;
      let at = (spread(lo) << 1) & mask;
      while (slots[at + 1] !== FREE) at = (at + 2) & mask;
      slots[at] = lo;
      slots[at + 1] = head;
    }
    this.slots = slots;
  }
}

/** Band hashes come out of fmix32 already; this only guards against keys that are not hashes. */
function spread(lo: number): number {
  const x = Math.imul(lo ^ (lo >>> 16), 0x85ebca6b);
  return x ^ (x >>> 13);
}

/**
 * A NearIndex in memory: band -> newest MAX_PER_BAND items.
 *
 * Typed arrays, not a Map of arrays: at 100k items it holds over two million bands, nearly all held
 * by one item, and a Map entry plus a boxed 53-bit key per band missed the cache on every lookup and
 * kept the collector busy (a third of the bench's time). Keys are split by band number (the high
 * part, bandIndex), each into its own BandTable; each (band, item) pair is one node of a list, newest
 * first, stored as (item, next) pairs in chunked Int32Arrays; nodes cut off a full band are reused. Items
 * never leave `#items`: one falls out of the index only when all its bands are full of newer items,
 * rare enough not to be worth a reference count.
 */
export class MemoryNearIndex implements NearIndex {
  readonly #perBand: number;
  readonly #expected: number;
  readonly #tables: BandTable[] = [];
  #bands = 0;
  /**
   * Nodes: [item (index into #items), next older node of the band] per node, in chunks of
   * NODE_CHUNK nodes: past the first chunk, growing never copies (millions of nodes at 100k items).
   */
  readonly #chunks: Int32Array[] = [];
  #nodeCount = 0;
  #freeNode = NONE;
  readonly #items: NearCandidate[] = [];
  /** Per item, the lookup that last reported it: each candidate once, without a Set per lookup. */
  #seen = new Int32Array(1024);
  #lookup = 0;

  /**
   * @param perBand items kept per band
   * @param expected items the caller expects to add: tables are sized for them up front, so that a
   *   large batch does not rehash each table a dozen times on the way
   */
  constructor(perBand = MAX_PER_BAND, expected = 0) {
    this.#perBand = Math.max(1, perBand);
    this.#expected = Math.max(0, expected);
  }

  candidates(bands: readonly number[]): NearCandidate[] {
    const out: NearCandidate[] = [];
    const stamp = ++this.#lookup;
    const seen = this.#seen;
    for (const band of bands) {
      const table = this.#tables[bandNumber(band)];
      if (!table) continue;
      const at = table.find(band | 0);
      for (let node = (table.slots[at + 1] ?? FREE) - 1; node !== NONE; node = this.#next(node)) {
        const item = this.#chunks[node >>> NODE_BITS]?.[(node & NODE_MASK) << 1] ?? 0;
        if (seen[item] === stamp) continue;
        seen[item] = stamp;
        out.push(this.#items[item] as NearCandidate);
      }
    }
    return out;
  }

  add(entryId: string, signature: NearSignature, sourceId?: string): void {
    const item = this.#items.length;
    const { shingleCount, sketch, titleTokens } = signature;
    const scoredPart = { shingleCount, sketch, titleTokens };
    this.#items.push(
      sourceId === undefined
        ? { entryId, signature: scoredPart }
        : { entryId, signature: scoredPart, sourceId },
    );
    if (item >= this.#seen.length) this.#seen = grown(this.#seen, this.#seen.length * 2);
    for (const band of signature.bands) {
      const number = bandNumber(band);
      let table = this.#tables[number];
      if (!table) {
        table = new BandTable(this.#expected);
        this.#tables[number] = table;
      }
      if (table.size + 1 > (table.slots.length / 2) * MAX_LOAD) table.grow();
      const lo = band | 0;
      const at = table.find(lo);
      const head = (table.slots[at + 1] ?? FREE) - 1;
      if (head === NONE) {
        table.slots[at] = lo;
        table.size++;
        this.#bands++;
      }
      const node = this.#newNode();
      const chunk = this.#chunks[node >>> NODE_BITS] as Int32Array;
      chunk[(node & NODE_MASK) << 1] = item;
      chunk[((node & NODE_MASK) << 1) + 1] = head;
      table.slots[at + 1] = node + 1;
      this.#trim(node);
    }
  }

  /** Bands held (for memory reports). */
  get size(): number {
    return this.#bands;
  }

  /** Cuts a band's list after its perBand newest nodes: the dedupe window favours recent copies, and the cap keeps lookups bounded. */
  #trim(first: number): void {
    let node = first;
    for (let kept = 1; kept < this.#perBand; kept++) {
      node = this.#next(node);
      if (node === NONE) return;
    }
    let cut = this.#next(node);
    this.#setNext(node, NONE);
    while (cut !== NONE) {
      const next = this.#next(cut);
      this.#setNext(cut, this.#freeNode);
      this.#freeNode = cut;
      cut = next;
    }
  }

  #next(node: number): number {
    return this.#chunks[node >>> NODE_BITS]?.[((node & NODE_MASK) << 1) + 1] ?? NONE;
  }

  #setNext(node: number, next: number): void {
    const chunk = this.#chunks[node >>> NODE_BITS];
    if (chunk) chunk[((node & NODE_MASK) << 1) + 1] = next;
  }

  #newNode(): number {
    if (this.#freeNode !== NONE) {
      const node = this.#freeNode;
      this.#freeNode = this.#next(node);
      return node;
    }
    const node = this.#nodeCount;
    const at = node >>> NODE_BITS;
    const chunk = this.#chunks[at];
    if (!chunk) {
      // The first chunk starts at what `expected` items need and doubles up to full size: a full one
      // (512 KB, zeroed) per source's index was most of what a run allocated for in-run dedupe.
      const nodes = at === 0 ? Math.min(NODE_CHUNK, Math.max(1024, this.#expected * 32)) : NODE_CHUNK;
      this.#chunks.push(new Int32Array(2 * nodes));
    } else if ((node & NODE_MASK) << 1 >= chunk.length) {
      const bigger = new Int32Array(Math.min(2 * NODE_CHUNK, chunk.length * 2));
      bigger.set(chunk);
      this.#chunks[at] = bigger;
    }
    this.#nodeCount++;
    return node;
  }
}

/** Nodes per chunk: 2**16, 512 KB. */
const NODE_BITS = 16;
const NODE_CHUNK = 1 << NODE_BITS;
const NODE_MASK = NODE_CHUNK - 1;

/**
 * The band number of a key (bandIndex * 2**32 + hash32): which BandTable holds it. The low 32 bits
 * (`key | 0`) are the key within that table.
 */
const bandNumber = (band: number): number => Math.floor(band / 2 ** 32);

function grown(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

function provenanceOf(sourceId: string | undefined, c: NearCandidate): Provenance {
  return sourceId !== undefined && c.sourceId === sourceId ? 'same-source' : 'other-sources';
}

export interface NearFound {
  readonly entryId: string;
  readonly scores: NearScores;
}

/**
 * The entry whose earlier item is most like this signature, if any scores above the threshold.
 * Only items sharing an LSH band are scored, at most MAX_CANDIDATES of them, so the cost of a lookup
 * does not grow with the history.
 *
 * @example
 * const found = findNearEntry(sig, index, { threshold: DEFAULT_NEAR_THRESHOLD });
 * const entryId = found?.entryId ?? newEntryId(item);
 * index.add(entryId, sig);
 */
export function findNearEntry(
  sig: NearSignature,
  index: NearIndex,
  options: NearOptions & { readonly maxCandidates?: number; readonly sourceId?: string } = {
    threshold: DEFAULT_NEAR_THRESHOLD,
  },
): NearFound | undefined {
  if (sig.bands.length === 0) return undefined;
  const cap = options.maxCandidates ?? MAX_CANDIDATES;
  let best: NearCandidate | undefined;
  let bestScore = -1;
  let count = 0;
  for (const c of index.candidates(sig.bands)) {
    if (count++ >= cap) break;
    // Scores only; the explained NearScores is built once, for the winner.
    const score = scorePair(sig, c.signature, options.threshold, provenanceOf(options.sourceId, c));
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  if (!best) return undefined;
  return {
    entryId: best.entryId,
    scores: nearMatch(sig, best.signature, options, provenanceOf(options.sourceId, best)),
  };
}
