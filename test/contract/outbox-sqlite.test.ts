import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { runOutboxContract } from './outbox-contract.js';
import { runSearchDocumentsContract } from './search-documents-contract.js';
import { contentFixture } from './content-fixture.js';

runOutboxContract('sqlite (:memory:, outbox)', async () => createSqliteStorage(':memory:', { searchIndex: 'outbox' }));
runSearchDocumentsContract('sqlite (:memory:)', async () => createSqliteStorage(':memory:'));

describe('sqlite outbox triggers', () => {
  it('are off with the embedded engine: content changes leave no outbox entries', async () => {
    const storage = createSqliteStorage(':memory:');
    const f = await contentFixture(storage);
    await f.answer(await f.ask());
    expect(await storage.outbox.backlog()).toEqual({ pending: 0, failed: 0, oldestPendingAt: null });
    await storage.close();
  });

  it('enqueue a soft-deleted question and its answers, and the deleted documents are no longer loaded', async () => {
    const storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    const f = await contentFixture(storage);
    const q = await f.ask();
    const a = await f.answer(q);
    await storage.outbox.complete('w', await storage.outbox.claim('w', 100, Date.now() + 1, 1000), Date.now() + 1);
    // The ports have no deletion yet (moderation will add it); the trigger is what is under test.
    storage.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(Date.now(), Number(q));
    const entries = await storage.outbox.claim('w', 100, Date.now() + 1, 1000);
    expect(entries.map((e) => e.docId).sort()).toEqual([`answer-${a}`, `question-${q}`]);
    expect(await storage.searchDocuments.load([`answer-${a}`, `question-${q}`])).toEqual([]);
    await storage.close();
  });
});
