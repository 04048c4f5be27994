import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportWorld, type SupportWorld } from './support-fixture.js';
import { recentMonday10 } from './support-clock.js';

const H = 3_600_000;
const MONDAY_10 = recentMonday10(); // 10:00 in Shanghai, the default business zone

/**
 * An escalation is recorded, then notified: a process that dies between the two steps leaves a
 * recorded escalation that no later run would record again. The next run must notify it (with
 * the real notifications), once.
 */
describe('support: an escalation recorded by a run that died before notifying', () => {
  let w: SupportWorld;
  let q: { id: string; url: string };
  let sam = '';
  const run = () => w.app.services.background.jobs.runIfLeader('support-escalation');
  const warnings = async (userId: string) => (await w.app.storage.mail.notifications.list(userId, 0, 100)).filter((n) => n.kind === 'support_warning').map((n) => n.threadId);

  beforeAll(async () => {
    w = await supportWorld(MONDAY_10);
    sam = (await w.app.storage.users.findByUsername('sam'))!.id;
    q = await w.ask(w.cathy, 'Lens cap does not fit the new hood', { urgent: '1', urgentReason: 'Event on Saturday' });
    await w.sam.post(`/q/${q.id}/support/assign`, { assignee: 'sam' });
  });
  afterAll(async () => {
    await w.app.close();
  });

  it('is notified to the assignee by the next run, and only once', async () => {
    const ticket = (await w.app.storage.support.findTicket(q.id))!;
    const diedAt = MONDAY_10 + 3 * H + 1; // past 75 % of the 4 urgent hours
    // The dead run's first step, exactly as the job takes it; it never got to the second.
    expect(await w.app.storage.support.recordEscalation(q.id, 'warning', ticket.dueAt!, diedAt)).toBe(true);
    expect(await warnings(sam)).toEqual([]);

    w.clock.now = diedAt + 60_000;
    await run();
    expect(await warnings(sam)).toEqual([q.id]);
    expect((await w.app.storage.support.listEscalations(q.id)).map((e) => [e.level, e.at, e.notifiedAt])).toEqual([['warning', diedAt, diedAt + 60_000]]);

    w.clock.now += 60_000;
    await run();
    expect(await warnings(sam)).toEqual([q.id]);
  });
});
