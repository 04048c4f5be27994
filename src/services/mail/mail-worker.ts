import type { MailQueueRepository, QueuedMail } from '../../db/ports.js';
import type { MailTransport } from './transport.js';

export interface MailWorkerOptions {
  from: string;
  /** Host part of Message-IDs. */
  messageIdHost: string;
  maxAttempts: number;
  /** First retry waits this long; each further one twice as long as the one before. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Awaited before each drain (the event worker may be queueing mail at that moment). */
  beforeDrain?: () => Promise<void>;
}

export interface MailWorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Wait before the next attempt, after `attempts` failed ones: base, 2 base, 4 base, ... capped. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/*
 * Sends queued mail in the background, so no request ever waits on SMTP. Every instance may
 * run a worker: each batch is leased in the database (MailQueueRepository.claim), so two
 * workers never send the same mail, and a worker that dies mid-batch only leaves leases that
 * expire. A failed send is retried with exponential backoff and marked failed for good after
 * maxAttempts, where /admin/mail shows it with its error.
 */
export class MailWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly queue: MailQueueRepository,
    private readonly transport: MailTransport,
    private readonly owner: string,
    private readonly options: MailWorkerOptions,
    private readonly now: () => number = Date.now,
    private readonly log: MailWorkerLog | null = null,
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 30_000;
    this.maxDelayMs = options.maxDelayMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 5_000;
  }

  get transportKind(): 'file' | 'smtp' {
    return this.transport.kind;
  }

  /** Claims and sends what is due, batch after batch, until nothing is left. */
  async drain(): Promise<DrainResult> {
    const total: DrainResult = { sent: 0, retried: 0, failed: 0 };
    await this.options.beforeDrain?.();
    for (;;) {
      const batch = await this.queue.claim(this.owner, this.batchSize, this.now(), this.leaseMs);
      if (batch.length === 0) return total;
      for (const mail of batch) {
        const outcome = await this.sendOne(mail);
        total[outcome]++;
      }
    }
  }

  private async sendOne(mail: QueuedMail): Promise<keyof DrainResult> {
    try {
      const messageId = `<mail-${mail.id}@${this.options.messageIdHost}>`;
      await this.transport.send({ id: mail.id, from: this.options.from, to: mail.to, subject: mail.subject, html: mail.html, text: mail.text, headers: mail.headers, messageId });
      await this.queue.markSent(this.owner, mail.id, messageId, this.now());
      return 'sent';
    } catch (err) {
      const attempts = mail.attempts + 1;
      const giveUp = attempts >= this.options.maxAttempts;
      const error = err instanceof Error ? err.message : String(err);
      await this.queue.markFailed(this.owner, mail.id, error, this.now() + retryDelay(attempts, this.baseDelayMs, this.maxDelayMs), giveUp);
      this.log?.error({ mailId: mail.id, attempts, giveUp, err: error }, giveUp ? 'mail failed for good' : 'mail send failed, will retry');
      return giveUp ? 'failed' : 'retried';
    }
  }

  /** One drain at a time; a kick during a drain runs another right after it. Never rejects. */
  private tick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then((r) => {
        if (r.sent + r.retried + r.failed > 0) this.log?.info({ ...r }, 'mail queue drained');
      })
      .catch((err: unknown) => this.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'mail worker failed'))
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.tick();
        }
      });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.pollMs);
    this.timer.unref();
    this.tick();
  }

  /** Asks a started worker to look at the queue now (a mail was just queued). */
  kick(): void {
    if (this.timer) this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.transport.close();
  }
}
