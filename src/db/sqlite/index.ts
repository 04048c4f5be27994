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
import { SqliteOutboxRepository } from './outbox-repository.js';
import { SqliteLeaseRepository } from './lease-repository.js';
import { SqliteEventOutboxRepository } from './event-outbox-repository.js';
import { SqliteSearchDocumentRepository } from './search-document-repository.js';
import { SqliteSynonymRepository } from './synonym-repository.js';
import { SqliteImportRepository } from './import-repository.js';
import { SqliteModerationRepository } from './moderation-repository.js';
import { SqliteSupportRepository } from './support-repository.js';
import { installOutboxTriggers, removeOutboxTriggers } from './outbox-triggers.js';
import { createSqliteMailStorage } from './mail/index.js';
import { createSqliteDigestStorage } from './digest/index.js';
import { SqliteSupportMetricsRepository } from './support-metrics-repository.js';

export interface SqliteStorage extends Storage {
  /** Exposed for the embedded search engine, which shares the file and its transactions. */
  readonly db: Db;
}

export interface SqliteStorageOptions {
  /**
   * 'fts' (default): the embedded engine's index, written by triggers in the same transactions.
   * 'outbox': an external engine (Meilisearch); triggers write the search outbox instead.
   */
  searchIndex?: 'fts' | 'outbox';
}

export function createSqliteStorage(file: string, options: SqliteStorageOptions = {}): SqliteStorage {
  const db = openDatabase(file);
  // Either way the search side is written by triggers in the same transactions: set it up before any write.
  if (options.searchIndex === 'outbox') {
    installOutboxTriggers(db);
    // The embedded index stops following the tables: make it rebuild if it is ever used again.
    db.prepare("DELETE FROM meta WHERE key = 'search_fts_version'").run();
  } else {
    removeOutboxTriggers(db);
    installSqliteFts(db);
  }
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
    imports: new SqliteImportRepository(db),
    outbox: new SqliteOutboxRepository(db),
    events: new SqliteEventOutboxRepository(db),
    leases: new SqliteLeaseRepository(db),
    searchDocuments: new SqliteSearchDocumentRepository(db),
    synonyms: new SqliteSynonymRepository(db),
    moderation: new SqliteModerationRepository(db),
    mail: createSqliteMailStorage(db),
    ...createSqliteDigestStorage(db),
    support: new SqliteSupportRepository(db),
    supportMetrics: new SqliteSupportMetricsRepository(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
