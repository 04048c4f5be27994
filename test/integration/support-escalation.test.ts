import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { escalationJob, type EscalationEvent } from '../../src/services/support/escalation-job.js';
import { decodeHtml, textOfId } from './support.js';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { recentMonday10 } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone

/** Issue 12: the leased escalation job at 75 % of the target and at breach, recorded once and shown to staff. */
describe('support: escalation', () => {
  let w: SupportWorld;
  const sent: EscalationEvent[] = [];
  let q: { id: string; url: string };
  let answered: { id: string; url: string };

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10, { notifier: { escalated: async (e) => void sent.push(e) } });
    q = await w.ask(w.cathy, 'Shutter button sticks in cold weather', { urgent: '1', urgentReason: 'Shoot tomorrow at dawn' });
    answered = await w.ask(w.cathy, 'Firmware download link is broken', { urgent: '1', urgentReason: 'Cannot update before the trip' });
    await w.sam.post(`/q/${q.id}/support/assign`, { assignee: 'sam' });
    await w.sue.post(`/q/${answered.id}/answers`, { body: 'Fixed: the link works again.' });
  });
  afterAll(async () => {
    await w.app.close();
  });
  const run = () => w.app.services.background.jobs.runIfLeader('support-escalation');

  it('does nothing before 75 % of the target', async () => {
    w.clock.now = MONDAY_10 + 2 * H; // 2 of 4 urgent hours
    expect(await run()).toBe(true);
    expect(sent).toEqual([]);
    expect(textOfId((await w.sam.get(q.url)).text, 'support-escalation')).toBeUndefined();
  });

  it('warns the assignee at 75 % and records it on the question for staff', async () => {
    w.clock.now = MONDAY_10 + 3 * H + 1;
    await run();
    expect(sent.map((e) => [e.questionId, e.level, e.assigneeId])).toEqual([[q.id, 'warning', (await w.app.storage.users.findByUsername('sam'))!.id]]);
    const html = decodeHtml((await w.sam.get(q.url)).text);
    expect(textOfId(html, 'support-escalation')).toBe('Escalated: 75 % of the target used');
    expect(html).toContain('escalated at 75 % of the target');
    // Customers never see the staff panel.
    expect((await w.cathy.get(q.url)).text).not.toContain('support-escalation');
    await run();
    expect(sent).toHaveLength(1);
  });

  it('escalates to everyone at breach, once, and never a question staff already answered', async () => {
    w.clock.now = MONDAY_10 + 5 * H;
    await run();
    await run();
    expect(sent.map((e) => [e.questionId, e.level])).toEqual([[q.id, 'warning'], [q.id, 'breach']]);
    // The notifier returned, so each row is marked sent (a rerun of the job sends nothing new).
    expect((await w.app.storage.support.listEscalations(q.id)).map((e) => [e.level, e.notifiedAt])).toEqual([['warning', MONDAY_10 + 3 * H + 1], ['breach', MONDAY_10 + 5 * H]]);
    expect(await w.app.storage.support.listEscalations(answered.id)).toEqual([]);
    expect(textOfId((await w.sue.get(q.url)).text, 'support-escalation')).toBe('Escalated: target missed');
    expect(decodeHtml((await w.sue.get('/c/lumen/support')).text)).toContain('Escalated: target missed');
  });

  it('runs on one instance at a time: another instance does not take the lease while it is held', async () => {
    const other = new JobRunner(w.app.storage.leases, 'another-instance', [escalationJob(w.app.storage.support, { escalated: async () => {} }, () => w.clock.now)]);
    expect(await run()).toBe(true);
    expect(await other.runIfLeader('support-escalation')).toBe(false);
  });
});
