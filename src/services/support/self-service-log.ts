import type { SelfServiceKind, SupportMetricsRepository } from '../../db/support-metrics-port.js';

export interface SelfServiceLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Records what a browser did for the self-service metric (issue 12). Recording is best
 * effort: it never delays or fails the page, and a failure is logged.
 */
export class SelfServiceLog {
  constructor(
    private readonly repo: SupportMetricsRepository,
    private readonly now: () => number = Date.now,
  ) {}

  record(kind: SelfServiceKind, browserId: string | null, communityId: string | null, log: SelfServiceLogger): void {
    if (!browserId) return;
    this.repo.recordSelfService({ kind, browserId, communityId, at: this.now() }).catch((err: unknown) => log.warn({ err, kind }, 'self-service event not recorded'));
  }
}
