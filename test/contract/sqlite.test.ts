import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runStorageContract } from './storage-contract.js';

runStorageContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
