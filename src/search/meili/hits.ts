import { MAX_TOTAL_HITS, SEARCH_DOC_KINDS, searchDocId, type FacetDistribution, type SearchDocKind, type SearchFacet, type SearchHit, type SearchQuery, type SearchResult } from '../port.js';
import { snippet } from '../highlight.js';
import { escapeHtml } from '../text.js';
import type { MeiliDocument } from './documents.js';
import { formattedToHtml } from './marks.js';
import { clampPaging, FACET_ATTRIBUTE } from './query.js';

/** A stored document as a hit; read defensively, as it comes over the wire. */
type Fields = Partial<Record<keyof MeiliDocument, unknown>>;
export type MeiliRawHit = Fields & { _formatted?: Fields };

/** The part of a Meilisearch search response this adapter reads. */
export interface MeiliSearchResponseLike {
  hits: MeiliRawHit[];
  totalHits?: number;
  totalPages?: number;
  processingTimeMs: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

const NO_TERMS = { exact: new Set<string>(), prefixes: [] };

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function kindOf(value: unknown): SearchDocKind | null {
  return SEARCH_DOC_KINDS.includes(value as SearchDocKind) ? (value as SearchDocKind) : null;
}

function toHit(raw: MeiliRawHit): SearchHit | null {
  const kind = kindOf(raw.kind);
  const id = text(raw.id);
  // A document written by something else than this adapter: better left out than shown broken.
  if (!kind || id === '') return null;
  const title = text(raw.title);
  const formatted = raw._formatted ?? {};
  const formattedBody = formatted.body;
  const hit: SearchHit = {
    docId: searchDocId(kind, id),
    kind,
    id,
    questionId: typeof raw.questionId === 'string' ? raw.questionId : null,
    communityId: text(raw.communityId),
    title,
    titleHtml: typeof formatted.title === 'string' ? formattedToHtml(formatted.title) : escapeHtml(title),
    slug: text(raw.slug),
    // Meilisearch crops a body without matches from its start, so _formatted.body is the
    // snippet either way; the fallback serves a body retrieved without formatting.
    snippetHtml: typeof formattedBody === 'string' ? formattedToHtml(formattedBody) : snippet(text(raw.body), NO_TERMS),
    tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
    score: Number(raw.score) || 0,
    accepted: raw.accepted === true,
    answerCount: Number(raw.answerCount) || 0,
    createdAt: Number(raw.createdAt) || 0,
  };
  if (kind === 'faq') hit.faqPath = Array.isArray(raw.faqPath) ? raw.faqPath.filter((t): t is string => typeof t === 'string') : [];
  return hit;
}

/** Every requested facet is present, empty when nothing matched (as in the embedded engine). */
function facetsOf(distribution: MeiliSearchResponseLike['facetDistribution'], facets: readonly SearchFacet[]): FacetDistribution {
  const out: FacetDistribution = {};
  for (const facet of facets) out[facet] = { ...(distribution?.[FACET_ATTRIBUTE[facet]] ?? {}) };
  return out;
}

function reachablePages(totalHits: number, hitsPerPage: number): number {
  return Math.min(Math.ceil(totalHits / hitsPerPage), Math.floor(MAX_TOTAL_HITS / hitsPerPage));
}

export function fromMeiliResponse(response: MeiliSearchResponseLike, query: SearchQuery, ignoredWords: string[] = []): SearchResult {
  const { page, hitsPerPage } = clampPaging(query);
  const totalHits = response.totalHits ?? response.hits.length;
  return {
    hits: response.hits.map(toHit).filter((h): h is SearchHit => h !== null),
    estimatedTotalHits: totalHits,
    // Meilisearch stops counting at maxTotalHits; below it, page mode counts exactly.
    exhaustive: totalHits < MAX_TOTAL_HITS,
    facetDistribution: facetsOf(response.facetDistribution, [...new Set(query.facets ?? [])]),
    processingTimeMs: response.processingTimeMs,
    page,
    hitsPerPage,
    totalPages: Math.min(response.totalPages ?? Infinity, reachablePages(totalHits, hitsPerPage)),
    ignoredWords,
  };
}

/** The answer to a query with nothing to search for. */
export function emptyResult(query: SearchQuery, ignoredWords: string[] = []): SearchResult {
  return fromMeiliResponse({ hits: [], totalHits: 0, processingTimeMs: 0 }, query, ignoredWords);
}
