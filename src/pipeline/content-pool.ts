// Both cores (issue 7): parsing and normalizing are CPU-bound, while the main thread fetches, dedupes
// and writes SQLite. A run with enough sources hands each fetched source's content to a pool of worker
// threads, one per core; the main thread keeps the store, whose writes must stay in one connection.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, FeedloomError } from '../errors.js';
import type { ContentTask, ReadContent } from './content.js';
import type { ContentRequest, ContentResponse } from './content-worker.js';

export const CONTENT_POOL_POLICY = {
  /**
   * Fewer sources than this are read in the main thread: starting a worker (loading the parsers
   * again) costs about as much as reading a few dozen feeds.
   */
  minSources: 24,
  /** Workers at most, whatever the machine: the main thread's store writes cap the gain beyond. */
  maxWorkers: 4,
  /**
   * Sources in progress at once (fetching, queued for a worker, or being stored) when a pool reads
   * the content. Without a bound the network outruns the workers and the store, and every feed's
   * text waits in memory at once; the fetch client's own caps still apply within it. 16, the default
   * fetch concurrency: 32 held 30 MiB more at the peak of a medium cold run and was no faster.
   */
  inProgress: 16,
  /** Tasks handed to one worker at once: the one it reads and the next, waiting in its port. */
  perWorker: 2,
} as const;

const WORKER_FILE = fileURLToPath(new URL('./content-worker.js', import.meta.url));

interface Pending {
  readonly resolve: (result: ReadContent) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  /** The requests it holds, oldest first: the one it is working on and the ones waiting in its port. */
  readonly held: number[];
}

/**
 * A fixed set of worker threads reading fetched content, each one task at a time; tasks queue in the
 * order they arrive. Each worker holds up to `perWorker` tasks, so that it starts the next one while
 * the main thread is busy (a window's band table takes it 0.3 s) instead of waiting to be handed it.
 * A worker that dies fails its tasks (those sources' reports) and is replaced.
 *
 * @example
 * const pool = ContentPool.forRun(sources.length);
 * try { const content = await pool?.read(task); } finally { await pool?.close(); }
 */
export class ContentPool {
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: ContentRequest[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #started = 0;
  #closed = false;

  private constructor(size: number) {
    this.#size = size;
  }

  /**
   * A pool for a run of `sources` sources, or undefined when one is not worth it (few sources) or
   * not possible (the compiled worker is missing: running from TypeScript sources under a test runner).
   */
  static forRun(sources: number): ContentPool | undefined {
    const size = poolSize();
    if (size === 0 || sources < CONTENT_POOL_POLICY.minSources || !existsSync(WORKER_FILE)) return undefined;
    return new ContentPool(size);
  }

  /** Workers started so far (they start as work arrives). */
  get started(): number {
    return this.#started;
  }

  /**
   * Starts one worker now, before any content has arrived: loading its modules (0.3 s) then overlaps
   * the main thread's own start and first requests instead of delaying the first source read.
   */
  prestart(): void {
    if (!this.#closed && this.#slots.length === 0) this.#spawn();
  }

  read(task: ContentTask): Promise<ReadContent> {
    if (this.#closed) return Promise.reject(new Error('content pool: closed'));
    const id = this.#nextId++;
    return new Promise<ReadContent>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#queue.push({ id, task: withOwnBuffers(task) });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#slots.splice(0).map((s) => s.worker);
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      p.reject(new Error('content pool: closed before the source was read'));
    }
    this.#queue.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #dispatch(): void {
    // Workers start as work arrives: a run whose sources all answer 304 starts none.
    while (this.#queue.length) {
      // An idle worker first, then a new one, then one with room for another task.
      let slot = this.#slots.find((s) => s.held.length === 0);
      if (!slot && this.#slots.length < this.#size) slot = this.#spawn();
      slot ??= this.#slots.find((s) => s.held.length < CONTENT_POOL_POLICY.perWorker);
      if (!slot) return;
      const request = this.#queue.shift() as ContentRequest;
      slot.held.push(request.id);
      slot.worker.postMessage(request, buffersOf(request.task));
    }
  }

  #spawn(): Slot {
    // A smaller young generation than V8's default (3 x 16 MiB), as the run's peak memory counts every
    // thread's heap; not much smaller: a feed's parse tree outlives a 16 MiB one and got promoted,
    // and the collector took 14 % of the worker (medium cold: 32 MiB ran 0.6 s faster, 1 s less CPU).
    const worker = new Worker(WORKER_FILE, { resourceLimits: { maxYoungGenerationSizeMb: 32 } });
    this.#started++;
    const slot: Slot = { worker, held: [] };
    this.#slots.push(slot);
    worker.on('message', (response: ContentResponse) => {
      const at = slot.held.indexOf(response.id);
      if (at >= 0) slot.held.splice(at, 1);
      const pending = this.#pending.get(response.id);
      this.#pending.delete(response.id);
      if (pending) {
        if (response.ok) pending.resolve(response.result);
        else pending.reject(asError(response.error));
      }
      this.#dispatch();
    });
    const fail = (error: Error): void => {
      const index = this.#slots.indexOf(slot);
      if (index < 0) return;
      this.#slots.splice(index, 1);
      for (const id of slot.held.splice(0)) {
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        pending?.reject(new Error(`content worker failed: ${error.message}`));
      }
      if (!this.#closed) this.#dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    return slot;
  }
}

/**
 * One worker per core beside the main thread (which fetches and writes the store), at most maxWorkers;
 * FEEDLOOM_WORKERS overrides it: 0 reads everything in the main thread, the least memory.
 */
function poolSize(): number {
  const asked = process.env['FEEDLOOM_WORKERS'];
  if (asked !== undefined && /^\d+$/.test(asked.trim())) return Number(asked.trim());
  return Math.min(CONTENT_POOL_POLICY.maxWorkers, Math.max(1, availableParallelism() - 1));
}

/**
 * The task with every encoded body in a buffer of its own, so that it can move to the worker rather
 * than be copied. A body sharing its buffer (a small Buffer from Node's pool, a view into a larger
 * one) is copied first: moving a shared buffer would detach the other views.
 */
function withOwnBuffers(task: ContentTask): ContentTask {
  const owns = (body: Uint8Array) =>
    body.buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
  if (task.fetched.documents.every((doc) => !('body' in doc) || owns(doc.body))) return task;
  const documents = task.fetched.documents.map((doc) =>
    'body' in doc && !owns(doc.body) ? { ...doc, body: doc.body.slice() } : doc,
  );
  return { ...task, fetched: { ...task.fetched, documents } };
}

/** The buffers postMessage moves to the worker: the task's encoded bodies (see withOwnBuffers). */
function buffersOf(task: ContentTask): ArrayBuffer[] {
  return task.fetched.documents.flatMap((doc) => ('body' in doc ? [doc.body.buffer as ArrayBuffer] : []));
}

function asError(error: { code?: string; message: string; httpStatus?: number }): Error {
  if (!error.code) return new Error(error.message);
  return new FeedloomError(error.code as ErrorCode, error.message, {
    ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
  });
}
