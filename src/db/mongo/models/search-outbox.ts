import { Schema } from 'mongoose';
import { parseSearchDocId } from '../../../search/port.js';
import { countField, nullableTimeField, schemaOptions, timeField } from './common.js';

/*
 * One entry per search document ("question-12"), not per change: many changes to one
 * document coalesce into one upsert, and `version` counts them so that a worker finishing
 * an older version leaves the entry pending. The `_id` is the document id itself, which
 * makes the enqueue an upsert by primary key (no unique-index race between writers).
 *
 * The lease lives on the entry (leaseOwner/leaseUntil) rather than in a separate
 * collection, so claiming is one conditional updateMany and an expired lease needs no
 * clean-up: leaseUntil < now simply makes the entry claimable again.
 */
export type OutboxStatus = 'pending' | 'done' | 'failed';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'done', 'failed'];

/** Longer errors are cut when written: an engine's error text can be a whole response body. */
export const OUTBOX_ERROR_MAX = 1000;

export interface SearchOutboxDoc {
  _id: string;
  version: number;
  status: OutboxStatus;
  attempts: number;
  /** Wall-clock ms of the latest change (the worker and requeue compare it to the clock). */
  changedAt: number;
  nextAttemptAt: number;
  /** The claim token ("<owner>#<16 hex>") of the worker holding the entry, or null. */
  leaseOwner: string | null;
  /** 0 when free; the lease is held while leaseUntil >= now. */
  leaseUntil: number;
  doneAt: number | null;
  lastError: string | null;
}

export const SEARCH_OUTBOX_MODEL = 'SearchOutbox';

const isWhole = { validator: (v: unknown) => Number.isSafeInteger(v), message: '{PATH} must be a whole number' };

export const searchOutboxSchema = new Schema<SearchOutboxDoc>(
  {
    _id: {
      type: String,
      required: true,
      maxlength: 64,
      validate: { validator: (v: string) => parseSearchDocId(v) !== null, message: '{PATH} must be a search document id' },
    },
    version: { type: Number, required: true, min: 1, validate: isWhole },
    status: { type: String, required: true, enum: OUTBOX_STATUSES },
    attempts: { ...countField, min: 0 },
    changedAt: timeField,
    nextAttemptAt: timeField,
    leaseOwner: { type: String, default: null, maxlength: 300 },
    leaseUntil: { ...countField, min: 0 },
    doneAt: nullableTimeField,
    lastError: { type: String, default: null, maxlength: OUTBOX_ERROR_MAX },
  },
  schemaOptions('searchOutbox'),
);

// claim: due pending entries, oldest first, ties by id (the whole sort, so no in-memory sort).
searchOutboxSchema.index({ status: 1, nextAttemptAt: 1, _id: 1 }, { name: 'search_outbox_claim_id' });
// requeueChangedSince after a reindex (any status).
searchOutboxSchema.index({ changedAt: 1 }, { name: 'search_outbox_changed' });
// backlog's oldest pending change (read backwards) and listFailed's most recent failures.
searchOutboxSchema.index({ status: 1, changedAt: -1, _id: 1 }, { name: 'search_outbox_status_changed_id' });
// prune: done entries finished before a time.
searchOutboxSchema.index({ status: 1, doneAt: 1 }, { name: 'search_outbox_prune' });
