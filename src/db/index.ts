import type { AppConfig } from '../config.js';
import type { Storage } from './ports.js';
import { createSqliteStorage } from './sqlite/index.js';

/** Picks the storage backend named by the configuration (the embedded one opens synchronously). */
export function createStorage(config: AppConfig): Storage {
  // With Meilisearch the SQLite file feeds the search outbox instead of its own index.
  if (config.storage === 'sqlite') return createSqliteStorage(config.sqlitePath, { searchIndex: config.search === 'meili' ? 'outbox' : 'fts' });
  throw new Error(`Storage backend "${config.storage}" opens asynchronously: use createStorageAsync`);
}

/**
 * Opens whichever backend the configuration names. MongoDB needs a network round trip (and
 * its index setup) before it can serve, so this is async; mongoose is loaded only then.
 */
export async function createStorageAsync(config: AppConfig): Promise<Storage> {
  if (config.storage === 'mongo') {
    if (!config.mongodbUri) throw new Error('MONGODB_URI is required for the MongoDB storage backend');
    const { createMongoStorage } = await import('./mongo/index.js');
    return createMongoStorage(config.mongodbUri);
  }
  return createStorage(config);
}
