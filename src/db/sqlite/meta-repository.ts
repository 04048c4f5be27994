import type { MetaRepository } from '../ports.js';
import type { Db } from './connection.js';

export class SqliteMetaRepository implements MetaRepository {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<string | null> {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row ? row.value : null;
  }

  async set(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
