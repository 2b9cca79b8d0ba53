// Counting semaphores for the overall and per-host request caps. Small on purpose: FIFO, no timeouts.

export type Release = () => void;

export interface Semaphore {
  acquire(): Promise<Release>;
  /** Holders plus waiters: zero means the semaphore can be forgotten. */
  readonly busy: number;
}

export function createSemaphore(slots: number): Semaphore {
  if (!Number.isInteger(slots) || slots < 1)
    throw new RangeError(`semaphore: slots must be >= 1, got ${slots}`);
  let held = 0;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    const next = waiting.shift();
    // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
    if (next) next();
    else held--;
  };
  const releaseOnce = (): Release => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };

  return {
    acquire: () => {
      if (held < slots) {
        held++;
        return Promise.resolve(releaseOnce());
      }
      return new Promise((resolve) => waiting.push(() => resolve(releaseOnce())));
    },
    get busy() {
      return held + waiting.length;
    },
  };
}

/** One semaphore per key (host), created on first use and dropped when idle. */
export function createKeyedSemaphore(slotsPerKey: number): { acquire(key: string): Promise<Release> } {
  const byKey = new Map<string, Semaphore>();
  return {
    acquire: async (key) => {
      let s = byKey.get(key);
      if (!s) {
        s = createSemaphore(slotsPerKey);
        byKey.set(key, s);
      }
      const sem = s;
      const release = await sem.acquire();
      return () => {
        release();
        if (sem.busy === 0 && byKey.get(key) === sem) byKey.delete(key);
      };
    },
  };
}
