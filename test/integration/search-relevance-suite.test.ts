import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../src/search/index.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import type { SearchEngine } from '../../src/search/port.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetDir, REPO, readCorpus, readStackExchange, type SourceQuestion } from './relevance/dataset.js';
import { loadCorpus, type LoadedCorpus } from './relevance/load.js';
import { Bm25Baseline } from './relevance/baseline.js';
import { buildDenseQueries, buildQueries, promotedQuestions, QUERY_KINDS, type QueryKind, type RelevanceQuery } from './relevance/queries.js';
import { metrics, table, type Ranked } from './relevance/metrics.js';

/*
 * Relevance on real data, against plain BM25 in the same run. The quantumcomputing
 * Stack Exchange excerpt (CC BY-SA 3.0, attribution in ../shared/datasets/.../README.md) and
 * the hand-written Chinese customer-service corpus are loaded through the storage ports into
 * a real SQLite store (the dense Chinese set into a second one); every query runs through the
 * embedded engine and through an FTS5 bm25 table over the same documents with the query
 * words OR-ed. A query finds its question when
 * the question's thread (the question, an answer, or an FAQ entry made from it) is among the
 * first k distinct threads. The floors are the issue's.
 */

const dir = datasetDir();
if (!dir) console.warn('search relevance suite skipped: ../shared/datasets/quantumcomputing.stackexchange/Posts.xml is absent');

/** One store with its engine, documents, bm25 baseline and the queries asked of it. */
interface Store {
  storage: SqliteStorage;
  engine: SearchEngine;
  corpus: LoadedCorpus;
  baseline: Bm25Baseline;
}

const stores: Store[] = [];
const app: Ranked[] = [];
const base: Ranked[] = [];
/** Every query with the store it was asked of; app[i] and base[i] are its outcomes. */
const asked: Array<{ query: RelevanceQuery; store: Store }> = [];

function rankOf(threads: string[], expected: Set<string>, exclude: string | undefined): number | null {
  const distinct: string[] = [];
  for (const t of threads) if (t !== exclude && !distinct.includes(t)) distinct.push(t);
  const i = distinct.slice(0, 10).findIndex((t) => expected.has(t));
  return i === -1 ? null : i + 1;
}

async function openStore(sources: SourceQuestion[], promote: ReturnType<typeof promotedQuestions>, names: Record<string, string>): Promise<Store> {
  const storage = createSqliteStorage(':memory:');
  // SEARCH_EXACT_LIMIT=100 makes the engine sample broad words as it does on a large forum.
  const exactLimit = Number(process.env.SEARCH_EXACT_LIMIT) || undefined;
  const engine = exactLimit ? new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit }) : createSearchEngine({ search: 'sqlite-fts' }, storage);
  const corpus = await loadCorpus(storage, sources, promote, names);
  const store = { storage, engine, corpus, baseline: new Bm25Baseline(corpus.documents) };
  stores.push(store);
  return store;
}

async function ask(store: Store, query: RelevanceQuery): Promise<void> {
  const { engine, corpus, baseline } = store;
  const expected = new Set(query.expected.map((k) => corpus.threadOf.get(k)!).filter(Boolean));
  const exclude = query.exclude ? corpus.threadOf.get(query.exclude) : undefined;
  const entries = new Set(query.expected.map((k) => corpus.entryOf.get(k)).filter(Boolean).map((id) => `faq-${id}`));
  const result = await engine.search({ q: query.q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 12, distinct: true });
  app.push({
    kind: query.kind,
    rank: rankOf(result.hits.map((h) => h.questionId ?? h.docId), expected, exclude),
    zero: result.hits.length === 0,
    faqFirst: entries.has(result.hits[0]?.docId ?? ''),
  });
  const hits = baseline.search(query.q);
  base.push({ kind: query.kind, rank: rankOf(hits.map((h) => h.thread), expected, exclude), zero: hits.length === 0, faqFirst: entries.has(hits[0]?.doc ?? '') });
  asked.push({ query, store });
}

beforeAll(async () => {
  if (!dir) return;
  const se = readStackExchange(dir);
  const zh: SourceQuestion[] = readCorpus('zh-corpus.json');
  const en: SourceQuestion[] = readCorpus('en-extra.json');
  const dense: SourceQuestion[] = readCorpus('zh-dense.json');
  const started = performance.now();
  const main = await openStore([...en, ...se.questions, ...zh], promotedQuestions(), { qc: 'Quantum Computing', 'en-support': 'Camera support', 'zh-support': '客户服务' });
  // The dense set in a store of its own: its 500 near-identical short questions must not
  // move the other kinds' numbers (idf, neighbours), and it is measured alone as the held-out
  // set of issue 9 was.
  const denseStore = await openStore(dense, [], { 'zh-dense': '钱包客服' });
  const loaded = performance.now();
  for (const query of buildQueries(se, new Set(zh.map((q) => q.key)), new Set(en.map((q) => q.key)))) await ask(main, query);
  const ranMain = performance.now();
  for (const query of buildDenseQueries(new Set(dense.map((q) => q.key)))) await ask(denseStore, query);
  const ran = performance.now();
  const rows = QUERY_KINDS.filter((k) => app.some((o) => o.kind === k)).map((kind) => ({ kind, app: metrics(app.filter((o) => o.kind === kind)), base: metrics(base.filter((o) => o.kind === kind)) }));
  const faqLine = (['faq-en', 'faq-zh'] as const)
    .map((k) => {
      const list = app.filter((o) => o.kind === k);
      return list.length ? `${k}: FAQ entry first ${list.filter((o) => o.faqFirst).length}/${list.length} (bm25 ${base.filter((o) => o.kind === k && o.faqFirst).length})` : '';
    })
    .filter(Boolean)
    .join('; ');
  // Kept for `npm run bench -- --search`, which prints it beside the timings.
  mkdirSync(join(REPO, 'test-results'), { recursive: true });
  writeFileSync(join(REPO, 'test-results', 'search-relevance.md'), `${table(rows)}\n${faqLine}\n`);
  const documents = stores.reduce((n, s) => n + s.corpus.documents.length, 0);
  console.log(`search relevance suite (${documents} documents in ${stores.length} stores, ${asked.length} queries): app vs plain FTS5 bm25\n${table(rows)}\n${faqLine}\n(load ${Math.round(loaded - started)} ms, queries ${Math.round(ranMain - loaded)} ms + dense ${Math.round(ran - ranMain)} ms)`);
  if (process.env.RELEVANCE_MISSES) {
    asked.forEach(({ query: q }, i) => {
      if (q.kind === process.env.RELEVANCE_MISSES && (app[i]!.rank === null || app[i]!.rank! > 5)) console.log(`miss ${q.kind} app=${app[i]!.rank} bm25=${base[i]!.rank} ${q.q} -> ${q.expected.join(',')}`);
    });
  }
}, 120_000);

afterAll(async () => {
  for (const s of stores) {
    s.baseline.close();
    await s.storage.close();
  }
});

const of = (kind: QueryKind) => ({ app: app.filter((o) => o.kind === kind), base: base.filter((o) => o.kind === kind) });

describe.skipIf(!dir)('search relevance on real data, against plain BM25 in the same run', () => {
  it('never throws away what plain BM25 ranks first: such a question is still among the app\'s results when it is not in its top 10', async () => {
    const lost: string[] = [];
    for (const [i, { query, store }] of asked.entries()) {
      if (base[i]!.rank !== 1 || app[i]!.rank !== null) continue;
      const { engine, corpus } = store;
      const expected = new Set(query.expected.map((k) => corpus.threadOf.get(k)!).filter(Boolean));
      const threads: string[] = [];
      for (let page = 1; page <= 10; page++) {
        const { hits } = await engine.search({ q: query.q, filters: {}, sort: 'relevance', page, hitsPerPage: 100, distinct: true });
        threads.push(...hits.map((h) => h.questionId ?? h.docId));
        if (hits.length < 100) break;
      }
      if (!threads.some((t) => expected.has(t))) lost.push(`${query.kind}: ${query.q}`);
    }
    expect(lost).toEqual([]);
  });

  it('loads every question, answer and duplicate link of the dump', () => {
    expect(stores[0]!.corpus.threadOf.size).toBeGreaterThanOrEqual(612);
    expect(of('duplicate').app.length).toBeGreaterThanOrEqual(10);
    expect(of('keywords').app.length).toBeGreaterThanOrEqual(40);
    expect(of('tags').app.length).toBeGreaterThanOrEqual(25);
    expect(of('typo').app.length).toBeGreaterThanOrEqual(50);
  });

  /*
   * The issue's floor: plain BM25's recall@5 + 0.05 on the hand-written paraphrases, in English
   * and in Chinese, and fewer than 2 % of queries without results.
   */
  for (const kind of ['paraphrase-en', 'paraphrase-zh'] as const) {
    it(`${kind}: recall@5 at least plain BM25's + 0.05, and fewer than 2 % of queries find nothing`, () => {
      const { app: a, base: b } = of(kind);
      expect(a.length).toBeGreaterThanOrEqual(kind === 'paraphrase-en' ? 100 : 300);
      expect(metrics(a).r5).toBeGreaterThanOrEqual(metrics(b).r5 + 0.05);
      expect(metrics(a).zero).toBeLessThan(0.02);
    });
  }

  /*
   * The dense Chinese set (zh-dense.json, its own store): 500 short questions of one wallet
   * app, neighbours differing in one word, as in the held-out set of issue 9. The same floor;
   * its held-out queries (written after the tuning they measure) on their own.
   */
  for (const kind of ['paraphrase-zh-dense', 'zh-dense-held-out'] as const) {
    it(`${kind}: recall@5 at least plain BM25's + 0.05, and fewer than 2 % of queries find nothing`, () => {
      const { app: a, base: b } = of(kind);
      expect(stores[1]!.corpus.threadOf.size).toBeGreaterThanOrEqual(500);
      expect(a.length).toBeGreaterThanOrEqual(kind === 'paraphrase-zh-dense' ? 680 : 120);
      expect(metrics(a).r5).toBeGreaterThanOrEqual(metrics(b).r5 + 0.05);
      expect(metrics(a).zero).toBeLessThan(0.02);
    });
  }

  // The English support questions: plain BM25 already finds 97.5 % in the top 5 (+ 0.05 is
  // beyond 1); held at least at its level.
  it('support-en: recall@5 at least plain BM25\'s, and fewer than 2 % of queries find nothing', () => {
    const { app: a, base: b } = of('support-en');
    expect(a.length).toBeGreaterThanOrEqual(50);
    expect(metrics(a).r5).toBeGreaterThanOrEqual(metrics(b).r5);
    expect(metrics(a).r10).toBeGreaterThanOrEqual(metrics(b).r10 - 0.05);
    expect(metrics(a).zero).toBeLessThan(0.02);
  });

  // A duplicate's title finds its original at least as often as plain BM25 does, and higher.
  it('duplicate: recall@5 and MRR at least plain BM25\'s', () => {
    const { app: a, base: b } = of('duplicate');
    expect(metrics(a).r5).toBeGreaterThanOrEqual(metrics(b).r5);
    expect(metrics(a).mrr).toBeGreaterThanOrEqual(metrics(b).mrr);
  });

  it('typo: one typo in a title still finds it in the top 5 (recall@5 >= 0.98)', () => {
    expect(metrics(of('typo').app).r5).toBeGreaterThanOrEqual(0.98);
  });

  it('tags: the tags of a question find it in the top 5 (recall@5 >= 0.85)', () => {
    expect(metrics(of('tags').app).r5).toBeGreaterThanOrEqual(0.85);
  });

  it('faq-zh: a paraphrase of a promoted question shows its FAQ entry first (9 of 10)', () => {
    const a = of('faq-zh').app;
    expect(a.length).toBeGreaterThanOrEqual(10);
    expect(a.filter((o) => o.faqFirst).length / a.length).toBeGreaterThanOrEqual(0.9);
  });

  // One English paraphrase shares no meaningful word with its question ("cooled close to 0
  // kelvin" for "kept near absolute zero"): 9 of 10 is the most words can reach.
  it('faq-en: a paraphrase of a promoted question shows its FAQ entry first (9 of 10)', () => {
    const a = of('faq-en').app;
    expect(a.length).toBeGreaterThanOrEqual(10);
    expect(a.filter((o) => o.faqFirst).length / a.length).toBeGreaterThanOrEqual(0.9);
  });
});
