import type { Db } from '../connection.js';
import { SqliteDigestRepository } from './digest-repository.js';
import { SqliteNewsletterRepository } from './newsletter-repository.js';

export function createSqliteDigestStorage(db: Db) {
  return { digests: new SqliteDigestRepository(db), newsletters: new SqliteNewsletterRepository(db) };
}
