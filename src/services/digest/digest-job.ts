import type { Job } from '../jobs/job-runner.js';
import type { DigestRunResult, DigestService } from './digest-service.js';

/**
 * Sends due digests. Every quarter of an hour is often enough: a period is a UTC day or week,
 * and the lease keeps two instances from composing the same member's digest at once (the
 * idempotency key would stop a second mail anyway).
 */
export function digestJob(digests: DigestService, intervalMs = 15 * 60_000): Job<DigestRunResult> {
  // Only a member who was due has anything recorded; a round with nobody due changed nothing.
  return { name: 'mail-digests', intervalMs, run: () => digests.runDue(), changedContent: (r) => r.sent + r.skipped > 0 };
}
