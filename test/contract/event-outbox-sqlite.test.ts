import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runEventOutboxContract } from './event-outbox-contract.js';

runEventOutboxContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
