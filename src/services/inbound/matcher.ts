import type { Community } from '../../domain/types.js';
import type { SearchEngine, SearchHit } from '../../search/port.js';
import { hitUrl } from '../search/search-service.js';

export interface MatchLink {
  title: string;
  /** Site-relative. */
  url: string;
  kind: 'faq' | 'answer' | 'question';
}

/** Longest text sent as a query: the engine reads at most ten words anyway. */
const QUERY_CHARS = 300;
const TAG_HITS = 10;
const MAX_TAGS = 3;
/** A tag must be on the best hit, the second best, or on several lower ones. */
const TAG_MIN_WEIGHT = 0.5;

/*
 * Reads an inbound message against what the community already has, through the search engine:
 * tags from the most similar threads (so the question lands in the staff queues and watchers
 * of that topic), and the best curated answers for the acknowledgement. Both are help, not
 * steps: with the search engine down a message still becomes a question, untagged by it.
 */
export class InboundMatcher {
  constructor(private readonly engine: SearchEngine) {}

  async suggestTags(communityId: string, text: string): Promise<string[]> {
    const hits = await this.search(text, { community: communityId }, TAG_HITS);
    const weight = new Map<string, number>();
    hits.forEach((hit, rank) => {
      for (const tag of hit.tags) weight.set(tag, (weight.get(tag) ?? 0) + 1 / (rank + 1));
    });
    return [...weight.entries()]
      .filter(([, w]) => w >= TAG_MIN_WEIGHT)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_TAGS)
      .map(([tag]) => tag);
  }

  /** FAQ entries and accepted answers that best match the text ("this may already answer you"). */
  async bestAnswers(community: Community, text: string, excludeQuestionId: string | null, limit = 3): Promise<MatchLink[]> {
    // Filtered here rather than by the engine's `accepted` filter, which the embedded engine
    // applies before ranking and so narrows a loose, mail-length query to nothing too often.
    const hits = await this.search(text, { community: community.id }, TAG_HITS);
    return hits
      .filter((hit) => (hit.kind === 'faq' || hit.accepted) && hit.id !== excludeQuestionId && hit.questionId !== excludeQuestionId)
      .slice(0, limit)
      .map((hit) => ({ title: hit.title, url: hitUrl(community.slug, hit), kind: hit.kind }));
  }

  private async search(text: string, filters: { community: string }, hitsPerPage: number): Promise<SearchHit[]> {
    const q = text.replace(/\s+/g, ' ').trim().slice(0, QUERY_CHARS);
    if (q === '') return [];
    try {
      return (await this.engine.search({ q, filters, sort: 'relevance', page: 1, hitsPerPage, distinct: true })).hits;
    } catch {
      return [];
    }
  }
}
