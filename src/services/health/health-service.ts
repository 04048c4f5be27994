import type { MetaRepository, OutboxRepository } from '../../db/ports.js';
import type { SearchEngine } from '../../search/port.js';

/*
 * What /healthz reports. Only an unreachable database makes the instance unhealthy (the
 * route answers 503): a search engine outage affects every instance alike, and posting keeps
 * working while the outbox waits, so it shows as "degraded" without taking the instance out
 * of a load balancer's rotation.
 */

/** A pending change older than this means the outbox is not keeping up. */
const OUTBOX_LAG_WARN_MS = 5 * 60_000;

export interface HealthReport {
  status: 'ok' | 'degraded';
  /** False only when the database cannot be reached. */
  serving: boolean;
  storage: { backend: string; status: 'ok' | 'error' };
  search: {
    backend: string;
    status: 'ok' | 'error' | 'lagging';
    outbox?: { pending: number; failed: number; oldestPendingAgeMs: number | null };
  };
}

export class HealthService {
  constructor(
    private readonly storageBackend: string,
    private readonly meta: MetaRepository,
    private readonly engine: SearchEngine,
    /** Present when search runs in a separate engine fed by the outbox. */
    private readonly outbox: OutboxRepository | null,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<HealthReport> {
    let storage: 'ok' | 'error' = 'ok';
    try {
      await this.meta.get('seeded');
    } catch {
      storage = 'error';
    }
    const search: HealthReport['search'] = { backend: this.engine.name, status: 'ok' };
    if (this.engine.health) {
      const up = await this.engine.health().catch(() => false);
      if (!up) search.status = 'error';
    }
    if (this.outbox && storage === 'ok') {
      const backlog = await this.outbox.backlog();
      const age = backlog.oldestPendingAt === null ? null : Math.max(0, this.now() - backlog.oldestPendingAt);
      search.outbox = { pending: backlog.pending, failed: backlog.failed, oldestPendingAgeMs: age };
      if (search.status === 'ok' && (backlog.failed > 0 || (age !== null && age > OUTBOX_LAG_WARN_MS))) search.status = 'lagging';
    }
    const status = storage === 'ok' && search.status === 'ok' ? 'ok' : 'degraded';
    return { status, serving: storage === 'ok', storage: { backend: this.storageBackend, status: storage }, search };
  }
}
