// The in-memory LSH table the store answers near-duplicate look-ups from (store/band-table.ts).
import { describe, expect, it } from 'vitest';
import { BandTable, decodeChunk, encodeChunk } from '../../../src/store/band-table.js';

const key = (band: number, hash: number): number => band * 2 ** 32 + hash;

describe('BandTable', () => {
  it('finds the items sharing a band, best (most bands shared) first, then newest', () => {
    const t = new BandTable();
    t.add(1, 100, [key(0, 7), key(1, 8), key(2, 9)]);
    t.add(2, 200, [key(0, 7), key(1, 99)]);
    t.add(3, 300, [key(5, 5)]);
    expect(t.candidates([key(0, 7), key(1, 8), key(2, 9)], 0, 50, 200)).toEqual([1, 2]);
    expect(t.candidates([key(0, 7)], 0, 50, 200)).toEqual([2, 1]);
    expect(t.candidates([key(3, 7)], 0, 50, 200)).toEqual([]);
  });

  it('tells apart keys of other bands with the same hash, and the hash halves of large keys', () => {
    const t = new BandTable();
    t.add(1, 0, [key(0, 0xffffffff)]);
    t.add(2, 0, [key(23, 0xffffffff)]);
    expect(t.candidates([key(23, 0xffffffff)], 0, 50, 200)).toEqual([2]);
    expect(t.candidates([key(0, 0xffffffff)], 0, 50, 200)).toEqual([1]);
  });

  it('leaves out items first seen before the window, and bounds a crowded band to its newest', () => {
    const t = new BandTable();
    for (let i = 1; i <= 80; i++) t.add(i, i * 10, [key(4, 42)]);
    expect(t.candidates([key(4, 42)], 755, 50, 200)).toEqual([80, 79, 78, 77, 76]);
    const crowded = t.candidates([key(4, 42)], 0, 50, 200);
    expect(crowded).toHaveLength(50);
    expect(crowded[0]).toBe(80);
    expect(crowded).not.toContain(30);
    expect(t.candidates([key(4, 42)], 0, 50, 10)).toHaveLength(10);
  });

  it('keeps every entry when it grows far past its first size', () => {
    const t = new BandTable(1, 1);
    for (let i = 0; i < 5000; i++) t.add(i, i, [key(i % 24, (i * 2654435761) >>> 0), key(0, 1)]);
    expect(t.size).toBe(10_000);
    for (const i of [0, 1, 2500, 4999]) {
      expect(t.candidates([key(i % 24, (i * 2654435761) >>> 0)], 0, 50, 200)).toContain(i);
    }
  });
});

describe('band chunks', () => {
  const items = [
    { rowid: 1, firstSeen: 1_700_000_000_000, bands: [key(0, 0), key(7, 123456789), key(23, 0xffffffff)] },
    { rowid: 2 ** 40, firstSeen: 5, bands: [] },
    { rowid: 3, firstSeen: 6, bands: [key(1, 42)] },
  ];
  const decoded = (blob: Uint8Array) => {
    const out: { rowid: number; firstSeen: number; bands: number[] }[] = [];
    decodeChunk(blob, (rowid, firstSeen, values, start, end) =>
      out.push({ rowid, firstSeen, bands: [...values.subarray(start, end)] }),
    );
    return out;
  };

  it('round-trip several items, also from bytes that do not start on an 8-byte boundary', () => {
    const blob = encodeChunk(items);
    expect(decoded(blob)).toEqual(items);
    const offset = new Uint8Array(blob.length + 3);
    offset.set(blob, 3);
    expect(decoded(offset.subarray(3))).toEqual(items);
  });

  it('stop at a truncated item rather than reading past the end', () => {
    const blob = encodeChunk(items);
    expect(decoded(blob.subarray(0, blob.length - 8))).toEqual(items.slice(0, 2));
    expect(decoded(new Uint8Array(0))).toEqual([]);
  });
});
