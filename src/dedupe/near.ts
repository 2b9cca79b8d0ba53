// Deciding whether two signatures are one story, and finding the entry a new item belongs to.
// The decision rests on the body text. Jaccard catches copies: republished, retitled, copy-edited.
// Containment catches an excerpt or a trimmed copy inside a longer article. The title adds a small
// bonus and never decides alone: "Live updates" or one headline over two different texts is not
// evidence of one story.
import { type NearSignature, SKETCH_SIZE } from './fingerprint.js';

export interface NearOptions {
  /** Score from which two texts are one story, 0..1. */
  readonly threshold: number;
}

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
function compareSketches(a: NearSignature, b: NearSignature): { jaccard: number; containment: number } {
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
  return { jaccard, containment };
}

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
  a: NearSignature,
  b: NearSignature,
  options: NearOptions = { threshold: DEFAULT_NEAR_THRESHOLD },
): NearScores {
  const threshold = options.threshold;
  const title = round(titleSimilarity(a.titleTokens, b.titleTokens));
  const fewest = Math.min(a.shingleCount, b.shingleCount);
  if (fewest === 0) {
    return { match: false, score: 0, jaccard: 0, containment: 0, title, reason: 'no text to compare' };
  }
  const { jaccard: j, containment: c } = compareSketches(a, b);
  const jaccard = round(j);
  const containment = round(c);
  const bonus = NEAR_POLICY.titleBonus * title;

  if (fewest < NEAR_POLICY.shortTextShingles) {
    // A teaser of a dozen words fits inside many articles; only a near-identical text counts.
    const need = Math.max(threshold, NEAR_POLICY.shortTextJaccard);
    const score = round(Math.min(1, jaccard + bonus));
    const match = score >= need && jaccard >= NEAR_POLICY.shortTextJaccard;
    return {
      match,
      score,
      jaccard,
      containment,
      title,
      reason: `short text (${fewest} shingles): ${match ? 'near-identical' : `needs jaccard ${need}`}`,
    };
  }

  const body = Math.max(jaccard, containment);
  const score = round(Math.min(1, body + bonus));
  const match = score >= threshold;
  const by = containment > jaccard ? `containment ${containment}` : `jaccard ${jaccard}`;
  const withTitle = bonus > 0 ? ` + title ${title}` : '';
  return {
    match,
    score,
    jaccard,
    containment,
    title,
    reason: `${by}${withTitle} ${match ? '>=' : '<'} ${threshold}`,
  };
}

// ---- index -------------------------------------------------------------------------------------

export interface NearCandidate {
  readonly entryId: string;
  readonly signature: NearSignature;
}

/**
 * Where signatures of earlier items are found by their LSH bands. The store implements it over a
 * table of (band, entry) rows; MemoryNearIndex is the reference and the one tests use.
 */
export interface NearIndex {
  /** Items sharing at least one band, each once, newest first within a band. */
  candidates(bands: readonly string[]): Iterable<NearCandidate>;
  add(entryId: string, signature: NearSignature): void;
}

/** Items kept per band; older ones fall out, so a very common band never makes a lookup slow. */
export const MAX_PER_BAND = 50;
/** Candidates scored per lookup at most: bounds the cost of one item whatever the history holds. */
export const MAX_CANDIDATES = 200;

/** A NearIndex in memory: band -> newest MAX_PER_BAND items. */
export class MemoryNearIndex implements NearIndex {
  // Most bands are held by one item only: keep it bare, not in an array (millions of bands at 100k items).
  readonly #bands = new Map<string, NearCandidate | NearCandidate[]>();
  readonly #perBand: number;

  constructor(perBand = MAX_PER_BAND) {
    this.#perBand = perBand;
  }

  candidates(bands: readonly string[]): NearCandidate[] {
    const out: NearCandidate[] = [];
    // A copy shares many bands with its original: report it once. Linear checks while few, a Set after.
    let seen: Set<NearCandidate> | undefined;
    const push = (c: NearCandidate): void => {
      if (seen) {
        if (seen.has(c)) return;
        seen.add(c);
      } else if (out.includes(c)) return;
      out.push(c);
      if (!seen && out.length > 16) seen = new Set(out);
    };
    for (const band of bands) {
      const held = this.#bands.get(band);
      if (held === undefined) continue;
      if (!Array.isArray(held)) push(held);
      else for (let i = held.length - 1; i >= 0; i--) push(held[i] as NearCandidate);
    }
    return out;
  }

  add(entryId: string, signature: NearSignature): void {
    const candidate: NearCandidate = { entryId, signature };
    for (const band of signature.bands) {
      const held = this.#bands.get(band);
      if (held === undefined) this.#bands.set(band, candidate);
      else if (!Array.isArray(held)) this.#bands.set(band, this.#perBand > 1 ? [held, candidate] : candidate);
      else {
        held.push(candidate);
        // Oldest out: the dedupe window favours recent copies, and the cap keeps lookups bounded.
        if (held.length > this.#perBand) held.shift();
      }
    }
  }

  /** Bands held (for memory reports). */
  get size(): number {
    return this.#bands.size;
  }
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
  options: NearOptions & { readonly maxCandidates?: number } = { threshold: DEFAULT_NEAR_THRESHOLD },
): NearFound | undefined {
  if (sig.bands.length === 0) return undefined;
  const cap = options.maxCandidates ?? MAX_CANDIDATES;
  let best: NearFound | undefined;
  let scored = 0;
  for (const c of index.candidates(sig.bands)) {
    if (scored++ >= cap) break;
    const scores = nearMatch(sig, c.signature, options);
    if (scores.match && (!best || scores.score > best.scores.score)) best = { entryId: c.entryId, scores };
  }
  return best;
}
