import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runInboundContract } from './inbound-contract.js';

runInboundContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
