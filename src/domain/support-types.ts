import type { BusinessSchedule } from './business-hours.js';

/** The service promise of a business community (issue 12), set by its moderators. */
export interface SupportSettings extends BusinessSchedule {
  communityId: string;
  targetHours: number;
  urgentHours: number;
  ackEn: string;
  ackZh: string;
  updatedBy: string | null;
  updatedAt: number;
}

export type TicketStatus = 'open' | 'waiting' | 'resolved';
export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'waiting', 'resolved'];

/** What stopped the clock: a staff answer or comment, or an accepted community answer. */
export type ResponseKind = 'staff-answer' | 'staff-comment' | 'accepted';

/**
 * The service state of one question in a business community. The clock runs from openedAt
 * (or the last reopening) to dueAt in business time; respondedAt stops it.
 */
export interface SupportTicket {
  questionId: string;
  communityId: string;
  askerId: string;
  urgent: boolean;
  urgentReason: string;
  status: TicketStatus;
  assigneeId: string | null;
  openedAt: number;
  /** 75 % of the target, when the assignee is warned. Null while paused. */
  warnAt: number | null;
  dueAt: number | null;
  /** Business ms left on the clock while waiting for the customer. */
  pausedRemainingMs: number | null;
  respondedAt: number | null;
  responseKind: ResponseKind | null;
  /** The first staff reply ever (metrics); never cleared by a reopening. */
  firstStaffResponseAt: number | null;
  firstStaffResponderId: string | null;
  resolvedAt: number | null;
  reopenCount: number;
  warnedAt: number | null;
  breachedAt: number | null;
  updatedAt: number;
}

export type TicketChanges = Partial<Omit<SupportTicket, 'questionId' | 'communityId' | 'askerId' | 'openedAt'>>;

export interface SupportEvent {
  id: string;
  questionId: string;
  actorId: string | null;
  /** opened, assigned, status, urgent-downgraded, responded, escalated-warning, escalated-breach, reopened, rated */
  kind: string;
  detail: string;
  at: number;
}

export type EscalationLevel = 'warning' | 'breach';

export interface SupportEscalation {
  id: string;
  questionId: string;
  communityId: string;
  level: EscalationLevel;
  dueAt: number;
  at: number;
  /** Set when the notifier has sent it; null until notifications are wired. */
  notifiedAt: number | null;
}

/** An escalation still to notify, with whom the warning goes to now (the ticket's assignee). */
export interface UnnotifiedEscalation extends SupportEscalation {
  assigneeId: string | null;
  /** Whether it still holds: the ticket is open, unanswered, and due when it was recorded. */
  stillDue: boolean;
}

export interface SupportRating {
  questionId: string;
  communityId: string;
  askerId: string;
  score: number;
  comment: string;
  createdAt: number;
  updatedAt: number;
}

export type QueueFilter = 'needs-reply' | 'urgent' | 'mine' | 'unassigned' | 'waiting';
export const QUEUE_FILTERS: readonly QueueFilter[] = ['needs-reply', 'urgent', 'mine', 'unassigned', 'waiting'];

export const DEFAULT_SCHEDULE = { timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 } as const;
export const DEFAULT_TARGET_HOURS = 24;
export const DEFAULT_URGENT_HOURS = 4;
