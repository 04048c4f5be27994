import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runSupportMetricsContract } from './support-metrics-contract.js';

runSupportMetricsContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));
