import { describe, expect, it } from 'vitest';
import { createKeyedSemaphore, createSemaphore } from '../../../src/fetch/semaphore.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createSemaphore', () => {
  it('lets `slots` holders in and queues the rest in order', async () => {
    const s = createSemaphore(2);
    const order: number[] = [];
    const a = await s.acquire();
    const b = await s.acquire();
    const waiting = [3, 4].map((n) =>
      s.acquire().then((release) => {
        order.push(n);
        return release;
      }),
    );
    await tick();
    expect(order).toEqual([]);
    expect(s.busy).toBe(4);
    a();
    await tick();
    expect(order).toEqual([3]);
    b();
    await tick();
    expect(order).toEqual([3, 4]);
    for (const release of await Promise.all(waiting)) release();
    expect(s.busy).toBe(0);
  });

  it('a release called twice frees one slot only', async () => {
    const s = createSemaphore(1);
    const a = await s.acquire();
    a();
    a();
    await s.acquire();
    let second = false;
    void s.acquire().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
  });

  it('refuses zero slots', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});

describe('createKeyedSemaphore', () => {
  it('limits each key separately', async () => {
    const s = createKeyedSemaphore(1);
    await s.acquire('a.example');
    let b = false;
    let a2 = false;
    void s.acquire('b.example').then(() => (b = true));
    void s.acquire('a.example').then(() => (a2 = true));
    await tick();
    expect(b).toBe(true);
    expect(a2).toBe(false);
  });
});
