import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHtml } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { recentMonday10 } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone

/**
 * Issue 12: escalations and service recovery reach the right people through the real
 * notifications (the default SupportNotifications, no stand-in), one notification each.
 */
describe('support: notifications to staff and moderators', () => {
  let w: SupportWorld;
  let unassigned: { id: string; url: string };
  let assigned: { id: string; url: string };
  const ids: Record<string, string> = {};

  /** The support notifications a member has, as [kind, question id] pairs. */
  const supportNotes = async (name: string) =>
    (await w.app.storage.mail.notifications.list(ids[name]!, 0, 100)).filter((n) => n.kind.startsWith('support_')).map((n) => [n.kind, n.threadId]);
  const run = () => w.app.services.background.jobs.runIfLeader('support-escalation');

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
    for (const name of ['cathy', 'bob', 'sam', 'sue', 'mona', 'root_admin']) ids[name] = (await w.app.storage.users.findByUsername(name))!.id;
    unassigned = await w.ask(w.cathy, 'Lens cap does not fit the new hood', { urgent: '1', urgentReason: 'Event on Saturday' });
    assigned = await w.ask(w.bob, 'Battery drains overnight', { urgent: '1', urgentReason: 'Travelling tomorrow' });
    await w.sue.post(`/q/${assigned.id}/support/assign`, { assignee: 'sue' });
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('at 75 % tells the assignee, or every staff member when nobody is assigned, and nobody else', async () => {
    w.clock.now = MONDAY_10 + 3 * H + 1; // 3 of 4 urgent business hours
    await run();
    await run();
    expect(await supportNotes('sam')).toEqual([['support_warning', unassigned.id]]);
    expect(await supportNotes('sue')).toEqual(expect.arrayContaining([['support_warning', unassigned.id], ['support_warning', assigned.id]]));
    expect(await supportNotes('sue')).toHaveLength(2);
    for (const name of ['mona', 'cathy', 'bob', 'root_admin']) expect(await supportNotes(name)).toEqual([]);
    expect((await w.app.storage.support.listEscalations(unassigned.id)).map((e) => [e.level, e.notifiedAt])).toEqual([['warning', MONDAY_10 + 3 * H + 1]]);
  });

  it('the inbox says it in the reader\'s language and links to the question', async () => {
    const en = decodeHtml((await w.sam.get('/notifications')).text);
    expect(en).toContain('Escalated: a support question has used 75 % of its response target');
    expect(en).toContain('Lens cap does not fit the new hood');
    const zh = decodeHtml((await w.sam.get('/notifications', { 'Accept-Language': 'zh-CN' })).text);
    expect(zh).toContain('已升级：一个客服问题已用去 75% 的响应时限');
  });

  it('shows staff the overdue count in the Moderation menu once the target has passed', async () => {
    const before = decodeHtml((await w.sam.get('/c/lumen')).text);
    expect(/data-overdue="(\d+)"/.exec(before)?.[1]).toBe('0');
    w.clock.now = MONDAY_10 + 5 * H;
    const after = decodeHtml((await w.sam.get('/c/lumen')).text);
    expect(/data-overdue="(\d+)"/.exec(after)?.[1]).toBe('2');
    expect(after).toContain('Overdue support questions');
    // Customers have no Moderation menu at all.
    expect((await w.cathy.get('/c/lumen')).text).not.toContain('data-overdue');
  });

  it('at breach tells every staff member and moderator exactly once', async () => {
    await run();
    await run();
    const breaches = async (name: string) => (await supportNotes(name)).filter(([k]) => k === 'support_breach').map(([, q]) => q).sort();
    const both = [unassigned.id, assigned.id].sort();
    expect(await breaches('sam')).toEqual(both);
    expect(await breaches('sue')).toEqual(both);
    expect(await breaches('mona')).toEqual(both);
    expect(await breaches('cathy')).toEqual([]);
    expect(await breaches('bob')).toEqual([]);
  });

  it('a rating of 2 tells the moderators (service recovery), once; a change to 1 does not repeat it', async () => {
    const res = await w.sam.post(`/q/${unassigned.id}/answers`, { body: 'Use the adapter ring that came in the box.' });
    await w.cathy.post(`/q/${unassigned.id}/accept`, { answerId: /#a(\d+)/.exec(res.headers.location as string)![1]! });
    expect((await w.cathy.post(`/q/${unassigned.id}/support/rating`, { score: '2', comment: 'The ring was missing.' })).status).toBe(303);
    expect((await w.cathy.post(`/q/${unassigned.id}/support/rating`, { score: '1', comment: 'Still missing.' })).status).toBe(303);
    const low = async (name: string) => (await supportNotes(name)).filter(([k]) => k === 'support_low_rating');
    expect(await low('mona')).toEqual([['support_low_rating', unassigned.id]]);
    for (const name of ['sam', 'sue', 'cathy', 'bob']) expect(await low(name)).toEqual([]);
    expect(decodeHtml((await w.mona.get('/notifications', { 'Accept-Language': 'zh-CN' })).text)).toContain('服务补救：一位客户给出了 1 或 2 分的评价，问题已重新打开');
  });

  it('a member who turned escalations off gets none', async () => {
    const sam = (await w.app.storage.users.findByUsername('sam'))!;
    const current = await w.app.services.notifications.preferences(sam);
    await w.app.services.notifications.setPreferences(sam, { ...current, support_escalation: 'off' });
    const q = await w.ask(w.cathy, 'Strap buckle broke', { urgent: '1', urgentReason: 'Hike on Sunday' });
    w.clock.now = MONDAY_10 + 24 * 7 * H; // long past any target
    await run();
    expect((await supportNotes('sam')).filter(([, id]) => id === q.id)).toEqual([]);
    expect((await supportNotes('sue')).filter(([, id]) => id === q.id).map(([k]) => k).sort()).toEqual(['support_breach', 'support_warning']);
  });
});
