import type { Locale } from '../domain/types.js';
import type { QuestionSupportState } from '../services/support/support-service.js';
import { targetOf } from '../services/support/support-service.js';
import type { SupportSettings, SupportTicket } from '../domain/support-types.js';
import { timeView } from './time.js';
import { canRate } from '../services/support/rating-service.js';

/** A deadline as the customer reads it: weekday, date and time in the community's time zone. */
export function deadlineText(at: number, settings: Pick<SupportSettings, 'timeZone'>, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: settings.timeZone, timeZoneName: 'short' }).format(new Date(at));
}

export type PromiseKind = 'pending' | 'late' | 'responded' | 'waiting' | 'resolved';

/** The promise box on the question page (views/partials/support-promise.eta). */
export function promiseView(state: QuestionSupportState, locale: Locale) {
  const { ticket, settings, now } = state;
  const kind: PromiseKind =
    ticket.status === 'resolved' ? 'resolved'
    : ticket.status === 'waiting' ? 'waiting'
    : ticket.respondedAt !== null ? 'responded'
    : ticket.dueAt !== null && now >= ticket.dueAt ? 'late'
    : 'pending';
  const ack = (locale === 'zh-CN' ? settings.ackZh || settings.ackEn : settings.ackEn || settings.ackZh).trim();
  return {
    kind,
    hours: targetOf(settings, ticket),
    urgent: ticket.urgent,
    urgentReason: ticket.urgentReason,
    by: ticket.dueAt !== null ? { text: deadlineText(ticket.dueAt, settings, locale), iso: new Date(ticket.dueAt).toISOString() } : null,
    ack,
    showToAsker: state.isAsker,
    questionId: ticket.questionId,
    // Asked once, on the page, when the question is resolved; changeable for 7 days.
    rating: state.isAsker ? { canRate: canRate(ticket, state.rating, now), score: state.rating?.score ?? null, comment: state.rating?.comment ?? '' } : null,
    canReopen: state.isAsker && ticket.status === 'resolved',
  };
}

/** Plain view of a ticket's clock for staff: due text, overdue or not, business time left or over. */
export function dueView(ticket: SupportTicket, settings: SupportSettings, now: number, locale: Locale) {
  if (ticket.dueAt === null) return null;
  return {
    text: deadlineText(ticket.dueAt, settings, locale),
    iso: new Date(ticket.dueAt).toISOString(),
    overdue: ticket.respondedAt === null && ticket.status === 'open' && now >= ticket.dueAt,
    warned: ticket.warnedAt !== null,
  };
}

/** The staff panel on the question page (views/partials/support-staff-panel.eta). */
export function staffPanelView(state: QuestionSupportState, questionId: string, locale: Locale) {
  if (!state.isStaff) return null;
  const { ticket, settings, now, people } = state;
  const name = (id: string | null) => (id ? (people.get(id)?.username ?? '—') : null);
  return {
    questionId,
    status: ticket.status,
    urgent: ticket.urgent,
    urgentReason: ticket.urgentReason,
    assignee: name(ticket.assigneeId),
    due: dueView(ticket, settings, now, locale),
    responded: ticket.respondedAt !== null,
    escalated: ticket.breachedAt !== null ? 'breach' : ticket.warnedAt !== null ? 'warning' : null,
    reopenCount: ticket.reopenCount,
    rating: state.rating ? { score: state.rating.score, comment: state.rating.comment } : null,
    events: state.events.map((e) => ({ kind: e.kind, detail: e.detail, actor: name(e.actorId), at: timeView(e.at, locale) })),
  };
}
