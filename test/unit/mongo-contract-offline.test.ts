import { offline } from './mongo-harness.js';
import { MemoryCollection } from './mongo-memory.js';
import { runOutboxContract } from '../contract/outbox-contract.js';
import { runSearchDocumentsContract } from '../contract/search-documents-contract.js';
import { runSynonymsContract } from '../contract/synonyms-contract.js';
import { runAccountMailContract, runMailContract, runNotificationContract } from '../contract/mail-contract.js';
import type { Storage } from '../../src/db/ports.js';

/*
 * The shared outbox, search-document and synonym contracts, run offline against the real MongoDB
 * repositories: every collection they touch is an in-memory collection behind the harness
 * (mongo-memory.ts), so what runs is the repositories' own sequence of cast queries,
 * transactions included (the harness runs the callback once; nothing here aborts). This
 * catches a change that forgets its outbox entry or builds a document differently from
 * SQLite long before CI's real server does; test/contract/mongo.test.ts remains the final
 * word on MongoDB's semantics (this fake knows only the operators these methods use).
 */

const COLLECTIONS = ['Community', 'Post', 'Revision', 'Vote', 'Comment', 'Tag', 'FaqCategory', 'FaqEntry', 'FaqEntryRevision', 'FaqHelpfulVote', 'SearchOutbox', 'JobLease', 'NotificationPref', 'Session', 'MailProfile', 'AccountToken', 'Watch'];

async function offlineStorage(): Promise<Storage> {
  const h = offline();
  const mem = new Map(COLLECTIONS.map((name) => [name, new MemoryCollection().install(h, name)]));
  // The multikey unique index on the terms, as createIndexes would build it.
  new MemoryCollection([], { unique: ['terms'] }).install(h, 'SearchSynonym');
  new MemoryCollection().install(h, 'Meta');
  // The unique indexes on the folded username and address, as createIndexes would build them.
  mem.set('User', new MemoryCollection([], { unique: ['usernameKey', 'emailKey'] }).install(h, 'User'));
  new MemoryCollection([], { unique: ['idempotencyKey'] }).install(h, 'MailQueue');
  new MemoryCollection().install(h, 'Notification');
  // The one aggregation on the way ($lookup is beyond the fake): live answers under live questions.
  h.when('Post', 'aggregate', () => {
    const posts = mem.get('Post')!.docs;
    const live = (d: Record<string, unknown>) => d.deletedAt === null || d.deletedAt === undefined;
    const n = posts.filter((a) => a.type === 'answer' && live(a) && posts.some((q) => q._id === a.questionId && live(q))).length;
    return n ? [{ n }] : [];
  });
  const storage = h.storage;
  const close = storage.close.bind(storage);
  storage.close = async () => {
    h.restore();
    await close();
  };
  return storage;
}

runOutboxContract('mongo (offline, in-memory collections)', offlineStorage);
runSearchDocumentsContract('mongo (offline, in-memory collections)', offlineStorage);
runSynonymsContract('mongo (offline, in-memory collections)', offlineStorage);
runMailContract('mongo (offline, in-memory collections)', offlineStorage);
runAccountMailContract('mongo (offline, in-memory collections)', offlineStorage);
runNotificationContract('mongo (offline, in-memory collections)', offlineStorage);
