import type Database from 'better-sqlite3';
import {
  MAX_TOTAL_HITS,
  parseSearchDocId,
  searchDocId,
  type FacetDistribution,
  type ReindexReport,
  type SearchDocId,
  type SearchDocument,
  type SearchEngine,
  type SearchFacet,
  type SearchFilters,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from '../port.js';
import { highlightAll, snippet } from '../highlight.js';
import { CLEAR_INDEX, FILL_FROM_FAQ, FILL_FROM_POSTS, ftsState, hasFaq, LIVE_POST, META_OF_POST, RESYNC_FAQ, type FtsState } from './install.js';
import { planQuery, type QueryPlan } from './query-plan.js';
import { CachedSynonyms, SynonymSet, type SynonymSource } from '../synonyms.js';

type Db = Database.Database;

/** bm25 column weights: title, tags, body. A title or tag match says more than a body match. */
const BM25 = 'bm25(search_fts, 10.0, 6.0, 1.0)';

/**
 * A tier with at most this many matches is ranked exhaustively, with exact counts. A
 * broader one (a very common word) is ranked from its most recent SAMPLE title and tag
 * matches, then its most recent SAMPLE matches, and its counts are estimated: the work per
 * search stays bounded whatever the size of the forum. FAQ entries are never sampled: they
 * are curated, at most a few thousand per community, and must always be considered.
 */
const EXACT_LIMIT = 3000;
const SAMPLE = 300;
/**
 * FAQ entries read per tier, newest first: a whole community's FAQ fits, and a site-wide
 * search over many communities' FAQs still does bounded work.
 */
const FAQ_LIMIT = 3000;
/**
 * Relaxing a long query of common words can take many tiers; once results exist and this
 * much time has gone by, the remaining (weaker) tiers are skipped.
 */
const TIME_BUDGET_MS = 60;
/** Results kept for repeated searches (least recently used dropped first). */
const CACHE_SIZE = 256;

/** One matching document, as ranking and facets need it (from search_meta, never from posts). */
interface MatchRow {
  id: number;
  r: number;
  kind: 'question' | 'answer' | 'faq';
  community_id: number;
  /** The question of a post; the source question of an FAQ entry (or null). */
  thread_id: number | null;
  score: number;
  accepted: number;
  answer_count: number;
  created_at: number;
  tags: string;
}

interface RankedRow extends MatchRow {
  tier: number;
  /** Within a broad tier: 0 for title and tag matches, 1 for the rest. */
  sub: number;
  final: number;
}

/**
 * Quality signals after text relevance: curated FAQ entries and accepted or highly voted
 * answers move up, negatively scored posts move down. The factor scales the (negative)
 * bm25 value, so it reorders documents of similar relevance without letting a popular but
 * barely matching post jump a close match. The smallest FAQ boost is larger than the
 * largest a post can get: curation outweighs votes.
 */
export function qualityBoost(row: Pick<MatchRow, 'kind' | 'score' | 'accepted' | 'answer_count'>): number {
  if (row.kind === 'faq') return 1.5 + (row.score >= 0 ? Math.min(0.5, 0.1 * Math.log2(1 + row.score)) : Math.max(-0.3, 0.05 * row.score));
  let boost = row.score > 0 ? Math.min(0.4, 0.08 * Math.log2(1 + row.score)) : Math.max(-0.4, 0.1 * row.score);
  if (row.kind === 'answer' && row.accepted) boost += 0.25;
  if (row.kind === 'question' && row.accepted) boost += 0.1;
  if (row.kind === 'question' && row.answer_count === 0) boost -= 0.05;
  return Math.max(-0.5, Math.min(1, boost));
}

/**
 * An FAQ entry is its thread's answer, reviewed: within a tier it is never shown below the
 * question or an answer it was made from, whatever their votes and wording.
 */
function entriesBeforeSources(rows: RankedRow[]): RankedRow[] {
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = `${r.tier}:${r.thread_id}`;
    if (r.kind !== 'faq' && !first.has(key)) first.set(key, i);
  });
  const place = rows.map((r, i) => {
    const source = r.kind === 'faq' && r.thread_id !== null ? first.get(`${r.tier}:${r.thread_id}`) : undefined;
    return source !== undefined && source < i ? source - 0.5 : i;
  });
  return rows.map((row, i) => ({ row, at: place[i]! })).sort((a, b) => a.at - b.at).map((x) => x.row);
}

function splitTags(tags: string | null): string[] {
  return tags ? tags.split(' ').filter((t) => t !== '') : [];
}

function filterSql(filters: SearchFilters, params: unknown[]): string {
  const parts: string[] = [];
  if (filters.community !== undefined) {
    parts.push('m.community_id = ?');
    params.push(/^\d{1,16}$/.test(filters.community) ? Number(filters.community) : -1);
  }
  if (filters.kind !== undefined) {
    parts.push('m.kind = ?');
    params.push(filters.kind);
  }
  if (filters.tag !== undefined) {
    parts.push("instr(' ' || m.tags || ' ', ?) > 0");
    params.push(` ${filters.tag} `);
  }
  // FAQ entries count as answered.
  if (filters.answered !== undefined) parts.push(filters.answered ? "(m.answer_count > 0 OR m.kind = 'faq')" : "(m.answer_count = 0 AND m.kind <> 'faq')");
  if (filters.accepted !== undefined) parts.push(filters.accepted ? 'm.accepted = 1' : 'm.accepted = 0');
  return parts.length ? ` AND ${parts.join(' AND ')}` : '';
}

class FacetCounter {
  readonly out: FacetDistribution = {};
  constructor(private readonly facets: readonly SearchFacet[]) {
    for (const f of facets) this.out[f] = {};
  }
  add(rows: MatchRow[], weight = 1): void {
    const inc = (facet: SearchFacet, value: string) => {
      const dist = this.out[facet]!;
      dist[value] = (dist[value] ?? 0) + weight;
    };
    for (const row of rows) {
      if (this.out.community) inc('community', String(row.community_id));
      if (this.out.kind) inc('kind', row.kind);
      if (this.out.tag) for (const tag of splitTags(row.tags)) inc('tag', tag);
    }
  }
  /** Estimates rounded, and never below what the matches actually collected show. */
  result(known: MatchRow[]): FacetDistribution {
    const exact = new FacetCounter(this.facets);
    exact.add(known);
    for (const f of this.facets) {
      const dist = this.out[f]!;
      for (const [k, v] of Object.entries(dist)) dist[k] = Math.round(v);
      for (const [k, v] of Object.entries(exact.out[f]!)) dist[k] = Math.max(dist[k] ?? 0, v);
    }
    return this.out;
  }
}

export class SqliteFtsEngine implements SearchEngine {
  readonly name = 'sqlite-fts' as const;
  private readonly state: FtsState;
  private readonly maxTotalHits: number;
  private readonly maxRowid;
  private readonly termDocs;
  private readonly cache = new Map<string, { version: string; result: SearchResult }>();
  private readonly synonyms: CachedSynonyms;

  constructor(
    private readonly db: Db,
    options: { maxTotalHits?: number; synonyms?: SynonymSource } = {},
  ) {
    this.state = ftsState(db);
    this.maxTotalHits = options.maxTotalHits ?? MAX_TOTAL_HITS;
    // Read through the storage port and cached by its version, so a group an admin changes
    // (in this process or another) applies to the next search without a restart.
    this.synonyms = new CachedSynonyms(options.synonyms ?? null);
    this.termDocs = db.prepare<[string], { doc: number }>('SELECT doc FROM temp.search_vocab WHERE term = ?');
    this.maxRowid = db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM search_meta');
  }

  plan(q: string, synonyms: SynonymSet = SynonymSet.EMPTY): QueryPlan {
    const vocab = this.state.vocabulary();
    // A word missing from the in-memory vocabulary may have been written by another process
    // since it was loaded: ask the index (cheap for a word it does not hold).
    return planQuery(q, vocab, (term) => (vocab.has(term) ? vocab.docFrequency(term) : (this.termDocs.get(term)?.doc ?? 0)), synonyms);
  }

  /** Matching documents with their attributes: all of them, the most recent `recent`, or only FAQ entries (negative rowids, up to FAQ_LIMIT). */
  private fetch(match: string, filters: SearchFilters, options: { recent?: number; faqOnly?: boolean } = {}): MatchRow[] {
    const params: unknown[] = [match];
    const where = filterSql(filters, params);
    const { recent, faqOnly } = options;
    let sql = `SELECT f.rowid AS id, ${BM25} AS r, m.kind, m.community_id, m.thread_id, m.score, m.accepted, m.answer_count, m.created_at, m.tags
      FROM search_fts f JOIN search_meta m ON m.id = f.rowid WHERE search_fts MATCH ?${faqOnly ? ' AND f.rowid < 0' : ''}${where}`;
    if (recent !== undefined) {
      sql += ' ORDER BY f.rowid DESC LIMIT ?';
      params.push(recent);
    } else if (faqOnly) {
      sql += ` ORDER BY f.rowid LIMIT ${FAQ_LIMIT}`;
    }
    return this.db.prepare(sql).all(...params) as MatchRow[];
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    // Popular searches repeat; a result stays valid until the index changes.
    const key = JSON.stringify([query.q, query.filters, query.sort, query.page, query.hitsPerPage, query.facets ?? []]);
    const synonyms = await this.synonyms.current();
    const version = `${this.state.version()}|${synonyms.version}`;
    const cached = this.cache.get(key);
    if (cached && cached.version === version) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return { ...cached.result, processingTimeMs: Math.round(performance.now() - started) };
    }
    const result = this.run(query, started, synonyms.set);
    this.cache.delete(key);
    this.cache.set(key, { version, result });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return result;
  }

  private run(query: SearchQuery, started: number, synonyms: SynonymSet): SearchResult {
    const hitsPerPage = Math.max(1, Math.min(100, Math.floor(query.hitsPerPage) || 20));
    const page = Math.max(1, Math.floor(query.page) || 1);
    const plan = this.plan(query.q, synonyms);
    const facets = new FacetCounter(query.facets ?? []);

    // Tier by tier (all words exact, all words with typos, fewer words, ...) until
    // maxTotalHits documents are collected. A document keeps the first tier that found it
    // (excluding earlier tiers in the MATCH expression itself with NOT is far slower).
    let rows: RankedRow[] = [];
    const seen = new Set<number>();
    let total = 0;
    let exhaustive = true;
    const faqOnly = query.filters.kind === 'faq';
    for (let t = 0; t < plan.tiers.length; t++) {
      const overBudget = rows.length > 0 && performance.now() - started > TIME_BUDGET_MS;
      if (rows.length >= this.maxTotalHits || overBudget) {
        exhaustive = false;
        break;
      }
      const tier = plan.tiers[t]!;
      const match = tier.expr;
      /** Adds the documents no earlier tier found; returns them. */
      const take = (list: MatchRow[], sub: number): MatchRow[] => {
        const fresh = list.filter((row) => !seen.has(row.id));
        for (const row of fresh) {
          seen.add(row.id);
          const ranked = row as RankedRow;
          ranked.tier = t;
          ranked.sub = sub;
          ranked.final = row.r * (1 + qualityBoost(row));
          rows.push(ranked);
        }
        return fresh;
      };
      // The vocabulary bounds how many documents can match; a tier that may be broad is
      // first read from its most recent matches, which shows whether it really is: a sample
      // that ends early, or reaches the FAQ entries' negative rowids, holds every post match.
      const recentRows = tier.bound <= EXACT_LIMIT || faqOnly ? null : this.fetch(match, query.filters, { recent: SAMPLE });
      if (recentRows === null || recentRows.length < SAMPLE || recentRows[SAMPLE - 1]!.id < 0) {
        const complete = recentRows !== null && recentRows.length < SAMPLE;
        const found = complete ? recentRows : this.fetch(match, query.filters, { faqOnly });
        if (faqOnly && found.length === FAQ_LIMIT) exhaustive = false;
        const fresh = take(found, 0);
        total += fresh.length;
        facets.add(fresh);
        continue;
      }
      // A broad tier: the FAQ entries (all, up to FAQ_LIMIT) and the title and tag matches
      // first (Meilisearch's "attribute" rule), then the most recent matches. Post counts are
      // extrapolated from how far back the recent sample reaches, assuming matches are spread
      // evenly over time; what earlier tiers found is left out of the sample first.
      exhaustive = false;
      const sampled = recentRows.filter((row) => !seen.has(row.id));
      const entries = query.filters.kind ? [] : this.fetch(match, query.filters, { faqOnly: true });
      const titleRows = query.sort === 'newest' ? [] : this.fetch(`{title tags} : (${match})`, query.filters, { recent: SAMPLE });
      const freshEntries = take(entries, 0);
      take(titleRows, 0);
      take(recentRows, 1);
      const top = this.maxRowid.get()!.n ?? 1;
      const oldest = recentRows[SAMPLE - 1]!.id;
      const perSampled = Math.max(1, top / Math.max(1, top - oldest + 1));
      total += Math.round(sampled.length * perSampled) + freshEntries.length;
      facets.add(sampled, perSampled);
      facets.add(freshEntries);
      // Weaker tiers would only add more of the same breadth after enough candidates.
      break;
    }

    rows.sort((a, b) => {
      if (a.tier !== b.tier) return a.tier - b.tier;
      if (query.sort === 'newest') return b.created_at - a.created_at || a.final - b.final;
      if (query.sort === 'score') return b.score - a.score || a.final - b.final;
      return a.sub - b.sub || a.final - b.final;
    });
    if (query.sort === 'relevance') rows = entriesBeforeSources(rows);

    const reachable = Math.min(rows.length, this.maxTotalHits);
    const pageRows = rows.slice((page - 1) * hitsPerPage, Math.min(page * hitsPerPage, reachable));
    return {
      hits: this.hydrate(pageRows, plan),
      estimatedTotalHits: Math.max(total, rows.length),
      exhaustive,
      facetDistribution: facets.result(rows),
      processingTimeMs: Math.round(performance.now() - started),
      page,
      hitsPerPage,
      totalPages: Math.ceil(reachable / hitsPerPage),
      ignoredWords: plan.ignored,
    };
  }

  private hydrate(rows: RankedRow[], plan: QueryPlan): SearchHit[] {
    const postIds = rows.filter((r) => r.id > 0).map((r) => r.id);
    const entryIds = rows.filter((r) => r.id < 0).map((r) => -r.id);
    type PostText = { id: number; type: string; title: string | null; slug: string | null; body_text: string; question_id: number | null; q_title: string | null; q_slug: string | null };
    type EntryText = { id: number; title: string; slug: string; body_text: string; category_id: number; source_question_id: number | null };
    const posts = new Map<number, PostText>();
    if (postIds.length) {
      const list = this.db
        .prepare(
          `SELECT p.id, p.type, p.title, p.slug, p.body_text, p.question_id, q.title AS q_title, q.slug AS q_slug
           FROM posts p LEFT JOIN posts q ON q.id = p.question_id WHERE p.id IN (${postIds.map(() => '?').join(',')})`,
        )
        .all(...postIds) as PostText[];
      for (const p of list) posts.set(p.id, p);
    }
    const entries = new Map<number, EntryText>();
    if (entryIds.length) {
      const list = this.db
        .prepare(`SELECT e.id, e.title, e.slug, e.body_text, e.category_id, e.source_question_id FROM faq_entries e WHERE e.id IN (${entryIds.map(() => '?').join(',')})`)
        .all(...entryIds) as EntryText[];
      for (const e of list) entries.set(e.id, e);
    }
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const base = {
        communityId: String(row.community_id),
        tags: splitTags(row.tags),
        score: row.score,
        accepted: row.accepted === 1,
        answerCount: row.answer_count,
        createdAt: row.created_at,
      };
      if (row.id > 0) {
        const p = posts.get(row.id);
        if (!p) continue;
        const isAnswer = p.type === 'answer';
        const title = (isAnswer ? p.q_title : p.title) ?? '';
        hits.push({
          ...base,
          docId: searchDocId(isAnswer ? 'answer' : 'question', String(p.id)),
          kind: isAnswer ? 'answer' : 'question',
          id: String(p.id),
          questionId: String(isAnswer ? p.question_id : p.id),
          title,
          titleHtml: highlightAll(title, plan.highlight),
          slug: (isAnswer ? p.q_slug : p.slug) ?? '',
          snippetHtml: snippet(p.body_text, plan.highlight),
        });
      } else {
        const e = entries.get(-row.id);
        if (!e) continue;
        hits.push({
          ...base,
          docId: searchDocId('faq', String(e.id)),
          kind: 'faq',
          id: String(e.id),
          questionId: e.source_question_id === null ? null : String(e.source_question_id),
          title: e.title,
          titleHtml: highlightAll(e.title, plan.highlight),
          slug: e.slug,
          snippetHtml: snippet(e.body_text, plan.highlight),
          faqPath: this.categoryPath(e.category_id),
        });
      }
    }
    return hits;
  }

  /** Category names from the root of the FAQ tree down to the entry's category (at most four). */
  private categoryPath(categoryId: number): string[] {
    const names: string[] = [];
    const parentOf = this.db.prepare<[number], { name: string; parent_id: number | null }>('SELECT name, parent_id FROM faq_categories WHERE id = ?');
    for (let id: number | null = categoryId, depth = 0; id !== null && depth < 4; depth++) {
      const c = parentOf.get(id);
      if (!c) break;
      names.unshift(c.name);
      id = c.parent_id;
    }
    return names;
  }

  /**
   * The embedded index follows the database by itself; indexing a document re-reads it
   * from its table (the source of truth), whatever else the document says. Useful after
   * writing to the file without the triggers, and the shape the Meilisearch adapter needs.
   */
  async index(docs: SearchDocument[]): Promise<void> {
    const removeText = this.db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const removeMeta = this.db.prepare('DELETE FROM search_meta WHERE id = ?');
    const postText = this.db.prepare(
      `INSERT INTO search_fts (rowid, title, tags, body)
       SELECT p.id, search_segment(p.title), search_segment(p.tags), search_segment(p.body_text) FROM posts p WHERE p.id = ? AND ${LIVE_POST}`,
    );
    const postMeta = this.db.prepare(`INSERT INTO search_meta ${META_OF_POST} WHERE p.id = ? AND ${LIVE_POST}`);
    const faq = hasFaq(this.db);
    this.state.indexChanged();
    this.db.transaction(() => {
      for (const doc of docs) {
        if (!/^\d{1,16}$/.test(doc.id)) continue;
        const id = Number(doc.id);
        if (doc.kind === 'faq') {
          if (!faq) continue;
          removeText.run(-id);
          removeMeta.run(-id);
          for (const statement of RESYNC_FAQ) this.db.prepare(statement).run({ id });
        } else {
          removeText.run(id);
          removeMeta.run(id);
          postText.run(id);
          postMeta.run(id);
        }
      }
    })();
  }

  /** Takes documents out of the index (until they are written or reindexed again). */
  async delete(ids: SearchDocId[]): Promise<void> {
    const removeText = this.db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const removeMeta = this.db.prepare('DELETE FROM search_meta WHERE id = ?');
    this.state.indexChanged();
    this.db.transaction(() => {
      for (const raw of ids) {
        const parsed = parseSearchDocId(raw);
        if (!parsed) continue;
        const rowid = parsed.kind === 'faq' ? -Number(parsed.id) : Number(parsed.id);
        removeText.run(rowid);
        removeMeta.run(rowid);
      }
    })();
  }

  async reindexAll(): Promise<ReindexReport> {
    const started = performance.now();
    this.db.transaction(() => {
      this.db.exec(CLEAR_INDEX);
      this.db.exec(FILL_FROM_POSTS);
      if (hasFaq(this.db)) this.db.exec(FILL_FROM_FAQ);
    })();
    this.db.exec("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
    this.state.invalidate();
    const counts = this.db
      .prepare(
        `SELECT (SELECT count(*) FROM search_meta WHERE kind = 'question') AS questions,
                (SELECT count(*) FROM search_meta WHERE kind = 'answer') AS answers,
                (SELECT count(*) FROM search_meta WHERE kind = 'faq') AS faq`,
      )
      .get() as { questions: number; answers: number; faq: number };
    return { ...counts, ms: Math.round(performance.now() - started) };
  }
}
