import type { Settings } from 'meilisearch';
import { MAX_TOTAL_HITS } from '../port.js';
import { THREAD_ATTRIBUTE } from './documents.js';

/** Meilisearch's built-in ranking rules in their default order. */
export const BUILT_IN_RANKING_RULES = ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'] as const;

/**
 * `sort` first: it acts only when a search asks for an explicit order (newest, active, top),
 * and then the reader expects that order, not text relevance with the dates as a tie-break.
 * Without an explicit sort, text relevance decides first; the FAQ / accepted boost and the
 * votes only order documents that match equally well, so a popular post never jumps a closer
 * match.
 */
export const RANKING_RULES: readonly string[] = ['sort', ...BUILT_IN_RANKING_RULES.filter((r) => r !== 'sort'), 'curated:desc', 'score:desc'];

/**
 * A title or tag match says more than a match in the FAQ path, which says more than one in the
 * community's name (it names the place, not the question), which says more than one in the body.
 */
export const SEARCHABLE_ATTRIBUTES: readonly string[] = ['title', 'tags', 'faqPath', 'communityName', 'body'];
/** `thread` is the search-time `distinct` attribute (one result per thread), which Meilisearch requires to be filterable. */
export const FILTERABLE_ATTRIBUTES: readonly string[] = ['communityId', 'kind', 'tags', 'answered', 'accepted', 'questionId', THREAD_ATTRIBUTE];
export const SORTABLE_ATTRIBUTES: readonly string[] = ['createdAt', 'activeAt', 'score'];

/**
 * Content is Chinese or English. Declaring both keeps Meilisearch from guessing Japanese for
 * short runs of Han characters (which would segment them wrongly).
 */
export const CONTENT_LOCALES: readonly string[] = ['zho', 'eng'];

/** Enough tag values for the facet list; counted by frequency so the 100 kept are the most used. */
export const MAX_VALUES_PER_FACET = 100;

/**
 * The index settings, applied at startup and to every rebuilt index before documents go in.
 * Typo tolerance and displayed attributes are left out on purpose: Meilisearch's defaults
 * (1 typo from 5 letters, 2 from 9; every attribute displayed) are what the port promises.
 */
export function meiliIndexSettings(synonyms: Record<string, string[]> = {}): Settings {
  return {
    searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
    filterableAttributes: [...FILTERABLE_ATTRIBUTES],
    sortableAttributes: [...SORTABLE_ATTRIBUTES],
    rankingRules: [...RANKING_RULES],
    localizedAttributes: [{ attributePatterns: ['title', 'body', 'tags', 'faqPath', 'communityName'], locales: [...CONTENT_LOCALES] }],
    pagination: { maxTotalHits: MAX_TOTAL_HITS },
    faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET, sortFacetValuesBy: { '*': 'count' } },
    synonyms,
  };
}
