import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { DAY_MS, dayOf, dayStart } from '../../src/domain/support-metrics.js';
import type { SupportTicket } from '../../src/domain/support-types.js';
import { AGGREGATES_VERSION, supportDailyJob } from '../../src/services/support/daily-job.js';
import { contentFixture, T0 } from '../contract/content-fixture.js';

/*
 * The support-daily job (issue 12) on aggregates of an older version, or none: it rebuilds every
 * day from the first ticket once, a chunk of 62 days per run, keeping yesterday and today current
 * meanwhile, and then only recomputes yesterday and today.
 */
describe('support-daily job: rebuilding older aggregates', () => {
  it('rebuilds from the first ticket in chunks, then keeps to yesterday and today', async () => {
    const f = await contentFixture(createSqliteStorage(':memory:'));
    try {
      const q = await f.ask();
      const ticket: SupportTicket = {
        questionId: q, communityId: f.community.id, askerId: f.alice.id, urgent: false, urgentReason: '', status: 'open', assigneeId: null, openedAt: T0,
        warnAt: null, dueAt: null, pausedRemainingMs: null, respondedAt: null, responseKind: null, firstStaffResponseAt: null, firstStaffResponderId: null,
        resolvedAt: null, reopenCount: 0, warnedAt: null, breachedAt: null, updatedAt: T0,
      };
      await f.storage.support.openTicket(ticket, { actorId: null, kind: 'opened', at: T0 });
      // An install from before: aggregates of the first day only, no version.
      await f.storage.supportMetrics.replaceDay(dayOf(T0), []);
      const now = dayStart(dayOf(T0)) + 100 * DAY_MS + 3_600_000;
      // Someone searched today, so today has aggregates (the job goes on from the latest day that has some).
      await f.storage.supportMetrics.recordSelfService({ kind: 'search', browserId: 'browser-aaaaaaaaaaaa', communityId: f.community.id, at: now - 60_000 });
      const job = supportDailyJob(f.storage.supportMetrics, f.storage.meta, () => now);
      // Days 0..61 of the rebuild, then yesterday and today (days 99 and 100).
      expect((await job.run()).days).toBe(64);
      expect(await f.storage.meta.get('support_daily.version')).toBeNull();
      expect((await f.storage.supportMetrics.readDaily(f.community.id, dayOf(T0), dayOf(T0), ['opened']))[0]?.value).toBe(1);
      // Days 62..100.
      expect((await job.run()).days).toBe(39);
      expect(await f.storage.meta.get('support_daily.version')).toBe(AGGREGATES_VERSION);
      // Yesterday and today recomputed: no fact changed since the last run, so nothing did
      // (the run must not have every cached page rendered again).
      expect(await job.run()).toEqual({ days: 2, changed: 0 });
      await f.storage.supportMetrics.recordSelfService({ kind: 'search', browserId: 'browser-bbbbbbbbbbbb', communityId: f.community.id, at: now - 30_000 });
      expect(await job.run()).toEqual({ days: 2, changed: 1 });
      expect(job.changedContent!({ days: 2, changed: 0 })).toBe(false);
      // The month roll-ups of the member lists were written along the way (alice asked on day 0).
      const month = dayOf(T0).slice(0, 7);
      expect(Array.from((await f.storage.supportMetrics.readDaily(f.community.id, `${month}-00`, `${month}-00`, ['active_by_m']))[0]?.detail ?? [])).toEqual([Number(f.alice.id)]);
    } finally {
      await f.storage.close();
    }
  });
});
