import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runDigestContract } from './digest-contract.js';

runDigestContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
