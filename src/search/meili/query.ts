import type { SearchParams } from 'meilisearch';
import { MAX_TOTAL_HITS, type SearchFacet, type SearchFilters, type SearchQuery, type SearchSort } from '../port.js';
import { CONTENT_LOCALES } from './settings.js';
import { THREAD_ATTRIBUTE } from './documents.js';
import { queryTerms } from './terms.js';

/*
 * The port query as Meilisearch search parameters. The result is mapped back in hits.ts.
 */

/**
 * Highlight markers that user text cannot contain (documents.ts strips them): Meilisearch
 * does not HTML-escape _formatted, so hits.ts escapes everything and only then turns these
 * into <mark>. With '<mark>' as the tag, a post containing "<mark>" would be indistinguishable.
 */
export const HIGHLIGHT_PRE = '\u0001';
export const HIGHLIGHT_POST = '\u0002';

/** About two lines of text around the matches. */
export const CROP_WORDS = 30;
export const DEFAULT_HITS_PER_PAGE = 20;
export const MAX_HITS_PER_PAGE = 100;

export const FACET_ATTRIBUTE: Record<SearchFacet, string> = { community: 'communityId', kind: 'kind', tag: 'tags' };

const SORT: Record<SearchSort, string[] | undefined> = {
  relevance: undefined,
  newest: ['createdAt:desc'],
  score: ['score:desc'],
};

/** Every stored attribute but the body, which comes back cropped in _formatted instead. */
export const RETRIEVED_ATTRIBUTES = ['docId', 'kind', 'id', 'communityId', 'questionId', 'title', 'slug', 'tags', 'faqPath', 'score', 'answerCount', 'accepted', 'createdAt'];

/** The parameters this adapter sends; page and hitsPerPage are always set (exact totalHits). */
export type MeiliSearchParams = SearchParams & { page: number; hitsPerPage: number };

/** A double-quoted filter value; a backslash or quote inside cannot end the string early. */
export function filterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function toMeiliFilter(filters: SearchFilters): string[] {
  const out: string[] = [];
  if (filters.community !== undefined) out.push(`communityId = ${filterValue(filters.community)}`);
  if (filters.kind !== undefined) out.push(`kind = ${filterValue(filters.kind)}`);
  if (filters.tag !== undefined) out.push(`tags = ${filterValue(filters.tag)}`);
  if (filters.answered !== undefined) out.push(`answered = ${filters.answered ? 'true' : 'false'}`);
  if (filters.accepted !== undefined) out.push(`accepted = ${filters.accepted ? 'true' : 'false'}`);
  return out;
}

/** Page size and page as the engine can serve them: no page beyond Meilisearch's maxTotalHits. */
export function clampPaging(query: Pick<SearchQuery, 'page' | 'hitsPerPage'>): { page: number; hitsPerPage: number } {
  const hitsPerPage = Math.max(1, Math.min(MAX_HITS_PER_PAGE, Math.floor(query.hitsPerPage) || DEFAULT_HITS_PER_PAGE));
  const lastPage = Math.max(1, Math.floor(MAX_TOTAL_HITS / hitsPerPage));
  const page = Math.min(lastPage, Math.max(1, Math.floor(query.page) || 1));
  return { page, hitsPerPage };
}

/**
 * `terms` defaults to the query's own terms; the engine passes fewer when some of them match
 * nothing at all (see engine.ts).
 */
export function toMeiliSearchParams(query: SearchQuery, terms: readonly string[] = queryTerms(query.q)): { q: string; params: MeiliSearchParams } {
  const params: MeiliSearchParams = {
    ...clampPaging(query),
    attributesToRetrieve: [...RETRIEVED_ATTRIBUTES],
    attributesToHighlight: ['title', 'body'],
    attributesToCrop: ['body'],
    cropLength: CROP_WORDS,
    cropMarker: '…',
    highlightPreTag: HIGHLIGHT_PRE,
    highlightPostTag: HIGHLIGHT_POST,
    // As the embedded engine scores coverage by each word's rarity: documents with all the
    // words first, then those missing the most frequent ones (not simply the last typed), so
    // a document with the rare words is never below one with only a common word.
    matchingStrategy: 'frequency',
    locales: [...CONTENT_LOCALES],
  };
  const filter = toMeiliFilter(query.filters);
  if (filter.length > 0) params.filter = filter;
  const sort = SORT[query.sort];
  if (sort) params.sort = [...sort];
  // One result per thread: Meilisearch keeps the best-ranked document of each thread key.
  if (query.distinct) params.distinct = THREAD_ATTRIBUTE;
  const facets = [...new Set(query.facets ?? [])];
  if (facets.length > 0) params.facets = facets.map((f) => FACET_ATTRIBUTE[f]);
  return { q: terms.join(' '), params };
}
