/*
 * The search port. Services depend on this interface only; the embedded engine
 * (./sqlite-fts) and the production engine (Meilisearch, a later adapter) implement it.
 * Names and shapes follow Meilisearch's search API (filters, sort, page/hitsPerPage,
 * facets -> facetDistribution, estimatedTotalHits, processingTimeMs) so that the
 * Meilisearch adapter is a thin translation.
 */

export type SearchDocKind = 'question' | 'answer' | 'faq';
export const SEARCH_DOC_KINDS: readonly SearchDocKind[] = ['question', 'answer', 'faq'];

export type SearchSort = 'relevance' | 'newest' | 'score';
export const SEARCH_SORTS: readonly SearchSort[] = ['relevance', 'newest', 'score'];

export type SearchFacet = 'community' | 'kind' | 'tag';

/** A document id as Meilisearch would store it (primary keys allow [a-zA-Z0-9_-]). */
export type SearchDocId = `${SearchDocKind}-${string}`;

export function searchDocId(kind: SearchDocKind, id: string): SearchDocId {
  return `${kind}-${id}`;
}

export function parseSearchDocId(value: string): { kind: SearchDocKind; id: string } | null {
  const m = /^(question|answer|faq)-([1-9]\d{0,15})$/.exec(value);
  return m ? { kind: m[1] as SearchDocKind, id: m[2]! } : null;
}

/**
 * What gets indexed. Questions and answers carry the fields DESIGN.md section 6 lists;
 * an answer repeats its question's title (shown as the hit title) and tags (filters).
 * FAQ entries carry their path in the FAQ tree and helpful votes.
 */
export interface SearchDocument {
  kind: SearchDocKind;
  id: string;
  communityId: string;
  /** The thread: the question's id for questions and answers; the source question (if any) for FAQ entries. */
  questionId: string | null;
  /** Question title (for an answer: its question's title); FAQ entry title. */
  title: string;
  /** For building the URL: the question slug (questions, answers) or the entry slug (FAQ). */
  slug: string;
  bodyText: string;
  tags: string[];
  /** Votes (posts) or helpful votes (FAQ). */
  score: number;
  answerCount: number;
  accepted: boolean;
  createdAt: number;
  activeAt?: number;
  /** FAQ entries: category names from the root, at most four. */
  faqPath?: string[];
  /** The community's name, searchable so that "coffee roasting" finds that community's threads. */
  communityName?: string;
}

export interface SearchFilters {
  /** Community id (not slug: ids are stable; the service maps the slug from the URL). */
  community?: string;
  kind?: SearchDocKind;
  tag?: string;
  /** Thread has at least one answer (answers and FAQ entries count as answered). */
  answered?: boolean;
  /** Question with an accepted answer, an accepted answer, or an FAQ entry (curated). */
  accepted?: boolean;
}

export interface SearchQuery {
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  hitsPerPage: number;
  facets?: SearchFacet[];
  /**
   * One result per thread: a question and its answers give one hit (the best-matching of
   * them); an FAQ entry stays its own hit, placed above its source thread. The page of
   * results and the similar-questions box ask for this; counts and facets then describe
   * what the list holds (threads and entries, not every matching document).
   */
  distinct?: boolean;
  /** Return each hit's score parts (the admin explain view; the embedded engine only). */
  explain?: boolean;
}

/** Why a hit ranks where it does: named parts of its score. */
export type ScoreParts = Record<string, number>;

export interface SearchHit {
  docId: SearchDocId;
  kind: SearchDocKind;
  id: string;
  questionId: string | null;
  communityId: string;
  /** Plain title (an answer shows its question's title). */
  title: string;
  /** The title HTML-escaped with <mark>…</mark> around matched words. */
  titleHtml: string;
  slug: string;
  /** Matched words in context: HTML-escaped text with <mark>…</mark> only around matches. */
  snippetHtml: string;
  tags: string[];
  score: number;
  accepted: boolean;
  answerCount: number;
  createdAt: number;
  faqPath?: string[];
  /** An answer hit: who wrote it ("matched in an answer by X"). */
  answerAuthor?: string;
  /** An answer hit: its author's user id (a display name is not unique: the staff badge goes by id). */
  answerAuthorId?: string;
  explain?: ScoreParts;
}

export type FacetDistribution = Partial<Record<SearchFacet, Record<string, number>>>;

export interface SearchResult {
  hits: SearchHit[];
  estimatedTotalHits: number;
  /** True when estimatedTotalHits and the facet counts are exact, not estimates. */
  exhaustive: boolean;
  facetDistribution: FacetDistribution;
  processingTimeMs: number;
  page: number;
  hitsPerPage: number;
  /** Pages that can be reached (at most maxTotalHits / hitsPerPage, as in Meilisearch). */
  totalPages: number;
  /** Query words that matched nothing at all, even with typos, and were left out. */
  ignoredWords: string[];
}

export interface ReindexReport {
  questions: number;
  answers: number;
  faq: number;
  ms: number;
}

export interface CompactionOptions {
  /** Wall time after which no new step starts. */
  budgetMs: number;
  /**
   * Merge everything into one segment in one blocking call, whatever the budget: for offline
   * tools (the data generator, the importer), where no request waits.
   */
  whole?: boolean;
}

/** One run of an engine's index maintenance (compactIndex). */
export interface CompactionReport {
  /** Index segments (all of the engine's tables) before and after the run. */
  segmentsBefore: number;
  segmentsAfter: number;
  steps: number;
  /** The longest step, ms: how long requests could be held up at most. */
  maxStepMs: number;
  /** Time the steps took in all, ms. */
  workMs: number;
  /** True when nothing is left to merge (until the next writes). */
  done: boolean;
}

export interface SearchEngine {
  readonly name: 'sqlite-fts' | 'meili';
  search(query: SearchQuery): Promise<SearchResult>;
  /**
   * Loads what searches need in memory (the embedded engine's typo vocabulary) without
   * blocking requests; called at startup, so the first search does not pay for it.
   */
  warmUp?(): Promise<void>;
  /** Adds or replaces documents. */
  index(docs: SearchDocument[]): Promise<void>;
  delete(ids: SearchDocId[]): Promise<void>;
  /** Rebuilds the whole index from the database (the source of truth). */
  reindexAll(): Promise<ReindexReport>;
  /**
   * Merges the index's segments so searches read fewer pages, in small steps that let requests
   * run in between, until nothing is left to merge or budgetMs of wall time has passed (a later
   * call goes on); results never change. The embedded engine only: Meilisearch merges its own.
   */
  compactIndex?(options: CompactionOptions): Promise<CompactionReport>;
  /** Whether a separate engine answers (the embedded one lives in the database and has none). */
  health?(): Promise<boolean>;
}

/**
 * An engine fed by the search outbox (Meilisearch): it reads documents from the database
 * itself, so the outbox worker only names them.
 */
export interface OutboxFedEngine extends SearchEngine {
  /** Indexes the current state of these documents and removes those that are gone; throws when the engine refused. */
  sync(docIds: readonly string[]): Promise<{ indexed: number; deleted: number }>;
  health(): Promise<boolean>;
}

/** Meilisearch's default pagination.maxTotalHits: hits beyond this cannot be paged to. */
export const MAX_TOTAL_HITS = 1000;
/** Meilisearch ignores query words after the tenth (a limit of its engine). */
export const MAX_QUERY_WORDS = 10;
/**
 * The embedded engine reads more: long Chinese questions carry their most useful words at
 * the end, and every word is evidence, never a filter.
 */
export const MAX_EMBEDDED_QUERY_WORDS = 32;
