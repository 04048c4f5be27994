import type { MeiliEnqueuedLike, MeiliTaskLike } from './client.js';

/** Raised when Meilisearch processed a task and it failed; `code` is Meilisearch's error code. */
export class MeiliTaskError extends Error {
  override readonly name = 'MeiliTaskError';
  constructor(
    readonly what: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`Meilisearch could not ${what}: ${message}${code ? ` (${code})` : ''}`);
  }
}

/**
 * Waits until Meilisearch has processed the task. A failed or canceled task throws, because
 * Meilisearch accepts a write before it checks it: the outbox worker only retries on a throw.
 */
export async function waitFor(task: MeiliEnqueuedLike, what: string, timeoutMs: number): Promise<MeiliTaskLike> {
  const done = await task.waitTask({ timeout: timeoutMs });
  if (done.status !== 'succeeded') {
    throw new MeiliTaskError(what, done.error?.code, done.error?.message ?? `the task ended as ${done.status}`);
  }
  return done;
}
