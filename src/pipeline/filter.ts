// An output's include/exclude patterns and minimum length, applied to the entries the store chose.
// The store selects by source, age and count in SQL; regular expressions and word counts cannot run
// there, so the query is repeated with a larger window until `limit` entries pass or the store has
// no more: a strict filter still fills its feed instead of thinning it.
import type { Entry, EntryFilter, OutputConfig } from '../types.js';

/** How far the over-fetch loop may go. */
export const FILTER_POLICY = {
  /** First window: this many times the limit (filters usually drop a few in ten). */
  firstFactor: 2,
  /** Each further window is this many times the previous one. */
  growth: 4,
  /** Never ask the store for more than this many entries for one output. */
  maxScan: 20_000,
} as const;

const FIELDS = ['title', 'content', 'author', 'category'] as const;
type Field = (typeof FIELDS)[number];

/** True when an entry belongs in the output. */
export type EntryPredicate = (entry: Entry) => boolean;

/**
 * The predicate of an output's `include`, `exclude` and `minWords`, or undefined when it has none
 * (then the store's own selection is final). `include` keeps an entry when every field it names
 * matches; `exclude` drops it when any field it names matches. Patterns are case-insensitive;
 * config has already checked that they compile.
 *
 * @example
 * const keep = entryPredicate({ ...output, exclude: { title: 'sponsored|advert' } });
 * entries.filter(keep!);
 */
export function entryPredicate(
  output: Pick<OutputConfig, 'include' | 'exclude' | 'minWords'>,
): EntryPredicate | undefined {
  const include = compile(output.include);
  const exclude = compile(output.exclude);
  const minWords = output.minWords ?? 0;
  if (include.length === 0 && exclude.length === 0 && minWords <= 0) return undefined;
  return (entry) => {
    const fields = new Fields(entry);
    if (!include.every(([field, re]) => fields.matches(field, re))) return false;
    if (exclude.some(([field, re]) => fields.matches(field, re))) return false;
    return minWords <= 0 || countWords(fields.body()) >= minWords;
  };
}

/**
 * Runs `query` with growing limits until `limit` entries pass `keep` or the store runs out (it gave
 * fewer than asked). Order is the store's; the result is the first `limit` that pass.
 *
 * @example
 * const entries = selectFiltered((n) => store.entries({ ...q, limit: n }, titleOf), 50, keep);
 */
export function selectFiltered(
  query: (limit: number) => readonly Entry[],
  limit: number,
  keep: EntryPredicate | undefined,
): Entry[] {
  if (!keep) return [...query(limit)];
  let window = Math.min(FILTER_POLICY.maxScan, Math.max(limit, limit * FILTER_POLICY.firstFactor));
  for (;;) {
    const got = query(window);
    const passed = got.filter(keep);
    const exhausted = got.length < window || window >= FILTER_POLICY.maxScan;
    if (passed.length >= limit || exhausted) return passed.slice(0, limit);
    window = Math.min(FILTER_POLICY.maxScan, window * FILTER_POLICY.growth);
  }
}

/** Words in a plain text: Intl word segments, so CJK text without spaces counts too. */
export function countWords(text: string): number {
  let n = 0;
  for (const s of WORDS.segment(text)) if (s.isWordLike) n++;
  return n;
}

// Locale-free on purpose: the count must not depend on the machine that runs feedloom.
const WORDS = new Intl.Segmenter('und', { granularity: 'word' });

function compile(filter: EntryFilter | undefined): [Field, RegExp][] {
  if (!filter) return [];
  const out: [Field, RegExp][] = [];
  for (const field of FIELDS) {
    const source = filter[field];
    if (source !== undefined && source !== '') out.push([field, new RegExp(source, 'i')]);
  }
  return out;
}

/** The text of each field, computed once per entry and only when a pattern asks for it. */
class Fields {
  readonly #entry: Entry;
  #body: string | undefined;
  constructor(entry: Entry) {
    this.#entry = entry;
  }

  /** The content as text; the summary when the source gave no content (its words are what we have). */
  body(): string {
    this.#body ??= htmlToText(this.#entry.item.contentHtml) || this.#entry.item.summary;
    return this.#body;
  }

  matches(field: Field, re: RegExp): boolean {
    const item = this.#entry.item;
    if (field === 'title') return re.test(item.title);
    if (field === 'author') return item.authors.some((a) => re.test(a));
    if (field === 'category') return item.tags.some((t) => re.test(t));
    // Summaries may be written apart from the content (RSS description beside content:encoded).
    return re.test(this.body()) || re.test(item.summary);
  }
}

/**
 * Sanitized HTML to text, good enough for matching and counting: tags become spaces (so words on
 * either side of `<br>` stay apart) and the few entities the sanitizer writes are decoded.
 */
function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => decodeEntity(e) ?? whole)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The named references the sanitizer writes; numeric ones of any kind. Others stay as written. */
const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntity(e: string): string | undefined {
  if (e[0] !== '#') return ENTITIES[e.toLowerCase()];
  const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
