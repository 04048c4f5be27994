import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runImportContract } from './import-contract.js';

runImportContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
