import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from 'mongoose';
import { createMongoStorage, type MongoStorage } from '../../src/db/mongo/index.js';
import { runStorageContract } from './storage-contract.js';
import { runQaContract } from './qa-contract.js';
import { runOutboxContract } from './outbox-contract.js';
import { runSearchDocumentsContract } from './search-documents-contract.js';
import { searchLogContract } from './search-contract.js';
import { runFaqContract } from './faq-contract.js';
import { runSynonymsContract } from './synonyms-contract.js';
import type { FindSpec } from '../../src/db/mongo/queries/spec.js';
import * as qa from '../../src/db/mongo/queries/qa.js';
import * as outboxQueries from '../../src/db/mongo/queries/outbox.js';
import * as faqQueries from '../../src/db/mongo/queries/faq.js';
import { runImportContract } from './import-contract.js';
import { runModerationContract } from './moderation-contract.js';
import { runSupportContract } from './support-contract.js';
import { runInboundContract } from './inbound-contract.js';
import { runDigestContract } from './digest-contract.js';
import { runAccountMailContract, runMailContract, runNotificationContract } from './mail-contract.js';
import { runEventOutboxContract } from './event-outbox-contract.js';

/*
 * The storage, Q&A, search outbox, search document and synonym contracts against a real MongoDB, only when MONGODB_URI is set (a replica set:
 * the backend uses transactions; docker-compose.yml starts one). Each run uses a fresh
 * database named forum_contract_<random>; every test starts from empty collections (the
 * contracts ask makeStorage for an empty store), and the database is dropped at the end.
 *
 *   docker compose up -d --wait mongo
 *   MONGODB_URI='mongodb://localhost:27017/?directConnection=true' npx vitest run test/contract/mongo.test.ts
 */
const mongoUri = process.env.MONGODB_URI;

if (!mongoUri) {
  console.info('[storage contract] MongoDB skipped: MONGODB_URI is not set (e.g. mongodb://localhost:27017/?directConnection=true with `docker compose up -d mongo`).');
}

describe.skipIf(!mongoUri)('MongoDB backend (needs MONGODB_URI)', () => {
  const dbName = `forum_contract_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

  async function freshStorage(): Promise<MongoStorage> {
    const storage = await createMongoStorage(mongoUri!, { dbName, serverSelectionTimeoutMS: 5000 });
    // Empty every collection but keep them and their indexes (created once per connection).
    for (const model of Object.values(storage.models)) await model.deleteMany({});
    return storage;
  }

  afterAll(async () => {
    const storage = await createMongoStorage(mongoUri!, { dbName, serverSelectionTimeoutMS: 5000 });
    try {
      await storage.connection.dropDatabase();
    } finally {
      await storage.close();
    }
  });

  it('runs on a writable replica-set primary (the repositories need transactions)', async () => {
    const storage = await freshStorage();
    try {
      const hello = (await storage.connection.db!.admin().command({ hello: 1 })) as { isWritablePrimary?: boolean; setName?: string };
      expect(hello.isWritablePrimary).toBe(true);
      expect(typeof hello.setName).toBe('string');
      expect(storage.connection.db!.databaseName).toBe(dbName);
    } finally {
      await storage.close();
    }
  });

  describe('list queries are served by an index in their sort order (no in-memory SORT stage)', () => {
    let storage: MongoStorage;
    beforeAll(async () => {
      storage = await freshStorage();
      // A little content so the planner has real candidates to compare.
      const c = await storage.communities.create({ slug: 'explain', name: 'explain', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      const u = await storage.users.create({ username: 'explainer', email: 'explainer@example.test', displayName: 'explainer', passwordHash: 'x' });
      for (let i = 0; i < 30; i++) {
        const q = await storage.posts.createQuestion({ communityId: c.id, authorId: u.id, title: `Question ${i}`, slug: `q-${i}`, bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', tags: i % 2 ? ['lens'] : ['body'], now: 1_700_000_000_000 + i * 1000 });
        if (i % 3 === 0) await storage.posts.createAnswer({ questionId: q.id, authorId: u.id, bodyMd: 'a', bodyHtml: '<p>a</p>', bodyText: 'a', now: 1_700_000_100_000 + i * 1000 });
      }
    });
    afterAll(async () => {
      await storage.close();
    });

    /** The stage names of the winning plan, however deeply the server nests them. */
    function stages(plan: unknown, out: string[] = []): string[] {
      if (Array.isArray(plan)) for (const p of plan) stages(p, out);
      else if (plan && typeof plan === 'object') {
        for (const [k, v] of Object.entries(plan)) {
          if (k === 'stage' && typeof v === 'string') out.push(v);
          else stages(v, out);
        }
      }
      return out;
    }

    async function winningStages(model: keyof MongoStorage['models'], spec: FindSpec): Promise<string[]> {
      const m = storage.models[model] as unknown as Model<unknown>;
      let query = m.find(spec.filter as object);
      if (spec.sort) query = query.sort(spec.sort as Record<string, 1 | -1>);
      if (spec.skip) query = query.skip(spec.skip);
      if (spec.limit) query = query.limit(spec.limit);
      const explained = (await query.explain('queryPlanner')) as unknown as { queryPlanner: { winningPlan: unknown } };
      return stages(explained.queryPlanner.winningPlan);
    }

    const cases: Array<[string, keyof MongoStorage['models'], () => Promise<FindSpec>]> = [
      ...(['active', 'newest', 'top', 'unanswered'] as const).flatMap((sort): Array<[string, keyof MongoStorage['models'], () => Promise<FindSpec>]> => [
        [`questions, ${sort}`, 'posts', async () => qa.questionListQuery(Number((await storage.communities.findBySlug('explain'))!.id), { sort, offset: 0, limit: 30 })],
        [`questions tagged, ${sort}`, 'posts', async () => qa.questionListQuery(Number((await storage.communities.findBySlug('explain'))!.id), { sort, tag: 'lens', offset: 0, limit: 30 })],
      ]),
      ['answers of a question', 'posts', async () => qa.answersQuery(Number((await storage.posts.recentQuestions(1))[0]!.id), { offset: 0, limit: 30 })],
      ['home page activity', 'posts', async () => qa.recentQuestionsQuery(20)],
      ['a profile', 'posts', async () => qa.postsByAuthorQuery(Number((await storage.users.findByUsername('explainer'))!.id), 20)],
      ['outbox claim', 'searchOutbox', async () => outboxQueries.claimCandidatesQuery(Date.now(), 200)],
      ['FAQ entries of a community', 'faqEntries', async () => faqQueries.entriesQuery(Number((await storage.communities.findBySlug('explain'))!.id), { status: 'published' })],
    ];

    it.each(cases)('%s', async (_label, model, spec) => {
      const found = await winningStages(model, await spec());
      expect(found).toContain('IXSCAN');
      expect(found).not.toContain('SORT');
    });
  });

  runStorageContract(`mongo (${dbName})`, freshStorage);
  runQaContract(`mongo (${dbName})`, freshStorage);
  // Every MongoDB content change writes the outbox (there is no embedded index to keep instead).
  runOutboxContract(`mongo (${dbName})`, freshStorage);
  runSearchDocumentsContract(`mongo (${dbName})`, freshStorage);
  runFaqContract(`mongo (${dbName})`, freshStorage);
  runSynonymsContract(`mongo (${dbName})`, freshStorage);
  runImportContract(`mongo (${dbName})`, freshStorage);
  runModerationContract(`mongo (${dbName})`, freshStorage);
  runMailContract(`mongo (${dbName})`, freshStorage);
  runAccountMailContract(`mongo (${dbName})`, freshStorage);
  runSupportContract(`mongo (${dbName})`, freshStorage);
  runDigestContract(`mongo (${dbName})`, freshStorage);
  runNotificationContract(`mongo (${dbName})`, freshStorage);
  runInboundContract(`mongo (${dbName})`, freshStorage);
  runEventOutboxContract(`mongo (${dbName})`, freshStorage);
  searchLogContract(`mongo (${dbName})`, async () => {
    const storage = await freshStorage();
    const mk = (slug: string) => storage.communities.create({ slug, name: slug, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const [a, b] = [await mk('alpha'), await mk('beta')];
    return { log: storage.searchLog, communities: { a: a.id, b: b.id }, close: () => storage.close() };
  });
});
