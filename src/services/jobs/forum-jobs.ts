import type { EventOutboxRepository, OutboxRepository, SessionRepository } from '../../db/ports.js';
import type { Job } from './job-runner.js';

const HOUR = 3_600_000;
/** Done outbox entries are kept this long: a reindex requeues what changed while it ran. */
export const OUTBOX_RETENTION_MS = 24 * HOUR;

/** Expired sessions are refused on use; this only keeps the table from growing forever. */
/** Only expired sessions go, which are refused on use anyway: no page changes. */
export function sessionSweepJob(sessions: SessionRepository, now: () => number): Job<number> {
  return { name: 'sessions-sweep', intervalMs: HOUR, run: () => sessions.deleteExpired(now()), changedContent: () => false };
}

/** Only entries already indexed go: no page shows them. */
export function outboxPruneJob(outbox: OutboxRepository, now: () => number): Job<number> {
  return { name: 'search-outbox-prune', intervalMs: HOUR, run: () => outbox.prune(now() - OUTBOX_RETENTION_MS), changedContent: () => false };
}

/** Delivered Q&A events are kept a week (to look into a delivery question), then deleted; failed ones stay. */
export const EVENT_RETENTION_MS = 7 * 24 * HOUR;

/** Only delivered events go (the admin mail page counts waiting and failed ones): no page changes. */
export function eventOutboxPruneJob(events: EventOutboxRepository, now: () => number): Job<number> {
  return { name: 'event-outbox-prune', intervalMs: HOUR, run: () => events.prune(now() - EVENT_RETENTION_MS), changedContent: () => false };
}
