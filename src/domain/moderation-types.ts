/** Moderation (issue 13): what moderators set on posts and accounts, and the audit trail. */

export const AUDIT_ACTIONS = [
  'question.close',
  'question.reopen',
  'post.lock',
  'post.unlock',
  'post.delete',
  'post.undelete',
  'post.hide',
  'post.edit',
  'flags.resolve',
  'user.warn',
  'user.suspend',
  'user.unsuspend',
  'settings.update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditTargetType = 'post' | 'user' | 'settings';

/** One row of the append-only audit log. actorId is null for what the system did (a post hidden by flags). */
export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: AuditAction;
  communityId: string | null;
  targetType: AuditTargetType;
  targetId: string;
  reason: string;
  /** JSON or text of the state before and after, for edits and settings. */
  before: string | null;
  after: string | null;
  createdAt: number;
}

export interface AuditInput {
  actorId: string | null;
  action: AuditAction;
  communityId: string | null;
  targetType: AuditTargetType;
  targetId: string;
  reason: string;
  before?: string | null;
  after?: string | null;
  now: number;
}

export interface AuditFilter {
  communityId?: string;
  action?: AuditAction;
  actorId?: string;
  /** Entries with an id below this one (the next page). */
  beforeId?: string;
  limit: number;
}

export const CLOSE_REASONS = ['duplicate', 'off-topic', 'needs-details', 'resolved'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** What moderators set on a post. A post nobody moderated has the empty state. */
export interface PostModeration {
  postId: string;
  closedAt: number | null;
  closedBy: string | null;
  closeReason: CloseReason | null;
  closeNote: string;
  duplicateOf: string | null;
  lockedAt: number | null;
  lockedBy: string | null;
  lockReason: string;
  /** Set when the post is deleted by a moderator or hidden by flags (posts.deleted_at). */
  deletedAt: number | null;
  deletedBy: string | null;
  deleteReason: string;
  /** Hidden by flags pending review (deletedAt is then set too, deletedBy is null). */
  hiddenAt: number | null;
}

export function emptyModeration(postId: string): PostModeration {
  return {
    postId,
    closedAt: null,
    closedBy: null,
    closeReason: null,
    closeNote: '',
    duplicateOf: null,
    lockedAt: null,
    lockedBy: null,
    lockReason: '',
    deletedAt: null,
    deletedBy: null,
    deleteReason: '',
    hiddenAt: null,
  };
}

export interface CloseInput {
  questionId: string;
  actorId: string;
  reason: CloseReason;
  duplicateOf: string | null;
  note: string;
  now: number;
}

/**
 * A close the system makes rather than a member: an import carrying over the duplicate links
 * of a data dump. Like a post hidden by flags it has no actor (the audit log shows "System"),
 * and its audit row names where it came from in `via`.
 */
export interface SystemCloseInput extends Omit<CloseInput, 'actorId'> {
  actorId: null;
  via: 'import';
}

export interface CloseVoteTally {
  close: number;
  reopen: number;
}

export const FLAG_REASONS = ['spam', 'rude', 'off-topic', 'needs-improvement', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
/** Reasons whose flags count toward hiding a post pending review. */
export const HIDING_FLAG_REASONS: readonly FlagReason[] = ['spam', 'rude'];

export const FLAG_OUTCOMES = ['dismissed', 'edited', 'deleted', 'locked', 'closed', 'warned', 'suspended'] as const;
export type FlagOutcome = (typeof FLAG_OUTCOMES)[number];

export interface Flag {
  id: string;
  postId: string;
  communityId: string;
  userId: string;
  reason: FlagReason;
  text: string;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  /** What became of the flag: kept so flaggers can be told once notifications exist. */
  outcome: FlagOutcome | null;
}

export interface FlagInput {
  postId: string;
  userId: string;
  reason: FlagReason;
  text: string;
  now: number;
}

/** A post in the review queue with its open flags (newest flag first). */
export interface FlaggedPost {
  postId: string;
  communityId: string;
  flags: Flag[];
  latestAt: number;
}

export type ReviewSort = 'newest' | 'most';

/** A suspension: read-only in one community, or (communityId null) everywhere; endsAt null is for good. */
export interface Suspension {
  id: string;
  userId: string;
  communityId: string | null;
  reason: string;
  endsAt: number | null;
  createdBy: string;
  createdAt: number;
  liftedAt: number | null;
  liftedBy: string | null;
}

export interface SuspensionInput {
  userId: string;
  communityId: string | null;
  reason: string;
  endsAt: number | null;
  actorId: string;
  now: number;
}
