import type { MailStorage } from '../../ports.js';
import type { Db } from '../connection.js';
import { SqliteMailQueueRepository } from './mail-queue-repository.js';
import { SqliteNotificationPrefsRepository } from './notification-prefs-repository.js';
import { SqliteAccountMailRepository } from './account-mail-repository.js';
import { SqliteNotificationRepository, SqliteWatchRepository } from './notification-repository.js';
import { SqliteInboundRepository } from './inbound-repository.js';

export function createSqliteMailStorage(db: Db): MailStorage {
  return {
    queue: new SqliteMailQueueRepository(db), prefs: new SqliteNotificationPrefsRepository(db), accounts: new SqliteAccountMailRepository(db),
    notifications: new SqliteNotificationRepository(db),
    watches: new SqliteWatchRepository(db),
    inbound: new SqliteInboundRepository(db),
  };
}
