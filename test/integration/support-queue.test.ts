import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { decodeHtml, textOfId } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { deadlineEn, DAY_MS, recentMonday10 } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone

/** Issue 12, the staff queue: order, filters, assignment, states (with the clock paused while waiting), permissions. */
describe('support: the staff queue', () => {
  let w: SupportWorld;
  let normal: { id: string; url: string };
  let later: { id: string; url: string };
  let urgent: { id: string; url: string };

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
    normal = await w.ask(w.cathy, 'Battery drains overnight in standby');
    w.clock.now = MONDAY_10 + H;
    later = await w.ask(w.bob, 'Cannot pair the remote control', { tags: 'remote' });
    urgent = await w.ask(w.cathy, 'Store demo units all show error 99', { urgent: '1', urgentReason: 'Store opening tomorrow' });
  });
  afterAll(async () => {
    await w.app.close();
  });

  const rowIds = (html: string) => [...html.matchAll(/id="ticket-(\d+)"/g)].map((m) => m[1]);
  const queue = async (client: TestClient, query = '') => (await client.get(`/c/lumen/support${query}`)).text;

  it('lists open questions without a staff reply, earliest due first, and shows staff the count', async () => {
    const html = await queue(w.sam);
    expect(rowIds(html)).toEqual([urgent.id, normal.id, later.id]);
    expect(decodeHtml(html)).toContain('3 questions waiting for staff');
    expect(decodeHtml((await w.sam.get('/c/lumen')).text)).toContain('3 questions waiting for staff');
    expect((await w.cathy.get('/c/lumen')).text).not.toContain('support-count');
    expect(decodeHtml((await w.mona.get('/c/lumen/support', { 'Accept-Language': 'zh-CN' })).text)).toContain('3 个问题等待官方回复');
  });

  it('filters by urgent, tag, assignment', async () => {
    expect(rowIds(await queue(w.sam, '?filter=urgent'))).toEqual([urgent.id]);
    expect(rowIds(await queue(w.sam, '?filter=needs-reply&tag=remote'))).toEqual([later.id]);
    const assign = await w.sam.post(`/q/${normal.id}/support/assign`, { assignee: 'sam', back: '/c/lumen/support' });
    expect(assign.status).toBe(303);
    expect(assign.headers.location).toBe('/c/lumen/support');
    expect(rowIds(await queue(w.sam, '?filter=mine'))).toEqual([normal.id]);
    expect(rowIds(await queue(w.sue, '?filter=mine'))).toEqual([]);
    expect(rowIds(await queue(w.sam, '?filter=unassigned'))).toEqual([urgent.id, later.id]);
    expect(decodeHtml(await queue(w.sue))).toContain('Assigned to sam');
  });

  it('waiting for the customer pauses the clock until the asker replies', async () => {
    w.clock.now = MONDAY_10 + 2 * H; // Monday 12:00; due Wednesday 15:00 (asked at 11:00)
    await w.sue.post(`/q/${later.id}/support/status`, { status: 'waiting' });
    expect(rowIds(await queue(w.sam))).not.toContain(later.id);
    expect(rowIds(await queue(w.sam, '?filter=waiting'))).toEqual([later.id]);
    // A day later the asker answers the staff's question: the 23 business hours left run from now.
    w.clock.now = MONDAY_10 + 24 * H; // Tuesday 10:00
    await w.bob.post(`/posts/${later.id}/comments`, { comment: 'It is the RC-2 remote.' });
    expect(rowIds(await queue(w.sam))).toContain(later.id);
    const panel = decodeHtml((await w.sam.get(later.url)).text);
    expect(textOfId(panel, 'support-status')).toBe('Open');
    // Tuesday 10:00 + 23 h: 8 h Tuesday, 9 h Wednesday, 6 h Thursday = Thursday 15:00.
    expect(textOfId(panel, 'support-due')).toBe(deadlineEn(MONDAY_10 + 3 * DAY_MS + 5 * H));
  });

  it('highlights overdue questions, and resolving takes a question off the queue', async () => {
    w.clock.now = MONDAY_10 + 2 * DAY_MS + 6 * H; // Wednesday 16:00: the first question is due
    const html = await queue(w.sam);
    expect(/class="support-row overdue" id="ticket-(\d+)"/.exec(html)?.[1]).toBe(urgent.id);
    expect(html).toContain(`class="support-row overdue" id="ticket-${normal.id}"`);
    expect(html).not.toContain(`class="support-row overdue" id="ticket-${later.id}"`);
    await w.sam.post(`/q/${normal.id}/support/status`, { status: 'resolved' });
    expect(rowIds(await queue(w.sam))).not.toContain(normal.id);
  });

  it('staff can downgrade an urgent question; every change is in the history with who did it', async () => {
    await w.sue.post(`/q/${urgent.id}/support/downgrade`);
    expect(rowIds(await queue(w.sam, '?filter=urgent'))).toEqual([]);
    const html = decodeHtml((await w.sue.get(urgent.url)).text);
    // Asked Monday 11:00: on the normal 24-hour target it is due Wednesday 17:00.
    expect(textOfId(html, 'support-due')).toContain(deadlineEn(MONDAY_10 + 2 * DAY_MS + 7 * H));
    const history = /<details class="support-history small">([\s\S]*?)<\/details>/.exec(html)![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(history).toContain('cathy · asked');
    expect(history).toContain('sue · urgency downgraded');
    const other = decodeHtml((await w.sam.get(normal.url)).text);
    expect(other.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toMatch(/sam · assigned \(sam\).*sam · status changed \(resolved\)/);
  });

  it('keeps customers and visitors out, and refuses bad input', async () => {
    expect((await w.cathy.get('/c/lumen/support')).status).toBe(403);
    expect((await new TestClient(w.app).get('/c/lumen/support')).status).toBe(303);
    expect((await w.sam.get('/c/hobby/support')).status).toBe(404);
    expect((await w.cathy.post(`/q/${later.id}/support/assign`, { assignee: 'cathy' })).status).toBe(403);
    expect((await w.cathy.get(later.url)).text).not.toContain('support-panel');
    expect((await w.sam.post(`/q/${later.id}/support/assign`, { assignee: 'bob' })).status).toBe(400);
    expect((await w.sam.post(`/q/${later.id}/support/status`, { status: 'closed' })).status).toBe(400);
    expect((await w.sam.post('/q/999999/support/status', { status: 'open' })).status).toBe(404);
    expect((await w.sam.post('/q/abc/support/status', { status: 'open' })).status).toBe(404);
    expect((await w.sam.post(`/q/${later.id}/support/status`, { status: 'resolved' }, { csrf: false })).status).toBe(403);
    const nested = await w.sam.agent.post(`/q/${later.id}/support/status`).type('form').send(`_csrf=${await w.sam.csrf()}&status[$ne]=x`);
    expect(nested.status).toBe(400);
    expect((await w.sam.post(`/q/${later.id}/support/assign`, { assignee: 'sue', back: '//evil.example/' })).headers.location).toBe(later.url);
  });
});
