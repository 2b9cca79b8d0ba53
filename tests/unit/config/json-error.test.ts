import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../src/config/json-error.js';

describe('jsonErrorOffset', () => {
  it('finds nothing wrong in valid JSON, whatever it nests', () => {
    const text = '{ "a": [1, -2.5e3, true, null, "x\\"y", {}], "b": { "c": [] } }';
    expect(() => JSON.parse(text)).not.toThrow();
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it.each([
    ['a trailing comma', '{"a": [1,]}', 9],
    ['single quotes', "{'a': 1}", 1],
    ['a missing colon', '{"a" 1}', 5],
    ['text after the value', '{} x', 3],
    ['an unterminated string', '{"a": "b', 8],
  ])('points at %s', (_name, text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
