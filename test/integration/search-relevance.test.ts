import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../src/search/index.js';
import type { SearchEngine } from '../../src/search/port.js';
import { SearchSeeder } from './search-fixtures.js';
import { checkSynonymTerms } from '../../src/domain/synonym-rules.js';
import { confusers, distractors, questions, queries, synonymGroups, synonymQueries, type RelevanceQuery } from './search-relevance-data.js';

/*
 * Relevance of the embedded engine on hand-written questions with paraphrased, misspelt,
 * half-typed and Chinese queries. A query finds its question when the question or one of
 * its answers is among the hits. The floors are what the engine reaches today, rounded
 * down, so a change that makes search worse fails here.
 *
 * Then the synonym groups an admin would add are stored (through the storage port, folded as
 * the admin form folds them), and the synonym queries, whose words are nowhere in the index,
 * must find their question; the other queries are measured again with the groups in place.
 */

let storage: SqliteStorage;
let engine: SearchEngine;
const threadOf = new Map<string, string>();

interface Outcome {
  query: RelevanceQuery;
  rank: number | null;
}
const outcomes: Outcome[] = [];
/** The synonym queries before the groups exist, after, and every other query after. */
const synonymBefore: Outcome[] = [];
const synonymAfter: Outcome[] = [];
const withSynonyms: Outcome[] = [];

async function rank(query: RelevanceQuery): Promise<Outcome> {
  const result = await engine.search({ q: query.q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 10 });
  const expected = threadOf.get(query.expect);
  const index = result.hits.findIndex((h) => h.questionId === expected);
  return { query, rank: index === -1 ? null : index + 1 };
}

beforeAll(async () => {
  storage = createSqliteStorage(':memory:');
  engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
  const seed = new SearchSeeder(storage);
  const asker = await seed.user('asker');
  const helper = await seed.user('helper');
  const communities = {
    coffee: await seed.community('coffee', 'Home coffee'),
    cameras: await seed.community('cameras', 'Cameras'),
    router: await seed.community('router', 'Router support'),
  };
  // Background first, so the questions under test are not simply the newest.
  for (const q of [...distractors(), ...confusers, ...questions]) {
    const posted = await seed.question(communities[q.community], asker, q.title, q.body, q.tags);
    threadOf.set(q.key, posted.id);
    for (const body of q.answers ?? []) await seed.answer(posted.id, helper, body);
  }
  for (const query of queries) outcomes.push(await rank(query));
  for (const query of synonymQueries) synonymBefore.push(await rank(query));
  for (const raw of synonymGroups) await storage.synonyms.create({ terms: checkSynonymTerms(raw), createdBy: asker.id, now: Date.now() });
  for (const query of synonymQueries) synonymAfter.push(await rank(query));
  for (const query of queries) withSynonyms.push(await rank(query));
});

afterAll(async () => {
  await storage.close();
});

function metrics(list: Outcome[]) {
  const recallAt5 = list.filter((o) => o.rank !== null && o.rank <= 5).length / list.length;
  const mrr = list.reduce((sum, o) => sum + (o.rank === null ? 0 : 1 / o.rank), 0) / list.length;
  return { recallAt5, mrr, n: list.length };
}

describe('search relevance (hand-written questions, paraphrased and misspelt queries)', () => {
  it('every fixture query names a question that exists', () => {
    for (const q of queries) expect(threadOf.has(q.expect), q.expect).toBe(true);
    expect(questions.length).toBeGreaterThanOrEqual(40);
  });

  it('finds the expected question in the top 5 for most queries (recall@5) and ranks it high (MRR@10)', () => {
    const all = metrics(outcomes);
    const byKind = Object.fromEntries(
      (['paraphrase', 'typo', 'prefix', 'chinese'] as const).map((k) => [k, metrics(outcomes.filter((o) => o.query.kind === k))]),
    );
    const misses = outcomes.filter((o) => o.rank === null || o.rank > 5).map((o) => `${o.query.q} -> ${o.query.expect} (rank ${o.rank ?? '>10'})`);
    const fmt = (m: { recallAt5: number; mrr: number; n: number }) => `recall@5 ${m.recallAt5.toFixed(3)}  MRR ${m.mrr.toFixed(3)}  (${m.n} queries)`;
    console.log(
      [
        `search relevance: ${fmt(all)}`,
        ...Object.entries(byKind).map(([k, m]) => `  ${k.padEnd(10)} ${fmt(m)}`),
        ...(misses.length ? ['  misses:', ...misses.map((m) => `    ${m}`)] : []),
      ].join('\n'),
    );
    // Measured: recall@5 0.941, MRR 0.934 (recall@5: paraphrase 0.90, typo 1.0, prefix 1.0, Chinese 0.957).
    expect(all.recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(all.mrr).toBeGreaterThanOrEqual(0.9);
    for (const m of Object.values(byKind)) expect(m.recallAt5).toBeGreaterThanOrEqual(0.85);
  });
});

describe('search relevance with synonym groups', () => {
  it('every synonym query uses only words the index does not hold, so without the groups it misses', () => {
    for (const q of synonymQueries) expect(threadOf.has(q.expect), q.expect).toBe(true);
    expect(synonymBefore.filter((o) => o.rank !== null).map((o) => o.query.q)).toEqual([]);
  });

  it('with the groups, finds each one in the top 5, in English, Chinese and across the two', () => {
    const m = metrics(synonymAfter);
    console.log(`search relevance, synonym queries: recall@5 ${m.recallAt5.toFixed(3)}  MRR ${m.mrr.toFixed(3)}  (${m.n} queries)`);
    // Measured: recall@5 1.0, MRR 0.75 (a synonym match ranks like an exact one, so the
    // question in the other language can come first).
    expect(synonymAfter.filter((o) => o.rank === null || o.rank > 5).map((o) => o.query.q)).toEqual([]);
    expect(m.mrr).toBeGreaterThanOrEqual(0.7);
  });

  it('leaves the other queries as good as without them', () => {
    const m = metrics(withSynonyms);
    expect(m.recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(m.mrr).toBeGreaterThanOrEqual(0.9);
    const worse = withSynonyms.filter((o, i) => (o.rank ?? 11) > (outcomes[i]!.rank ?? 11)).map((o) => o.query.q);
    expect(worse).toEqual([]);
  });
});
