import type { OutboxEntry, OutboxRepository } from '../db/ports.js';
import type { OutboxFedEngine } from './port.js';

/*
 * Drains the search outbox into an external engine. Each entry only names a document; the
 * engine reads the document's current state from the database (the source of truth) and
 * indexes it, or deletes it from the index when it is no longer searchable. Processing an
 * entry twice, or out of order, therefore gives the same index: that is what makes retries,
 * expired leases and several instances draining at once safe.
 *
 * When the engine fails, the whole batch is retried with exponential backoff; an entry that
 * keeps failing is marked failed after maxAttempts (it is reported on /healthz and retried
 * by the next change to its document or by a reindex).
 */

export interface OutboxWorkerOptions {
  /** Entries claimed per round. */
  batchSize: number;
  /** How long a claim is held before another worker may take it over. */
  leaseMs: number;
  maxAttempts: number;
  /** Backoff after the first failure; doubles each attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Pause between rounds when the outbox was empty. */
  idleMs: number;
}

export const DEFAULT_OUTBOX_WORKER_OPTIONS: OutboxWorkerOptions = {
  batchSize: 200,
  leaseMs: 60_000,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  idleMs: 1_000,
};

export interface DrainReport {
  claimed: number;
  indexed: number;
  deleted: number;
  retried: number;
  failed: number;
}

export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Backoff before attempt n+1 after n failed attempts: base, 2·base, 4·base, ... capped. */
export function retryDelay(failedAttempts: number, options: Pick<OutboxWorkerOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(exponent, 30));
}

export class OutboxWorker {
  private readonly options: OutboxWorkerOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly engine: OutboxFedEngine,
    private readonly owner: string,
    options: Partial<OutboxWorkerOptions> = {},
    private readonly now: () => number = Date.now,
    private readonly log: WorkerLog | null = null,
  ) {
    this.options = { ...DEFAULT_OUTBOX_WORKER_OPTIONS, ...options };
  }

  /** One round: claim a batch, bring the index in line with the database, record the outcome. */
  async drainOnce(): Promise<DrainReport> {
    const report: DrainReport = { claimed: 0, indexed: 0, deleted: 0, retried: 0, failed: 0 };
    const entries = await this.outbox.claim(this.owner, this.options.batchSize, this.now(), this.options.leaseMs);
    report.claimed = entries.length;
    if (entries.length === 0) return report;
    try {
      await this.apply(entries, report);
    } catch (err) {
      // One bad document must not hold back the others: if the engine itself is up, try
      // each entry alone so that only the one it refuses is retried.
      if (entries.length > 1 && (await this.engineIsUp())) {
        for (const entry of entries) {
          try {
            await this.apply([entry], report);
          } catch (single) {
            await this.recordFailure([entry], single, report);
          }
        }
      } else {
        await this.recordFailure(entries, err, report);
      }
    }
    return report;
  }

  private async apply(entries: OutboxEntry[], report: DrainReport): Promise<void> {
    const done = await this.engine.sync(entries.map((e) => e.docId));
    await this.outbox.complete(this.owner, entries, this.now());
    report.indexed += done.indexed;
    report.deleted += done.deleted;
  }

  private async engineIsUp(): Promise<boolean> {
    try {
      return await this.engine.health();
    } catch {
      return false;
    }
  }

  private async recordFailure(entries: OutboxEntry[], err: unknown, report: DrainReport): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const now = this.now();
    for (const entry of entries) {
      const attempts = entry.attempts + 1;
      const giveUp = attempts >= this.options.maxAttempts;
      await this.outbox.retry(this.owner, entry, message, now + retryDelay(attempts, this.options), giveUp);
      if (giveUp) report.failed++;
      else report.retried++;
    }
    this.log?.warn({ err: message, entries: entries.length, failed: report.failed }, 'search outbox: engine update failed, will retry');
  }

  /** Drains until the outbox is empty (or only holds entries waiting for a retry). */
  async drainAll(maxRounds = Number.POSITIVE_INFINITY): Promise<DrainReport> {
    const total: DrainReport = { claimed: 0, indexed: 0, deleted: 0, retried: 0, failed: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const r = await this.drainOnce();
      for (const k of Object.keys(total) as Array<keyof DrainReport>) total[k] += r[k];
      if (r.claimed < this.options.batchSize || r.retried + r.failed > 0) break;
    }
    return total;
  }

  /** Runs in the background until stop(): full batches follow each other, an empty outbox waits idleMs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      let busy = false;
      try {
        const r = await this.drainOnce();
        busy = r.claimed === this.options.batchSize && r.retried + r.failed === 0;
      } catch (err) {
        // The database itself failed: try again later rather than crash the server.
        this.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'search outbox: drain round failed');
      }
      if (this.stopped) return;
      this.timer = setTimeout(tick, busy ? 0 : this.options.idleMs);
    };
    const tick = () => {
      // loop() catches its own failures; this catch only guards the timer against a throwing logger.
      this.running = loop()
        .catch(() => undefined)
        .finally(() => {
          this.running = null;
        });
    };
    tick();
  }

  /** Stops after the round in progress, so shutdown does not cut a batch in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
