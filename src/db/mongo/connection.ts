import mongoose, { type ClientSession, type Connection } from 'mongoose';

export interface MongoConnectOptions {
  /** Database name; defaults to the one in the URI (or "forum" when the URI names none). */
  dbName?: string;
  /** How long to wait for a reachable server before failing startup. */
  serverSelectionTimeoutMS?: number;
}

/**
 * The subset of the `hello` reply that says whether transactions are possible. Transactions
 * need a replica set member (setName) or a mongos router (msg 'isdbgrid'); a standalone
 * mongod has neither and refuses them.
 */
export interface HelloReply {
  setName?: string;
  msg?: string;
  isWritablePrimary?: boolean;
  maxWireVersion?: number;
}

/** Wire version 17 is MongoDB 6.0: $lookup with localField + pipeline and $sortArray-era operators. */
export const MIN_WIRE_VERSION = 17;

/**
 * Returns why this server cannot host the forum, or null when it can. Pure, so the startup
 * check is tested offline against recorded `hello` replies.
 */
export function transactionSupportProblem(hello: HelloReply): string | null {
  if (!hello.setName && hello.msg !== 'isdbgrid') {
    return (
      'MongoDB storage needs a replica set (multi-document transactions keep votes, scores and reputation together). ' +
      'This server is a standalone mongod: start it with --replSet rs0 and run rs.initiate() once (a one-node replica set is enough; see docker-compose.yml).'
    );
  }
  if (hello.maxWireVersion !== undefined && hello.maxWireVersion < MIN_WIRE_VERSION) {
    return `MongoDB storage needs MongoDB 6.0 or later (server wire version ${hello.maxWireVersion}, need ${MIN_WIRE_VERSION}).`;
  }
  return null;
}

export const DEFAULT_DB_NAME = 'forum';

/** The database named in a MongoDB URI's path, or null (the driver would then use "test"). */
export function dbNameFromUri(uri: string): string | null {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const hostsAndPath = rest.slice(rest.lastIndexOf('@', rest.search(/[/?]|$/)) + 1);
  const slash = hostsAndPath.indexOf('/');
  if (slash < 0) return null;
  const name = hostsAndPath.slice(slash + 1).split('?')[0] ?? '';
  return name === '' ? null : decodeURIComponent(name);
}

/**
 * Opens a dedicated connection (not mongoose's global one). Indexes and collections are
 * created explicitly by ensureCollectionsAndIndexes, not lazily by mongoose, so autoIndex
 * and autoCreate are off: a collection created implicitly inside a transaction would race.
 */
export async function openMongoConnection(uri: string, options: MongoConnectOptions = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName: options.dbName ?? dbNameFromUri(uri) ?? DEFAULT_DB_NAME,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    // Fail fast instead of queueing operations while disconnected: a request should error, not hang.
    bufferCommands: false,
  });
  try {
    await conn.asPromise();
    const hello = (await conn.db!.admin().command({ hello: 1 })) as HelloReply;
    const problem = transactionSupportProblem(hello);
    if (problem) throw new Error(problem);
  } catch (err) {
    await conn.close().catch(() => {});
    throw err;
  }
  return conn;
}

/**
 * Read and write concerns for every transaction: majority/snapshot so that what a
 * transaction read is what it commits against, and a committed vote survives a failover.
 */
export const TRANSACTION_OPTIONS = {
  readConcern: { level: 'snapshot' as const },
  writeConcern: { w: 'majority' as const },
  readPreference: 'primary' as const,
};

/**
 * Runs fn inside a MongoDB transaction (ClientSession.withTransaction): every operation in fn
 * must pass `session`. withTransaction retries fn on TransientTransactionError (for example
 * a write conflict with a concurrent vote on the same post) and retries the commit on
 * UnknownTransactionCommitResult, so fn must only depend on what it reads through the
 * session; ids allocated beforehand are reused safely because an aborted attempt wrote nothing.
 * A domain error thrown by fn aborts the transaction and is rethrown unchanged.
 */
export async function inTransaction<T>(conn: Connection, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = await conn.startSession();
  try {
    let result: T | undefined;
    await session.withTransaction(async () => {
      result = await fn(session);
    }, TRANSACTION_OPTIONS);
    return result as T;
  } finally {
    await session.endSession();
  }
}

/** MongoDB's duplicate-key error (a unique index refused a write). */
export function isDuplicateKeyError(err: unknown): err is { code: 11000; keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown> } {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; writeErrors?: Array<{ code?: unknown }> };
  return e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000));
}

/** The fields of the unique index a duplicate-key error names (for choosing the message). */
export function duplicateKeyFields(err: unknown): string[] {
  const e = err as { keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown>; message?: string };
  if (e.keyPattern) return Object.keys(e.keyPattern);
  if (e.keyValue) return Object.keys(e.keyValue);
  const m = /index: (\S+)/.exec(String(e.message ?? ''));
  return m ? [m[1]!] : [];
}
