import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import type { SupportTicket } from '../../src/domain/support-types.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * The customer-service port (issue 12) as every backend must implement it: the promise
 * settings, tickets with their event history, the staff queue and its filters, escalations
 * recorded once, and ratings.
 */
export function runSupportContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`support storage contract: ${name}`, () => {
    let f: ContentFixture;
    afterEach(async () => {
      await f?.storage.close();
    });

    const ticket = (questionId: string, over: Partial<SupportTicket> = {}): SupportTicket => ({
      questionId,
      communityId: f.community.id,
      askerId: f.alice.id,
      urgent: false,
      urgentReason: '',
      status: 'open',
      assigneeId: null,
      openedAt: T0,
      warnAt: T0 + 1000,
      dueAt: T0 + 2000,
      pausedRemainingMs: null,
      respondedAt: null,
      responseKind: null,
      firstStaffResponseAt: null,
      firstStaffResponderId: null,
      resolvedAt: null,
      reopenCount: 0,
      warnedAt: null,
      breachedAt: null,
      updatedAt: T0,
      ...over,
    });

    it('keeps the promise settings of a community and replaces them on save', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      expect(await s.getSettings(f.community.id)).toBeNull();
      const settings = { communityId: f.community.id, targetHours: 24, urgentHours: 4, timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080, ackEn: 'Thanks', ackZh: '谢谢', updatedBy: f.bob.id, updatedAt: T0 };
      await s.saveSettings(settings);
      expect(await s.getSettings(f.community.id)).toEqual(settings);
      await s.saveSettings({ ...settings, targetHours: 8, days: [0, 6], updatedAt: T0 + 1 });
      expect(await s.getSettings(f.community.id)).toMatchObject({ targetHours: 8, days: [0, 6], updatedAt: T0 + 1 });
      expect(await s.getSettings(f.other.id)).toBeNull();
      expect(await s.getSettings('nope')).toBeNull();
    });

    it('opens a ticket once, records every change with who and when', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const q = await f.ask();
      await s.openTicket(ticket(q, { urgent: true, urgentReason: 'production down' }), { actorId: f.alice.id, kind: 'opened', at: T0 });
      await s.openTicket(ticket(q, { urgent: false }), { actorId: f.alice.id, kind: 'opened', at: T0 + 5 });
      expect(await s.findTicket(q)).toEqual(ticket(q, { urgent: true, urgentReason: 'production down' }));
      const updated = await s.updateTicket(q, { assigneeId: f.bob.id, status: 'waiting', warnAt: null, dueAt: null, pausedRemainingMs: 1500, updatedAt: T0 + 10 }, { actorId: f.bob.id, kind: 'status', detail: 'waiting', at: T0 + 10 });
      expect(updated).toMatchObject({ assigneeId: f.bob.id, status: 'waiting', dueAt: null, pausedRemainingMs: 1500, urgent: true });
      expect(await s.findTicket(q)).toEqual(updated);
      const events = await s.listEvents(q);
      expect(events.map((e) => [e.kind, e.actorId, e.detail, e.at])).toEqual([
        ['opened', f.alice.id, '', T0],
        ['status', f.bob.id, 'waiting', T0 + 10],
      ]);
      expect(await s.updateTicket(await f.ask(), { status: 'resolved' }, { actorId: null, kind: 'x', at: T0 })).toBeNull();
      expect(await s.findTicket('abc')).toBeNull();
    });

    it('lists the queue by due time with its filters and counts the questions that need a reply', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const [late, soon, urgent, waiting, answered, tagged] = [await f.ask(), await f.ask(), await f.ask(), await f.ask(), await f.ask(), await f.ask({ tags: ['billing'] })];
      await s.openTicket(ticket(late, { dueAt: T0 + 9000, assigneeId: f.bob.id }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(soon, { dueAt: T0 + 3000 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(urgent, { dueAt: T0 + 5000, urgent: true }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(waiting, { status: 'waiting', dueAt: null, warnAt: null, pausedRemainingMs: 10 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(answered, { respondedAt: T0 + 1, responseKind: 'staff-answer' }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(tagged, { dueAt: T0 + 7000 }), { actorId: null, kind: 'opened', at: T0 });
      const ids = async (filter: 'needs-reply' | 'urgent' | 'mine' | 'unassigned' | 'waiting', extra: { tag?: string; limit?: number } = {}) =>
        (await s.listQueue({ communityId: f.community.id, filter, viewerId: f.bob.id, offset: 0, limit: extra.limit ?? 20, ...(extra.tag ? { tag: extra.tag } : {}) })).map((t) => t.questionId);
      expect(await ids('needs-reply')).toEqual([soon, urgent, tagged, late]);
      expect(await ids('needs-reply', { limit: 2 })).toEqual([soon, urgent, tagged]);
      expect(await ids('urgent')).toEqual([urgent]);
      expect(await ids('mine')).toEqual([late]);
      expect(await ids('unassigned')).toEqual([soon, urgent, tagged]);
      expect(await ids('waiting')).toEqual([waiting]);
      expect(await ids('needs-reply', { tag: 'billing' })).toEqual([tagged]);
      expect(await s.countNeedsReply(f.community.id)).toBe(4);
      expect(await s.countNeedsReply(f.other.id)).toBe(0);
    });

    it('finds running clocks past their warning or due time and records each escalation once', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const [a, b, c] = [await f.ask(), await f.ask(), await f.ask()];
      await s.openTicket(ticket(a, { warnAt: T0 + 100, dueAt: T0 + 200 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(b, { warnAt: T0 + 150, dueAt: T0 + 300, respondedAt: T0 + 1 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(c, { warnAt: T0 + 5000, dueAt: T0 + 9000 }), { actorId: null, kind: 'opened', at: T0 });
      expect((await s.dueForEscalation(T0 + 150, 10)).map((t) => t.questionId)).toEqual([a]);
      expect(await s.recordEscalation(a, 'warning', T0 + 200, T0 + 150)).toBe(true);
      expect(await s.recordEscalation(a, 'warning', T0 + 200, T0 + 160)).toBe(false);
      expect(await s.dueForEscalation(T0 + 150, 10)).toEqual([]);
      expect((await s.dueForEscalation(T0 + 250, 10)).map((t) => t.questionId)).toEqual([a]);
      expect(await s.recordEscalation(a, 'breach', T0 + 200, T0 + 250)).toBe(true);
      expect(await s.findTicket(a)).toMatchObject({ warnedAt: T0 + 150, breachedAt: T0 + 250 });
      expect((await s.listEscalations(a)).map((e) => [e.level, e.dueAt, e.at, e.notifiedAt, e.communityId])).toEqual([
        ['warning', T0 + 200, T0 + 150, null, f.community.id],
        ['breach', T0 + 200, T0 + 250, null, f.community.id],
      ]);
      expect((await s.listEvents(a)).map((e) => e.kind)).toEqual(['opened', 'escalated-warning', 'escalated-breach']);
      expect(await s.dueForEscalation(T0 + 250, 10)).toEqual([]);
      await s.markEscalationNotified(a, 'warning', T0 + 200, T0 + 260);
      await s.markEscalationNotified(a, 'warning', T0 + 200, T0 + 999);
      expect((await s.listEscalations(a)).map((e) => [e.level, e.notifiedAt])).toEqual([['warning', T0 + 260], ['breach', null]]);
    });

    it('lists the escalations recorded before a time and not marked notified, oldest first, with the current assignee', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const [a, b] = [await f.ask(), await f.ask()];
      await s.openTicket(ticket(a, { warnAt: T0 + 100, dueAt: T0 + 200 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(b, { warnAt: T0 + 100, dueAt: T0 + 200, assigneeId: f.bob.id }), { actorId: null, kind: 'opened', at: T0 });
      expect(await s.unnotifiedEscalations(T0 + 1000, 10)).toEqual([]);
      await s.recordEscalation(b, 'warning', T0 + 200, T0 + 150);
      await s.recordEscalation(a, 'warning', T0 + 200, T0 + 160);
      await s.recordEscalation(a, 'breach', T0 + 200, T0 + 250);
      const listed = async (before: number, limit = 10) => (await s.unnotifiedEscalations(before, limit)).map((e) => [e.questionId, e.level, e.dueAt, e.at, e.communityId, e.assigneeId, e.notifiedAt]);
      expect(await listed(T0 + 1000)).toEqual([
        [b, 'warning', T0 + 200, T0 + 150, f.community.id, f.bob.id, null],
        [a, 'warning', T0 + 200, T0 + 160, f.community.id, null, null],
        [a, 'breach', T0 + 200, T0 + 250, f.community.id, null, null],
      ]);
      // Only those recorded before the time (a run leaves alone what it is notifying itself).
      expect(await listed(T0 + 250)).toHaveLength(2);
      expect(await listed(T0 + 1000, 1)).toEqual([[b, 'warning', T0 + 200, T0 + 150, f.community.id, f.bob.id, null]]);
      await s.markEscalationNotified(b, 'warning', T0 + 200, T0 + 300);
      await s.markEscalationNotified(a, 'breach', T0 + 200, T0 + 300);
      expect(await listed(T0 + 1000)).toEqual([[a, 'warning', T0 + 200, T0 + 160, f.community.id, null, null]]);
      // Whether it still holds: the ticket open, unanswered and due when it was recorded.
      expect((await s.unnotifiedEscalations(T0 + 1000, 10)).map((e) => e.stillDue)).toEqual([true]);
      await s.updateTicket(a, { respondedAt: T0 + 400, responseKind: 'staff-answer', updatedAt: T0 + 400 }, { actorId: f.bob.id, kind: 'responded', at: T0 + 400 });
      expect((await s.unnotifiedEscalations(T0 + 1000, 10)).map((e) => [e.questionId, e.stillDue])).toEqual([[a, false]]);
    });

    it('counts the overdue questions: open, no reply, due time passed', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const [a, b, c, d] = [await f.ask(), await f.ask(), await f.ask(), await f.ask()];
      await s.openTicket(ticket(a, { dueAt: T0 + 100 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(b, { dueAt: T0 + 100, respondedAt: T0 + 50 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(c, { dueAt: T0 + 100, status: 'waiting' }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(d, { dueAt: T0 + 500 }), { actorId: null, kind: 'opened', at: T0 });
      expect(await s.countOverdue(f.community.id, T0 + 99)).toBe(0);
      expect(await s.countOverdue(f.community.id, T0 + 100)).toBe(1);
      expect(await s.countOverdue(f.community.id, T0 + 500)).toBe(2);
      expect(await s.countOverdue(f.other.id, T0 + 500)).toBe(0);
      expect(await s.countOverdue('nope', T0 + 500)).toBe(0);
    });

    it('leaves a deleted question out of the queue, the needs-reply count and the overdue count', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const [kept, gone] = [await f.ask(), await f.ask()];
      await s.openTicket(ticket(kept, { dueAt: T0 + 100 }), { actorId: null, kind: 'opened', at: T0 });
      await s.openTicket(ticket(gone, { dueAt: T0 + 100 }), { actorId: null, kind: 'opened', at: T0 });
      expect(await s.countNeedsReply(f.community.id)).toBe(2);
      expect(await s.countOverdue(f.community.id, T0 + 500)).toBe(2);
      await f.storage.moderation.softDelete(gone, f.dave.id, 'spam', T0 + 200);
      expect(await s.countNeedsReply(f.community.id)).toBe(1);
      expect(await s.countOverdue(f.community.id, T0 + 500)).toBe(1);
      const queue = await s.listQueue({ communityId: f.community.id, filter: 'needs-reply', viewerId: f.bob.id, offset: 0, limit: 20 });
      expect(queue.map((t) => t.questionId)).toEqual([kept]);
      expect((await s.listQueue({ communityId: f.community.id, filter: 'needs-reply', viewerId: f.bob.id, offset: 0, limit: 20, tag: 'general' })).map((t) => t.questionId)).toEqual([kept]);
    });

    it('keeps one rating per question, changeable, with its first time', async () => {
      f = await contentFixture(await makeStorage());
      const s = f.storage.support;
      const q = await f.ask();
      await s.openTicket(ticket(q), { actorId: null, kind: 'opened', at: T0 });
      expect(await s.findRating(q)).toBeNull();
      await s.saveRating({ questionId: q, communityId: f.community.id, askerId: f.alice.id, score: 2, comment: 'slow', createdAt: T0, updatedAt: T0 });
      await s.saveRating({ questionId: q, communityId: f.community.id, askerId: f.alice.id, score: 4, comment: 'better', createdAt: T0 + 9, updatedAt: T0 + 9 });
      expect(await s.findRating(q)).toEqual({ questionId: q, communityId: f.community.id, askerId: f.alice.id, score: 4, comment: 'better', createdAt: T0, updatedAt: T0 + 9 });
    });
  });
}
