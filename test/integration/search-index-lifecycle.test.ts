import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { BUILD_LEASE, MEILI_DOCUMENT_SHAPE, REQUEUE_MARGIN_MS, SearchRuntime, reindexWithOutbox } from '../../src/search/index.js';
import { MeiliSearchEngine } from '../../src/search/meili/engine.js';
import { contentFixture, type ContentFixture } from '../contract/content-fixture.js';
import { MemoryMeili } from '../unit/meili-fake.js';

/*
 * The Meilisearch index's life beside the database, offline (MemoryMeili keeps indexes,
 * documents and whether their settings were applied): an index deleted, emptied or recreated
 * bare behind the app's back is rebuilt; a first build whose lease holder died is taken over;
 * a rebuild that dies between its swap and its requeue is completed by the next start.
 */

describe('Meilisearch index lifecycle', () => {
  let storage: SqliteStorage;
  const runtimes: SearchRuntime[] = [];
  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.stop();
    vi.restoreAllMocks();
    await storage.close();
  });

  async function setup(meili: MemoryMeili, options: { checkEveryMs?: number } = {}) {
    storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    const engine = new MeiliSearchEngine(meili, { indexUid: 'forum', documents: storage.searchDocuments, taskTimeoutMs: 1000 });
    const f = await contentFixture(storage);
    return { engine, f };
  }

  function runtime(engine: MeiliSearchEngine, owner: string, checkEveryMs = 20): SearchRuntime {
    const r = new SearchRuntime(engine, storage, owner, null, { idleMs: 10 }, { retryMs: 20, checkEveryMs, buildLeaseMs: 200 });
    runtimes.push(r);
    r.start();
    return r;
  }

  async function content(f: ContentFixture): Promise<string[]> {
    const q1 = await f.ask({ title: 'How do I descale the kettle?' });
    const a1 = await f.answer(q1);
    const q2 = await f.ask({ title: 'Why is the grinder loud?' });
    return [`answer-${a1}`, `question-${q1}`, `question-${q2}`].sort();
  }

  it('rebuilds an index deleted behind the app\'s back, with its settings', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    runtime(engine, 'a');
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    meili.indexes.delete('forum');
    meili.configured.delete('forum');
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    expect(meili.configured.has('forum')).toBe(true);
  });

  it('rebuilds an index emptied behind the app\'s back', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    runtime(engine, 'a');
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    meili.indexes.get('forum')!.clear();
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
  });

  it('rebuilds an index that a write recreated bare (no settings, only the newest document)', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    const r = runtime(engine, 'a', 0);
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    meili.indexes.delete('forum');
    meili.configured.delete('forum');
    // The worker writes the next change: the server creates a bare index holding just it.
    const q3 = await f.ask({ title: 'Does the frother need cleaning?' });
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual([`question-${q3}`]);
    expect(meili.configured.has('forum')).toBe(false);
    await r.checkNow();
    expect(meili.configured.has('forum')).toBe(true);
    expect(meili.live()).toEqual([...docs, `question-${q3}`].sort());
  });

  it('builds at startup when the index is missing although the database says it was built', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    await storage.meta.set('search_index_built:forum', '2026-01-01T00:00:00.000Z');
    runtime(engine, 'a', 0);
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    expect(meili.ops).toContain('swap');
  });

  it('rebuilds at startup an index built with documents of an older shape, once', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    // Built by the previous version: documents without communityName and thread, a mark without a shape.
    await engine.ensureIndex();
    for (const id of docs) meili.indexes.get('forum')!.set(id, { docId: id });
    await storage.meta.set('search_index_built:forum', '2026-01-01T00:00:00.000Z');
    const first = runtime(engine, 'a', 0);
    await expect.poll(() => meili.ops.includes('swap'), { timeout: 3000 }).toBe(true);
    expect(meili.live()).toEqual(docs);
    expect([...meili.indexes.get('forum')!.values()].every((d) => typeof d.thread === 'string' && typeof d.communityName === 'string')).toBe(true);
    expect(await storage.meta.get('search_index_built:forum')).toMatch(new RegExp(`^shape ${MEILI_DOCUMENT_SHAPE} `));
    await first.stop();
    // The next start finds a current build and leaves the index alone.
    const swaps = meili.ops.filter((op) => op === 'swap').length;
    const before = meili.ops.length;
    runtime(engine, 'b', 0);
    await expect.poll(() => meili.ops.slice(before), { timeout: 3000 }).toContain('settings forum');
    await new Promise((r) => setTimeout(r, 100));
    expect(meili.ops.filter((op) => op === 'swap')).toHaveLength(swaps);
  });

  it('takes over the first build when the instance holding its lease died', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    // Another instance took the build lease and died before finishing.
    expect(await storage.leases.acquire(BUILD_LEASE, 'dead-instance', Date.now(), 150)).toBe(true);
    runtime(engine, 'survivor');
    await new Promise((r) => setTimeout(r, 60));
    expect(meili.ops).not.toContain('swap');
    // Once the dead holder's lease expires, a periodic check builds the index.
    await expect.poll(() => meili.ops.includes('swap'), { timeout: 3000 }).toBe(true);
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);
    expect(await storage.meta.get('search_index_built:forum')).toBeTruthy();
  });

  it('requeues changes whose outbox time comes from a clock minutes behind', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    await content(f);
    await engine.ensureIndex();
    // Written by an instance whose clock runs two minutes slow, and already applied.
    storage.db.prepare(`UPDATE search_outbox SET status = 'done', changed_at = changed_at - 120000`).run();
    const report = await reindexWithOutbox(engine, storage);
    expect(report.requeued).toBe(3);
    expect(REQUEUE_MARGIN_MS).toBeGreaterThanOrEqual(120_000);
  });

  it('completes the requeue of a rebuild that died between its swap and its requeue', async () => {
    const meili = new MemoryMeili();
    const { engine, f } = await setup(meili);
    const docs = await content(f);
    const first = runtime(engine, 'a', 0);
    await expect.poll(() => meili.live(), { timeout: 3000 }).toEqual(docs);

    // While the rebuild runs, a question is asked and the worker sends it to the old index.
    let late = '';
    meili.beforeSwap = async () => {
      meili.beforeSwap = null;
      late = `question-${await f.ask({ title: 'Asked during the rebuild' })}`;
      await expect.poll(() => meili.live(), { timeout: 3000 }).toContain(late);
    };
    // The process dies right after the swap: the requeue never happens.
    vi.spyOn(storage.outbox, 'requeueChangedSince').mockRejectedValueOnce(new Error('process killed'));
    await expect(reindexWithOutbox(engine, storage)).rejects.toThrow('process killed');
    await first.stop();
    expect(meili.live()).not.toContain(late);

    // The next start finds the rebuild's mark and requeues; the worker restores the question.
    runtime(engine, 'b', 0);
    await expect.poll(() => meili.live(), { timeout: 3000 }).toContain(late);
    expect(await storage.meta.get('search_reindex_requeue_since:forum')).toBe('');
  });
});
