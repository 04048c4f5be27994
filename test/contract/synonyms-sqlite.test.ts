import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runSynonymsContract } from './synonyms-contract.js';

runSynonymsContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
