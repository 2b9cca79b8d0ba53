// A worker of the content pool: reads one fetched source at a time (see content.ts) and answers with
// the result, or with the error as plain data (an Error's class does not survive postMessage).
import { parentPort } from 'node:worker_threads';
import { FeedloomError } from '../errors.js';
import { type ContentTask, readContent } from './content.js';

export interface ContentRequest {
  readonly id: number;
  readonly task: ContentTask;
}

export type ContentResponse =
  | { readonly id: number; readonly ok: true; readonly result: Awaited<ReturnType<typeof readContent>> }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly code?: string; readonly message: string; readonly httpStatus?: number };
    };

// The pool may hand over the next task before this one is done: tasks are read one after the other,
// never interleaved (each holds a whole feed's text; two at once would double the worker's memory).
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (request: ContentRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer({ id, task }: ContentRequest): Promise<void> {
  let response: ContentResponse;
  try {
    response = { id, ok: true, result: await readContent(task) };
  } catch (e) {
    const error =
      e instanceof FeedloomError
        ? {
            code: e.code,
            message: e.message,
            ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}),
          }
        : { message: e instanceof Error ? e.message : String(e) };
    response = { id, ok: false, error };
  }
  parentPort?.postMessage(response);
}
