import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runSupportMetricsContract } from './support-metrics-contract.js';

runSupportMetricsContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));

describe('support metrics on SQLite: stored detail lists', () => {
  it('reads rows written before migration 024 (comma-separated text) next to binary ones', async () => {
    const storage = createSqliteStorage(':memory:');
    try {
      storage.db.prepare("INSERT INTO support_daily (community_id, day, metric, dim, value, detail) VALUES (1, '2026-11-30', 'frt', '', 3, '60000,120000,1800000')").run();
      await storage.supportMetrics.replaceDay('2026-12-01', [{ communityId: '1', day: '2026-12-01', metric: 'frt', dim: '', value: 2, detail: [5, 86_400_000 * 40] }]);
      expect((await storage.supportMetrics.readDaily('1', '2026-11-01', '2026-12-31')).map((r) => Array.from(r.detail))).toEqual([[60000, 120000, 1800000], [5, 86_400_000 * 40]]);
      expect(storage.db.prepare("SELECT typeof(detail) AS t FROM support_daily WHERE day = '2026-12-01'").get()).toEqual({ t: 'blob' });
    } finally {
      await storage.close();
    }
  });
});
