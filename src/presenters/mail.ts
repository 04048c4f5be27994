import type { QueuedMail } from '../db/ports.js';
import type { QueuedEvent } from '../db/event-port.js';
import type { Locale } from '../domain/types.js';
import { timeView } from './time.js';

/** A row of /admin/mail: plain values only (the HTML part never goes into the admin page itself). */
export function mailRowView(m: QueuedMail, locale: Locale) {
  return {
    id: m.id,
    to: m.to,
    subject: m.subject,
    kind: m.kind,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    created: timeView(m.createdAt, locale),
    sent: m.sentAt === null ? null : timeView(m.sentAt, locale),
    nextAttempt: m.status === 'queued' && m.attempts > 0 ? timeView(m.nextAttemptAt, locale) : null,
  };
}

/** A notification event that failed for good, as /admin/mail lists it. */
export function failedEventView(e: QueuedEvent, locale: Locale) {
  return { key: e.key, kind: e.kind, attempts: e.attempts, lastError: e.lastError ?? '', created: timeView(e.createdAt, locale) };
}

export function mailDetailView(m: QueuedMail, locale: Locale) {
  return { ...mailRowView(m, locale), text: m.text, headers: Object.entries(m.headers).map(([name, value]) => ({ name, value })), locale: m.locale };
}
