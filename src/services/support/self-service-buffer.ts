import type { SelfServiceEvent, SupportMetricsRepository } from '../../db/support-metrics-port.js';

export interface SelfServiceBufferLog {
  error(obj: object, msg: string): void;
}

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
  private buffer: SelfServiceEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly maxEvents: number;
  private readonly flushMs: number;
  private readonly log: SelfServiceBufferLog | null;

  constructor(
    private readonly inner: SupportMetricsRepository,
    options: SelfServiceBufferOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 200;
    this.flushMs = options.flushMs ?? 1000;
    this.log = options.log ?? null;
  }

  /** Events waiting to be written (for tests and health reports). */
  get pending(): number {
    return this.buffer.length;
  }

  async recordSelfService(event: SelfServiceEvent): Promise<void> {
    if (this.buffer.length >= MAX_BUFFERED_SELF_SERVICE) return;
    this.buffer.push(event);
    if (this.buffer.length >= this.maxEvents) void this.flush();
    else this.schedule();
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

  /**
   * Writes every waiting event (and waits for a batch already being written). Never rejects:
   * a failed batch is logged and dropped.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.inner.recordSelfServiceMany(batch);
      } catch (err) {
        this.log?.error({ err, events: batch.length }, 'self-service events could not be written; dropped');
      }
    });
    return this.writing;
  }

  /** On shutdown: no more timers, everything waiting written. */
  async close(): Promise<void> {
    await this.flush();
  }

  private schedule(): void {
    if (this.timer || this.flushMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // flush() never rejects; the catch keeps a timer from ever ending the process.
      this.flush().catch(() => undefined);
    }, this.flushMs);
    this.timer.unref();
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
