// MemoryNearIndex (typed-array band tables, node lists with reuse) against the plain Map of arrays
// it replaced: the same candidates, in the same order, through table growth (or tables sized up front) and trimmed bands.
import { describe, expect, it } from 'vitest';
import { MemoryNearIndex, type NearSignature } from '../../../src/dedupe/index.js';

function reference(perBand: number) {
  const bands = new Map<number, string[]>();
  return {
    add(entryId: string, sig: Pick<NearSignature, 'bands'>): void {
      for (const b of sig.bands) {
        const held = bands.get(b) ?? [];
        held.push(entryId);
        if (held.length > perBand) held.shift();
        bands.set(b, held);
      }
    },
    candidates(keys: readonly number[]): string[] {
      const out: string[] = [];
      for (const b of keys)
        for (const id of [...(bands.get(b) ?? [])].reverse()) if (!out.includes(id)) out.push(id);
      return out;
    },
  };
}

/** Deterministic band keys: a few hot ones (shared by many items), most unique, over 24 band numbers. */
function bandsFor(i: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 24; b++) {
    const hash = b % 6 === 0 ? (i % 7) * 0x9e3779b1 : Math.imul(i + 1, 0x85ebca6b) ^ (b * 0x27d4eb2f);
    out.push(b * 2 ** 32 + (hash >>> 0));
  }
  return out;
}

describe('MemoryNearIndex', () => {
  it.each([
    [1, 0],
    [3, 0],
    [50, 0],
    [50, 3000],
  ])('matches the reference with %i items per band, sized for %i items', (perBand, expected) => {
    const index = new MemoryNearIndex(perBand, expected);
    const ref = reference(perBand);
    for (let i = 0; i < 3000; i++) {
      const sig = { bands: bandsFor(i) } as unknown as NearSignature;
      const query = i % 5 === 0 ? bandsFor(i - 7) : sig.bands;
      expect(index.candidates(query).map((c) => c.entryId)).toEqual(ref.candidates(query));
      index.add(`e${i}`, sig);
      ref.add(`e${i}`, sig);
    }
    expect(index.size).toBeGreaterThan(3000 * 20);
  });

  it('keeps band numbers apart: the same 32-bit hash in two bands is two keys', () => {
    const index = new MemoryNearIndex();
    index.add('a', { bands: [0 * 2 ** 32 + 5] } as unknown as NearSignature);
    index.add('b', { bands: [1 * 2 ** 32 + 5] } as unknown as NearSignature);
    expect(index.candidates([2 ** 32 + 5]).map((c) => c.entryId)).toEqual(['b']);
    expect(index.candidates([7])).toEqual([]);
  });
});
