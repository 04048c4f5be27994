import type Database from 'better-sqlite3';
import {
  MAX_TOTAL_HITS,
  parseSearchDocId,
  searchDocId,
  type CompactionOptions,
  type CompactionReport,
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
  type ScoreParts,
} from '../port.js';
import { highlightAll, snippet } from '../highlight.js';
import { CLEAR_INDEX, FILL_FROM_FAQ, FILL_FROM_POSTS, ftsState, hasFaq, LIVE_POST, META_OF_POST, POST_TEXT, POST_TITLE, RESYNC_FAQ, type FtsState } from './install.js';
import { MATCH_QUALITY, planQuery, type QueryPlan, type TermAlternative, type WordPlans } from './query-plan.js';
import type { Vocabulary } from '../vocabulary.js';
import { idArray, ReadCache, READ_CACHE_BYTES, type IdArray, type KeptRead, type ReadCacheStats, type SampleLists, type TextStamp } from './read-cache.js';
import { CachedSynonyms, SynonymSet, type SynonymSource } from '../synonyms.js';
import { withBuiltInSynonyms } from '../builtin-synonyms.js';
import { META_COLUMNS, type MetaRow } from './attributes.js';
import { CandidateColumns, entriesBeforeSources, FAQ, onePerThread, rankAll, sortedOrder } from './candidate-list.js';
import { FacetCounter, tagList } from './facet-counter.js';
import { EvidenceTable } from './evidence-table.js';
import { byRelevance, RANKING, scoreParts, termScales, termWeight, withTitle, type DocAttributes, type Ranked } from './ranking.js';
import { matchTitle, titleWords } from './title-match.js';
import { TitleCache } from './title-cache.js';
import { topByKeyThenId } from './top-k.js';
import { mergeSegments, optimizeIndex, segmentCount } from './segments.js';
import { HitTextCache, type EntryText, type PostText } from './hit-text-cache.js';
import { TextFollower } from './text-follower.js';
import { float64Room, int32Room } from './scratch.js';

type Db = Database.Database;

/**
 * bm25 with column weights (RANKING.columns): a title match says more than a tag match, a
 * tag match more than the FAQ path, all of them more than the body.
 */
const bm25 = () => `bm25(search_fts, ${RANKING.columns.map((w) => w.toFixed(2)).join(', ')})`;

/**
 * Work is bounded by counts, never by time, so a query gives the same results at any load.
 * A match expression with at most EXACT_LIMIT documents (by the vocabulary) is read whole;
 * a broader one (a common word) is read from its most recent SAMPLE matches, its most
 * recent SAMPLE title and tag matches, and its newest FAQ entries (up to FAQ_LIMIT:
 * curated and always considered); its counts are then estimated. Computing bm25 for each
 * matching row is most of a search's cost (about 4 µs a row), so these bounds are what
 * keeps an uncached search of common words within a few milliseconds on a large forum.
 * (EXACT_LIMIT 1,000 or 2,000 cost recall on the relevance suite's English paraphrases.)
 *
 * A broad expression's samples are read as row ids only, without bm25: FTS5's bm25 first
 * counts every document of each phrase (its idf) in each statement, and for a word in tens
 * of thousands of documents those counts, three times per word (recent, titles, FAQ), were
 * most of a search's CPU. The sampled documents are scored with the same bm25 formula for
 * one occurrence in a document of average length (broadScores): a title or tag match
 * (field weight 8) above a body match, the idf from the vocabulary's document count. For a
 * word that common, term frequency and length say little; the rarer words of the query,
 * read whole with FTS5's bm25, decide the order.
 */
const EXACT_LIMIT = 3000;
const SAMPLE = 400;
const FAQ_LIMIT = 1000;
/** bm25's k1 (FTS5's constant), for the scores of sampled broad words. */
const BM25_K1 = 1.2;
/**
 * A word in more than this share of all documents is a stop word beside meaningful ones. Half:
 * beyond it bm25's idf is nil (FTS5 clamps it), so the word could add nothing but cost; below
 * it, common words ("qubits", "how") are read (within the count bounds) and weigh their small
 * idf: dropping them at a quarter made the app lose to plain bm25 on the duplicate titles, whose
 * shared words are mostly common ones. Very common words still count in the title rerank.
 */
const STOP_SHARE = 0.5;
/**
 * Titles kept for the title rerank (title-cache.ts): the threads and FAQ entries common words
 * reach again and again, at 400-500 bytes each analysed (title-match.ts TitleText), so 8-10 MiB
 * when full. On the full benchmark data, the bench's 750 search-mix queries found 23 % of their
 * titles kept with 5,000, 37 % with 10,000, 52 % with 20,000 (26,500 titles in all); with the
 * least recently used dropped first, 12,000 left 53 title reads a search and 20,000 left 41.
 * Full, 20,000 hold about 4 MiB more than 12,000 would.
 */
const TITLE_CACHE_SIZE = 20_000;
/**
 * Query words kept planned (wordPlans()), all dropped beyond this: about 1.3 KB each (measured
 * on the full benchmark data), so at most about 2.6 MiB; the bench's 750 search-mix queries
 * use 841 distinct words.
 */
const WORD_PLANS_SIZE = 2_000;
/** Results kept for repeated searches (least recently used dropped first). */
const CACHE_SIZE = 256;
/**
 * Documents covering less than this share of the best document's coverage of the query
 * are left out: one common word shared with a long question is not a result (and with an
 * explicit sort such matches would fill the top). A document with most of the meaningful
 * words is always kept, with or without the rarest one.
 */
const MIN_COVERAGE_SHARE = 0.4;


/**
 * One candidate as an object, with every field ranking sets (one object shape): made only for
 * the rows that leave the typed columns (candidate-list.ts), the title rerank's and the page's.
 * Its per-term scores are read from the evidence table when asked (only the explain view
 * does): two array views per object, made for the rerank's hundred rows by every search, were
 * a share of the rerank's time and garbage. Like the views they replace, valid until the next
 * search resets the table.
 */
class Candidate implements Ranked {
  final = 0;
  coverage = 0;
  relevance = 0;
  boost = 0;
  titleCoverage = 0;
  proximity = 0;
  constructor(
    public id: number,
    public kind: DocAttributes['kind'],
    public community_id: number,
    public thread_id: number | null,
    public score: number,
    public accepted: number,
    public answer_count: number,
    public created_at: number,
    public tags: string,
    /** Its index in the search's CandidateColumns. */
    public index: number,
    private readonly evidence: EvidenceTable,
    /** Its slot in the evidence table. */
    private readonly slot: number,
  ) {}

  get termScore(): ArrayLike<number> {
    return this.evidence.scoresOf(this.slot);
  }

  get termQuality(): ArrayLike<number> {
    return this.evidence.qualitiesOf(this.slot);
  }
}

export { qualityBoost } from './ranking.js';

interface ReadOptions {
  /** The most recent this many matches (by rowid, newest first). */
  recent?: number;
  /** Only FAQ entries (negative rowids), newest entry first, up to FAQ_LIMIT. */
  faqOnly?: boolean;
  /** From search_titles (titles and tags) instead of search_fts. */
  titles?: boolean;
  /** Only rowids above / below this one. */
  above?: number;
  below?: number;
}

function splitTags(tags: string | null): string[] {
  return [...tagList(tags)];
}

/** The explain view's hit: the score parts right after the attributes, where clients have always found them. */
function withExplain(hit: SearchHit, explain: ScoreParts): SearchHit {
  const { communityId, tags, score, accepted, answerCount, createdAt, ...text } = hit;
  return { communityId, tags, score, accepted, answerCount, createdAt, explain, ...text };
}

function ascending(ids: IdArray): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1]! >= ids[i]!) return false;
  return true;
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

/**
 * The same expression for search_titles (the title sample of a broad word), whose one column
 * holds a document's title and tag words and its title bigrams: the column filters go. Query
 * words are quoted letters and digits, so a brace is only ever a column filter.
 */
function inTitles(expr: string): string {
  return expr.replace(/\{[a-z_ ]+\} : /g, '');
}

export class SqliteFtsEngine implements SearchEngine {
  readonly name = 'sqlite-fts' as const;
  private readonly state: FtsState;
  private readonly maxTotalHits: number;
  private readonly exactLimit: number;
  private readonly reads: ReadCache;
  private readonly maxRowid;
  private readonly marks;
  private readonly termDocs;
  private readonly cache = new Map<string, { version: string; result: SearchResult }>();
  private readonly synonyms: CachedSynonyms;
  /** The candidate columns every search reuses (a search runs synchronously from start to end). */
  private readonly columns = new CandidateColumns();
  /** The evidence table every search reuses (reset at its start). */
  private readonly evidence = new EvidenceTable();
  /** Work arrays every search reuses (scratch.ts): the evidence slots kept by coverage, and their document ids. */
  private keptSlots = new Int32Array(1024);
  private keptIds = new Float64Array(1024);

  constructor(
    private readonly db: Db,
    options: {
      maxTotalHits?: number;
      synonyms?: SynonymSource;
      /** Expressions matching more documents than this are sampled (default EXACT_LIMIT; the relevance suite lowers it to test sampling on its small corpus). */
      exactLimit?: number;
      /** Bytes of index reads kept for later searches (read-cache.ts; default READ_CACHE_BYTES, 0: none). */
      readCacheBytes?: number;
    } = {},
  ) {
    this.exactLimit = options.exactLimit ?? EXACT_LIMIT;
    this.reads = new ReadCache(options.readCacheBytes ?? READ_CACHE_BYTES);
    this.state = ftsState(db);
    this.titlesFollow = new TextFollower(this.state);
    this.hitTextFollow = new TextFollower(this.state);
    this.maxTotalHits = options.maxTotalHits ?? MAX_TOTAL_HITS;
    // Read through the storage port and cached by its version, so a group an admin changes
    // (in this process or another) applies to the next search without a restart; the
    // built-in question-word synonyms come with them.
    this.synonyms = new CachedSynonyms(options.synonyms ?? null, withBuiltInSynonyms);
    const hasIndex = db.prepare<[string]>("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?");
    this.titleIndex = hasIndex.get('posts_question_titles') !== undefined;
    this.faqTitleIndex = hasIndex.get('faq_entry_titles') !== undefined;
    this.faqHitIndex = hasIndex.get('faq_entry_hits') !== undefined;
    this.termDocs = db.prepare<[string], { doc: number }>('SELECT doc FROM temp.search_vocab WHERE term = ?');
    this.maxRowid = db.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM search_meta');
    // Two subqueries: SQLite answers a lone max() or min() from the primary key, both in one
    // SELECT by scanning the table (400k rows).
    this.marks = db.prepare<[], { top: number | null; bottom: number | null }>('SELECT (SELECT max(id) FROM search_meta) AS top, (SELECT min(id) FROM search_meta) AS bottom');
  }

  /**
   * Loads the typo and prefix vocabulary, a page per event-loop turn (the server calls
   * this at startup; searches wait for it themselves). Resolves when it is in place.
   */
  ready(): Promise<void> {
    return this.state.ready();
  }

  /** Hits and misses of the per-expression read cache (for benchmarks). */
  readCacheStats(): ReadCacheStats {
    return this.reads.stats();
  }

  /** Loads the vocabulary and the in-memory attribute copy (searches before that read the table). */
  async warmUp(): Promise<void> {
    await Promise.all([this.state.ready(), this.state.attributes.whenLoaded()]);
  }

  plan(q: string, synonyms: SynonymSet = SynonymSet.EMPTY): QueryPlan {
    const vocab = this.state.vocabulary();
    // A word missing from the in-memory vocabulary may have been written by another process
    // since it was loaded: then the index is asked. Otherwise the vocabulary is complete and
    // the word is in no document (asking fts5vocab about a typo or a made-up word cost about
    // 0.2 ms, on about half of the bench mix's searches).
    const complete = this.state.vocabularyComplete();
    return planQuery(q, vocab, (term) => (vocab.has(term) ? vocab.docFrequency(term) : complete ? 0 : (this.termDocs.get(term)?.doc ?? 0)), synonyms, this.wordPlans(vocab, synonyms));
  }

  /**
   * Planned words kept while what they are planned from stays the same: the vocabulary (the
   * same object: a reload replaces it; words are noted into it only when text is indexed,
   * which changes the text version), the index's document counts (text version, which also
   * follows other processes' writes) and the synonym set (a new object per change). Bounded.
   */
  private plans: { vocab: Vocabulary | null; version: string; synonyms: SynonymSet | null; words: WordPlans } = { vocab: null, version: '', synonyms: null, words: new Map() };
  private wordPlans(vocab: Vocabulary, synonyms: SynonymSet): WordPlans {
    const version = this.state.textVersion();
    const p = this.plans;
    if (p.vocab !== vocab || p.version !== version || p.synonyms !== synonyms || p.words.size > WORD_PLANS_SIZE) {
      this.plans = { vocab, version, synonyms, words: new Map() };
    }
    return this.plans.words;
  }

  /**
   * Matching documents and their bm25: all of them, the most recent `recent`, or only FAQ
   * entries (negative rowids, up to FAQ_LIMIT). search_meta is joined only to filter.
   */
  private fetch(match: string, filters: SearchFilters, options: { recent?: number; faqOnly?: boolean } = {}): { ids: IdArray; scores: Float64Array } {
    const { sql, params } = this.readSql(match, filters, options, 'f.rowid');
    const ids = this.statement(sql).pluck().all(...params) as number[];
    // The scores by a second statement of the same shape (so the same plan and row order),
    // one value a row: better-sqlite3 makes an array per row of a two-column read, which cost
    // more than FTS5's second walk of the postings. Only inside a read transaction (the
    // storage's read batching opens one per event-loop turn), where both see the same rows;
    // else, or if the counts differ all the same, rows and scores are read together.
    if (this.db.inTransaction) {
      const scores = this.statement(this.readSql(match, filters, options, bm25()).sql).pluck().all(...params) as number[];
      if (scores.length === ids.length) return { ids: idArray(ids), scores: Float64Array.from(scores) };
    }
    const rows = this.statement(this.readSql(match, filters, options, `f.rowid, ${bm25()}`).sql).raw().all(...params) as Array<[number, number]>;
    const scores = new Float64Array(rows.length);
    const rowIds = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      rowIds[i] = rows[i]![0];
      scores[i] = rows[i]![1];
    }
    return { ids: idArray(rowIds), scores };
  }

  /** The same reads as fetch(), row ids only (no bm25, so no per-statement document counts). */
  private fetchIds(match: string, filters: SearchFilters, options: ReadOptions = {}): number[] {
    const { sql, params } = this.readSql(match, filters, options, 'f.rowid');
    // One value a row (pluck): an array per row was most of the cost of reading 400-1,000 ids.
    return this.statement(sql).pluck().all(...params) as number[];
  }

  /** A read's SQL selecting `columns`: from search_fts, or with `titles` from search_titles (row ids only: it has no bm25 columns). */
  private readSql(match: string, filters: SearchFilters, options: ReadOptions, columns: string): { sql: string; params: unknown[] } {
    const params: unknown[] = [match];
    // Only documents added after a kept read (refreshed()): FTS5 seeks to the rowid. A
    // parameter, so the statement is prepared once.
    let range = '';
    if (options.above !== undefined) {
      range = ' AND f.rowid > ?';
      params.push(options.above);
    } else if (options.below !== undefined) {
      range = ' AND f.rowid < ?';
      params.push(options.below);
    }
    const where = filterSql(filters, params);
    const { recent, faqOnly } = options;
    const table = options.titles ? 'search_titles' : 'search_fts';
    let sql = `SELECT ${columns} FROM ${table} f${where ? ' JOIN search_meta m ON m.id = f.rowid' : ''} WHERE ${table} MATCH ?${faqOnly ? ' AND f.rowid < 0' : ''}${range}${where}`;
    if (recent !== undefined) {
      sql += ' ORDER BY f.rowid DESC LIMIT ?';
      params.push(recent);
    } else if (faqOnly) {
      sql += ` ORDER BY f.rowid LIMIT ${FAQ_LIMIT}`;
    }
    return { sql, params };
  }

  private paths: { version: string; byCategory: Map<number, string[]> } = { version: '', byCategory: new Map() };
  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared once per shape of query (filters and options; the match text is a parameter). */
  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }

  /**
   * The documents one expression matches, read within the count bounds; for a broad
   * expression also an estimate of how many posts it matches in all.
   */
  private collect(alt: TermAlternative, filters: SearchFilters): KeptRead {
    const { expr, bound } = alt;
    const faqOnly = filters.kind === 'faq';
    if (bound <= this.exactLimit || faqOnly) return this.fetch(expr, filters, { faqOnly });
    // The samples read the cheaper form of the expression (a character's most frequent bigrams).
    const sample = alt.sampleExpr;
    const recent = this.fetchIds(sample, filters, { recent: SAMPLE });
    // A sample that ends early, or reaches the FAQ entries' negative rowids, holds every
    // post match: read whole, with bm25 (few documents after all).
    if (recent.length < SAMPLE || recent[SAMPLE - 1]! < 0) return this.fetch(expr, filters);
    const titled = inTitles(sample);
    const entries = filters.kind ? [] : this.fetchIds(sample, filters, { faqOnly: true });
    const titledEntries = entries.length > 0 ? this.fetchIds(titled, filters, { faqOnly: true, titles: true }) : [];
    const titles = this.fetchIds(titled, filters, { recent: SAMPLE, titles: true });
    const marks = this.marks.get()!;
    return { sample: { recent: idArray(recent), titles: idArray(titles), entries: idArray(entries), titledEntries: idArray(titledEntries), postMark: marks.top ?? 0, faqMark: marks.bottom ?? 0, bound } };
  }

  /**
   * A broad expression's first SAMPLE matches in an explicit sort's order (most votes, or
   * newest by date; ties by id, newest first), each scored as a body match (broadScores): the
   * sort decides their place. Every match is read (row ids only) and ordered by the in-memory
   * attribute copy with a bounded heap: joining tens of thousands of matches to search_meta
   * and sorting them in SQLite took 30-80 ms for a common word on the full benchmark data.
   * The table is read instead while the copy is not usable, or with a filter on tags, answers
   * or acceptance (those stay in SQL).
   */
  private sortedSample(alt: TermAlternative, filters: SearchFilters, sort: 'score' | 'newest'): KeptRead {
    const { body } = this.broadScores(alt.expr, alt.bound);
    const scored = (ids: IdArray): KeptRead => ({ ids, scores: new Float64Array(ids.length).fill(body) });
    if (filters.tag === undefined && filters.answered === undefined && filters.accepted === undefined) {
      const all = this.fetchIds(alt.sampleExpr, {});
      const ids = new Float64Array(all.length);
      const keys = new Float64Array(all.length);
      const filter = {
        ...(filters.community !== undefined ? { community: /^\d{1,16}$/.test(filters.community) ? Number(filters.community) : -1 } : {}),
        ...(filters.kind !== undefined ? { kind: filters.kind } : {}),
      };
      const n = this.state.attributes.sortKeys(all, sort === 'score' ? 'score' : 'created', filter, ids, keys);
      if (n >= 0) {
        const top = topByKeyThenId(keys, ids, n, SAMPLE);
        const out = new Array<number>(top.length);
        for (let r = 0; r < top.length; r++) out[r] = ids[top[r]!]!;
        return scored(idArray(out));
      }
    }
    const params: unknown[] = [alt.sampleExpr];
    const where = filterSql(filters, params);
    const order = sort === 'score' ? 'm.score DESC' : 'm.created_at DESC';
    const ids = this.statement(`SELECT f.rowid FROM search_fts f JOIN search_meta m ON m.id = f.rowid WHERE search_fts MATCH ?${where} ORDER BY ${order}, f.rowid DESC LIMIT ${SAMPLE}`).pluck().all(...params) as number[];
    return scored(idArray(ids));
  }

  /**
   * Adds a broad expression's sampled documents to the evidence (as term `term`, match
   * quality `quality`), scored as broadScores() says; returns its estimate of matching posts.
   * Straight into the table: no rows array and no Set per expression and search.
   */
  private addSampled(expr: string, sample: SampleLists, evidence: EvidenceTable, term: number, quality: number): number {
    const { recent, titles, entries, titledEntries } = sample;
    const { title, body } = this.broadScores(expr, sample.bound);
    const titleScore = -title * quality;
    const bodyScore = -body * quality;
    // Entries and titled entries are read in rowid order: which entries are titled is a walk
    // along both (a Set of up to FAQ_LIMIT ids per search otherwise; kept if ever unordered).
    const titled = ascending(entries) && ascending(titledEntries) ? null : new Set(titledEntries);
    for (let e = 0, t = 0; e < entries.length; e++) {
      const id = entries[e]!;
      let inTitle: boolean;
      if (titled) inTitle = titled.has(id);
      else {
        while (t < titledEntries.length && titledEntries[t]! < id) t++;
        inTitle = t < titledEntries.length && titledEntries[t] === id;
      }
      evidence.add(id, term, inTitle ? titleScore : bodyScore, quality);
    }
    for (let r = 0; r < titles.length; r++) evidence.add(titles[r]!, term, titleScore, quality);
    // A document in both samples keeps its better (title) score: evidence keeps the best.
    for (let r = 0; r < recent.length; r++) evidence.add(recent[r]!, term, bodyScore, quality);
    // Post counts are extrapolated from how far back the recent sample reaches, assuming
    // matches are spread evenly over time.
    const top = this.maxRowid.get()!.n ?? 1;
    const oldest = recent[SAMPLE - 1]!;
    return Math.round(SAMPLE * Math.max(1, top / Math.max(1, top - oldest + 1)));
  }

  /**
   * A kept sample brought up to date when the only changes since it was read are new
   * documents (FtsState.appendedSince): they have larger post ids (smaller FAQ ids) than any
   * sampled one, so the newest matches now are the new matches followed by the kept ones,
   * cut to the sample's size; exactly what reading the index again returns. Null when
   * anything else changed, or the expression is no longer broad: read again.
   */
  private refreshed(alt: TermAlternative, filters: SearchFilters, old: KeptRead, since: TextStamp): KeptRead | null {
    const kept = old.sample;
    if (!kept || alt.bound <= this.exactLimit || filters.kind === 'faq') return null;
    const added = this.state.appendedSince(since);
    if (!added) return null;
    let posts = false;
    let faq = false;
    for (const id of added) {
      if (id > kept.postMark) posts = true;
      else if (id < kept.faqMark && id < 0) faq = true;
      else return null;
    }
    // A title sample short of its size reaches the FAQ entries (oldest first, after every
    // post): a new entry would fall inside it, not before it.
    if (faq && kept.titles.length < SAMPLE) return null;
    const sample = alt.sampleExpr;
    const titled = inTitles(sample);
    const marks = this.marks.get()!;
    const next: SampleLists = { ...kept, postMark: marks.top ?? 0, faqMark: marks.bottom ?? 0, bound: alt.bound };
    const before = (added: number[], list: IdArray, limit: number) => idArray([...added, ...list.subarray(0, Math.max(0, limit - added.length))].slice(0, limit));
    if (posts) {
      const above = { recent: SAMPLE, above: kept.postMark };
      next.recent = before(this.fetchIds(sample, filters, above), kept.recent, SAMPLE);
      next.titles = before(this.fetchIds(titled, filters, { ...above, titles: true }), kept.titles, SAMPLE);
    }
    if (faq && !filters.kind) {
      const below = { faqOnly: true, below: kept.faqMark };
      next.entries = before(this.fetchIds(sample, filters, below), kept.entries, FAQ_LIMIT);
      // As when read: titled entries are read only when the expression matches some entry.
      next.titledEntries = next.entries.length > 0 ? before(this.fetchIds(titled, filters, { ...below, titles: true }), kept.titledEntries, FAQ_LIMIT) : new Int32Array(0);
    }
    return { sample: next };
  }

  /**
   * FTS5's bm25 (negative, as it returns it) for one occurrence of a broad expression in a
   * document of average length, in a title (weight RANKING.columns[0]) or only in the body
   * (weight 1); the idf from `df`, the vocabulary's bound on its documents. A Chinese word is
   * matched as a word and as bigrams (two phrases), and FTS5 sums bm25 over phrases.
   */
  private broadScores(expr: string, df: number): { title: number; body: number } {
    const total = this.state.documentCount();
    const idf = Math.max(1e-6, Math.log((total - df + 0.5) / (df + 0.5)));
    const phrases = expr.includes('{cjk_') ? 2 : 1;
    const tf = (freq: number) => (freq * (BM25_K1 + 1)) / (freq + BM25_K1);
    return { title: -idf * phrases * tf(RANKING.columns[0]!), body: -idf * phrases * tf(1) };
  }

  /**
   * The kept candidates' attributes, in the engine's reused columns, each with its evidence
   * slot in `from`: from the in-memory copy, or from the table while the copy is not usable.
   * Only those that exist (a document deleted since its read is not a result).
   */
  private candidates(evidence: EvidenceTable, keptSlots: Int32Array, kept: number): CandidateColumns {
    const c = this.columns;
    c.reserve(kept);
    this.keptIds = float64Room(this.keptIds, kept);
    const ids = this.keptIds.subarray(0, kept);
    for (let k = 0; k < kept; k++) ids[k] = evidence.ids[keptSlots[k]!]!;
    const found = this.state.attributes.fill(ids, c);
    if (found >= 0) {
      c.count = found;
      for (let i = 0; i < found; i++) c.from[i] = keptSlots[c.from[i]!]!;
      return c;
    }
    ids.sort();
    const read = this.statement(`SELECT ${META_COLUMNS} FROM search_meta WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`);
    for (let i = 0; i < ids.length; i += 5000) {
      for (const row of read.raw().all(JSON.stringify(Array.from(ids.subarray(i, i + 5000)))) as MetaRow[]) c.push(row, evidence.slotOf(row[0]));
    }
    return c;
  }

  /** One candidate as an object, ranked as ranking.ts rank() leaves it: for the rows that leave the columns (the title rerank's, the page's). */
  private candidateObject(c: CandidateColumns, i: number, evidence: EvidenceTable): Candidate {
    const dictionary = this.state.attributes.tagLists;
    const tagsId = c.tags[i]!;
    const tags = tagsId >= 0 ? dictionary.list(tagsId) : c.tagStrings![i]!;
    const doc = new Candidate(c.id[i]!, c.kindOf(i), c.community[i]!, c.threadOf(i), c.score[i]!, c.accepted[i]!, c.answers[i]!, c.created[i]!, tags, i, evidence, c.from[i]!);
    doc.coverage = c.coverage[i]!;
    doc.relevance = c.relevance[i]!;
    doc.boost = c.boost[i]!;
    doc.final = c.final[i]!;
    return doc;
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now();
    // Popular searches repeat; a result stays valid until the index changes.
    const key = JSON.stringify([query.q, query.filters, query.sort, query.page, query.hitsPerPage, query.facets ?? [], query.distinct ?? false, query.explain ?? false]);
    const synonyms = await this.synonyms.current();
    await this.state.ready();
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
    const n = plan.words.length;
    const total = this.state.documentCount();
    // A word in most documents ("the", "的") says almost nothing about which one is meant:
    // beside meaningful words it is neither read nor scored, which also keeps the work small.
    const meaningful = plan.words.filter((w) => w.df <= STOP_SHARE * total);
    const scales = termScales(plan.words);
    const weights = plan.words.map((w, i) => (meaningful.length > 0 && w.df > STOP_SHARE * total ? 0 : termWeight(w.df, total) * scales[i]!));
    const totalWeight = weights.reduce((a, b) => a + b, 0);

    // Candidates: every document matching any alternative of any term, each alternative read
    // within the count bounds. A document keeps, per term, its best quality-scaled bm25.
    const evidence = this.evidence;
    evidence.reset(n);
    let estimate: number | null = null;
    // Reads repeat across queries (shared words): kept per expression while the indexed text
    // stays the same (a vote does not change what an expression matches), or with a filter on
    // answers or acceptance (read joined to those counts) while nothing changes.
    const countsFiltered = query.filters.answered !== undefined || query.filters.accepted !== undefined;
    const indexVersion = countsFiltered ? this.state.version() : this.state.textVersion();
    const stamp = this.state.textStamp();
    const filterKey = JSON.stringify(query.filters);
    plan.words.forEach((word, i) => {
      if (weights[i] === 0) return;
      for (const alt of word.alternatives) {
        // Not the bound: it grows with every new document that has the word, and a kept sample
        // takes new documents in (refreshed()); a read whole is read again when the text changes.
        const key = `${filterKey}\u0000${alt.expr}\u0000${alt.sampleExpr}`;
        const refresh = countsFiltered ? undefined : { stamp, update: (old: KeptRead, since: TextStamp) => this.refreshed(alt, query.filters, old, since) };
        const found = this.reads.through(key, indexVersion, () => this.collect(alt, query.filters), refresh);
        const quality = MATCH_QUALITY[alt.kind];
        if (found.sample) {
          estimate = Math.max(estimate ?? 0, this.addSampled(alt.expr, found.sample, evidence, i, quality));
        } else {
          const { ids, scores } = found;
          for (let r = 0; r < ids.length; r++) evidence.add(ids[r]!, i, -scores[r]! * quality, quality);
        }
        // An explicit sort lists a broad word's matches by votes or date, not by relevance:
        // its samples (the most recent by id, the titles) would leave out an old match with
        // the most votes, or an imported one with a late date. Its first matches in the sort's
        // order are read as well (kept per vote for "most votes").
        if (found.sample && (query.sort === 'score' || query.sort === 'newest')) {
          const sort = query.sort;
          const sortKey = `${filterKey}\u0000${sort}\u0000${alt.sampleExpr}`;
          const first = this.reads.through(sortKey, sort === 'score' ? this.state.version() : indexVersion, () => this.sortedSample(alt, query.filters, sort));
          const { ids = new Int32Array(0), scores = new Float64Array(0) } = first;
          for (let r = 0; r < ids.length; r++) evidence.add(ids[r]!, i, -scores[r]! * quality, quality);
        }
      }
    });
    // Coverage first (it needs no attributes): documents far below the best coverage are
    // weak partial matches (one common word of a long question) and are left out.
    const coverage = evidence.coverages(weights, totalWeight);
    let best = 0;
    for (const c of coverage) if (c > best) best = c;
    const keptSlots = (this.keptSlots = int32Room(this.keptSlots, coverage.length));
    let kept = 0;
    for (let slot = 0; slot < coverage.length; slot++) if (coverage[slot]! >= MIN_COVERAGE_SHARE * best) keptSlots[kept++] = slot;
    const c = this.candidates(evidence, keptSlots, kept);
    rankAll(c, evidence.bm25, evidence.termCount, coverage, scales);
    let posts = 0;
    for (let i = 0; i < c.count; i++) if (c.kind[i] !== FAQ) posts++;
    const scale = estimate !== null && posts > 0 ? Math.max(1, estimate / posts) : 1;

    // Candidate indexes in list order; objects only for the rows that leave as such.
    const sort = query.sort === 'newest' || query.sort === 'score' ? query.sort : 'relevance';
    const order = sortedOrder(c, sort);
    const objects = new Map<number, Candidate>();
    if (sort === 'relevance') {
      // The title rerank reorders (and raises) only the first rerankDepth rows, which stay
      // above the rest (withTitle's factor is at least 1), so the rest keep their order.
      const depth = Math.min(RANKING.rerankDepth, order.length);
      const top: Ranked[] = [];
      for (let k = 0; k < depth; k++) top.push(this.candidateObject(c, order[k]!, evidence));
      const reranked = this.rerankByTitle(top, plan, plan.words.map((w, i) => termWeight(w.df, total) * scales[i]!));
      for (let k = 0; k < reranked.length; k++) {
        const doc = reranked[k] as Candidate;
        order[k] = doc.index;
        objects.set(doc.index, doc);
      }
    }
    let rows = query.distinct ? onePerThread(c, order) : order;
    // Counts and facets describe what the list holds: every matching document, or every
    // thread when one result stands for each (estimated beyond a sample).
    if (facets.wanted) {
      const dictionary = this.state.attributes.tagLists;
      for (const i of rows) facets.add(c.kind[i]!, c.community[i]!, c.tags[i]!, dictionary, c.tagStrings ? c.tagStrings[i]! : null, c.kind[i] === FAQ ? 1 : scale);
    }
    if (query.sort === 'relevance') rows = entriesBeforeSources(c, rows);

    const reachable = Math.min(rows.length, this.maxTotalHits);
    const pageRows: Ranked[] = [];
    for (let k = (page - 1) * hitsPerPage, end = Math.min(page * hitsPerPage, reachable); k < end; k++) pageRows.push(objects.get(rows[k]!) ?? this.candidateObject(c, rows[k]!, evidence));
    let weighted = 0;
    for (const i of rows) weighted += c.kind[i] === FAQ ? 1 : scale;
    return {
      hits: this.hydrate(pageRows, plan, query.explain === true),
      estimatedTotalHits: Math.round(weighted),
      exhaustive: estimate === null,
      facetDistribution: facets.result(),
      processingTimeMs: Math.round(performance.now() - started),
      page,
      hitsPerPage,
      totalPages: Math.ceil(reachable / hitsPerPage),
      ignoredWords: plan.ignored,
    };
  }

  /**
   * The best RANKING.rerankDepth documents, judged also by their title (an answer by its
   * question's), with every query word weighed by its idf, common ones included.
   */
  private rerankByTitle(rows: Ranked[], plan: QueryPlan, weights: number[]): Ranked[] {
    if (plan.words.length === 0 || rows.length === 0) return rows;
    const top = rows.slice(0, RANKING.rerankDepth);
    const cache = this.titleCache();
    // Threads by their (positive) id, FAQ entries by their negative id; a title not kept is
    // read by its key, one indexed lookup each (on the full benchmark data, 41 a search,
    // mostly titles no search reached before). One prepared lookup per title cost about half
    // of one read of them all through json_each, which parses the id list and builds a
    // temporary table for the IN before it seeks the same index.
    for (const r of top) {
      const key = r.kind === 'faq' ? r.id : (r.thread_id ?? r.id);
      // A thread reached twice (its question and an answer) is read once: put() keeps it.
      if (cache.has(key)) continue;
      const title = key < 0 ? this.entryTitle().get(-key) : this.threadTitle().get(key);
      if (title !== undefined) cache.put(key, (title as string | null) ?? '');
    }
    const words = titleWords(plan.words, weights);
    for (const r of top) {
      const key = r.kind === 'faq' ? r.id : (r.thread_id ?? r.id);
      const text = cache.text(key, r.tags);
      if (text === null) continue;
      const m = matchTitle(words, text);
      withTitle(r, m.coverage, m.proximity);
    }
    top.sort(byRelevance);
    // In place: a broad search ranks thousands of rows, and only the first few moved.
    for (let i = 0; i < top.length; i++) rows[i] = top[i]!;
    return rows;
  }

  /**
   * Titles (a thread's, for its question and answers; an FAQ entry's) and their analysed
   * form: popular threads are reranked by many searches, and reading and analysing 100
   * titles was a large share of a search. Titles depend on the indexed text only, so the
   * cache outlives votes and answer counts (state.version() changes with every vote, which
   * on a live forum would drop it every second), and new posts (they add titles, never
   * change one); any other text change, here or in another process, drops it.
   */
  private titles = new TitleCache(TITLE_CACHE_SIZE);
  /** Whether the database has the questions' title index (migration 027; set in the constructor). */
  private readonly titleIndex: boolean;
  /** The same for FAQ entries' titles, and for what an FAQ hit shows (migration 028). */
  private readonly faqTitleIndex: boolean;
  private readonly faqHitIndex: boolean;
  private readonly titlesFollow: TextFollower;
  /**
   * A thread's title by its id. Thread ids are question ids (an answer's thread is its
   * question): from the questions' title index when the database has it (migration 027).
   */
  private threadTitle(): Database.Statement {
    return this.statement(this.titleIndex ? "SELECT title FROM posts INDEXED BY posts_question_titles WHERE type = 'question' AND id = ?" : 'SELECT title FROM posts WHERE id = ?').pluck();
  }
  /** An FAQ entry's title by its (positive) id, from the entries' title index when the database has it (migration 028). */
  private entryTitle(): Database.Statement {
    return this.statement(`SELECT title FROM faq_entries${this.faqTitleIndex ? ' INDEXED BY faq_entry_titles' : ''} WHERE id = ?`).pluck();
  }
  private titleCache(): TitleCache {
    if (this.titlesFollow.stale()) this.titles.clear();
    this.titles.trim();
    return this.titles;
  }

  /**
   * Hits' text kept between searches (hit-text-cache.ts), valid while the indexed text stays
   * the same but for new documents, as the titles are (titleCache()): an edit, a deletion, a
   * title change of an answer's question, an FAQ change or a community rename all change the
   * text version (the index triggers), and so does any write by another process. Votes and
   * answer counts do not touch it (hits take those from the candidates). Display names are
   * kept too: the forum has no way to change one; a feature that adds it must drop this cache.
   */
  private readonly hitText = new HitTextCache();
  private readonly hitTextFollow: TextFollower;
  private hitTexts(): HitTextCache {
    if (this.hitTextFollow.stale()) this.hitText.clear();
    return this.hitText;
  }

  /**
   * The page's rows as hits. Each hit is one object literal with its fields in a fixed order
   * (the order clients and the golden dumps see): building them by spreading a shared `base`
   * into each was a third of hydrate's own time, and left objects V8 handles slowly later.
   */
  private hydrate(rows: Ranked[], plan: QueryPlan, explain: boolean): SearchHit[] {
    const kept = this.hitTexts();
    const posts = new Map<number, PostText>();
    const entries = new Map<number, EntryText>();
    const postIds: number[] = [];
    const entryIds: number[] = [];
    for (const r of rows) {
      const text = kept.get(r.id);
      if (text !== undefined) {
        if (r.id > 0) posts.set(r.id, text as PostText);
        else entries.set(-r.id, text as EntryText);
      } else if (r.id > 0) postIds.push(r.id);
      else entryIds.push(-r.id);
    }
    if (postIds.length) {
      const list = this.statement(
        `SELECT p.id, p.type, p.title, p.slug, p.body_text, p.question_id, q.title AS q_title, q.slug AS q_slug, u.display_name AS author, p.author_id
         FROM posts p LEFT JOIN posts q ON q.id = p.question_id LEFT JOIN users u ON u.id = p.author_id WHERE p.id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(postIds)) as PostText[];
      for (const p of list) {
        posts.set(p.id, p);
        kept.putPost(p);
      }
    }
    if (entryIds.length) {
      const list = this.statement(
        `SELECT e.id, e.title, e.slug, e.body_text, e.category_id, e.source_question_id FROM faq_entries e${this.faqHitIndex ? ' INDEXED BY faq_entry_hits' : ''} WHERE e.id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(entryIds)) as EntryText[];
      for (const e of list) {
        entries.set(e.id, e);
        kept.putEntry(e);
      }
    }
    const hits: SearchHit[] = [];
    /** The text version, asked once (a PRAGMA) for every FAQ hit's category path. */
    let version: string | undefined;
    const highlight = plan.highlight;
    for (const row of rows) {
      let hit: SearchHit;
      if (row.id > 0) {
        const p = posts.get(row.id);
        if (!p) continue;
        const isAnswer = p.type === 'answer';
        const title = (isAnswer ? p.q_title : p.title) ?? '';
        const id = String(p.id);
        hit = {
          communityId: String(row.community_id),
          tags: splitTags(row.tags),
          score: row.score,
          accepted: row.accepted === 1,
          answerCount: row.answer_count,
          createdAt: row.created_at,
          docId: searchDocId(isAnswer ? 'answer' : 'question', id),
          kind: isAnswer ? 'answer' : 'question',
          id,
          questionId: isAnswer ? String(p.question_id) : id,
          title,
          titleHtml: highlightAll(title, highlight),
          slug: (isAnswer ? p.q_slug : p.slug) ?? '',
          snippetHtml: snippet(p.body_text, highlight),
        };
        if (isAnswer && p.author) {
          hit.answerAuthor = p.author;
          if (p.author_id !== null) hit.answerAuthorId = String(p.author_id);
        }
      } else {
        const e = entries.get(-row.id);
        if (!e) continue;
        const id = String(e.id);
        hit = {
          communityId: String(row.community_id),
          tags: splitTags(row.tags),
          score: row.score,
          accepted: row.accepted === 1,
          answerCount: row.answer_count,
          createdAt: row.created_at,
          docId: searchDocId('faq', id),
          kind: 'faq',
          id,
          questionId: e.source_question_id === null ? null : String(e.source_question_id),
          title: e.title,
          titleHtml: highlightAll(e.title, highlight),
          slug: e.slug,
          snippetHtml: snippet(e.body_text, highlight),
          faqPath: this.categoryPath(e.category_id, (version ??= this.state.textVersion())),
        };
      }
      hits.push(explain ? withExplain(hit, scoreParts(row, plan.words.map((w) => w.token))) : hit);
    }
    return hits;
  }

  /** Category names from the root of the FAQ tree down to the entry's category (at most four). */
  private categoryPath(categoryId: number, version: string): string[] {
    // Category names change rarely and every change counts as a text change (the FAQ category
    // trigger), which votes do not: cached per text version.
    if (this.paths.version !== version) this.paths = { version, byCategory: new Map() };
    const known = this.paths.byCategory.get(categoryId);
    if (known) return [...known];
    const names: string[] = [];
    const parentOf = this.statement('SELECT name, parent_id FROM faq_categories WHERE id = ?') as Database.Statement<[number], { name: string; parent_id: number | null }>;
    for (let id: number | null = categoryId, depth = 0; id !== null && depth < 4; depth++) {
      const c = parentOf.get(id);
      if (!c) break;
      names.unshift(c.name);
      id = c.parent_id;
    }
    this.paths.byCategory.set(categoryId, names);
    return [...names];
  }

  /**
   * The embedded index follows the database by itself; indexing a document re-reads it
   * from its table (the source of truth), whatever else the document says. Useful after
   * writing to the file without the triggers, and the shape the Meilisearch adapter needs.
   */
  async index(docs: SearchDocument[]): Promise<void> {
    const removeText = this.db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const removeTitle = this.db.prepare('DELETE FROM search_titles WHERE rowid = ?');
    const removeMeta = this.db.prepare('DELETE FROM search_meta WHERE id = ?');
    const postText = this.db.prepare(POST_TEXT);
    const postTitle = this.db.prepare(POST_TITLE);
    const postMeta = this.db.prepare(`INSERT INTO search_meta ${META_OF_POST} WHERE p.id = ? AND ${LIVE_POST}`);
    const faq = hasFaq(this.db);
    this.state.indexChanged();
    this.db.transaction(() => {
      for (const doc of docs) {
        if (!/^\d{1,16}$/.test(doc.id)) continue;
        const id = Number(doc.id);
        this.state.attributes.rowChanged(doc.kind === 'faq' ? -id : id);
        if (doc.kind === 'faq') {
          if (!faq) continue;
          removeText.run(-id);
          removeTitle.run(-id);
          removeMeta.run(-id);
          for (const statement of RESYNC_FAQ) this.db.prepare(statement).run({ id });
        } else {
          removeText.run(id);
          removeTitle.run(id);
          removeMeta.run(id);
          postText.run(id);
          postTitle.run(id);
          postMeta.run(id);
        }
      }
    })();
  }

  /** Takes documents out of the index (until they are written or reindexed again). */
  async delete(ids: SearchDocId[]): Promise<void> {
    const removeText = this.db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const removeTitle = this.db.prepare('DELETE FROM search_titles WHERE rowid = ?');
    const removeMeta = this.db.prepare('DELETE FROM search_meta WHERE id = ?');
    this.state.indexChanged();
    this.db.transaction(() => {
      for (const raw of ids) {
        const parsed = parseSearchDocId(raw);
        if (!parsed) continue;
        const rowid = parsed.kind === 'faq' ? -Number(parsed.id) : Number(parsed.id);
        this.state.attributes.rowChanged(rowid);
        removeText.run(rowid);
        removeTitle.run(rowid);
        removeMeta.run(rowid);
      }
    })();
  }

  /**
   * Merges segments in bounded steps (segments.ts). The indexed rows stay the same, so cached
   * results and kept reads stay valid: nothing here touches this.state.
   */
  async compactIndex(options: CompactionOptions): Promise<CompactionReport> {
    if (!options.whole) return mergeSegments(this.db, options);
    const started = performance.now();
    const segmentsBefore = segmentCount(this.db);
    optimizeIndex(this.db);
    const ms = performance.now() - started;
    return { segmentsBefore, segmentsAfter: segmentCount(this.db), steps: 1, maxStepMs: ms, workMs: ms, done: true };
  }

  async reindexAll(): Promise<ReindexReport> {
    const started = performance.now();
    this.db.transaction(() => {
      this.db.exec(CLEAR_INDEX);
      this.db.exec(FILL_FROM_POSTS);
      if (hasFaq(this.db)) this.db.exec(FILL_FROM_FAQ);
    })();
    optimizeIndex(this.db);
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
