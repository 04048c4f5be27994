import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { createMongoStorage, type MongoStorage } from '../../src/db/mongo/index.js';
import { runStorageContract } from './storage-contract.js';
import { runQaContract } from './qa-contract.js';
import { runOutboxContract } from './outbox-contract.js';
import { runSearchDocumentsContract } from './search-documents-contract.js';
import { searchLogContract } from './search-contract.js';
import { runFaqContract } from './faq-contract.js';
import { runSynonymsContract } from './synonyms-contract.js';
import { runAccountMailContract, runMailContract, runNotificationContract } from './mail-contract.js';

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

  it(`uses the throwaway database ${dbName}`, () => {});

  runStorageContract(`mongo (${dbName})`, freshStorage);
  runQaContract(`mongo (${dbName})`, freshStorage);
  // Every MongoDB content change writes the outbox (there is no embedded index to keep instead).
  runOutboxContract(`mongo (${dbName})`, freshStorage);
  runSearchDocumentsContract(`mongo (${dbName})`, freshStorage);
  runFaqContract(`mongo (${dbName})`, freshStorage);
  runSynonymsContract(`mongo (${dbName})`, freshStorage);
  runMailContract(`mongo (${dbName})`, freshStorage);
  runAccountMailContract(`mongo (${dbName})`, freshStorage);
  runNotificationContract(`mongo (${dbName})`, freshStorage);
  searchLogContract(`mongo (${dbName})`, async () => {
    const storage = await freshStorage();
    const mk = (slug: string) => storage.communities.create({ slug, name: slug, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const [a, b] = [await mk('alpha'), await mk('beta')];
    return { log: storage.searchLog, communities: { a: a.id, b: b.id }, close: () => storage.close() };
  });
});
