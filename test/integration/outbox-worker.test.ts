import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { OutboxWorker, retryDelay } from '../../src/search/outbox-worker.js';
import type { SearchDocumentRepository } from '../../src/db/ports.js';
import type { OutboxFedEngine, ReindexReport, SearchDocId, SearchDocument, SearchQuery, SearchResult } from '../../src/search/port.js';
import { contentFixture, T0, type ContentFixture } from '../contract/content-fixture.js';

/*
 * The outbox worker against the search port: the real SQLite outbox (filled by its
 * triggers) and an in-memory engine that keeps what it was given and can be told to fail,
 * standing in for Meilisearch. What is checked is what a searcher relies on: after the
 * worker runs, the engine holds exactly the searchable documents, in their current state.
 */

class MemoryEngine implements OutboxFedEngine {
  readonly name = 'meili' as const;
  readonly docs = new Map<string, SearchDocument>();
  failures = 0;
  /** Documents it refuses, like a search engine refusing a malformed document. */
  readonly poison = new Set<string>();
  up = true;
  calls = 0;

  private check(ids: string[]): void {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('connect ECONNREFUSED 127.0.0.1:7700');
    }
    const bad = ids.find((id) => this.poison.has(id));
    if (bad) throw new Error(`document ${bad} refused`);
  }

  async index(docs: SearchDocument[]): Promise<void> {
    this.check(docs.map((d) => `${d.kind}-${d.id}`));
    for (const d of docs) this.docs.set(`${d.kind}-${d.id}`, d);
  }
  constructor(private readonly documents: SearchDocumentRepository) {}

  /** As Meilisearch's adapter: what the database holds now is indexed, what it no longer returns removed. */
  async sync(ids: readonly string[]): Promise<{ indexed: number; deleted: number }> {
    const docs = await this.documents.load([...ids]);
    const present = new Set(docs.map((d) => `${d.kind}-${d.id}`));
    const gone = ids.filter((id) => !present.has(id)) as SearchDocId[];
    this.check([...ids]);
    for (const d of docs) this.docs.set(`${d.kind}-${d.id}`, d);
    for (const id of gone) this.docs.delete(id);
    return { indexed: docs.length, deleted: gone.length };
  }

  async delete(ids: SearchDocId[]): Promise<void> {
    this.check(ids);
    for (const id of ids) this.docs.delete(id);
  }
  async health(): Promise<boolean> {
    return this.up;
  }
  async search(_q: SearchQuery): Promise<SearchResult> {
    throw new Error('not used');
  }
  async reindexAll(): Promise<ReindexReport> {
    throw new Error('not used');
  }
}

describe('search outbox worker', () => {
  let storage: SqliteStorage;
  let f: ContentFixture;
  let engine: MemoryEngine;
  /** The worker's clock runs on the wall clock (as outbox times do) plus what a test skips ahead. */
  let skipped: number;
  const clock = () => Date.now() + skipped;
  let worker: OutboxWorker;

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    f = await contentFixture(storage);
    engine = new MemoryEngine(storage.searchDocuments);
    skipped = 0;
    worker = new OutboxWorker(storage.outbox, engine, 'test-worker', { batchSize: 50, maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000 }, clock);
  });
  afterEach(async () => {
    await worker.stop();
    await storage.close();
  });

  it('brings the engine in line with the database: new, changed and accepted posts, FAQ entries', async () => {
    const q = await f.ask({ title: 'Milk will not froth', tags: ['milk'] });
    const a = await f.answer(q, 'Use colder milk.');
    const e = await f.faqEntry({ title: 'Frothing milk', sourceQuestionId: q, sourceAnswerId: a });
    expect(await worker.drainAll()).toMatchObject({ indexed: 3, deleted: 0, retried: 0, failed: 0 });
    expect([...engine.docs.keys()].sort()).toEqual([`answer-${a}`, `faq-${e.id}`, `question-${q}`]);

    await storage.posts.setAcceptedAnswer(q, a, T0);
    await storage.votes.castVote(a, f.carol.id, 1, T0);
    await storage.posts.editPost({ postId: q, editorId: f.alice.id, title: 'Milk will not froth at all', slug: 'milk', tags: ['milk', 'steam'], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', reason: '', now: T0 });
    await worker.drainAll();
    expect(engine.docs.get(`question-${q}`)).toMatchObject({ title: 'Milk will not froth at all', accepted: true, tags: ['milk', 'steam'] });
    expect(engine.docs.get(`answer-${a}`)).toMatchObject({ title: 'Milk will not froth at all', accepted: true, score: 1 });
    expect(engine.docs.get(`faq-${e.id}`)).toMatchObject({ tags: ['milk', 'steam'] });
    expect(await storage.outbox.backlog()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
  });

  it('removes documents that are no longer searchable (archived entry, deleted question and its answers)', async () => {
    const q = await f.ask();
    const a = await f.answer(q);
    const e = await f.faqEntry();
    await worker.drainAll();
    await storage.faq.setStatus(e.id, 'archived');
    storage.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(T0, Number(q));
    expect(await worker.drainAll()).toMatchObject({ indexed: 0, deleted: 3 });
    expect(engine.docs.size).toBe(0);
  });

  it('keeps the changes while the engine is down and catches up with backoff when it returns', async () => {
    const q = await f.ask();
    engine.failures = 2;
    expect(await worker.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    // Not retried before its backoff has passed.
    expect(await worker.drainOnce()).toMatchObject({ claimed: 0 });
    skipped += retryDelay(1, { baseDelayMs: 1000, maxDelayMs: 8000 });
    expect(await worker.drainOnce()).toMatchObject({ claimed: 1, retried: 1 });
    skipped += retryDelay(2, { baseDelayMs: 1000, maxDelayMs: 8000 });
    expect(await worker.drainOnce()).toMatchObject({ claimed: 1, indexed: 1 });
    expect(engine.docs.has(`question-${q}`)).toBe(true);
  });

  it('gives up on an entry after maxAttempts and reports it; a later change retries it', async () => {
    const q = await f.ask();
    engine.failures = 100;
    for (let i = 0; i < 3; i++) {
      await worker.drainOnce();
      skipped += 10_000;
    }
    expect(await storage.outbox.backlog()).toMatchObject({ pending: 0, failed: 1 });
    expect((await storage.outbox.listFailed(5))[0]).toMatchObject({ docId: `question-${q}`, attempts: 3, lastError: expect.stringContaining('ECONNREFUSED') });
    engine.failures = 0;
    await storage.votes.castVote(q, f.carol.id, 1, T0);
    await worker.drainAll();
    expect(engine.docs.get(`question-${q}`)).toMatchObject({ score: 1 });
    expect((await storage.outbox.backlog()).failed).toBe(0);
  });

  it('one document the engine refuses does not hold back the rest of its batch', async () => {
    const q1 = await f.ask();
    const q2 = await f.ask();
    const q3 = await f.ask();
    engine.poison.add(`question-${q2}`);
    expect(await worker.drainOnce()).toMatchObject({ claimed: 3, indexed: 2, retried: 1 });
    expect([...engine.docs.keys()].sort()).toEqual([`question-${q1}`, `question-${q3}`].sort());
    expect((await storage.outbox.backlog()).pending).toBe(1);
  });

  it('two workers draining at once index every document exactly once', async () => {
    for (let i = 0; i < 30; i++) await f.ask();
    const other = new OutboxWorker(storage.outbox, engine, 'second-worker', { batchSize: 7 }, clock);
    const mine = new OutboxWorker(storage.outbox, engine, 'first-worker', { batchSize: 7 }, clock);
    const reports = await Promise.all([mine.drainAll(), other.drainAll(), mine.drainAll(), other.drainAll()]);
    expect(reports.reduce((n, r) => n + r.indexed, 0)).toBe(30);
    expect(engine.docs.size).toBe(30);
  });

  it('runs in the background until stopped', async () => {
    const q = await f.ask();
    const background = new OutboxWorker(storage.outbox, engine, 'bg', { idleMs: 5 });
    background.start();
    await expect.poll(() => engine.docs.has(`question-${q}`), { timeout: 2000 }).toBe(true);
    await background.stop();
    const calls = engine.calls;
    await f.ask();
    await new Promise((r) => setTimeout(r, 30));
    expect(engine.calls).toBe(calls);
  });
});
