import type { AppConfig } from '../config.js';
import type { Storage } from '../db/ports.js';
import type { SqliteStorage } from '../db/sqlite/index.js';
import type { SearchEngine } from './port.js';
import { SqliteFtsEngine } from './sqlite-fts/engine.js';

/** Picks the search engine named by the configuration; the embedded one needs the SQLite storage. */
export function createSearchEngine(config: Pick<AppConfig, 'search'>, storage: Storage): SearchEngine {
  if (config.search === 'sqlite-fts') {
    if (storage.backend !== 'sqlite' || !('db' in storage)) throw new Error('The embedded search engine (sqlite-fts) needs the SQLite storage backend');
    return new SqliteFtsEngine((storage as SqliteStorage).db);
  }
  // The Meilisearch adapter (src/search/meili, with its outbox worker) is a later issue.
  throw new Error(`Search backend "${config.search}" is not available in this version: the Meilisearch adapter (src/search/meili) is not built yet`);
}

export type { SearchEngine } from './port.js';
