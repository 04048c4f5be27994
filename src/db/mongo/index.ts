import type { Connection } from 'mongoose';
import type { Storage } from '../ports.js';
import { openMongoConnection, type MongoConnectOptions } from './connection.js';
import { createModels, ensureCollectionsAndIndexes, type Models } from './models/index.js';
import { MongoContext } from './repositories/context.js';
import { MongoUserRepository } from './repositories/user-repository.js';
import { MongoSessionRepository } from './repositories/session-repository.js';
import { MongoCommunityRepository } from './repositories/community-repository.js';
import { MongoMembershipRepository } from './repositories/membership-repository.js';
import { MongoRateLimitRepository } from './repositories/rate-limit-repository.js';
import { MongoMetaRepository } from './repositories/meta-repository.js';
import { MongoPostRepository } from './repositories/post-repository.js';
import { MongoVoteRepository } from './repositories/vote-repository.js';
import { MongoCommentRepository } from './repositories/comment-repository.js';
import { MongoTagRepository } from './repositories/tag-repository.js';
import { MongoFaqRepository } from './repositories/faq-repository.js';
import { MongoSearchLogRepository } from './repositories/search-log-repository.js';
import { MongoOutboxRepository } from './repositories/outbox-repository.js';
import { MongoLeaseRepository } from './repositories/lease-repository.js';
import { MongoEventOutboxRepository } from './repositories/event-outbox-repository.js';
import { MongoSearchDocumentRepository } from './repositories/search-document-repository.js';
import { MongoSynonymRepository } from './repositories/synonym-repository.js';
import { MongoImportRepository } from './repositories/import-repository.js';
import { backfillUsernameSkeletons } from './backfill-username-skeletons.js';
import { backfillFaqRank } from './backfill-faq-rank.js';
import { MongoModerationRepository } from './repositories/moderation-repository.js';
import { createMongoMailStorage } from './repositories/mail-repositories.js';
import { MongoInboundRepository } from './repositories/inbound-repository.js';
import { MongoSupportRepository } from './repositories/support-repository.js';
import { MongoNotificationRepository, MongoWatchRepository } from './repositories/notification-repositories.js';
import { MongoDigestRepository, MongoNewsletterRepository } from './repositories/digest-repositories.js';
import { MongoSupportMetricsRepository } from './repositories/support-metrics-repository.js';

export interface MongoStorage extends Storage {
  readonly backend: 'mongo';
  /** Exposed for tests (dropping a test database) and maintenance scripts. */
  readonly connection: Connection;
  readonly models: Models;
}

export type MongoStorageOptions = MongoConnectOptions;

/** Builds the repositories over an already opened connection (no I/O). */
export function mongoStorageFromConnection(connection: Connection, models: Models = createModels(connection)): MongoStorage {
  const ctx = new MongoContext(connection, models);
  return {
    backend: 'mongo',
    connection,
    models,
    users: new MongoUserRepository(ctx),
    sessions: new MongoSessionRepository(ctx),
    communities: new MongoCommunityRepository(ctx),
    memberships: new MongoMembershipRepository(ctx),
    rateLimits: new MongoRateLimitRepository(ctx),
    meta: new MongoMetaRepository(ctx),
    posts: new MongoPostRepository(ctx),
    votes: new MongoVoteRepository(ctx),
    comments: new MongoCommentRepository(ctx),
    tags: new MongoTagRepository(ctx),
    faq: new MongoFaqRepository(ctx),
    imports: new MongoImportRepository(ctx),
    searchLog: new MongoSearchLogRepository(ctx),
    outbox: new MongoOutboxRepository(ctx),
    events: new MongoEventOutboxRepository(ctx),
    leases: new MongoLeaseRepository(ctx),
    searchDocuments: new MongoSearchDocumentRepository(ctx),
    synonyms: new MongoSynonymRepository(ctx),
    moderation: new MongoModerationRepository(ctx),
    mail: createMongoMailStorage(ctx, { notifications: new MongoNotificationRepository(ctx), watches: new MongoWatchRepository(ctx), inbound: new MongoInboundRepository(ctx) }),
    support: new MongoSupportRepository(ctx),
    digests: new MongoDigestRepository(ctx),
    newsletters: new MongoNewsletterRepository(ctx),
    supportMetrics: new MongoSupportMetricsRepository(ctx),
    async close() {
      await connection.close();
    },
  };
}

/**
 * The MongoDB storage backend. Connects, refuses a server that cannot run transactions (a
 * replica set is required; see connection.ts), creates the collections and indexes, and
 * returns the repositories. Several app instances may call this against one database.
 */
export async function createMongoStorage(uri: string, options: MongoStorageOptions = {}): Promise<MongoStorage> {
  const connection = await openMongoConnection(uri, options);
  try {
    const models = createModels(connection);
    await ensureCollectionsAndIndexes(models);
    await backfillUsernameSkeletons(models.users);
    await backfillFaqRank(models.faqEntries, models.posts);
    return mongoStorageFromConnection(connection, models);
  } catch (err) {
    await connection.close().catch(() => {});
    throw err;
  }
}
