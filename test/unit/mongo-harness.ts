import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type Model } from 'mongoose';
import { vi } from 'vitest';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';
import { mongoStorageFromConnection, type MongoStorage } from '../../src/db/mongo/index.js';
import { MongoContext } from '../../src/db/mongo/repositories/context.js';

/*
 * An offline MongoDB backend for unit tests: the real repositories and mongoose models on a
 * connection that never opens. Every point where mongoose would talk to the server is
 * intercepted — Query#exec, Aggregate#exec, Model.create, Model.insertMany, Model.bulkWrite, cursors, and the
 * transaction helper — and recorded as what would have been sent (model, operation, filter,
 * update, options, pipeline, and whether it ran inside the transaction). On the way, each
 * filter and update is cast against the schema (strict 'throw'), and each inserted document
 * is validated, exactly as mongoose would before sending (bulk updates are cast too). Tests
 * script the replies, or back a model with an in-memory collection (mongo-memory.ts).
 */

export interface Call {
  kind: 'query' | 'aggregate' | 'insert' | 'bulk' | 'cursor' | 'tx';
  model: string;
  op: string;
  filter?: Record<string, unknown>;
  update?: unknown;
  options?: Record<string, unknown>;
  projection?: unknown;
  pipeline?: unknown[];
  docs?: unknown[];
  ops?: unknown[];
  /** The transaction this call ran in (1, 2, ...), or null outside any. */
  tx: number | null;
}

type Responder = (call: Call) => unknown;

const TX_MARK = '__offlineTx';

export interface Offline {
  storage: MongoStorage;
  models: Models;
  calls: Call[];
  /** Calls other than id reservations (counters), which most tests do not care about. */
  sent(): Call[];
  /** Replies to the next matching calls (checked before the defaults, most recent first). */
  when(model: string, op: string, reply: Responder | unknown): void;
  /** How many transactions were run. */
  transactions(): number;
  /** Called as each transaction begins and when one aborts (an in-memory store snapshots and rolls back). */
  onTransaction(hooks: { begin(): void; abort(): void }): void;
  restore(): void;
}

const DEFAULTS: Record<string, unknown> = {
  find: [],
  findOne: null,
  countDocuments: 0,
  updateOne: { acknowledged: true, matchedCount: 1, modifiedCount: 1, upsertedCount: 0 },
  updateMany: { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 0 },
  deleteOne: { acknowledged: true, deletedCount: 0 },
  deleteMany: { acknowledged: true, deletedCount: 0 },
  findOneAndUpdate: null,
};

export function offline(): Offline {
  const conn = mongoose.createConnection();
  const models = createModels(conn);
  const storage = mongoStorageFromConnection(conn, models);
  const calls: Call[] = [];
  const handlers: Array<{ model: string; op: string; reply: Responder }> = [];
  const seqs = new Map<string, number>();
  let txCount = 0;
  let currentTx: number | null = null;
  const txHooks: Array<{ begin(): void; abort(): void }> = [];
  // Transactions run one at a time, as if each retried until it no longer conflicted (what
  // withTransaction does on a real server); the store tells a nested one from a queued one.
  let txQueue: Promise<void> = Promise.resolve();
  const inTx = new AsyncLocalStorage<number>();

  const txOf = (options: Record<string, unknown> | undefined): number | null => {
    const s = options?.session as Record<string, unknown> | undefined;
    return s && typeof s[TX_MARK] === 'number' ? (s[TX_MARK] as number) : null;
  };

  const respond = (call: Call): unknown => {
    calls.push(call);
    if (call.model === 'Counter' && call.op === 'findOneAndUpdate') {
      const name = (call.filter as { _id: string })._id;
      const inc = ((call.update as { $inc: { seq: number } }).$inc.seq);
      const seq = (seqs.get(name) ?? 0) + inc;
      seqs.set(name, seq);
      return { _id: name, seq };
    }
    for (let i = handlers.length - 1; i >= 0; i--) {
      const h = handlers[i]!;
      if (h.model === call.model && h.op === call.op) return h.reply(call);
    }
    if (call.op in DEFAULTS) return structuredClone(DEFAULTS[call.op]);
    return undefined;
  };

  const spies = [
    vi.spyOn(mongoose.Query.prototype, 'exec').mockImplementation(async function (this: mongoose.Query<unknown, unknown>) {
      const model = this.model as Model<unknown>;
      const options = this.getOptions() as Record<string, unknown>;
      // Cast the filter and update as mongoose would before sending: unknown paths throw.
      this.cast(model);
      const rawUpdate = this.getUpdate();
      const update = rawUpdate ? (this as unknown as { _castUpdate(u: unknown): unknown })._castUpdate(rawUpdate) : undefined;
      const tx = txOf(options);
      if (tx !== null && tx !== currentTx) throw new Error('a query used a session of a finished transaction');
      return respond({
        kind: 'query',
        model: model.modelName,
        op: (this as unknown as { op: string }).op,
        filter: this.getFilter() as Record<string, unknown>,
        update,
        options: Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'session')),
        projection: this.projection(),
        tx,
      });
    }),
    vi.spyOn(mongoose.Aggregate.prototype, 'exec').mockImplementation(async function (this: mongoose.Aggregate<unknown>) {
      const model = this.model() as Model<unknown>;
      const session = (this as unknown as { options: Record<string, unknown> }).options?.session as Record<string, unknown> | undefined;
      const reply = respond({ kind: 'aggregate', model: model.modelName, op: 'aggregate', pipeline: this.pipeline(), tx: session ? (session[TX_MARK] as number) : null });
      return (reply ?? []) as never;
    }),
    vi.spyOn(mongoose.Model, 'create').mockImplementation(async function (this: Model<unknown>, docs: unknown, options?: unknown) {
      const list = (Array.isArray(docs) ? docs : [docs]) as Record<string, unknown>[];
      for (const d of list) {
        const error = new this(d).validateSync();
        if (error) throw error;
      }
      respond({ kind: 'insert', model: this.modelName, op: 'create', docs: list, tx: txOf(options as Record<string, unknown>) });
      return list as never;
    } as never),
    // insertMany sends the documents in one command; for the stand-in it inserts like create.
    vi.spyOn(mongoose.Model, 'insertMany').mockImplementation(async function (this: Model<unknown>, docs: unknown, options?: unknown) {
      const list = (Array.isArray(docs) ? docs : [docs]) as Record<string, unknown>[];
      for (const d of list) {
        const error = new this(d).validateSync();
        if (error) throw error;
      }
      respond({ kind: 'insert', model: this.modelName, op: 'create', docs: list, tx: txOf(options as Record<string, unknown>) });
      return list as never;
    } as never),
    vi.spyOn(mongoose.Model, 'bulkWrite').mockImplementation(async function (this: Model<unknown>, ops: unknown, options?: unknown) {
      // Cast each update as mongoose would before sending: a misspelt path in a bulk op throws too.
      for (const op of ops as Array<{ updateOne?: { filter: Record<string, unknown>; update: Record<string, unknown>; upsert?: boolean } }>) {
        if (!op.updateOne) continue;
        const q = this.updateOne(op.updateOne.filter, op.updateOne.update as never, { upsert: op.updateOne.upsert });
        q.cast(this);
        (q as unknown as { _castUpdate(u: unknown): unknown })._castUpdate(q.getUpdate());
      }
      const reply = respond({ kind: 'bulk', model: this.modelName, op: 'bulkWrite', ops: ops as unknown[], options: options as Record<string, unknown>, tx: txOf(options as Record<string, unknown>) });
      return (reply ?? {}) as never;
    } as never),
    vi.spyOn(mongoose.Query.prototype, 'cursor').mockImplementation(function (this: mongoose.Query<unknown, unknown>) {
      const model = this.model as Model<unknown>;
      const rows = (respond({ kind: 'cursor', model: model.modelName, op: 'cursor', filter: this.getFilter() as Record<string, unknown>, projection: this.projection(), tx: null }) ?? []) as unknown[];
      return (async function* () {
        yield* rows;
      })() as never;
    }),
    vi.spyOn(MongoContext.prototype, 'tx').mockImplementation(async function <T>(fn: (session: mongoose.ClientSession) => Promise<T>): Promise<T> {
      if (inTx.getStore() !== undefined) throw new Error('nested transaction');
      const previous = txQueue;
      let release!: () => void;
      txQueue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      txCount += 1;
      currentTx = txCount;
      const tx = currentTx;
      calls.push({ kind: 'tx', model: '', op: 'begin', tx });
      for (const h of txHooks) h.begin();
      try {
        const result = await inTx.run(tx, () => fn({ [TX_MARK]: tx } as unknown as mongoose.ClientSession));
        calls.push({ kind: 'tx', model: '', op: 'commit', tx });
        return result;
      } catch (err) {
        calls.push({ kind: 'tx', model: '', op: 'abort', tx });
        for (const h of txHooks) h.abort();
        throw err;
      } finally {
        currentTx = null;
        release();
      }
    } as never),
  ];

  return {
    storage,
    models,
    calls,
    sent: () => calls.filter((c) => c.model !== 'Counter' && c.kind !== 'tx'),
    when(model, op, reply) {
      handlers.push({ model, op, reply: typeof reply === 'function' ? (reply as Responder) : () => structuredClone(reply) });
    },
    transactions: () => txCount,
    onTransaction(hooks) {
      txHooks.push(hooks);
    },
    restore() {
      for (const s of spies) s.mockRestore();
    },
  };
}
