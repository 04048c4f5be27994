import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import type { DailyAggregate } from '../../src/db/support-metrics-port.js';
import type { SupportTicket } from '../../src/domain/support-types.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

const ALL = [0, Number.MAX_SAFE_INTEGER] as const;

/*
 * The support dashboard's storage (issue 12) as every backend must implement it: the facts
 * the daily job reads by time range, self-service events, and daily aggregates replaced a
 * day at a time.
 */
export function runSupportMetricsContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`support metrics storage contract: ${name}`, () => {
    let f: ContentFixture;
    afterEach(async () => {
      await f?.storage.close();
    });

    const ticket = (questionId: string, over: Partial<SupportTicket> = {}): SupportTicket => ({
      questionId, communityId: f.community.id, askerId: f.alice.id, urgent: false, urgentReason: '', status: 'open', assigneeId: null, openedAt: T0,
      warnAt: null, dueAt: null, pausedRemainingMs: null, respondedAt: null, responseKind: null, firstStaffResponseAt: null, firstStaffResponderId: null,
      resolvedAt: null, reopenCount: 0, warnedAt: null, breachedAt: null, updatedAt: T0, ...over,
    });

    it('replaces a day of aggregates at once and reads a range, per community or all', async () => {
      f = await contentFixture(await makeStorage());
      const store = f.storage.supportMetrics;
      // A backend may hand a detail list back as an array or a Float64Array: compare the numbers.
      const plain = (rows: DailyAggregate[]) => rows.map((r) => ({ ...r, detail: Array.from(r.detail) }));
      const m = { ...store, replaceDay: store.replaceDay.bind(store), latestDay: store.latestDay.bind(store), readDaily: async (...a: Parameters<typeof store.readDaily>) => plain(await store.readDaily(...a)) };
      expect(await m.latestDay()).toBeNull();
      const row = (communityId: string, day: string, metric: string, dim: string, value: number, detail: number[] = []) => ({ communityId, day, metric, dim, value, detail });
      await m.replaceDay('2026-11-30', [row(f.community.id, '2026-11-30', 'frt', '', 2, [60000, 120000]), row(f.other.id, '2026-11-30', 'opened', '', 1), row('0', '2026-11-30', 'ss_search', '', 4)]);
      await m.replaceDay('2026-12-01', [row(f.community.id, '2026-12-01', 'frt', `staff:${f.bob.id}`, 1, [5000])]);
      await m.replaceDay('2026-11-30', [row(f.community.id, '2026-11-30', 'frt', '', 3, [1, 2, 3])]);
      expect(await m.readDaily(f.community.id, '2026-11-01', '2026-12-31')).toEqual([
        row(f.community.id, '2026-11-30', 'frt', '', 3, [1, 2, 3]),
        row(f.community.id, '2026-12-01', 'frt', `staff:${f.bob.id}`, 1, [5000]),
      ]);
      expect(await m.readDaily(null, '2026-12-01', '2026-12-01')).toHaveLength(1);
      expect(await m.readDaily(f.other.id, '2026-11-01', '2026-12-31')).toEqual([]);
      expect(await m.latestDay()).toBe('2026-12-01');
      // Only the metrics asked for.
      await m.replaceDay('2026-12-02', [row(f.community.id, '2026-12-02', 'opened', '', 1), row(f.community.id, '2026-12-02', 'active_by', '', 2, [5, 9])]);
      expect(await m.readDaily(f.community.id, '2026-11-01', '2026-12-31', ['active_by'])).toEqual([row(f.community.id, '2026-12-02', 'active_by', '', 2, [5, 9])]);
      expect((await m.readDaily(null, '2026-11-01', '2026-12-31', ['frt', 'opened'])).map((r) => r.metric)).toEqual(['frt', 'frt', 'opened']);
      expect(await m.readDaily(null, '2026-11-01', '2026-12-31', [])).toEqual([]);
    });

    it('finds FAQ helpful votes, accepted answers by staff or customers, active members and askers of a range', async () => {
      f = await contentFixture(await makeStorage());
      const m = f.storage.supportMetrics;
      const c = f.community.id;
      const entry = await f.faqEntry();
      await f.storage.faq.recordHelpful(entry.id, 'u:1', true, T0 + 10);
      await f.storage.faq.recordHelpful(entry.id, 'b:visitor', false, T0 + 20);
      await f.storage.faq.recordHelpful(entry.id, 'b:other', true, T0 + 30);
      expect(await m.faqHelpfulBetween(T0, T0 + 100)).toEqual([{ communityId: c, helpful: false, count: 1 }, { communityId: c, helpful: true, count: 2 }]);
      expect(await m.faqHelpfulBetween(T0 + 25, T0 + 100)).toEqual([{ communityId: c, helpful: true, count: 1 }]);

      // The fixture writes a post a minute: q1 at +2 min, q2 +3, a1 +4, a2 +5 (the entry took +1).
      const q1 = await f.ask();
      const q2 = await f.ask();
      const a1 = await f.answer(q1, 'From staff', f.bob);
      const a2 = await f.answer(q2, 'From a customer', f.carol);
      await f.storage.memberships.upsert(c, f.bob.id, 'staff');
      await f.storage.posts.setAcceptedAnswer(q1, a1, T0 + 600_000);
      await f.storage.posts.setAcceptedAnswer(q2, a2, T0 + 610_000);
      const s = f.storage.support;
      await s.openTicket(ticket(q1, { status: 'resolved', resolvedAt: T0 + 600_000 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(q2, { status: 'resolved', resolvedAt: T0 + 610_000 }), { actorId: null, kind: 'opened', at: T0 });
      expect(await m.acceptedBetween(T0, T0 + 700_000)).toEqual([
        { communityId: c, questionId: q1, byStaff: true },
        { communityId: c, questionId: q2, byStaff: false },
      ]);
      expect(await m.acceptedBetween(T0 + 605_000, T0 + 700_000)).toEqual([{ communityId: c, questionId: q2, byStaff: false }]);

      expect(await m.activeMembersBetween(T0 + 100_000, T0 + 310_000)).toEqual(
        [f.alice, f.bob, f.carol].map((u) => ({ communityId: c, userId: u.id })).sort((x, y) => Number(x.userId) - Number(y.userId)),
      );
      await f.storage.comments.add(q1, f.dave.id, 'Thanks, that works', '<p>Thanks, that works</p>', T0 + 5_000_000);
      expect(await m.activeMembersBetween(T0 + 4_000_000, T0 + 6_000_000)).toEqual([{ communityId: c, userId: f.dave.id }]);

      expect(await m.askersBetween(T0, T0 + 200_000)).toEqual([{ communityId: c, userId: f.alice.id, count: 2, askedBefore: false }]);
      expect(await m.askersBetween(T0 + 150_000, T0 + 200_000)).toEqual([{ communityId: c, userId: f.alice.id, count: 1, askedBefore: true }]);
      const q3 = await f.ask({ community: f.other });
      expect((await m.askersBetween(T0, T0 + 10_000_000)).map((a) => [a.communityId, a.count, a.askedBefore])).toEqual([[c, 2, false], [f.other.id, 1, false]]);
      // A deleted question is no longer asked.
      await f.storage.moderation.softDelete(q3, f.dave.id, 'spam', T0 + 7_000_000);
      expect((await m.askersBetween(T0, T0 + 10_000_000)).map((a) => a.communityId)).toEqual([c]);
    });

    it('keeps self-service events in time order and finds them by range', async () => {
      f = await contentFixture(await makeStorage());
      const m = f.storage.supportMetrics;
      await m.recordSelfService({ kind: 'search', browserId: 'browser-aaaaaaaaaaaa', communityId: null, at: T0 + 10 });
      await m.recordSelfService({ kind: 'question_posted', browserId: 'browser-aaaaaaaaaaaa', communityId: f.community.id, at: T0 + 20 });
      await m.recordSelfService({ kind: 'faq_view', browserId: 'browser-bbbbbbbbbbbb', communityId: f.other.id, at: T0 + 5 });
      expect(await m.selfServiceBetween(T0, T0 + 20)).toEqual([
        { kind: 'faq_view', browserId: 'browser-bbbbbbbbbbbb', communityId: f.other.id, at: T0 + 5 },
        { kind: 'search', browserId: 'browser-aaaaaaaaaaaa', communityId: null, at: T0 + 10 },
      ]);
    });

    it('writes a batch of self-service events at once, as recorded one by one', async () => {
      f = await contentFixture(await makeStorage());
      const m = f.storage.supportMetrics;
      await m.recordSelfServiceMany([]);
      await m.recordSelfServiceMany([
        { kind: 'faq_view', browserId: 'browser-cccccccccccc', communityId: f.community.id, at: T0 + 30 },
        { kind: 'similar_click', browserId: 'browser-cccccccccccc', communityId: null, at: T0 + 31 },
        { kind: 'search', browserId: 'browser-dddddddddddd', communityId: f.other.id, at: T0 + 29 },
      ]);
      expect(await m.selfServiceBetween(T0, T0 + 100)).toEqual([
        { kind: 'search', browserId: 'browser-dddddddddddd', communityId: f.other.id, at: T0 + 29 },
        { kind: 'faq_view', browserId: 'browser-cccccccccccc', communityId: f.community.id, at: T0 + 30 },
        { kind: 'similar_click', browserId: 'browser-cccccccccccc', communityId: null, at: T0 + 31 },
      ]);
    });

    it('finds tickets opened, first answered or resolved in a range, events, ratings and answers', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const m = f.storage.supportMetrics;
      const [a, b, c] = [await f.ask(), await f.ask(), await f.ask()];
      await s.openTicket(ticket(a, { openedAt: T0 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(b, { openedAt: T0 - 5000, firstStaffResponseAt: T0 + 100, firstStaffResponderId: f.bob.id }), { actorId: null, kind: 'opened', at: T0 - 5000 });
      await s.openTicket(ticket(c, { openedAt: T0 - 9000, resolvedAt: T0 + 9000 }), { actorId: null, kind: 'opened', at: T0 - 9000 });
      expect((await m.ticketsTouchedBetween(T0, T0 + 1000)).map((t) => t.questionId).sort()).toEqual([a, b].sort());
      expect((await m.ticketsTouchedBetween(T0 + 8000, T0 + 10000)).map((t) => [t.questionId, t.resolvedAt])).toEqual([[c, T0 + 9000]]);
      expect(await m.earliestTicket()).toBe(T0 - 9000);
      await s.updateTicket(a, { status: 'open' }, { actorId: f.alice.id, kind: 'reopened', at: T0 + 50 });
      expect(await m.eventsBetween(['reopened'], T0, T0 + 100)).toEqual([{ questionId: a, communityId: f.community.id, kind: 'reopened', at: T0 + 50 }]);
      expect(await m.eventsBetween(['reopened'], T0 + 51, T0 + 100)).toEqual([]);
      await s.saveRating({ questionId: a, communityId: f.community.id, askerId: f.alice.id, score: 2, comment: '', createdAt: T0 + 60, updatedAt: T0 + 60 });
      expect((await m.ratingsBetween(T0, T0 + 100)).map((r) => [r.questionId, r.score])).toEqual([[a, 2]]);
      expect(await m.ratingsBetween(T0 + 61, T0 + 100)).toEqual([]);
      await f.answer(a, 'one', f.bob);
      await f.answer(b, 'two', f.bob);
      await f.answer(b, 'three', f.carol);
      expect(await m.answersBetween(...ALL)).toEqual([
        { communityId: f.community.id, authorId: f.bob.id, count: 2 },
        { communityId: f.community.id, authorId: f.carol.id, count: 1 },
      ]);
    });
  });
}
