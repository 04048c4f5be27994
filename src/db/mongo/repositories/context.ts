import type { ClientSession, Connection, Model, PipelineStage } from 'mongoose';
import type { Models } from '../models/index.js';
import { idsFromSeq, type SequenceName } from '../ids.js';
import { inTransaction, isDuplicateKeyError } from '../connection.js';
import { reserveIdsQuery } from '../queries/counters.js';
import type { FindSpec, Pipeline, UpdateSpec } from '../queries/spec.js';
import type { BulkUpdateOne } from '../queries/qa.js';
import { enqueueOps } from '../queries/outbox.js';

/*
 * What every repository gets: the connection (for transactions), the compiled models, and
 * thin helpers that pass a query spec (built by src/db/mongo/queries) to mongoose unchanged.
 * Keeping the helpers this thin is what makes the offline query tests meaningful: the
 * repository adds only the session.
 */

type AnyModel = Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class MongoContext {
  constructor(
    readonly conn: Connection,
    readonly models: Models,
  ) {}

  /** Runs fn in a transaction; see connection.ts inTransaction. */
  tx<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    return inTransaction(this.conn, fn);
  }

  /**
   * Reserves n consecutive ids of a sequence (outside any transaction, see ids.ts). Two
   * first-ever reservations can race to create the counter; the loser's upsert fails with a
   * duplicate key and simply tries again.
   */
  async reserveIds(sequence: SequenceName, n = 1): Promise<number[]> {
    const spec = reserveIdsQuery(sequence, n);
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.models.counters.findOneAndUpdate(spec.filter, spec.update, spec.options).lean<{ seq: number }>().exec();
        if (!doc) throw new Error(`counter ${sequence} was not returned`);
        return idsFromSeq(doc.seq, n);
      } catch (err) {
        if (isDuplicateKeyError(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  async reserveId(sequence: SequenceName): Promise<number> {
    return (await this.reserveIds(sequence, 1))[0]!;
  }

  /**
   * Writes search outbox entries for these document ids, in the caller's transaction when a
   * session is given (the outbox must commit or abort with the change it records). Times are
   * the wall clock, not the operation's `now`: the worker and requeue compare them to the
   * clock, and the SQLite backend does the same.
   */
  async enqueueSearch(docIds: Iterable<string>, session?: ClientSession): Promise<void> {
    await bulk(this.models.searchOutbox, enqueueOps(docIds, Date.now()), session);
  }
}

export function findOne<T>(model: Model<T>, spec: FindSpec, session?: ClientSession): Promise<T | null> {
  const q = (model as AnyModel).findOne(spec.filter, spec.projection ?? null, session ? { session } : {});
  if (spec.sort) q.sort(spec.sort);
  if (spec.skip) q.skip(spec.skip);
  return q.lean<T>().exec() as Promise<T | null>;
}

export function findMany<T>(model: Model<T>, spec: FindSpec, session?: ClientSession): Promise<T[]> {
  const q = (model as AnyModel).find(spec.filter, spec.projection ?? null, session ? { session } : {});
  if (spec.sort) q.sort(spec.sort);
  if (spec.skip) q.skip(spec.skip);
  if (spec.limit !== undefined) q.limit(spec.limit);
  return q.lean<T[]>().exec() as Promise<T[]>;
}

export function countDocuments<T>(model: Model<T>, spec: FindSpec, session?: ClientSession): Promise<number> {
  return (model as AnyModel).countDocuments(spec.filter, session ? { session } : {}).exec();
}

export function updateOne<T>(model: Model<T>, spec: UpdateSpec, session?: ClientSession) {
  return (model as AnyModel).updateOne(spec.filter, spec.update, { ...spec.options, ...(session ? { session } : {}) }).exec();
}

export function updateMany<T>(model: Model<T>, spec: UpdateSpec, session?: ClientSession) {
  return (model as AnyModel).updateMany(spec.filter, spec.update, { ...spec.options, ...(session ? { session } : {}) }).exec();
}

export function findOneAndUpdate<T>(model: Model<T>, spec: UpdateSpec, session?: ClientSession): Promise<T | null> {
  return (model as AnyModel)
    .findOneAndUpdate(spec.filter, spec.update, { ...spec.options, ...(session ? { session } : {}) })
    .lean<T>()
    .exec() as Promise<T | null>;
}

export function deleteOne<T>(model: Model<T>, spec: FindSpec, session?: ClientSession) {
  return (model as AnyModel).deleteOne(spec.filter, session ? { session } : {}).exec();
}

export function deleteMany<T>(model: Model<T>, spec: FindSpec, session?: ClientSession) {
  return (model as AnyModel).deleteMany(spec.filter, session ? { session } : {}).exec();
}

/** Inserts validated documents (mongoose validation runs; strict 'throw' refuses stray fields). */
export async function insert<T>(model: Model<T>, docs: T[], session?: ClientSession): Promise<void> {
  await (model as AnyModel).create(docs, session ? { session, ordered: true } : { ordered: true });
}

export async function bulk<T>(model: Model<T>, ops: BulkUpdateOne[], session?: ClientSession): Promise<void> {
  if (ops.length === 0) return;
  // Unordered outside a transaction (independent counters); ordered inside one.
  await (model as AnyModel).bulkWrite(ops, session ? { session, ordered: true } : { ordered: false });
}

export function aggregate<R>(model: Model<unknown> | AnyModel, pipeline: Pipeline, session?: ClientSession): Promise<R[]> {
  const agg = (model as AnyModel).aggregate<R>(pipeline as unknown as PipelineStage[]);
  if (session) agg.session(session);
  return agg.exec();
}
