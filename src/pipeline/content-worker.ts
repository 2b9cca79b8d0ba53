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

parentPort?.on('message', async ({ id, task }: ContentRequest) => {
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
});
