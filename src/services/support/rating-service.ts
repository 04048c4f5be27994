import type { SupportRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import type { SupportRating, SupportTicket } from '../../domain/support-types.js';
import type { Community, User } from '../../domain/types.js';
import type { CommunityService } from '../communities/community-service.js';
import type { PostRepository } from '../../db/ports.js';
import type { Question } from '../../domain/qa-types.js';
import { clockFrom, type SupportService } from './support-service.js';

/** A rating can be changed for this long after it was first given. */
export const RATING_CHANGE_MS = 7 * 24 * 3_600_000;
const COMMENT_MAX = 1000;

/** Whether the asker may rate (or change the rating) now. */
export function canRate(ticket: SupportTicket, rating: SupportRating | null, now: number): boolean {
  if (rating) return now - rating.createdAt <= RATING_CHANGE_MS;
  return ticket.status === 'resolved';
}

/** A rating of 1 or 2 that sent the question back to staff. */
export interface LowRatingEvent {
  questionId: string;
  communityId: string;
  score: number;
  comment: string;
  at: number;
}

/** Hears service-recovery events (the moderators are told); never throws. */
export interface RecoveryNotifier {
  lowRating(event: LowRatingEvent): Promise<void>;
}

export const silentRecovery: RecoveryNotifier = { lowRating: async () => {} };

/**
 * Satisfaction and service recovery (issue 12): the asker rates the help once a question is
 * resolved; a 1 or 2, or "still not solved", reopens the question for staff with a fresh
 * clock so that an unhappy customer is looked after first.
 */
export class RatingService {
  constructor(
    private readonly repo: SupportRepository,
    private readonly posts: PostRepository,
    private readonly communities: CommunityService,
    private readonly support: SupportService,
    private readonly now: () => number = Date.now,
    private readonly recovery: RecoveryNotifier = silentRecovery,
  ) {}

  private async askerTicket(user: User, questionId: string): Promise<{ ticket: SupportTicket; question: Question; community: Community }> {
    const ticket = await this.repo.findTicket(questionId);
    const question = ticket ? await this.posts.findQuestion(questionId) : null;
    const community = ticket ? await this.communities.byId(ticket.communityId) : null;
    if (!ticket || !question || !community) throw new NotFoundError('support.ticketNotFound');
    if (ticket.askerId !== user.id) throw new ForbiddenError('support.rating.onlyAsker');
    return { ticket, question, community };
  }

  async rate(user: User, questionId: string, form: { score: string; comment: string }): Promise<{ question: Question; community: Community; reopened: boolean }> {
    const { ticket, question, community } = await this.askerTicket(user, questionId);
    const errors: FieldErrors = {};
    const score = /^[1-5]$/.test(form.score.trim()) ? Number(form.score.trim()) : NaN;
    if (Number.isNaN(score)) errors.score = { key: 'support.rating.scoreRequired' };
    const comment = form.comment.trim();
    if (Array.from(comment).length > COMMENT_MAX) errors.comment = { key: 'support.rating.commentTooLong', params: { max: COMMENT_MAX } };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const existing = await this.repo.findRating(questionId);
    const now = this.now();
    if (!canRate(ticket, existing, now)) throw new ForbiddenError('support.rating.closed');
    await this.repo.saveRating({ questionId, communityId: community.id, askerId: user.id, score, comment, createdAt: existing?.createdAt ?? now, updatedAt: now });
    const wasLow = existing !== null && existing.score <= 2;
    if (score <= 2 && !wasLow && ticket.status === 'resolved') {
      await this.reopen(ticket, user.id, now, `rating ${score}${comment ? `: ${comment}` : ''}`);
      await this.recovery.lowRating({ questionId, communityId: community.id, score, comment, at: now });
      return { question, community, reopened: true };
    }
    await this.repo.updateTicket(questionId, { updatedAt: now }, { actorId: user.id, kind: 'rated', detail: String(score), at: now });
    return { question, community, reopened: false };
  }

  /** "Still not solved": the asker sends a resolved question back to staff. */
  async stillNotSolved(user: User, questionId: string): Promise<{ question: Question; community: Community }> {
    const { ticket, question, community } = await this.askerTicket(user, questionId);
    if (ticket.status !== 'resolved') throw new ValidationError({ status: { key: 'support.rating.notResolved' } });
    await this.reopen(ticket, user.id, this.now(), 'still not solved');
    return { question, community };
  }

  private async reopen(ticket: SupportTicket, actorId: string, now: number, detail: string): Promise<void> {
    const settings = await this.support.settingsFor(ticket.communityId);
    const clock = clockFrom(settings, ticket.urgent ? settings.urgentHours : settings.targetHours, now);
    await this.repo.updateTicket(
      ticket.questionId,
      { status: 'open', resolvedAt: null, respondedAt: null, responseKind: null, pausedRemainingMs: null, warnAt: clock.warnAt, dueAt: clock.dueAt, warnedAt: null, breachedAt: null, reopenCount: ticket.reopenCount + 1, updatedAt: now },
      { actorId, kind: 'reopened', detail, at: now },
    );
  }

  async ratingOf(questionId: string): Promise<SupportRating | null> {
    return this.repo.findRating(questionId);
  }
}
