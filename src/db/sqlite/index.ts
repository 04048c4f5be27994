import type { Storage } from '../ports.js';
import { openDatabase, type Db } from './connection.js';
import { SqliteUserRepository } from './user-repository.js';
import { SqliteSessionRepository } from './session-repository.js';
import { SqliteCommunityRepository } from './community-repository.js';
import { SqliteMembershipRepository } from './membership-repository.js';
import { SqliteRateLimitRepository } from './rate-limit-repository.js';
import { SqliteMetaRepository } from './meta-repository.js';
import { SqlitePostRepository } from './post-repository.js';
import { SqliteVoteRepository } from './vote-repository.js';
import { SqliteCommentRepository } from './comment-repository.js';
import { SqliteTagRepository } from './tag-repository.js';
import { installSqliteFts } from '../../search/sqlite-fts/install.js';
import { SqliteSearchLogRepository } from '../../search/sqlite-fts/search-log-repository.js';
import { SqliteFaqRepository } from './faq-repository.js';

export interface SqliteStorage extends Storage {
  /** Exposed for the embedded search engine, which shares the file and its transactions. */
  readonly db: Db;
}

export function createSqliteStorage(file: string): SqliteStorage {
  const db = openDatabase(file);
  // The search index is written by triggers in the same transactions: set it up before any write.
  installSqliteFts(db);
  return {
    backend: 'sqlite',
    db,
    users: new SqliteUserRepository(db),
    sessions: new SqliteSessionRepository(db),
    communities: new SqliteCommunityRepository(db),
    memberships: new SqliteMembershipRepository(db),
    rateLimits: new SqliteRateLimitRepository(db),
    meta: new SqliteMetaRepository(db),
    posts: new SqlitePostRepository(db),
    votes: new SqliteVoteRepository(db),
    comments: new SqliteCommentRepository(db),
    tags: new SqliteTagRepository(db),
    searchLog: new SqliteSearchLogRepository(db),
    faq: new SqliteFaqRepository(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
