import type { EventOutboxRepository, OutboxRepository, SessionRepository } from '../../db/ports.js';
import type { Job } from './job-runner.js';

const HOUR = 3_600_000;
/** Done outbox entries are kept this long: a reindex requeues what changed while it ran. */
export const OUTBOX_RETENTION_MS = 24 * HOUR;

/** Expired sessions are refused on use; this only keeps the table from growing forever. */
export function sessionSweepJob(sessions: SessionRepository, now: () => number): Job {
  return { name: 'sessions-sweep', intervalMs: HOUR, run: () => sessions.deleteExpired(now()) };
}

export function outboxPruneJob(outbox: OutboxRepository, now: () => number): Job {
  return { name: 'search-outbox-prune', intervalMs: HOUR, run: () => outbox.prune(now() - OUTBOX_RETENTION_MS) };
}

/** Delivered Q&A events are kept a week (to look into a delivery question), then deleted; failed ones stay. */
export const EVENT_RETENTION_MS = 7 * 24 * HOUR;

export function eventOutboxPruneJob(events: EventOutboxRepository, now: () => number): Job {
  return { name: 'event-outbox-prune', intervalMs: HOUR, run: () => events.prune(now() - EVENT_RETENTION_MS) };
}
