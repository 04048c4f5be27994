/*
 * A tool for studying the relevance suite's misses (not a test): loads the same documents and
 * queries as test/integration/search-relevance-suite.test.ts, then prints per query kind the
 * recall of the app and of plain bm25 on two halves of each set (even and odd positions: tune
 * on one, check on the other), and, for the kinds asked, each query the app does not place in
 * the top 5 with the app's top 5 titles and the expected question's title.
 *
 *   npx tsx test/integration/relevance/misses.ts [kind ...]
 *
 * RANKING='{"qualityShare":0.3}' and MATCH_QUALITY='{"char":0.2}' override ranking constants for a run;
 * ONLY=dense measures the dense Chinese set alone.
 */
import { createSqliteStorage } from '../../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../../src/search/index.js';
import { RANKING } from '../../../src/search/sqlite-fts/ranking.js';
import { MATCH_QUALITY } from '../../../src/search/sqlite-fts/query-plan.js';
import { datasetDir, readCorpus, readStackExchange, type SourceQuestion } from './dataset.js';
import { loadCorpus } from './load.js';
import { Bm25Baseline } from './baseline.js';
import { buildDenseQueries, buildQueries, promotedQuestions, QUERY_KINDS, type RelevanceQuery } from './queries.js';
import { metrics, type Ranked } from './metrics.js';

const dir = datasetDir();
if (!dir) throw new Error('../shared/datasets/quantumcomputing.stackexchange/Posts.xml is absent');
if (process.env.RANKING) Object.assign(RANKING, JSON.parse(process.env.RANKING) as object);
if (process.env.MATCH_QUALITY) Object.assign(MATCH_QUALITY, JSON.parse(process.env.MATCH_QUALITY) as object);
const show = new Set(process.argv.slice(2));

const se = readStackExchange(dir);
const zh: SourceQuestion[] = readCorpus('zh-corpus.json');
const en: SourceQuestion[] = readCorpus('en-extra.json');
const dense: SourceQuestion[] = readCorpus('zh-dense.json');
// As in the suite: the dense set in a store of its own. ONLY=dense skips the big store.
async function open(sources: SourceQuestion[], promote: ReturnType<typeof promotedQuestions>, names: Record<string, string>) {
  const storage = createSqliteStorage(':memory:');
  const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
  const corpus = await loadCorpus(storage, sources, promote, names);
  return { storage, engine, corpus, baseline: new Bm25Baseline(corpus.documents) };
}
type Store = Awaited<ReturnType<typeof open>>;
const stores: Store[] = [];
const queries: Array<{ query: RelevanceQuery; store: Store }> = [];
if (process.env.ONLY !== 'dense') {
  const main = await open([...en, ...se.questions, ...zh], promotedQuestions(), { qc: 'Quantum Computing', 'en-support': 'Camera support', 'zh-support': '客户服务' });
  stores.push(main);
  for (const query of buildQueries(se, new Set(zh.map((q) => q.key)), new Set(en.map((q) => q.key)))) queries.push({ query, store: main });
}
const denseStore = await open(dense, [], { 'zh-dense': '钱包客服' });
stores.push(denseStore);
for (const query of buildDenseQueries(new Set(dense.map((q) => q.key)))) queries.push({ query, store: denseStore });
const titleOf = new Map<string, string>();
for (const s of stores) for (const src of [...en, ...se.questions, ...zh, ...dense]) if (s.corpus.threadOf.has(src.key)) titleOf.set(s.corpus.threadOf.get(src.key)!, src.title);

function rankOf(threads: string[], expected: Set<string>, exclude: string | undefined): number | null {
  const distinct: string[] = [];
  for (const t of threads) if (t !== exclude && !distinct.includes(t)) distinct.push(t);
  const i = distinct.slice(0, 100).findIndex((t) => expected.has(t));
  return i === -1 ? null : i + 1;
}

const app: Ranked[] = [];
const base: Ranked[] = [];
const lines: string[] = [];
const seenOfKind = new Map<string, number>();
const timeOf = new Map<string, number>();
for (const { query, store } of queries) {
  const { engine, corpus, baseline } = store;
  const position = seenOfKind.get(query.kind) ?? 0;
  seenOfKind.set(query.kind, position + 1);
  const expected = new Set(query.expected.map((k) => corpus.threadOf.get(k)!).filter(Boolean));
  const exclude = query.exclude ? corpus.threadOf.get(query.exclude) : undefined;
  const entries = new Set(query.expected.map((k) => corpus.entryOf.get(k)).filter(Boolean).map((id) => `faq-${id}`));
  const t0 = process.cpuUsage().user / 1000;
  const result = await engine.search({ q: query.q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100, distinct: true, explain: show.size > 0 });
  timeOf.set(query.kind, (timeOf.get(query.kind) ?? 0) + process.cpuUsage().user / 1000 - t0);
  const threads = result.hits.map((h) => h.questionId ?? h.docId);
  const rank = rankOf(threads, expected, exclude);
  app.push({ kind: query.kind, rank: rank !== null && rank <= 10 ? rank : null, zero: result.hits.length === 0, faqFirst: entries.has(result.hits[0]?.docId ?? '') });
  const hits = baseline.search(query.q);
  const baseRank = rankOf(hits.map((h) => h.thread), expected, exclude);
  base.push({ kind: query.kind, rank: baseRank !== null && baseRank <= 10 ? baseRank : null, zero: hits.length === 0, faqFirst: entries.has(hits[0]?.doc ?? '') });
  if (show.has(query.kind) && (rank === null || rank > 5)) {
    lines.push(`\nMISS ${query.kind} ${position % 2 === 0 ? 'even' : 'odd'} app=${rank} bm25=${baseRank}  "${query.q}"`);
    for (const e of expected) lines.push(`  want: ${titleOf.get(e)}`);
    for (const h of result.hits.filter((h) => (h.questionId ?? h.docId) !== exclude).slice(0, 5)) {
      const parts = Object.entries(h.explain ?? {})
        .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(2) : v}`)
        .join(' ');
      lines.push(`  ${expected.has(h.questionId ?? '') ? '*' : '-'} [${h.kind}] ${h.title}  {${parts}}`);
    }
  }
}
console.log(lines.join('\n'));
const f = (x: number) => x.toFixed(3);
console.log('\n| kind | n | R@5 app / bm25 | even half | odd half | R@10 app / bm25 | MRR app / bm25 | zero | CPU ms/query |');
for (const kind of QUERY_KINDS) {
  const a = app.filter((o) => o.kind === kind);
  const b = base.filter((o) => o.kind === kind);
  if (a.length === 0) continue;
  const half = (list: Ranked[], parity: number) => list.filter((_, i) => i % 2 === parity);
  const h = (p: number) => `${f(metrics(half(a, p)).r5)} / ${f(metrics(half(b, p)).r5)}`;
  const ma = metrics(a);
  const mb = metrics(b);
  const faq = kind.startsWith('faq') ? ` first ${a.filter((o) => o.faqFirst).length}/${a.length}` : '';
  console.log(`| ${kind} | ${a.length} | ${f(ma.r5)} / ${f(mb.r5)} | ${h(0)} | ${h(1)} | ${f(ma.r10)} / ${f(mb.r10)} | ${f(ma.mrr)} / ${f(mb.mrr)} | ${f(ma.zero)}${faq} | ${((timeOf.get(kind) ?? 0) / a.length).toFixed(1)} |`);
}
for (const s of stores) {
  s.baseline.close();
  await s.storage.close();
}
