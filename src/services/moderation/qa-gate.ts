import type { ModerationRepository } from '../../db/ports.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { Post, Question, VoteValue } from '../../domain/qa-types.js';
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

export class ModerationGate implements QaGate {
  constructor(private readonly repo: ModerationRepository) {}

  private async locked(post: Post, question: Question): Promise<boolean> {
    const states = await this.repo.states(post.id === question.id ? [post.id] : [post.id, question.id]);
    return [...states.values()].some((s) => s.lockedAt !== null);
  }

  async beforeAsk(): Promise<void> {}

  async beforeAnswer(_user: User, question: Question): Promise<void> {
    const state = (await this.repo.states([question.id])).get(question.id);
    if (state?.lockedAt != null) throw new ForbiddenError('mod.lockedNoChanges');
    if (state?.closedAt != null) throw new ForbiddenError('mod.closedNoAnswers');
  }

  async beforeComment(_user: User, post: Post, question: Question): Promise<void> {
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeVote(_user: User, post: Post, question: Question): Promise<void> {
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeEdit(): Promise<void> {}
}
