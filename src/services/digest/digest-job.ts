import type { Job } from '../jobs/job-runner.js';
import type { DigestService } from './digest-service.js';

/**
 * Sends due digests. Every quarter of an hour is often enough: a period is a UTC day or week,
 * and the lease keeps two instances from composing the same member's digest at once (the
 * idempotency key would stop a second mail anyway).
 */
export function digestJob(digests: DigestService, intervalMs = 15 * 60_000): Job {
  return { name: 'mail-digests', intervalMs, run: () => digests.runDue() };
}
