import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runFaqContract } from './faq-contract.js';

runFaqContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
