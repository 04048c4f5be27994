import type { SelfServiceEvent, SupportMetricsRepository } from '../../db/support-metrics-port.js';
import { WriteBatcher, type WriteBatcherLog } from '../write-batcher.js';

export type SelfServiceBufferLog = WriteBatcherLog;

export interface SelfServiceBufferOptions {
  /** A batch is written when this many events wait. */
  maxEvents?: number;
  /** ...or this long after the first of them (0: only by size, flush() and close; for tests). */
  flushMs?: number;
  log?: SelfServiceBufferLog | null;
}

/** Events held while storage is failing, at most: an outage must not exhaust memory. */
export const MAX_BUFFERED_SELF_SERVICE = 10_000;

/**
 * The support metrics store with the self-service events (issue 12) written in batches off
 * the request path. Every FAQ entry served to a browser with an id, every search and every
 * similar-question click records one; written one by one, each page served from the anonymous
 * page cache was also a database write (a WAL commit, and every few hundred a checkpoint
 * stall). Events wait in memory until maxEvents wait or flushMs has passed; one write then
 * stores them all.
 *
 * Reads stay exact: selfServiceBetween writes what is waiting first (the dashboard's "today"
 * and the daily job see every event recorded before they read). Everything else is passed
 * through. Events of a process that dies are lost for at most the last second (a statistic,
 * not user data); a failed batch is logged and dropped, never thrown at a request or a timer.
 */
export class SelfServiceBuffer implements SupportMetricsRepository {
  private readonly batcher: WriteBatcher<SelfServiceEvent>;

  constructor(
    private readonly inner: SupportMetricsRepository,
    options: SelfServiceBufferOptions = {},
  ) {
    this.batcher = new WriteBatcher((batch) => inner.recordSelfServiceMany(batch), {
      maxItems: options.maxEvents ?? 200,
      flushMs: options.flushMs ?? 1000,
      maxBuffered: MAX_BUFFERED_SELF_SERVICE,
      log: options.log ?? null,
      noun: 'self-service events',
    });
  }

  /** Events waiting to be written (for tests and health reports). */
  get pending(): number {
    return this.batcher.pending;
  }

  async recordSelfService(event: SelfServiceEvent): Promise<void> {
    this.batcher.add(event);
  }

  async recordSelfServiceMany(events: readonly SelfServiceEvent[]): Promise<void> {
    // After what waits, so the store keeps the order the events were recorded in.
    await this.flush();
    await this.inner.recordSelfServiceMany(events);
  }

  async selfServiceBetween(from: number, to: number): Promise<SelfServiceEvent[]> {
    await this.flush();
    return this.inner.selfServiceBetween(from, to);
  }

  /** Writes every waiting event. Never rejects: a failed batch is logged and dropped. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** On shutdown: everything waiting written. */
  async close(): Promise<void> {
    await this.flush();
  }

  /* ----- everything else as stored ----- */

  ticketsTouchedBetween: SupportMetricsRepository['ticketsTouchedBetween'] = (from, to) => this.inner.ticketsTouchedBetween(from, to);
  eventsBetween: SupportMetricsRepository['eventsBetween'] = (kinds, from, to) => this.inner.eventsBetween(kinds, from, to);
  ratingsBetween: SupportMetricsRepository['ratingsBetween'] = (from, to) => this.inner.ratingsBetween(from, to);
  answersBetween: SupportMetricsRepository['answersBetween'] = (from, to) => this.inner.answersBetween(from, to);
  faqHelpfulBetween: SupportMetricsRepository['faqHelpfulBetween'] = (from, to) => this.inner.faqHelpfulBetween(from, to);
  acceptedBetween: SupportMetricsRepository['acceptedBetween'] = (from, to) => this.inner.acceptedBetween(from, to);
  activeMembersBetween: SupportMetricsRepository['activeMembersBetween'] = (from, to) => this.inner.activeMembersBetween(from, to);
  askersBetween: SupportMetricsRepository['askersBetween'] = (from, to) => this.inner.askersBetween(from, to);
  replaceDay: SupportMetricsRepository['replaceDay'] = (day, rows) => this.inner.replaceDay(day, rows);
  readDaily: SupportMetricsRepository['readDaily'] = (communityId, fromDay, toDay, metrics) => this.inner.readDaily(communityId, fromDay, toDay, metrics);
  latestDay: SupportMetricsRepository['latestDay'] = () => this.inner.latestDay();
  earliestTicket: SupportMetricsRepository['earliestTicket'] = () => this.inner.earliestTicket();
}
