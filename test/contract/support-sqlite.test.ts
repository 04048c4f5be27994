import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runSupportContract } from './support-contract.js';

runSupportContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
