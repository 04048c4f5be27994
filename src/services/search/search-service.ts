import { createHash } from 'node:crypto';
import type { CommunityRepository, SearchLogRepository, SearchReport } from '../../db/ports.js';
import type { Community, User } from '../../domain/types.js';
import { COMMUNITY_SLUG_PATTERN } from '../../domain/community-rules.js';
import { SearchUnavailableError } from '../../domain/errors.js';
import {
  parseSearchDocId,
  SEARCH_DOC_KINDS,
  SEARCH_SORTS,
  type FacetDistribution,
  type SearchDocKind,
  type SearchEngine,
  type SearchFilters,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type SearchSort,
} from '../../search/port.js';
import { tokenize } from '../../search/text.js';

/** The raw query string of /search: every value may be missing or anything at all. */
export interface SearchParams {
  q?: string;
  community?: string;
  kind?: string;
  tag?: string;
  answered?: string;
  accepted?: string;
  sort?: string;
  page?: string;
  /** The logged search that page 1 created (pages 2+ carry it so clicks are attributed). */
  sid?: string;
  /** "1": show each hit's score parts; honoured for site admins only. */
  explain?: string;
}

/** Who is searching, reduced to what the log keeps: a salted hash, never the identity. */
export interface Searcher {
  user: User | null;
  ip: string;
  /** The browser id cookie (src/http/browser-id.ts), when known. */
  browserId?: string | null;
}

export interface ParsedSearch {
  q: string;
  community: Community | null;
  kind: SearchDocKind | null;
  tag: string | null;
  answered: boolean | null;
  accepted: boolean | null;
  sort: SearchSort;
  page: number;
  /** Filter values that were not understood and were therefore left out. */
  ignored: Array<'community' | 'kind' | 'tag' | 'answered' | 'accepted' | 'sort'>;
}

export interface HitView extends SearchHit {
  url: string;
  community: { slug: string; name: string } | null;
}

export interface SearchOutcome {
  params: ParsedSearch;
  /** False for an empty query: the page then only shows the form. */
  searched: boolean;
  hits: HitView[];
  total: number;
  /** False when the total and the facet counts are estimates (very broad searches). */
  exhaustive: boolean;
  totalPages: number;
  facets: FacetDistribution;
  communities: Map<string, Community>;
  searchId: string | null;
  ignoredWords: string[];
  processingTimeMs: number;
  /** No results in the chosen community: where the same query does find something. */
  elsewhere: Array<{ community: Community; count: number }>;
  wordCount: number;
}

export interface SimilarItem {
  kind: 'question' | 'faq';
  /** The thread's question (an FAQ entry's source question, when it has one). */
  questionId: string | null;
  title: string;
  url: string;
  score: number;
  answerCount: number;
  accepted: boolean;
  answered: boolean;
}

/**
 * Where the service reads communities: the community service's list, which is reused while
 * no content changed (a search page would otherwise read the table on every request).
 */
export type CommunityDirectory = Pick<CommunityRepository, 'list' | 'findBySlug'>;

export const HITS_PER_PAGE = 20;
/**
 * Longest query searched, shown and logged: what the embedded engine reads (query-plan.ts), room
 * for the 32 words issue 9 asks for (32 English words are often more than 200 characters; the
 * search boxes allow as many).
 */
const MAX_QUERY_CHARS = 500;
const TAG_MAX = 35;

function yesNo(raw: string | undefined): boolean | null | undefined {
  if (raw === undefined || raw === '') return null;
  if (['yes', 'true', '1'].includes(raw)) return true;
  if (['no', 'false', '0'].includes(raw)) return false;
  return undefined;
}

export function hitUrl(communitySlug: string, hit: Pick<SearchHit, 'kind' | 'id' | 'questionId' | 'slug'>): string {
  const slug = encodeURIComponent(hit.slug || '-');
  if (hit.kind === 'faq') return `/c/${communitySlug}/faq/e/${hit.id}/${slug}`;
  // ?a= lets the question route pick the page that holds the answer when it is clicked:
  // votes move answers between pages, and a list of hits cannot afford a look-up per hit.
  if (hit.kind === 'answer') return `/c/${communitySlug}/q/${hit.questionId}/${slug}?a=${encodeURIComponent(hit.id)}`;
  return `/c/${communitySlug}/q/${hit.id}/${slug}`;
}

/**
 * The hits with their links and communities, made once per list of engine hits: a repeated
 * search gets the engine's cached list again, and its page then reuses these (and what the
 * page derives from them, routes/search/view.ts) instead of copying every hit. Valid while
 * the community map is the same (it is rebuilt after any community change). Nothing changes
 * a view once made. One entry per list, not per hit: a weak map entry is not free for the
 * garbage collector, and most searches are not repeated.
 */
const hitViewLists = new WeakMap<readonly SearchHit[], { communities: ReadonlyMap<string, Community>; views: HitView[] }>();
function hitViews(hits: readonly SearchHit[], communities: ReadonlyMap<string, Community>): HitView[] {
  const known = hitViewLists.get(hits);
  if (known !== undefined && known.communities === communities) return known.views;
  const views = hits.map((hit): HitView => {
    const c = communities.get(hit.communityId);
    const view: HitView = {
      // Field by field rather than by spreading the hit: hits of the three kinds have
      // different optional fields, and spreading objects of several shapes took V8's slow path.
      docId: hit.docId,
      kind: hit.kind,
      id: hit.id,
      questionId: hit.questionId,
      communityId: hit.communityId,
      title: hit.title,
      titleHtml: hit.titleHtml,
      slug: hit.slug,
      snippetHtml: hit.snippetHtml,
      tags: hit.tags,
      score: hit.score,
      accepted: hit.accepted,
      answerCount: hit.answerCount,
      createdAt: hit.createdAt,
      url: c ? hitUrl(c.slug, hit) : '/',
      community: c ? { slug: c.slug, name: c.name } : null,
    };
    if (hit.faqPath !== undefined) view.faqPath = hit.faqPath;
    if (hit.answerAuthor !== undefined) view.answerAuthor = hit.answerAuthor;
    if (hit.answerAuthorId !== undefined) view.answerAuthorId = hit.answerAuthorId;
    if (hit.explain !== undefined) view.explain = hit.explain;
    return view;
  });
  hitViewLists.set(hits, { communities, views });
  return views;
}

const WIDE_CHAR = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Whether a title says enough to look for similar questions: two Chinese (Japanese,
 * Korean) characters already name a subject, other scripts need four letters or digits.
 * static/js/similar.js applies the same rule while the title is typed.
 */
export function similarTitleLongEnough(title: string): boolean {
  let weight = 0;
  for (const ch of title) {
    weight += WIDE_CHAR.test(ch) ? 2 : WORD_CHAR.test(ch) ? 1 : 0;
    if (weight >= 4) return true;
  }
  return false;
}

export class SearchService {
  constructor(
    private readonly engine: SearchEngine,
    private readonly log: SearchLogRepository,
    private readonly communities: CommunityDirectory,
    /** Salt for the anonymised user hash in the log. */
    private readonly salt: string,
    private readonly now: () => number = Date.now,
  ) {}

  get engineName(): string {
    return this.engine.name;
  }

  /** The last list read and its map: rebuilt only when the list holds other objects. */
  private lastCommunities: { list: Community[]; map: Map<string, Community> } | null = null;

  private async communityMap(): Promise<Map<string, Community>> {
    const list = await this.communities.list();
    const last = this.lastCommunities;
    if (last && last.list.length === list.length && last.list.every((c, i) => c === list[i])) return last.map;
    const map = new Map(list.map((c) => [c.id, c]));
    this.lastCommunities = { list, map };
    return map;
  }

  /** Reads the query string leniently: anything not understood is left out, never an error. */
  async parse(params: SearchParams): Promise<ParsedSearch> {
    const ignored: ParsedSearch['ignored'] = [];
    const q = (params.q ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
    let community: Community | null = null;
    if (params.community) {
      const slug = params.community.trim().toLowerCase();
      community = COMMUNITY_SLUG_PATTERN.test(slug) ? await this.communities.findBySlug(slug) : null;
      if (!community) ignored.push('community');
    }
    let kind: SearchDocKind | null = null;
    if (params.kind) {
      if ((SEARCH_DOC_KINDS as readonly string[]).includes(params.kind)) kind = params.kind as SearchDocKind;
      else ignored.push('kind');
    }
    let tag: string | null = null;
    if (params.tag) {
      const t = params.tag.normalize('NFKC').trim().toLowerCase();
      if (t !== '' && Array.from(t).length <= TAG_MAX && /^[\p{L}\p{N}][\p{L}\p{N}+#._-]*$/u.test(t)) tag = t;
      else ignored.push('tag');
    }
    const answered = yesNo(params.answered);
    if (answered === undefined) ignored.push('answered');
    const accepted = yesNo(params.accepted);
    if (accepted === undefined) ignored.push('accepted');
    let sort: SearchSort = 'relevance';
    if (params.sort) {
      if ((SEARCH_SORTS as readonly string[]).includes(params.sort)) sort = params.sort as SearchSort;
      else ignored.push('sort');
    }
    const page = params.page && /^\d{1,4}$/.test(params.page) && Number(params.page) >= 1 ? Number(params.page) : 1;
    return { q, community, kind, tag, answered: answered ?? null, accepted: accepted ?? null, sort, page, ignored };
  }

  private filtersOf(p: ParsedSearch): SearchFilters {
    const filters: SearchFilters = {};
    if (p.community) filters.community = p.community.id;
    if (p.kind) filters.kind = p.kind;
    if (p.tag) filters.tag = p.tag;
    if (p.answered !== null) filters.answered = p.answered;
    if (p.accepted !== null) filters.accepted = p.accepted;
    return filters;
  }

  userHash(searcher: Searcher): string {
    const who = searcher.user ? `user:${searcher.user.id}` : `ip:${searcher.ip}`;
    return createHash('sha256').update(`${this.salt}\u0000search-log\u0000${who}`).digest('hex').slice(0, 24);
  }

  /** Salted like userHash, and kept apart from it: the log never holds the cookie's value. */
  browserHash(browserId: string): string {
    return createHash('sha256').update(`${this.salt}\u0000search-log\u0000browser:${browserId}`).digest('hex').slice(0, 24);
  }

  async search(params: SearchParams, searcher: Searcher): Promise<SearchOutcome> {
    const parsed = await this.parse(params);
    const communities = await this.communityMap();
    const words = tokenize(parsed.q);
    const wordCount = words.length;
    const outcome: SearchOutcome = {
      params: parsed,
      searched: false,
      hits: [],
      total: 0,
      exhaustive: true,
      totalPages: 0,
      facets: {},
      communities,
      searchId: null,
      ignoredWords: [],
      processingTimeMs: 0,
      elsewhere: [],
      wordCount,
    };
    if (parsed.q === '') return outcome;

    const filters = this.filtersOf(parsed);
    const result = await this.query({
      q: parsed.q,
      filters,
      sort: parsed.sort,
      page: parsed.page,
      hitsPerPage: HITS_PER_PAGE,
      facets: ['community', 'kind', 'tag'],
      // One result per thread: a question and its answers are one hit, an FAQ entry its own.
      distinct: true,
      explain: params.explain === '1' && searcher.user?.isAdmin === true,
    });
    outcome.searched = true;
    outcome.total = result.estimatedTotalHits;
    outcome.exhaustive = result.exhaustive;
    outcome.totalPages = result.totalPages;
    outcome.facets = result.facetDistribution;
    outcome.ignoredWords = result.ignoredWords;
    outcome.processingTimeMs = result.processingTimeMs;
    outcome.hits = hitViews(result.hits, communities);

    if (result.estimatedTotalHits === 0 && parsed.community) {
      const { community: _dropped, ...rest } = filters;
      const wider = await this.query({ q: parsed.q, filters: rest, sort: 'relevance', page: 1, hitsPerPage: 1, facets: ['community'] });
      outcome.elsewhere = Object.entries(wider.facetDistribution.community ?? {})
        .map(([id, count]) => ({ community: communities.get(id)!, count }))
        .filter((e) => e.community && e.community.id !== parsed.community!.id)
        .sort((a, b) => b.count - a.count)
        .slice(0, 5);
    }

    if (parsed.page === 1) {
      const normalized = words.join(' ');
      if (normalized !== '') {
        const extra = (['kind', 'tag', 'answered', 'accepted'] as const)
          .filter((k) => parsed[k] !== null)
          .map((k) => `${k}=${parsed[k]}`)
          .join(' ');
        outcome.searchId = await this.log.record({
          query: parsed.q,
          normalized,
          communityId: parsed.community?.id ?? null,
          filters: extra,
          hitCount: result.estimatedTotalHits,
          userHash: this.userHash(searcher),
          browserHash: searcher.browserId ? this.browserHash(searcher.browserId) : null,
          now: this.now(),
        });
      }
    } else if (params.sid && /^[1-9]\d{0,15}$/.test(params.sid)) {
      outcome.searchId = params.sid;
    }
    return outcome;
  }

  /** The engine's answer, or a 503 page when a separate engine is down (never a 500). */
  private async query(q: SearchQuery): Promise<SearchResult> {
    try {
      return await this.engine.search(q);
    } catch (err) {
      if (this.engine.name === 'sqlite-fts') throw err;
      throw new SearchUnavailableError();
    }
  }

  /** Records a click on a result; unknown searches and malformed ids are ignored (false). */
  async recordClick(searchId: string | undefined, docId: string | undefined, position: string | undefined): Promise<boolean> {
    if (!searchId || !docId || !parseSearchDocId(docId)) return false;
    const pos = position && /^\d{1,4}$/.test(position) ? Number(position) : 0;
    return this.log.recordClick(searchId, docId, pos, this.now());
  }

  /**
   * Likely duplicates of a question being asked, and FAQ entries on the same subject: the
   * ask form shows them while the title is typed (JSON) or in the no-JS "check" step.
   */
  async similarQuestions(communityId: string, title: string, limit = 5): Promise<SimilarItem[]> {
    const q = title.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_CHARS);
    if (!similarTitleLongEnough(q)) return [];
    const communities = await this.communityMap();
    const community = communities.get(communityId);
    if (!community) return [];
    const lookup = async (kind: SearchDocKind, n: number) =>
      // Suggestions are a help, not a step: with the engine down the ask form simply shows none.
      (await this.engine.search({ q, filters: { community: communityId, kind }, sort: 'relevance', page: 1, hitsPerPage: n, distinct: true }).catch(() => ({ hits: [] as SearchHit[] }))).hits;
    const [questions, faq] = await Promise.all([lookup('question', limit), lookup('faq', 3)]);
    const item = (hit: SearchHit): SimilarItem => ({
      kind: hit.kind === 'faq' ? 'faq' : 'question',
      questionId: hit.kind === 'faq' ? hit.questionId : hit.id,
      title: hit.title,
      url: hitUrl(community.slug, hit),
      score: hit.score,
      answerCount: hit.answerCount,
      accepted: hit.accepted,
      answered: hit.answerCount > 0 || hit.kind === 'faq',
    });
    // A thread is listed once: its FAQ entry stands for it.
    const covered = new Set(faq.map((hit) => hit.questionId).filter((id) => id !== null));
    return [...faq.map(item), ...questions.filter((hit) => !covered.has(hit.id)).map(item)];
  }

  async report(communityId: string, days: number): Promise<SearchReport> {
    return this.log.report(communityId, this.now() - days * 86_400_000, 25);
  }
}
