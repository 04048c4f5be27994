import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runAccountMailContract, runMailContract, runNotificationContract } from './mail-contract.js';

runMailContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
runAccountMailContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
runNotificationContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
