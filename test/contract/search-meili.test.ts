import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { createMeiliClient } from '../../src/search/meili/client.js';
import { MeiliSearchEngine } from '../../src/search/meili/engine.js';
import { OutboxWorker } from '../../src/search/outbox-worker.js';
import { searchContract, type SearchHarness } from './search-contract.js';
import { sqliteSearchHarness } from './search-storage-harness.js';

/*
 * The search port contract against a real Meilisearch, only when MEILI_URL is set
 * (docker-compose.yml starts one). Content is written through the SQLite storage, whose
 * triggers fill the search outbox; `settle` drains it through the real worker, so this
 * exercises the whole production path: outbox, document building, the adapter, the index
 * settings. Every test gets its own index, deleted afterwards.
 *
 *   docker compose up -d --wait meilisearch
 *   MEILI_URL=http://localhost:7700 MEILI_MASTER_KEY=contract-tests-master-key npx vitest run test/contract/search-meili.test.ts
 */
const meiliUrl = process.env.MEILI_URL;

if (!meiliUrl) {
  console.info('[search contract] Meilisearch skipped: MEILI_URL is not set (e.g. http://localhost:7700 with `docker compose up -d meilisearch`).');
}

describe.skipIf(!meiliUrl)('Meilisearch engine (needs MEILI_URL)', () => {
  it('reaches a healthy Meilisearch with the configured key', async () => {
    const client = createMeiliClient(meiliUrl!, process.env.MEILI_MASTER_KEY);
    expect(await client.isHealthy()).toBe(true);
    // isHealthy needs no key; creating and deleting an index does.
    const uid = `forum_contract_key_${randomBytes(3).toString('hex')}`;
    expect((await client.createIndex(uid, { primaryKey: 'docId' }).waitTask({ timeout: 30_000 })).status).toBe('succeeded');
    expect((await client.deleteIndex(uid).waitTask({ timeout: 30_000 })).status).toBe('succeeded');
  });

  searchContract('meili', async (): Promise<SearchHarness> => {
    const storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    const client = createMeiliClient(meiliUrl!, process.env.MEILI_MASTER_KEY);
    const indexUid = `forum_contract_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const engine = new MeiliSearchEngine(client, { indexUid, documents: storage.searchDocuments, taskTimeoutMs: 30_000 });
    await engine.ensureIndex();
    const worker = new OutboxWorker(storage.outbox, engine, 'contract', { maxAttempts: 1 });
    return sqliteSearchHarness(storage, engine, {
      async settle() {
        const report = await worker.drainAll();
        if (report.retried + report.failed > 0) throw new Error(`the outbox did not drain: ${JSON.stringify(await storage.outbox.listFailed(5))}`);
      },
      async close() {
        await client.deleteIndex(indexUid).waitTask({ timeout: 30_000 });
        await storage.close();
      },
    });
  });
});
