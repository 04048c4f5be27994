import { Schema, Types } from 'mongoose';
import { countField, idField, nullableIdField, nullableTimeField, schemaOptions, textField, timeField } from './common.js';

/* Customer service (issue 12): see src/db/sqlite/migrations/017-support.ts for the meaning of each field. */

export interface SupportSettingsDoc {
  _id: number;
  targetHours: number;
  urgentHours: number;
  timeZone: string;
  days: number[];
  startMinute: number;
  endMinute: number;
  ackEn: string;
  ackZh: string;
  updatedBy: number | null;
  updatedAt: number;
}

export const SUPPORT_SETTINGS_MODEL = 'SupportSettings';
export const supportSettingsSchema = new Schema<SupportSettingsDoc>(
  {
    _id: idField,
    targetHours: { type: Number, required: true },
    urgentHours: { type: Number, required: true },
    timeZone: { type: String, required: true },
    days: { type: [Number], default: [] },
    startMinute: { type: Number, required: true },
    endMinute: { type: Number, required: true },
    ackEn: textField,
    ackZh: textField,
    updatedBy: nullableIdField,
    updatedAt: timeField,
  },
  schemaOptions('supportSettings'),
);

export interface SupportTicketDoc {
  _id: number;
  communityId: number;
  askerId: number;
  urgent: boolean;
  urgentReason: string;
  status: string;
  assigneeId: number | null;
  openedAt: number;
  warnAt: number | null;
  dueAt: number | null;
  pausedRemainingMs: number | null;
  respondedAt: number | null;
  responseKind: string | null;
  firstStaffResponseAt: number | null;
  firstStaffResponderId: number | null;
  resolvedAt: number | null;
  reopenCount: number;
  warnedAt: number | null;
  breachedAt: number | null;
  updatedAt: number;
}

export const SUPPORT_TICKET_MODEL = 'SupportTicket';
export const supportTicketSchema = new Schema<SupportTicketDoc>(
  {
    _id: idField,
    communityId: idField,
    askerId: idField,
    urgent: { type: Boolean, default: false },
    urgentReason: textField,
    status: { type: String, required: true, enum: ['open', 'waiting', 'resolved'] },
    assigneeId: nullableIdField,
    openedAt: timeField,
    warnAt: nullableTimeField,
    dueAt: nullableTimeField,
    pausedRemainingMs: nullableTimeField,
    respondedAt: nullableTimeField,
    responseKind: { type: String, default: null },
    firstStaffResponseAt: nullableTimeField,
    firstStaffResponderId: nullableIdField,
    resolvedAt: nullableTimeField,
    reopenCount: countField,
    warnedAt: nullableTimeField,
    breachedAt: nullableTimeField,
    updatedAt: timeField,
  },
  schemaOptions('supportTickets'),
);
supportTicketSchema.index({ communityId: 1, status: 1, dueAt: 1 }, { name: 'support_tickets_queue' });
supportTicketSchema.index({ status: 1, warnAt: 1 }, { name: 'support_tickets_clock' });
// The support dashboard's daily job: questions resolved on a day (accepted answers by staff or customers).
supportTicketSchema.index({ resolvedAt: 1 }, { name: 'support_tickets_resolved' });

export interface SupportEventDoc {
  _id: Types.ObjectId;
  questionId: number;
  actorId: number | null;
  kind: string;
  detail: string;
  at: number;
}

export const SUPPORT_EVENT_MODEL = 'SupportEvent';
export const supportEventSchema = new Schema<SupportEventDoc>(
  { questionId: idField, actorId: nullableIdField, kind: { type: String, required: true }, detail: textField, at: timeField },
  schemaOptions('supportEvents'),
);
supportEventSchema.index({ questionId: 1, at: 1 }, { name: 'support_events_question' });

export interface SupportEscalationDoc {
  /** "<question>:<level>:<due>": the primary key keeps one escalation per level and due time, whichever instance writes it. */
  _id: string;
  questionId: number;
  communityId: number;
  level: string;
  dueAt: number;
  at: number;
  notifiedAt: number | null;
}

export const SUPPORT_ESCALATION_MODEL = 'SupportEscalation';
export const supportEscalationSchema = new Schema<SupportEscalationDoc>(
  { _id: { type: String, required: true }, questionId: idField, communityId: idField, level: { type: String, required: true, enum: ['warning', 'breach'] }, dueAt: timeField, at: timeField, notifiedAt: nullableTimeField },
  schemaOptions('supportEscalations'),
);
supportEscalationSchema.index({ questionId: 1, at: 1 }, { name: 'support_escalations_question' });
// The escalation job's check for escalations a dead run left unnotified (every minute).
supportEscalationSchema.index({ notifiedAt: 1, at: 1 }, { name: 'support_escalations_unnotified' });

export interface SupportRatingDoc {
  _id: number;
  communityId: number;
  askerId: number;
  score: number;
  comment: string;
  createdAt: number;
  updatedAt: number;
}

export const SUPPORT_RATING_MODEL = 'SupportRating';
export const supportRatingSchema = new Schema<SupportRatingDoc>(
  { _id: idField, communityId: idField, askerId: idField, score: { type: Number, required: true, min: 1, max: 5 }, comment: textField, createdAt: timeField, updatedAt: timeField },
  schemaOptions('supportRatings'),
);
