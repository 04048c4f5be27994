import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { installStatementCache } from './statement-cache.js';
import { installReadBatching } from './read-batching.js';

export type Db = Database.Database;

/**
 * Opens the database file (creating its folder), sets the pragmas that make SQLite a good
 * server store (WAL so readers never wait for the writer, a busy timeout instead of
 * immediate SQLITE_BUSY, foreign keys on), applies pending migrations, and caches compiled
 * statements per connection (statement-cache.ts).
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  // Reads of one event-loop turn share a read transaction (read-batching.ts); writes as before.
  const batching = installReadBatching(db);
  installStatementCache(db, undefined, (stmt) => batching.decorate(stmt));
  return db;
}

/** Domain ids are strings; SQLite rows use integer keys. A malformed id matches nothing. */
export function toRowId(id: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(id)) return null;
  return Number(id);
}
