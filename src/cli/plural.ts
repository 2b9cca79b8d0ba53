// Counts in messages: "1 source", "2 sources". English only, and only for nouns that add an s.

/**
 * `n` and the noun, plural unless `n` is 1.
 *
 * @example
 * counted(1, 'source') // '1 source'
 */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
