import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runMailContract } from './mail-contract.js';

runMailContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
