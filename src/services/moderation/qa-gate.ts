import type { ModerationRepository } from '../../db/ports.js';
import { DomainError, ForbiddenError } from '../../domain/errors.js';
import type { Post, Question, VoteValue } from '../../domain/qa-types.js';
import type { Suspension } from '../../domain/moderation-types.js';
import type { User } from '../../domain/types.js';

/**
 * What the Q&A service asks before a member writes: closed questions take no answers, and
 * locked posts take no answers, comments or votes. Moderation decides; the Q&A service only
 * calls these hooks, so it needs no moderation storage of its own.
 */
export interface QaGate {
  beforeAsk(user: User, communityId: string, bodyMd: string): Promise<void>;
  beforeAnswer(user: User, question: Question, bodyMd: string): Promise<void>;
  beforeComment(user: User, post: Post, question: Question): Promise<void>;
  beforeVote(user: User, post: Post, question: Question, value: VoteValue): Promise<void>;
  beforeEdit(user: User, post: Post, question: Question): Promise<void>;
}

/** Thrown while an account is suspended: the page shows the reason and until when. */
export class SuspendedError extends DomainError {
  constructor(readonly suspension: Suspension) {
    super(
      403,
      suspension.endsAt === null ? 'mod.suspendedForGood' : 'mod.suspendedUntil',
      { reason: suspension.reason, until: suspension.endsAt === null ? '' : `${new Date(suspension.endsAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` },
    );
  }
}

/** Refuses a write by a suspended account (site-wide, or in this community). */
export async function assertNotSuspended(repo: ModerationRepository, user: User, communityId: string, now: number): Promise<void> {
  const active = await repo.activeSuspensions(user.id, now);
  const hit = active.find((s) => s.communityId === null || s.communityId === communityId);
  if (hit) throw new SuspendedError(hit);
}

export class ModerationGate implements QaGate {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly now: () => number = Date.now,
  ) {}

  private notSuspended(user: User, communityId: string): Promise<void> {
    return assertNotSuspended(this.repo, user, communityId, this.now());
  }

  private async locked(post: Post, question: Question): Promise<boolean> {
    const states = await this.repo.states(post.id === question.id ? [post.id] : [post.id, question.id]);
    return [...states.values()].some((s) => s.lockedAt !== null);
  }

  async beforeAsk(user: User, communityId: string): Promise<void> {
    await this.notSuspended(user, communityId);
  }

  async beforeAnswer(user: User, question: Question): Promise<void> {
    await this.notSuspended(user, question.communityId);
    const state = (await this.repo.states([question.id])).get(question.id);
    if (state?.lockedAt != null) throw new ForbiddenError('mod.lockedNoChanges');
    if (state?.closedAt != null) throw new ForbiddenError('mod.closedNoAnswers');
  }

  async beforeComment(user: User, post: Post, question: Question): Promise<void> {
    await this.notSuspended(user, post.communityId);
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeVote(user: User, post: Post, question: Question): Promise<void> {
    await this.notSuspended(user, post.communityId);
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeEdit(user: User, post: Post): Promise<void> {
    await this.notSuspended(user, post.communityId);
  }
}
