import type { MetaRepository, ModerationRepository, RateLimitRepository } from '../../db/ports.js';
import { parseSettings, type ModerationSettings } from '../../domain/moderation-settings.js';
import { DomainError, ForbiddenError, TooManyRequestsError, ValidationError } from '../../domain/errors.js';
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
    private readonly meta: MetaRepository,
    private readonly rateLimits: RateLimitRepository,
    private readonly now: () => number = Date.now,
    private readonly trustLimits = true,
  ) {}

  private paused = 0;

  /**
   * Runs fn with the trust limits off: the demo seed writes a year of activity for a handful
   * of fresh accounts in a few seconds, which no new account could do. Suspensions, closes
   * and locks still apply.
   */
  async withoutTrustLimits<T>(fn: () => Promise<T>): Promise<T> {
    this.paused++;
    try {
      return await fn();
    } finally {
      this.paused--;
    }
  }

  private get limitsOn(): boolean {
    return this.trustLimits && this.paused === 0;
  }

  private async settings(): Promise<ModerationSettings> {
    return parseSettings(await this.meta.get(SETTINGS_META_KEY));
  }

  /** New accounts (young and low reputation) get the trust limits; admins never do. */
  private isNew(user: User, s: ModerationSettings): boolean {
    return this.limitsOn && !user.isAdmin && this.now() - user.createdAt < s.newAccountDays * 86_400_000 && user.reputation < s.newAccountReputation;
  }

  private async limitLinks(user: User, bodyMd: string, s: ModerationSettings): Promise<void> {
    if (this.isNew(user, s) && countLinks(bodyMd) > s.newAccountMaxLinks) throw new ValidationError({ body: { key: 'mod.trust.tooManyLinks', params: { max: s.newAccountMaxLinks } } });
  }

  private async rate(key: string, limit: number, windowMs: number, messageKey: string): Promise<void> {
    const now = this.now();
    const hit = await this.rateLimits.hit(key, windowMs, now);
    if (hit.count > limit) throw new TooManyRequestsError(messageKey, Math.max(1, Math.ceil((hit.resetAt - now) / 1000)));
  }

  private notSuspended(user: User, communityId: string): Promise<void> {
    return assertNotSuspended(this.repo, user, communityId, this.now());
  }

  private async locked(post: Post, question: Question): Promise<boolean> {
    const states = await this.repo.states(post.id === question.id ? [post.id] : [post.id, question.id]);
    return [...states.values()].some((s) => s.lockedAt !== null);
  }

  async beforeAsk(user: User, communityId: string, bodyMd: string): Promise<void> {
    await this.notSuspended(user, communityId);
    const s = await this.settings();
    await this.limitLinks(user, bodyMd, s);
    if (this.isNew(user, s)) await this.rate(`ask-day:${user.id}`, s.newAccountQuestionsPerDay, 86_400_000, 'mod.trust.questionsPerDay');
  }

  async beforeAnswer(user: User, question: Question, bodyMd: string): Promise<void> {
    await this.notSuspended(user, question.communityId);
    await this.limitLinks(user, bodyMd, await this.settings());
    const state = (await this.repo.states([question.id])).get(question.id);
    if (state?.lockedAt != null) throw new ForbiddenError('mod.lockedNoChanges');
    if (state?.closedAt != null) throw new ForbiddenError('mod.closedNoAnswers');
  }

  async beforeComment(user: User, post: Post, question: Question): Promise<void> {
    await this.notSuspended(user, post.communityId);
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeVote(user: User, post: Post, question: Question, value: VoteValue): Promise<void> {
    await this.notSuspended(user, post.communityId);
    const s = await this.settings();
    if (this.limitsOn && value === -1 && !user.isAdmin && user.reputation < s.downvoteReputation) throw new DomainError(403, 'mod.trust.downvoteReputation', { reputation: s.downvoteReputation });
    if (this.limitsOn && value !== 0) await this.rate(`vote-hour:${user.id}`, s.votesPerHour, 3_600_000, 'mod.trust.votesPerHour');
    if (await this.locked(post, question)) throw new ForbiddenError('mod.lockedNoChanges');
  }

  async beforeEdit(user: User, post: Post): Promise<void> {
    await this.notSuspended(user, post.communityId);
  }
}

/** Where the settings live in the meta store. */
export const SETTINGS_META_KEY = 'moderation_settings';

/** Links in a Markdown body: inline and reference links, autolinks and bare URLs, each counted once. */
export function countLinks(md: string): number {
  const urls = md.match(/\bhttps?:\/\/[^\s)\]>"']+|\bwww\.[^\s)\]>"']+/gi) ?? [];
  return urls.length;
}
