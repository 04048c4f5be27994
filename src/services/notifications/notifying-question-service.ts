import type { VoteResult } from '../../db/ports.js';
import type { Answer, Comment, Post, Question } from '../../domain/qa-types.js';
import type { Community, User } from '../../domain/types.js';
import { QuestionService, type QuestionDraft } from '../qa/question-service.js';

type QuestionServiceArgs = ConstructorParameters<typeof QuestionService>;

/*
 * The Q&A service that wakes the event worker: each action records its event in its own
 * transaction (QuestionService), and once that committed this kicks the worker, which makes
 * the notifications in the background. The request does not wait for it, and a crash before
 * the worker ran loses nothing: the event is stored, and the next worker (any instance, or
 * this one after a restart) delivers it. kick() never throws and its drain never rejects.
 */
export class NotifyingQuestionService extends QuestionService {
  private readonly wake: () => void;

  constructor(wake: () => void, ...args: QuestionServiceArgs) {
    super(...args);
    this.wake = wake;
  }

  override async ask(user: User, communitySlug: string, draft: QuestionDraft): Promise<{ community: Community; question: Question }> {
    const result = await super.ask(user, communitySlug, draft);
    this.wake();
    return result;
  }

  override async answer(user: User, questionId: string, body: string): Promise<{ question: Question; answer: Answer; community: Community }> {
    const result = await super.answer(user, questionId, body);
    this.wake();
    return result;
  }

  override async comment(user: User, postId: string, body: string): Promise<{ post: Post; comment: Comment; question: Question; community: Community }> {
    const result = await super.comment(user, postId, body);
    this.wake();
    return result;
  }

  override async accept(user: User, questionId: string, answerId: string): Promise<{ question: Question; community: Community; accepted: boolean }> {
    const result = await super.accept(user, questionId, answerId);
    if (result.accepted) this.wake();
    return result;
  }
}

export type { VoteResult };
