import type { EventOutboxRepository, QueuedEvent } from '../../db/event-port.js';
import { retryDelay } from '../mail/mail-worker.js';

export interface EventWorkerOptions {
  maxAttempts?: number;
  /** First retry waits this long; each further one twice as long as the one before. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
}

export interface EventWorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface EventDrainResult {
  done: number;
  retried: number;
  failed: number;
}

/*
 * Delivers the Q&A events that the posting transactions recorded (src/db/event-port.ts): each
 * is handed to the notifier (notification rows and queued mail) and then marked done. Every
 * instance may run one: events are leased in the database, so two workers never handle the
 * same event at once, and an event whose worker died is taken again when its lease expires.
 * Handling an event twice is harmless (the notifications and mails it writes have unique keys).
 *
 * The request that recorded an event kicks the worker once its transaction committed, so
 * members hear of it at once without the request waiting: kick() starts a drain and returns.
 * The poll (start()) picks up what a crashed or stopped process left and the retries that
 * came due. A failure is retried with exponential backoff and marked failed for good after
 * maxAttempts, with a log line; failed events are counted by EventOutboxRepository.counts().
 */
export class EventWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly events: EventOutboxRepository,
    /** Delivers one event; throws to have it retried. */
    readonly handle: (event: QueuedEvent) => Promise<void>,
    private readonly owner: string,
    options: EventWorkerOptions = {},
    private readonly now: () => number = Date.now,
    private readonly log: EventWorkerLog | null = null,
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 30_000;
    this.maxDelayMs = options.maxDelayMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 5_000;
  }

  /** Claims and handles what is due, in order, batch after batch, until nothing is left. */
  async drain(): Promise<EventDrainResult> {
    const total: EventDrainResult = { done: 0, retried: 0, failed: 0 };
    for (;;) {
      const batch = await this.events.claim(this.owner, this.batchSize, this.now(), this.leaseMs);
      if (batch.length === 0) return total;
      for (const event of batch) total[await this.handleOne(event)]++;
    }
  }

  private async handleOne(event: QueuedEvent): Promise<keyof EventDrainResult> {
    try {
      await this.handle(event);
      await this.events.complete(this.owner, event.id, this.now());
      return 'done';
    } catch (err) {
      const attempts = event.attempts + 1;
      const giveUp = attempts >= this.maxAttempts;
      const error = err instanceof Error ? err.message : String(err);
      await this.events.retry(this.owner, event.id, error, this.now() + retryDelay(attempts, this.baseDelayMs, this.maxDelayMs), giveUp);
      this.log?.error({ eventId: event.id, event: event.key, attempts, giveUp, err: error }, giveUp ? 'event failed for good, nobody was notified' : 'event not delivered, will retry');
      return giveUp ? 'failed' : 'retried';
    }
  }

  /** One drain at a time; a kick during a drain runs another right after it. Never rejects. */
  private tick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then((r) => {
        if (r.retried + r.failed > 0) this.log?.info({ ...r }, 'event outbox drained');
      })
      .catch((err: unknown) => this.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'event worker failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.tick();
        }
      });
  }

  /** An event was just recorded: deliver it now, in the background (started or not, unless stopped). */
  kick(): void {
    this.tick();
  }

  /** Resolves when no drain is running (tests wait for what a request kicked before they look). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref();
    this.tick();
  }

  /** Stops polling and kicks, and waits for a drain in progress (shutdown never cuts an event in half). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }
}
