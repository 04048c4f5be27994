import { Schema } from 'mongoose';
import { countField, idField, nullableIdField, nullableTimeField, schemaOptions, timeField } from './common.js';

/*
 * One document per outgoing mail, rendered when queued. The unique idempotencyKey is what
 * makes one event give one mail: the enqueue is an upsert on it. The lease (leaseOwner,
 * leaseUntil) lives on the document as in the search outbox, so a claim is one conditional
 * updateMany and an expired lease frees the mail without any clean-up.
 */
export type MailStatusValue = 'queued' | 'sent' | 'failed';
export const MAIL_STATUSES: readonly MailStatusValue[] = ['queued', 'sent', 'failed'];
export const MAIL_ERROR_MAX = 1000;

export interface MailQueueDoc {
  _id: number;
  idempotencyKey: string;
  to: string;
  userId: number | null;
  kind: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  /** The extra headers as JSON (their names are not valid field names everywhere). */
  headers: string;
  status: MailStatusValue;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  messageId: string | null;
}

export const MAIL_QUEUE_MODEL = 'MailQueue';

export const mailQueueSchema = new Schema<MailQueueDoc>(
  {
    _id: idField,
    idempotencyKey: { type: String, required: true, maxlength: 300 },
    to: { type: String, required: true, maxlength: 320 },
    userId: nullableIdField,
    kind: { type: String, required: true, maxlength: 50 },
    locale: { type: String, required: true, enum: ['en', 'zh-CN'] },
    subject: { type: String, required: true, maxlength: 500 },
    html: { type: String, default: '' },
    text: { type: String, default: '' },
    headers: { type: String, default: '{}' },
    status: { type: String, required: true, enum: MAIL_STATUSES },
    attempts: { ...countField, min: 0 },
    nextAttemptAt: timeField,
    leaseOwner: { type: String, default: null, maxlength: 300 },
    leaseUntil: { ...countField, min: 0 },
    lastError: { type: String, default: null, maxlength: MAIL_ERROR_MAX },
    createdAt: timeField,
    sentAt: nullableTimeField,
    messageId: { type: String, default: null, maxlength: 300 },
  },
  schemaOptions('mailQueue'),
);

mailQueueSchema.index({ idempotencyKey: 1 }, { unique: true, name: 'mail_queue_key_unique' });
// claim: due queued mails, oldest first.
mailQueueSchema.index({ status: 1, nextAttemptAt: 1 }, { name: 'mail_queue_claim' });
// the admin list, newest first.
mailQueueSchema.index({ createdAt: -1, _id: -1 }, { name: 'mail_queue_created' });
