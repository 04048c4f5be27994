import type { AppConfig } from '../config.js';
import type { Storage } from './ports.js';
import { createSqliteStorage } from './sqlite/index.js';

/** Picks the storage backend named by the configuration. */
export function createStorage(config: AppConfig): Storage {
  if (config.storage === 'sqlite') return createSqliteStorage(config.sqlitePath);
  throw new Error(`Storage backend "${config.storage}" is not available in this version`);
}
