import { memoryStorage } from './mongo-memory-storage.js';
import { runOutboxContract } from '../contract/outbox-contract.js';
import { runSearchDocumentsContract } from '../contract/search-documents-contract.js';
import { runSynonymsContract } from '../contract/synonyms-contract.js';
import { runImportContract } from '../contract/import-contract.js';
import { runAccountMailContract, runMailContract, runNotificationContract } from '../contract/mail-contract.js';
import { runStorageContract } from '../contract/storage-contract.js';
import { runQaContract } from '../contract/qa-contract.js';
import { runFaqContract } from '../contract/faq-contract.js';
import type { Storage } from '../../src/db/ports.js';
import { runModerationContract } from '../contract/moderation-contract.js';
import { runSupportContract } from '../contract/support-contract.js';
import { runInboundContract } from '../contract/inbound-contract.js';
import { runDigestContract } from '../contract/digest-contract.js';
import { runSupportMetricsContract } from '../contract/support-metrics-contract.js';
import { runEventOutboxContract } from '../contract/event-outbox-contract.js';

/*
 * The shared contracts, run offline against the real MongoDB repositories: every collection is
 * an in-memory collection behind the harness (mongo-memory-storage.ts), with the models' unique
 * indexes and transactions that roll back, so what runs is the repositories' own sequence of
 * cast queries. This catches a change that forgets its outbox entry, breaks a transaction or
 * builds a document differently from SQLite long before CI's real server does;
 * test/contract/mongo.test.ts remains the final word on MongoDB's semantics (the stand-in knows
 * only the operators these methods use).
 */

const offlineStorage = async (): Promise<Storage> => memoryStorage().storage;
const NAME = 'mongo (offline, in-memory collections)';

runStorageContract(NAME, offlineStorage);
runQaContract(NAME, offlineStorage);
runFaqContract(NAME, offlineStorage);
runOutboxContract(NAME, offlineStorage);
runSearchDocumentsContract(NAME, offlineStorage);
runSynonymsContract(NAME, offlineStorage);
runImportContract(NAME, offlineStorage);
runMailContract(NAME, offlineStorage);
runAccountMailContract(NAME, offlineStorage);
runSupportContract(NAME, offlineStorage);
runSupportMetricsContract(NAME, offlineStorage);
runNotificationContract(NAME, offlineStorage);
runModerationContract(NAME, offlineStorage);
runInboundContract(NAME, offlineStorage);
runDigestContract(NAME, offlineStorage);
runEventOutboxContract(NAME, offlineStorage);
