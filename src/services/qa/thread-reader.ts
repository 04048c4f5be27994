import type { Community } from '../../domain/types.js';
import type { Question } from '../../domain/qa-types.js';
import type { AttributionService, AttributionView } from '../import/attribution-service.js';
import type { ModerationService, ThreadModeration } from '../moderation/moderation-service.js';
import type { StaffBadges, StaffDirectory } from '../support/staff-directory.js';
import { GenerationCache, type GenerationCacheOptions } from '../generation-cache.js';
import type { ContentGeneration } from '../content-generation.js';
import type { QuestionService, SharedQuestionPage } from './question-service.js';

export interface Located {
  question: Question;
  community: Community;
}

/** Text parts as UTF-8 bytes. */
export function utf8Parts(parts: readonly string[]): Buffer[] {
  return parts.map((part) => Buffer.from(part, 'utf8'));
}

/** Everything on one page of a thread that is the same for every reader. */
export interface SharedThread {
  page: SharedQuestionPage;
  badges: StaffBadges;
  attributions: Record<string, AttributionView>;
  moderation: ThreadModeration;
  /** Derived once per kept page by whoever needs it first (the route adds the JSON-LD). */
  memo: Map<string, unknown>;
}

/**
 * The question page's reads that are the same for every reader, kept while nothing is written
 * (GenerationCache): the question and its community, the page's answers, comments and
 * authors, the staff badges, attributions and post states. A member's request then reads only
 * what is theirs (votes, membership, flags, watch) with a few small indexed reads. One
 * instance's cache; writes on another instance show here within the TTL.
 */
export class ThreadReader {
  private readonly located: GenerationCache<Located>;
  private readonly pages: GenerationCache<SharedThread>;
  private readonly fragments: GenerationCache<Buffer[]>;

  constructor(
    private readonly questions: QuestionService,
    private readonly moderation: ModerationService,
    private readonly attributions: AttributionService,
    private readonly staff: StaffDirectory,
    generation: ContentGeneration,
    options: GenerationCacheOptions,
    now: () => number = Date.now,
  ) {
    this.located = new GenerationCache(generation, options, now);
    this.pages = new GenerationCache(generation, options, now);
    this.fragments = new GenerationCache(generation, options, now);
  }

  /**
   * Rendered HTML kept under a key that names everything it shows (the caller's duty: see
   * routes/questions/thread-view.ts), rendered once for all readers with that key. Kept as
   * UTF-8 bytes, so that each response copies them instead of encoding the text again.
   */
  rendered(key: string, render: () => Promise<string[]>): Promise<Buffer[]> {
    return this.fragments.load(key, async () => utf8Parts(await render()));
  }

  /** The question and its community (not found for a deleted question: never kept). */
  locate(questionId: string): Promise<Located> {
    return this.located.load(questionId, () => this.questions.locate(questionId));
  }

  /** One page of the thread as everybody sees it (not found past the last page). */
  page(located: Located, page: number): Promise<SharedThread> {
    return this.pages.load(`${located.question.id}:${page}:${located.question.answerCount}`, async () => {
      const shared = await this.questions.sharedPage(located, page);
      const { community, question, answers } = shared;
      const [badges, attributions, moderation] = await Promise.all([
        this.staff.badges(community),
        this.attributions.forPosts([question.id, ...answers.map((a) => a.id)]),
        this.moderation.threadModeration(community, question, answers),
      ]);
      return { page: shared, badges, attributions, moderation, memo: new Map() };
    });
  }
}
