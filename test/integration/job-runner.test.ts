import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { JobRunner } from '../../src/services/jobs/job-runner.js';
import { sessionSweepJob } from '../../src/services/jobs/forum-jobs.js';

/* Several app instances share one database: a periodic job must run on one of them per round. */
describe('background jobs with leases', () => {
  let storage: SqliteStorage;
  afterEach(async () => {
    await storage.close();
  });

  it('only the lease holder runs a job; another instance takes over when the holder stops renewing', async () => {
    storage = createSqliteStorage(':memory:');
    let clock = 1_000_000;
    const ran: string[] = [];
    const job = (instance: string) => ({ name: 'report', intervalMs: 60_000, run: async () => ran.push(instance) });
    const a = new JobRunner(storage.leases, 'instance-a', [job('a')], () => clock);
    const b = new JobRunner(storage.leases, 'instance-b', [job('b')], () => clock);
    expect(await a.runIfLeader('report')).toBe(true);
    expect(await b.runIfLeader('report')).toBe(false);
    clock += 60_000;
    expect(await b.runIfLeader('report')).toBe(false);
    expect(await a.runIfLeader('report')).toBe(true);
    // Instance a dies: once its lease (1.5 intervals) has run out, b runs the job.
    clock += 60_000;
    expect(await b.runIfLeader('report')).toBe(false);
    clock += 31_000;
    expect(await b.runIfLeader('report')).toBe(true);
    expect(ran).toEqual(['a', 'a', 'b']);
  });

  it('the session sweep deletes expired sessions only', async () => {
    storage = createSqliteStorage(':memory:');
    const user = await storage.users.create({ username: 'sam', email: 'sam@example.test', displayName: 'sam', passwordHash: 'x' });
    const now = Date.UTC(2026, 0, 1);
    await storage.sessions.create({ id: 'expired', userId: user.id, expiresAt: now - 1, createdAt: now - 10 });
    await storage.sessions.create({ id: 'live', userId: user.id, expiresAt: now + 86_400_000, createdAt: now - 10 });
    const runner = new JobRunner(storage.leases, 'only', [sessionSweepJob(storage.sessions, () => now)], () => now);
    expect(await runner.runIfLeader('sessions-sweep')).toBe(true);
    expect(await storage.sessions.findWithUser('expired')).toBeNull();
    expect(await storage.sessions.findWithUser('live')).not.toBeNull();
  });
});
