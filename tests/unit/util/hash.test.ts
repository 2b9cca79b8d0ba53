// Item keys, entry ids and raw hashes are hashOf values stored in every state file: a faster
// implementation must give the same digests, or an upgrade would publish every item again.
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../../src/util/hash.js';

describe('hashOf', () => {
  it('is SHA-256 of each part followed by a NUL, in hex, cut to the length asked', () => {
    // printf 'wire\0https://x.example/a\0' | sha256sum
    expect(hashOf(['wire', 'https://x.example/a'])).toBe('8cec7c4449b57ec42597dc0f4f586c19');
    // An undefined part counts as empty; text is hashed as UTF-8.
    expect(hashOf([undefined, 'café'], 24)).toBe('f57f550e5dbdb165d2f20520');
  });

  it('keeps parts apart: moving text between parts changes the hash', () => {
    expect(hashOf(['ab', 'c'])).not.toBe(hashOf(['a', 'bc']));
  });
});
