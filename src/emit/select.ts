// Which entries an output shows, in which order. Pure: same input, same list, so files stay unchanged.
import type { Entry, OutputConfig } from '../types.js';

const DAY_MS = 86_400_000;

/**
 * Entries for one output: filtered by source ids, source tags and age, newest first by
 * `item.published` (ties by entryId, so the order never flickers between runs), cut to `output.limit`.
 *
 * A story matches a source or tag filter when ANY outlet that carried it matches, not only the
 * representative: an "asia" output should show the story its Asia wire carried even when a better
 * copy from elsewhere represents it.
 *
 * @example
 * selectEntries(all, { ...output, tags: ['asia'], limit: 50 }, new Map([['wire', ['asia']]]), new Date())
 */
export function selectEntries(
  entries: readonly Entry[],
  output: OutputConfig,
  sourceTags: ReadonlyMap<string, readonly string[]>,
  now: Date,
): Entry[] {
  const sources = new Set(output.sources);
  const tags = new Set(output.tags);
  const oldest = output.maxAgeDays === undefined ? undefined : now.getTime() - output.maxAgeDays * DAY_MS;
  const carriers = (e: Entry): string[] => [e.item.sourceId, ...e.alsoFrom.map((a) => a.sourceId)];

  const kept = entries.filter((e) => {
    if (sources.size > 0 && !carriers(e).some((id) => sources.has(id))) return false;
    if (tags.size > 0 && !carriers(e).some((id) => (sourceTags.get(id) ?? []).some((t) => tags.has(t))))
      return false;
    if (oldest !== undefined && !(time(e) >= oldest)) return false;
    return true;
  });
  kept.sort((x, y) => time(y) - time(x) || compare(x.entryId, y.entryId));
  const limit = Number.isFinite(output.limit) ? Math.max(0, Math.floor(output.limit)) : kept.length;
  return kept.slice(0, limit);
}

/** Published time; an invalid date sorts last instead of poisoning the comparison with NaN. */
function time(e: Entry): number {
  const t = e.item.published.getTime();
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
