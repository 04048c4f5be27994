import { Schema } from 'mongoose';
import { AUDIT_ACTIONS, CLOSE_REASONS, FLAG_OUTCOMES, FLAG_REASONS } from '../../../domain/moderation-types.js';
import { idField, nullableIdField, nullableTimeField, schemaOptions, textField, timeField } from './common.js';

/*
 * Moderation (issue 13). The audit log has counter ids so its pages can be cursored by id in
 * both backends; the repository only ever inserts into it. Post states are keyed by the post id.
 */
export interface AuditLogDoc {
  _id: number;
  actorId: number | null;
  action: string;
  communityId: number | null;
  targetType: 'post' | 'user' | 'settings';
  targetId: string;
  reason: string;
  before: string | null;
  after: string | null;
  createdAt: number;
}

export const AUDIT_LOG_MODEL = 'AuditLog';
export const auditLogSchema = new Schema<AuditLogDoc>(
  {
    _id: idField,
    actorId: nullableIdField,
    action: { type: String, required: true, enum: AUDIT_ACTIONS },
    communityId: nullableIdField,
    targetType: { type: String, required: true, enum: ['post', 'user', 'settings'] },
    targetId: { type: String, required: true },
    reason: textField,
    before: { type: String, default: null },
    after: { type: String, default: null },
    createdAt: timeField,
  },
  schemaOptions('auditLog'),
);
auditLogSchema.index({ communityId: 1, _id: -1 }, { name: 'audit_log_community' });

export interface PostStateDoc {
  _id: number;
  closedAt: number | null;
  closedBy: number | null;
  closeReason: string | null;
  closeNote: string;
  duplicateOf: number | null;
  lockedAt: number | null;
  lockedBy: number | null;
  lockReason: string;
  deletedBy: number | null;
  deleteReason: string;
  hiddenAt: number | null;
}

export const POST_STATE_MODEL = 'PostState';
export const postStateSchema = new Schema<PostStateDoc>(
  {
    _id: idField,
    closedAt: nullableTimeField,
    closedBy: nullableIdField,
    closeReason: { type: String, default: null, enum: [...CLOSE_REASONS, null] },
    closeNote: textField,
    duplicateOf: nullableIdField,
    lockedAt: nullableTimeField,
    lockedBy: nullableIdField,
    lockReason: textField,
    deletedBy: nullableIdField,
    deleteReason: textField,
    hiddenAt: nullableTimeField,
  },
  schemaOptions('postStates'),
);

export interface CloseVoteDoc {
  questionId: number;
  userId: number;
  kind: 'close' | 'reopen';
  reason: string;
  duplicateOf: number | null;
  createdAt: number;
}

export const CLOSE_VOTE_MODEL = 'CloseVote';
export const closeVoteSchema = new Schema<CloseVoteDoc>(
  {
    questionId: idField,
    userId: idField,
    kind: { type: String, required: true, enum: ['close', 'reopen'] },
    reason: textField,
    duplicateOf: nullableIdField,
    createdAt: timeField,
  },
  { ...schemaOptions('closeVotes'), _id: true },
);
closeVoteSchema.index({ questionId: 1, userId: 1, kind: 1 }, { name: 'close_votes_one', unique: true });

export interface FlagDoc {
  _id: number;
  postId: number;
  communityId: number;
  userId: number;
  reason: string;
  text: string;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: number | null;
  outcome: string | null;
}

export const FLAG_MODEL = 'Flag';
export const flagSchema = new Schema<FlagDoc>(
  {
    _id: idField,
    postId: idField,
    communityId: idField,
    userId: idField,
    reason: { type: String, required: true, enum: FLAG_REASONS },
    text: textField,
    createdAt: timeField,
    resolvedAt: nullableTimeField,
    resolvedBy: nullableIdField,
    outcome: { type: String, default: null, enum: [...FLAG_OUTCOMES, null] },
  },
  schemaOptions('flags'),
);
flagSchema.index({ postId: 1, userId: 1 }, { name: 'flags_one_per_member', unique: true });
flagSchema.index({ communityId: 1, resolvedAt: 1, createdAt: -1 }, { name: 'flags_open' });
flagSchema.index({ userId: 1, createdAt: -1 }, { name: 'flags_user' });

export interface SuspensionDoc {
  _id: number;
  userId: number;
  communityId: number | null;
  reason: string;
  endsAt: number | null;
  createdBy: number;
  createdAt: number;
  liftedAt: number | null;
  liftedBy: number | null;
}

export const SUSPENSION_MODEL = 'Suspension';
export const suspensionSchema = new Schema<SuspensionDoc>(
  {
    _id: idField,
    userId: idField,
    communityId: nullableIdField,
    reason: { type: String, required: true },
    endsAt: nullableTimeField,
    createdBy: idField,
    createdAt: timeField,
    liftedAt: nullableTimeField,
    liftedBy: nullableIdField,
  },
  schemaOptions('suspensions'),
);
suspensionSchema.index({ userId: 1, liftedAt: 1 }, { name: 'suspensions_user' });
