import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { readCorpus, readFixture } from './relevance/dataset.js';
import { loadCorpus } from './relevance/load.js';

/*
 * The same query on the same index gives the same results at any load: the embedded engine
 * bounds its work by counts, never by time. 50 real queries (Chinese and English) run three
 * times, each time all at once and interleaved with 50 other searches, on engines with
 * empty result caches (so every round really ranks again): the result lists are identical.
 */

let storage: SqliteStorage;
const queries: string[] = [];
const noise: string[] = [];

beforeAll(async () => {
  storage = createSqliteStorage(':memory:');
  await loadCorpus(storage, [...readCorpus('en-extra.json'), ...readCorpus('zh-corpus.json')], [], { 'en-support': 'Camera support', 'zh-support': '客户服务' });
  const zh = readFixture<Array<{ query: string }>>('zh-queries.json') ?? [];
  const en = readFixture<{ queries?: Array<{ query: string }> }>('en-extra.json')?.queries ?? [];
  const all = [...zh.map((q) => q.query), ...en.map((q) => q.query)];
  for (let i = 0; i < all.length && queries.length < 50; i += 7) queries.push(all[i]!);
  for (let i = 3; i < all.length && noise.length < 50; i += 7) noise.push(all[i]!);
}, 60_000);

afterAll(async () => {
  await storage?.close();
});

describe('search results under concurrent load', () => {
  it('50 queries run 3 times, concurrently with other searches, give identical result lists', async () => {
    expect(queries).toHaveLength(50);
    const rounds: string[][][] = [];
    for (let round = 0; round < 3; round++) {
      const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
      const search = (q: string) => engine.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, distinct: true });
      const mixed = queries.flatMap((q, i) => [search(q), search(noise[(i + round * 7) % noise.length]!)]);
      const results = await Promise.all(mixed);
      rounds.push(results.filter((_, i) => i % 2 === 0).map((r) => r.hits.map((h) => h.docId)));
    }
    expect(rounds[0]!.every((hits) => hits.length > 0)).toBe(true);
    expect(rounds[1]).toEqual(rounds[0]);
    expect(rounds[2]).toEqual(rounds[0]);
  });
});
