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
