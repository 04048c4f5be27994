import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import type { SupportMetricsRepository } from '../../src/db/support-metrics-port.js';
import { monthKey } from '../../src/domain/support-metrics.js';
import { AGGREGATES_VERSION, supportDailyJob } from '../../src/services/support/daily-job.js';
import { contentFixture } from '../contract/content-fixture.js';

/*
 * Found by an audit: the support-daily job recomputed a month's roll-up of the packed member lists
 * (what the dashboard reads for every whole month of a range) only when one of its days
 * changed in the same run. A run that wrote a changed day and then failed before the month's
 * roll-up was written (a transient database error, a restart) leaves the roll-up out of date:
 * the next run finds the day unchanged and never writes the month again. Before e98d81f every
 * run rewrote the months of yesterday and today, so the next run repaired it.
 *
 * At a month boundary nothing else repairs it either: the dashboard's own refresh recomputes
 * only today's month, and after the 1st the last day of the old month is never recomputed.
 */
describe('support-daily month roll-up after a failed run', () => {
  it('a month roll-up missed by a failed run is written by the next run', async () => {
    const storage = createSqliteStorage(':memory:');
    const f = await contentFixture(storage);
    try {
      // Aggregates are of the current version: the job only keeps yesterday and today.
      await storage.meta.set('support_daily.version', AGGREGATES_VERSION);
      // Alice asks late on the last day of November; the job runs just after midnight.
      const asked = Date.UTC(2023, 10, 30, 23, 50);
      await storage.posts.createQuestion({
        communityId: f.community.id, authorId: f.alice.id, title: 'Late question of the month', slug: 'late-question',
        bodyMd: 'Body', bodyHtml: '<p>Body</p>', bodyText: 'Body', tags: ['general'], now: asked,
      });
      const now = Date.UTC(2023, 11, 1, 0, 30);

      // The first run's write of a month roll-up fails once (the days are written before it).
      let failMonthWrite = true;
      const repo: SupportMetricsRepository = new Proxy(storage.supportMetrics, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver) as unknown;
          if (name === 'replaceDay') {
            return async (day: string, rows: Parameters<SupportMetricsRepository['replaceDay']>[1]) => {
              if (day.endsWith('-00') && failMonthWrite) {
                failMonthWrite = false;
                throw new Error('SQLITE_BUSY: database is locked');
              }
              return target.replaceDay(day, rows);
            };
          }
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const job = supportDailyJob(repo, storage.meta, () => now);
      await expect(job.run()).rejects.toThrow('SQLITE_BUSY');
      // November 30th's aggregates were written: Alice was active that day.
      const day = await storage.supportMetrics.readDaily(f.community.id, '2023-11-30', '2023-11-30', ['active_by']);
      expect(day.map((r) => Array.from(r.detail))).toEqual([[Number(f.alice.id)]]);

      // The next run (ten minutes later) succeeds.
      await job.run();
      const month = await storage.supportMetrics.readDaily(f.community.id, monthKey('2023-11'), monthKey('2023-11'), ['active_by_m']);
      // What the dashboard shows for November: Alice among November's active members.
      expect(month.map((r) => Array.from(r.detail))).toEqual([[Number(f.alice.id)]]);
    } finally {
      await storage.close();
    }
  });
});
