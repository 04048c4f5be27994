import type { Storage } from '../../src/db/ports.js';
import type { Model } from 'mongoose';
import { offline, type Call, type Offline } from './mongo-harness.js';
import { MemoryCollection, runPipeline, type UniqueIndex } from './mongo-memory.js';

/*
 * The real MongoDB repositories over in-memory collections (mongo-memory.ts), one per model,
 * for running the shared contract suites offline. What it adds to the single collections:
 *
 * - every unique index the models declare, compound and partial ones included, read from the
 *   schemas (so a duplicate category slug under one parent, or a second entry from one answer,
 *   is refused as the server would refuse it);
 * - transactions that roll back: each collection is snapshotted when a transaction begins and
 *   restored when it aborts. Transactions run one at a time (the harness queues them), which is
 *   one of the outcomes withTransaction's conflict retries allow; reads outside a transaction
 *   may see a running transaction's writes, which a real server would hide.
 *
 * - aggregations, evaluated over the collections with the stages and operators the
 *   repositories send ($match, $lookup, $unwind, $group with $sum, $addFields, $project,
 *   $sort, $limit); anything else throws, so a test never passes on an empty result.
 */

export interface MemoryStorage {
  storage: Storage;
  h: Offline;
  collections: Map<string, MemoryCollection>;
}

export function memoryStorage(): MemoryStorage {
  const h = offline();
  const collections = new Map<string, MemoryCollection>();
  const byCollectionName = new Map<string, MemoryCollection>();
  for (const model of Object.values(h.models)) {
    if (model.modelName === 'Counter') continue; // ids come from the harness
    const declared = (model as unknown as Model<unknown>).schema.indexes() as Array<[Record<string, unknown>, { unique?: boolean; partialFilterExpression?: Record<string, unknown> }]>;
    const unique: UniqueIndex[] = declared.filter(([, options]) => options.unique).map(([keys, options]) => ({ keys: Object.keys(keys), partial: options.partialFilterExpression }));
    const collection = new MemoryCollection([], { unique }).install(h, model.modelName);
    collections.set(model.modelName, collection);
    byCollectionName.set((model as unknown as Model<unknown>).collection.collectionName, collection);
    h.when(model.modelName, 'aggregate', (c: Call) => runPipeline(collection.docs, c.pipeline as Array<Record<string, unknown>>, (name) => byCollectionName.get(name)?.docs ?? []));
  }
  h.onTransaction({
    begin() {
      for (const c of collections.values()) snapshots.set(c, c.snapshot());
    },
    abort() {
      for (const [c, docs] of snapshots) c.restore(docs);
    },
  });
  const snapshots = new Map<MemoryCollection, ReturnType<MemoryCollection['snapshot']>>();
  const storage = h.storage;
  const close = storage.close.bind(storage);
  storage.close = async () => {
    h.restore();
    await close();
  };
  return { storage, h, collections };
}
