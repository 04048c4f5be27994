import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SearchRuntime, reindexWithOutbox } from '../../src/search/index.js';
import { MeiliSearchEngine } from '../../src/search/meili/engine.js';
import { MemoryMeili } from '../unit/meili-fake.js';
import { HealthService } from '../../src/services/health/health-service.js';
import { contentFixture } from '../contract/content-fixture.js';

/*
 * The Meilisearch side of the forum as a whole, with an in-memory stand-in for the server
 * (no Meilisearch runs on this machine; MemoryMeili in test/unit/meili-fake.ts): index setup
 * at startup, the first build, the outbox worker, and what happens while the engine is down.
 */
describe('search runtime with an outbox-fed engine', () => {
  let storage: SqliteStorage;
  let runtime: SearchRuntime | null = null;
  afterEach(async () => {
    await runtime?.stop();
    await storage.close();
  });

  function setup(meili: MemoryMeili) {
    storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    const engine = new MeiliSearchEngine(meili, { indexUid: 'forum', documents: storage.searchDocuments, taskTimeoutMs: 1000 });
    runtime = new SearchRuntime(engine, storage, 'test-instance', null, { idleMs: 10 }, 20);
    return { engine, health: new HealthService('sqlite', storage.meta, engine, storage.outbox) };
  }

  it('while Meilisearch is down, posting works and is queued; when it returns, the index is built and follows new posts', async () => {
    const meili = new MemoryMeili();
    meili.down = true;
    const { health } = setup(meili);
    const f = await contentFixture(storage);
    const q = await f.ask({ title: 'Posted while search was down' });
    const a = await f.answer(q);
    runtime!.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(meili.live()).toEqual([]);
    const down = await health.check();
    expect(down).toMatchObject({ status: 'degraded', serving: true, search: { backend: 'meili', status: 'error', outbox: { pending: 2, failed: 0 } } });

    meili.down = false;
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual([`answer-${a}`, `question-${q}`]);
    // Built by a rebuild swapped in, then kept current by the worker.
    expect(meili.ops).toContain('swap');
    const q2 = await f.ask({ title: 'Posted after it came back' });
    await expect.poll(() => meili.live(), { timeout: 3000 }).toContain(`question-${q2}`);
    await expect.poll(async () => (await health.check()).status, { timeout: 3000 }).toBe('ok');
  });

  it('builds an existing index only once, and a reindex re-applies changes made while it ran', async () => {
    const meili = new MemoryMeili();
    const { engine } = setup(meili);
    const f = await contentFixture(storage);
    const q = await f.ask();
    runtime!.start();
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual([`question-${q}`]);
    await runtime!.stop();
    runtime = null;
    const swaps = meili.ops.filter((o) => o === 'swap').length;
    // A restart finds the index built: no second build.
    runtime = new SearchRuntime(engine, storage, 'test-instance-2', null, { idleMs: 10 }, 20);
    runtime.start();
    const q2 = await f.ask();
    await expect.poll(() => meili.live(), { timeout: 3000 }).toContain(`question-${q2}`);
    expect(meili.ops.filter((o) => o === 'swap').length).toBe(swaps);
    // Entries completed during a rebuild are requeued after the swap.
    const report = await reindexWithOutbox(engine, storage);
    expect(report).toMatchObject({ questions: 2, answers: 0, faq: 0 });
    // Both questions changed less than a second before the rebuild: both are re-applied.
    expect(report.requeued).toBe(2);
    await expect.poll(async () => (await storage.outbox.backlog()).pending, { timeout: 3000 }).toBe(0);
    expect(meili.live()).toEqual([`question-${q}`, `question-${q2}`].sort());
  });
});
