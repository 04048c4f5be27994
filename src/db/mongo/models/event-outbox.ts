import { Schema } from 'mongoose';
import { EVENT_ERROR_MAX, QA_EVENT_KINDS, type EventStatus, type QaEventKind } from '../../event-port.js';
import { countField, idField, nullableTimeField, schemaOptions, timeField } from './common.js';

/*
 * One document per Q&A event (src/db/event-port.ts), inserted in the transaction of the post,
 * comment or acceptance it records. The unique key makes recording an event twice keep one
 * document (the insert is an upsert on it). The lease lives on the document, as in the mail
 * queue and the search outbox: a claim is one conditional updateMany, an expired lease frees
 * the event without any clean-up.
 */
export const EVENT_STATUSES: readonly EventStatus[] = ['pending', 'done', 'failed'];

export interface EventOutboxDoc {
  _id: number;
  kind: QaEventKind;
  key: string;
  /** The payload's ids as JSON (QaEventPayload). */
  payload: string;
  status: EventStatus;
  attempts: number;
  nextAttemptAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  lastError: string | null;
  createdAt: number;
  doneAt: number | null;
}

export const EVENT_OUTBOX_MODEL = 'EventOutbox';

export const eventOutboxSchema = new Schema<EventOutboxDoc>(
  {
    _id: idField,
    kind: { type: String, required: true, enum: QA_EVENT_KINDS },
    key: { type: String, required: true, maxlength: 200 },
    payload: { type: String, required: true, maxlength: 2000 },
    status: { type: String, required: true, enum: EVENT_STATUSES },
    attempts: { ...countField, min: 0 },
    nextAttemptAt: timeField,
    leaseOwner: { type: String, default: null, maxlength: 300 },
    leaseUntil: { ...countField, min: 0 },
    lastError: { type: String, default: null, maxlength: EVENT_ERROR_MAX },
    createdAt: timeField,
    doneAt: nullableTimeField,
  },
  schemaOptions('eventOutbox'),
);

eventOutboxSchema.index({ key: 1 }, { unique: true, name: 'event_outbox_key_unique' });
// claim: due pending events, oldest first.
eventOutboxSchema.index({ status: 1, nextAttemptAt: 1, _id: 1 }, { name: 'event_outbox_claim' });
// listFailed: newest failures first.
eventOutboxSchema.index({ status: 1, createdAt: -1, _id: -1 }, { name: 'event_outbox_status_created' });
// prune: done events finished before a time.
eventOutboxSchema.index({ status: 1, doneAt: 1 }, { name: 'event_outbox_prune' });
