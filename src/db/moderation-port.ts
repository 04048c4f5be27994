import type { AuditEntry, AuditFilter, AuditInput, CloseInput, SystemCloseInput, CloseVoteTally, Flag, FlaggedPost, FlagInput, FlagOutcome, PostModeration, ReviewSort, Suspension, SuspensionInput } from '../domain/moderation-types.js';
import type { Answer, Post } from '../domain/qa-types.js';

/*
 * Moderation storage (issue 13). Every method that changes something also appends its audit
 * row in the same atomic step (a SQLite transaction; a MongoDB transaction), so the log can
 * never miss an action or record one that did not happen. The audit log itself is
 * append-only: nothing here updates or deletes a row of it.
 */
export interface ModerationRepository {
  /** Appends an audit row for an action that changes nothing else in storage (a warning). */
  record(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first; filters are ANDed. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;

  /** A post whether or not it is deleted (moderators and the author still see deleted posts). */
  findPostAny(postId: string): Promise<Post | null>;
  /**
   * A question's deleted (or hidden) answers, oldest first; with `authorId`, only that author's
   * (a member sees their own, so the page never reads other members' deleted bodies).
   */
  deletedAnswers(questionId: string, authorId?: string): Promise<Answer[]>;
  /** The moderation state of each of these posts that has one (missing ids have none). */
  states(postIds: string[]): Promise<Map<string, PostModeration>>;

  /**
   * Closes a live, open question; a duplicate counts on the original (FAQ evidence) in the same
   * step. ConflictError('mod.alreadyClosed') when it is closed already; NotFoundError when the
   * question or the original is not a live question. A SystemCloseInput closes as the system
   * (no actor; the audit row's `after` says `via: "import"`).
   */
  close(input: CloseInput | SystemCloseInput): Promise<void>;
  /** ConflictError('mod.notClosed') when it is open; a duplicate stops counting on its original. */
  reopen(questionId: string, actorId: string, reason: string, now: number): Promise<void>;
  /**
   * One close (or reopen) vote per member and question. When the votes reach `threshold` the
   * question closes (or reopens) in the same step, with the reason most voted (duplicate of
   * the most named original), audited as the last voter's action; the votes are then cleared.
   */
  castCloseVote(input: CloseInput & { kind: 'close' | 'reopen' }, threshold: number): Promise<{ tally: CloseVoteTally; changed: boolean }>;
  closeVotes(questionId: string, userId: string | null): Promise<CloseVoteTally & { mine: Array<'close' | 'reopen'> }>;

  /** ConflictError('mod.alreadyLocked' / 'mod.notLocked'). */
  lock(postId: string, actorId: string, reason: string, now: number): Promise<void>;
  unlock(postId: string, actorId: string, reason: string, now: number): Promise<void>;

  /**
   * Soft delete: the post leaves every list and search at once (posts.deleted_at), the votes
   * on it stop counting toward its author's reputation, and a deleted answer stops counting
   * in its question's answers. ConflictError('mod.alreadyDeleted').
   */
  softDelete(postId: string, actorId: string, reason: string, now: number): Promise<void>;
  /** Reverses softDelete (or a hide by flags). ConflictError('mod.notDeleted'). */
  undelete(postId: string, actorId: string, reason: string, now: number): Promise<void>;

  /**
   * One flag per member and post (ConflictError('mod.flag.already')); only live posts
   * (NotFoundError). When the post's open spam and rude flags reach `hideThreshold` it is
   * hidden pending review in the same step (out of lists, search and reputation, like a
   * delete), audited as a system action.
   */
  addFlag(input: FlagInput, hideThreshold: number): Promise<{ openFlags: number; hidden: boolean }>;
  /** Posts with open flags, in one community or (null) everywhere: newest flag first, or most flags first. */
  flagQueue(communityId: string | null, sort: ReviewSort, limit: number): Promise<FlaggedPost[]>;
  /** Open flags waiting, per community id (all communities when none given). */
  openFlagCounts(): Promise<Map<string, number>>;
  /**
   * Resolves every open flag on the post with the outcome, with its audit row; dismissing
   * the flags of a post they hid restores it. Returns the ids of the members whose flags were
   * resolved (one per flag), so each can be told the outcome.
   */
  resolveFlags(postId: string, actorId: string, outcome: FlagOutcome, reason: string, now: number): Promise<string[]>;
  /** A member's flags with their outcomes, newest first (for notifications, once they exist). */
  flagsByUser(userId: string, limit: number): Promise<Flag[]>;
  /** Which of these posts the member has flagged. */
  flaggedBy(userId: string, postIds: string[]): Promise<Set<string>>;

  /** Records the suspension, ends every session of the account and audits it, in one step. */
  suspend(input: SuspensionInput): Promise<Suspension>;
  /** Lifts it (ConflictError('mod.suspension.notActive') when lifted or over already). */
  unsuspend(suspensionId: string, actorId: string, reason: string, now: number): Promise<Suspension>;
  findSuspension(id: string): Promise<Suspension | null>;
  /** Suspensions in force at `now`, site-wide ones first. */
  activeSuspensions(userId: string, now: number): Promise<Suspension[]>;

  /** Stores a site setting (meta key) and audits the change with its before and after, in one step. */
  saveSetting(key: string, value: string, actorId: string, now: number): Promise<void>;
}
