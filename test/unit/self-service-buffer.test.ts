import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import type { SelfServiceEvent, SupportMetricsRepository } from '../../src/db/support-metrics-port.js';
import { MAX_BUFFERED_SELF_SERVICE, SelfServiceBuffer } from '../../src/services/support/self-service-buffer.js';

/* The batched self-service events over the real SQLite repository. */

const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function setup(options: ConstructorParameters<typeof SelfServiceBuffer>[1] = {}, fail = () => false) {
  const storage = createSqliteStorage(':memory:');
  open.push(storage);
  const batches: number[] = [];
  // The real repository, with its batch writes counted (and failing on demand).
  const inner: SupportMetricsRepository = Object.create(storage.supportMetrics);
  inner.recordSelfServiceMany = async (events) => {
    if (fail()) throw new Error('disk full');
    batches.push(events.length);
    return storage.supportMetrics.recordSelfServiceMany(events);
  };
  const errors: object[] = [];
  const buffer = new SelfServiceBuffer(inner, { flushMs: 0, ...options, log: { error: (obj) => errors.push(obj) } });
  const rows = () => (storage.db.prepare('SELECT count(*) AS n FROM support_self_service').get() as { n: number }).n;
  return { storage, buffer, batches, errors, rows };
}

const event = (i: number, over: Partial<SelfServiceEvent> = {}): SelfServiceEvent => ({
  kind: 'faq_view',
  browserId: `browser-${String(i).padStart(12, '0')}`,
  communityId: null,
  at: 10_000 + i,
  ...over,
});

describe('SelfServiceBuffer', () => {
  it('writes many events in one batch instead of one write each', async () => {
    const { buffer, batches, rows } = setup({ maxEvents: 50 });
    for (let i = 0; i < 120; i++) await buffer.recordSelfService(event(i));
    // Two full batches went out on their own; the rest waits.
    await buffer.flush();
    expect(batches).toEqual([50, 50, 20]);
    expect(rows()).toBe(120);
    expect(buffer.pending).toBe(0);
  });

  it('reads every event recorded before the read, in time order', async () => {
    const { buffer, rows } = setup({ maxEvents: 1000 });
    await buffer.recordSelfService(event(2, { kind: 'search' }));
    await buffer.recordSelfService(event(1));
    expect(rows()).toBe(0);
    const read = await buffer.selfServiceBetween(0, 20_000);
    expect(read.map((e) => [e.kind, e.at])).toEqual([
      ['faq_view', 10_001],
      ['search', 10_002],
    ]);
  });

  it('writes what waits after flushMs without anyone asking', async () => {
    const { buffer, rows } = setup({ maxEvents: 1000, flushMs: 20 });
    await buffer.recordSelfService(event(1));
    expect(rows()).toBe(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(rows()).toBe(1);
  });

  it('logs and drops a batch that cannot be written, and keeps working', async () => {
    let failing = true;
    const { buffer, errors, rows } = setup({ maxEvents: 1000 }, () => failing);
    await buffer.recordSelfService(event(1));
    await expect(buffer.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    failing = false;
    await buffer.recordSelfService(event(2));
    await buffer.close();
    expect(rows()).toBe(1);
  });

  it('holds at most MAX_BUFFERED_SELF_SERVICE events', async () => {
    const { buffer } = setup({ maxEvents: MAX_BUFFERED_SELF_SERVICE + 10 });
    for (let i = 0; i < MAX_BUFFERED_SELF_SERVICE + 5; i++) await buffer.recordSelfService(event(i));
    expect(buffer.pending).toBe(MAX_BUFFERED_SELF_SERVICE);
  });

  it('passes the other reads through', async () => {
    const { buffer, storage } = setup();
    expect(await buffer.latestDay()).toBe(await storage.supportMetrics.latestDay());
    expect(await buffer.earliestTicket()).toBe(await storage.supportMetrics.earliestTicket());
  });
});
