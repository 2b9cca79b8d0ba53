// The run's HTTP client loads undici's Agent without the package index (fetch/undici-agent.ts): the
// index costs a tenth of a run where every source answers 304.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../src/fetch/undici-agent.js';

const require = createRequire(import.meta.url);

describe('undici Agent', () => {
  it('is the real Agent, with the request API, loaded without undici/index.js', () => {
    expect(typeof Agent).toBe('function');
    expect(typeof Agent.prototype.request).toBe('function');
    const loaded = Object.keys(require.cache).filter((k) => /[/\\]undici[/\\]/.test(k));
    expect(loaded.some((k) => k.endsWith('agent.js'))).toBe(true);
    expect(loaded.some((k) => /[/\\]undici[/\\]index\.js$/.test(k))).toBe(false);
  });
});
