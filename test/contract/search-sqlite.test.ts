import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../src/search/index.js';
import { searchContract, searchLogContract, type SearchHarness } from './search-contract.js';
import { sqliteSearchHarness } from './search-storage-harness.js';

/** The embedded engine: content goes in through the storage ports and the index follows by trigger. */
searchContract('sqlite-fts', async (): Promise<SearchHarness> => {
  const storage = createSqliteStorage(':memory:');
  const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
  return sqliteSearchHarness(storage, engine, { settle: async () => {}, close: () => storage.close() });
});

searchLogContract('sqlite', async () => {
  const storage = createSqliteStorage(':memory:');
  const mk = (slug: string) => storage.communities.create({ slug, name: slug, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
  const [a, b] = [await mk('alpha'), await mk('beta')];
  return { log: storage.searchLog, communities: { a: a.id, b: b.id }, close: () => storage.close() };
});

/*
 * Migration 025: the browser index (suggested synonyms) holds clicked searches only, so
 * logging a search no longer writes a random page of it; a click puts the search in.
 */
describe('search log browser index (SQLite)', () => {
  it('takes a search in when it is first clicked, and serves the lookup by browser of clicked searches', async () => {
    const storage = createSqliteStorage(':memory:');
    try {
      const indexes = storage.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_log' AND name LIKE 'search_log_browser%'").all() as Array<{ name: string; sql: string }>;
      expect(indexes.map((i) => i.name)).toEqual(['search_log_browser_clicked']);
      const [id] = await storage.searchLog.reserveIds(1);
      await storage.searchLog.recordMany([{ id: id!, query: 'fog', normalized: 'fog', communityId: null, filters: '', hitCount: 3, userHash: 'u', browserHash: 'b1', now: 1_000 }]);
      // INDEXED BY fails outright when the index cannot answer the lookup.
      const viaIndex = storage.db.prepare('SELECT count(*) AS n FROM search_log INDEXED BY search_log_browser_clicked WHERE browser_hash = ? AND click_count > 0');
      expect(viaIndex.get('b1')).toEqual({ n: 0 });
      expect(await storage.searchLog.recordClick(id!, 'question-1', 1, 2_000)).toBe(true);
      expect(viaIndex.get('b1')).toEqual({ n: 1 });
    } finally {
      storage.close();
    }
  });
});
