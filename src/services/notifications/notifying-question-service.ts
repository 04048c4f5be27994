import type { VoteResult } from '../../db/ports.js';
import type { Answer, Comment, Post, Question } from '../../domain/qa-types.js';
import type { Community, User } from '../../domain/types.js';
import { QuestionService, type QuestionDraft } from '../qa/question-service.js';
import type { QaNotifier } from './notification-service.js';

type QuestionServiceArgs = ConstructorParameters<typeof QuestionService>;

/*
 * The Q&A service with notifications: each action runs unchanged, then tells the notifier
 * what was saved. Done as a subclass so the Q&A service itself knows nothing of
 * notifications. The notifier never throws (it logs), so posting cannot fail because of it.
 */
export class NotifyingQuestionService extends QuestionService {
  private readonly notifier: QaNotifier;

  constructor(notifier: QaNotifier, ...args: QuestionServiceArgs) {
    super(...args);
    this.notifier = notifier;
  }

  override async ask(user: User, communitySlug: string, draft: QuestionDraft): Promise<{ community: Community; question: Question }> {
    const result = await super.ask(user, communitySlug, draft);
    await this.notifier.asked(user, result.question, result.community);
    return result;
  }

  override async answer(user: User, questionId: string, body: string): Promise<{ question: Question; answer: Answer; community: Community }> {
    const result = await super.answer(user, questionId, body);
    await this.notifier.answered(user, result.question, result.answer, result.community);
    return result;
  }

  override async comment(user: User, postId: string, body: string): Promise<{ post: Post; comment: Comment; question: Question; community: Community }> {
    const result = await super.comment(user, postId, body);
    await this.notifier.commented(user, result.post, result.comment, result.question, result.community);
    return result;
  }

  override async accept(user: User, questionId: string, answerId: string): Promise<{ question: Question; community: Community; accepted: boolean }> {
    const result = await super.accept(user, questionId, answerId);
    if (result.accepted) await this.notifier.accepted(user, result.question, answerId, result.community);
    return result;
  }
}

export type { VoteResult };
