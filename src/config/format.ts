// Turns zod issues into lines a person can act on: `sources[2].url: expected a URL ...`.
import type * as z from 'zod';

/** `['sources', 2, 'url']` -> `sources[2].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}

export function formatIssue(
  issue: z.core.$ZodIssue,
  known?: (path: readonly PropertyKey[]) => readonly string[],
): string {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((k) => {
          const at = formatPath([...issue.path, k]);
          const hint = closest(k, known?.(issue.path) ?? []);
          return `${at}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`;
        })
        .join('\n');
    case 'invalid_type':
      // The slip of someone who wrote the sources alone: say where the list goes.
      if (issue.path.length === 0 && Array.isArray(issue.input))
        return `${where}: expected an object, got a list: put the list in one, as { "sources": [ ... ] }`;
      if (issue.input === undefined)
        return `${where}: missing (${issue.message.replace(/^Invalid input: /, '')})`;
      return `${where}: ${issue.message.replace(/^Invalid input: /, '').replace(/, received .*$/, '')}, got ${describe(issue.input)}`;
    default:
      return `${where}: ${issue.message}`;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return `${typeof v} ${String(v)}`;
}

/**
 * The known key nearest to a typo, when it is near enough to be a likely slip, else the key the word
 * begins: "jitter" for jitterSeconds, "timeout" for timeoutMs (the unit left off).
 */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best || word.length < 4) return best;
  const lower = word.toLowerCase();
  const begun = candidates.filter((c) => c.toLowerCase().startsWith(lower));
  return begun.sort((x, y) => x.length - y.length)[0];
}

/**
 * Edits between two words, a swap of two neighbouring letters counting as one (optimal string
 * alignment): the slip people make most ("outptus"), which plain edit distance counts as two.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
