/** Why an inbound message was refused; each kind has its SMTP reply and HTTP status. */
export type RefusalKind = 'too-large' | 'malformed' | 'unknown-recipient' | 'rate-limited' | 'rejected';

const SMTP: Record<RefusalKind, number> = { 'too-large': 552, malformed: 550, 'unknown-recipient': 550, 'rate-limited': 451, rejected: 550 };
const HTTP: Record<RefusalKind, number> = { 'too-large': 413, malformed: 400, 'unknown-recipient': 422, 'rate-limited': 429, rejected: 422 };

/**
 * A message the forum will not take. Nothing of it was stored. The SMTP listener answers with
 * the code (5xx: the sending server returns the mail to its author with the reason; 451: try
 * later), the HTTP endpoint with the status.
 */
export class InboundRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'InboundRefusal';
  }

  get smtpCode(): number {
    return SMTP[this.kind];
  }

  get httpStatus(): number {
    return HTTP[this.kind];
  }
}
