import type { Meilisearch } from 'meilisearch';
import type { SearchDocumentRepository } from '../../src/db/ports.js';
import { searchDocId, type SearchDocument } from '../../src/search/port.js';
import type { MeiliClientLike, MeiliEnqueuedLike, MeiliMultiSearchQuery, MeiliTaskLike } from '../../src/search/meili/client.js';
import type { MeiliSearchResponseLike } from '../../src/search/meili/hits.js';
import { MeiliSearchEngine, type MeiliEngineOptions } from '../../src/search/meili/engine.js';

/*
 * A recording stand-in for the official Meilisearch client and the database side of the
 * engine, shared by the engine's offline tests. Not a test file itself.
 */

// The real client must fit the subset the engine uses (checked by the compiler).
const _realClientFits = (real: Meilisearch): MeiliClientLike => real;
void _realClientFits;

export interface Call {
  op: 'createIndex' | 'deleteIndex' | 'swapIndexes' | 'addDocuments' | 'deleteDocuments' | 'updateSettings';
  uid: string;
  args: unknown[];
  waited: number | null;
}

/** Records every call; `fail` decides which tasks Meilisearch reports as failed. */
export class FakeMeili implements MeiliClientLike {
  calls: Call[] = [];
  /** Calls and waits in the order they happened. */
  events: string[] = [];
  searches: MeiliMultiSearchQuery[][] = [];
  existing = new Set<string>(['live']);
  fail: (call: Call) => { message: string; code?: string } | undefined = () => undefined;
  respond: (q: MeiliMultiSearchQuery) => MeiliSearchResponseLike & { estimatedTotalHits?: number } = () => ({ hits: [], totalHits: 0, processingTimeMs: 1 });
  healthy: boolean | Error = true;

  private task(op: Call['op'], uid: string, args: unknown[]): MeiliEnqueuedLike {
    const call: Call = { op, uid, args, waited: null };
    this.calls.push(call);
    this.events.push(`${op} ${uid}`.trim());
    return Object.assign(Promise.resolve({ taskUid: this.calls.length }), {
      waitTask: async (options?: { timeout?: number }) => {
        call.waited = options?.timeout ?? 0;
        this.events.push(`wait ${op} ${uid}`.trim());
        let error = this.fail(call);
        if (!error && op === 'createIndex') {
          if (this.existing.has(uid)) error = { message: `Index \`${uid}\` already exists.`, code: 'index_already_exists' };
          else this.existing.add(uid);
        }
        if (!error && op === 'deleteIndex') this.existing.delete(uid);
        return (error ? { status: 'failed', error } : { status: 'succeeded', error: null }) satisfies MeiliTaskLike;
      },
    }) satisfies MeiliEnqueuedLike;
  }
  index(uid: string) {
    return {
      addDocuments: (docs: unknown[], options: unknown) => this.task('addDocuments', uid, [docs, options]),
      deleteDocuments: (ids: string[]) => this.task('deleteDocuments', uid, [ids]),
      updateSettings: (settings: unknown) => this.task('updateSettings', uid, [settings]),
      getStats: async () => {
        if (!this.existing.has(uid)) throw indexNotFound(uid);
        return { numberOfDocuments: 0 };
      },
      getFilterableAttributes: async () => {
        if (!this.existing.has(uid)) throw indexNotFound(uid);
        return ['communityId'];
      },
    };
  }
  createIndex(uid: string, options: unknown) {
    return this.task('createIndex', uid, [options]);
  }
  deleteIndex(uid: string) {
    return this.task('deleteIndex', uid, []);
  }
  swapIndexes(swaps: unknown[]) {
    return this.task('swapIndexes', '', [swaps]);
  }
  /** Like the server, a search with `distinct` keeps the first (best-ranked) hit of each value of that attribute. */
  async multiSearch(body: { queries: MeiliMultiSearchQuery[] }) {
    this.searches.push(body.queries);
    return { results: body.queries.map((q) => distinctHits(this.respond(q), q.distinct)) };
  }
  async isHealthy() {
    if (this.healthy instanceof Error) throw this.healthy;
    return this.healthy;
  }
  ops() {
    return this.calls.map((c) => `${c.op} ${c.uid}`.trim());
  }
}

function distinctHits<R extends MeiliSearchResponseLike>(response: R, attribute: string | undefined): R {
  if (!attribute) return response;
  const seen = new Set<unknown>();
  const hits = response.hits.filter((h) => {
    const value = (h as Record<string, unknown>)[attribute];
    if (value === undefined) return true;
    if (seen.has(value)) return false;
    seen.add(value);
    return true;
  });
  return { ...response, hits };
}

export function doc(kind: SearchDocument['kind'], id: string, title = `Title ${id}`): SearchDocument {
  return { kind, id, communityId: '1', questionId: kind === 'faq' ? null : '1', title, slug: 's', bodyText: `body ${id}`, tags: ['t'], score: 0, answerCount: 0, accepted: false, createdAt: 1 };
}

/** The database side: `rows` is what exists; `all` yields it in batches and can be made to throw. */
export function repository(rows: SearchDocument[], options: { throwAfterBatches?: number } = {}) {
  const loads: string[][] = [];
  const batchSizes: number[] = [];
  const repo: SearchDocumentRepository = {
    async load(ids) {
      loads.push([...ids]);
      return rows.filter((r) => ids.includes(searchDocId(r.kind, r.id)));
    },
    async *all(batchSize) {
      batchSizes.push(batchSize);
      for (let i = 0, n = 0; i < rows.length; i += batchSize, n++) {
        if (options.throwAfterBatches === n) throw new Error('database went away');
        yield rows.slice(i, i + batchSize);
      }
    },
    async count() {
      return { questions: rows.filter((r) => r.kind === 'question').length, answers: rows.filter((r) => r.kind === 'answer').length, faq: rows.filter((r) => r.kind === 'faq').length };
    },
  };
  return { repo, loads, batchSizes };
}

export function setup(rows: SearchDocument[] = [], options: { throwAfterBatches?: number; batchSize?: number } & Pick<MeiliEngineOptions, 'synonyms' | 'synonymGroups'> = {}) {
  const client = new FakeMeili();
  const db = repository(rows, options);
  const engine = new MeiliSearchEngine(client, { indexUid: 'live', documents: db.repo, taskTimeoutMs: 1234, batchSize: options.batchSize ?? 2, synonyms: options.synonyms, synonymGroups: options.synonymGroups });
  return { client, engine, db };
}

/** What the official client throws for a request on a missing index. */
export function indexNotFound(uid: string): Error {
  return Object.assign(new Error(`Index \`${uid}\` not found.`), { name: 'MeiliSearchApiError', cause: { code: 'index_not_found' } });
}

/*
 * A stand-in for the server that keeps indexes, their documents and whether their settings
 * were applied, for the runtime tests (index setup, first build, outbox worker, outages,
 * indexes lost behind the app's back). It fails every call while `down` is set. Like the real
 * server, writing documents to a missing index creates a bare one (no settings).
 */
export class MemoryMeili implements MeiliClientLike {
  down = false;
  readonly indexes = new Map<string, Map<string, Record<string, unknown>>>();
  /** Indexes whose settings this app applied. */
  readonly configured = new Set<string>();
  readonly ops: string[] = [];
  /** Runs inside the swap task, before the swap takes effect (to act "while a rebuild runs"). */
  beforeSwap: (() => Promise<void>) | null = null;

  private task(op: string, apply: () => void | Promise<void>): MeiliEnqueuedLike {
    if (this.down) throw Object.assign(new Error('fetch failed: connect ECONNREFUSED 127.0.0.1:7700'), { name: 'MeilisearchRequestError' });
    this.ops.push(op);
    return Object.assign(Promise.resolve({ taskUid: this.ops.length }), {
      waitTask: async () => {
        try {
          await apply();
          return { status: 'succeeded', error: null };
        } catch (err) {
          return { status: 'failed', error: { message: (err as Error).message, code: 'index_already_exists' } };
        }
      },
    });
  }
  private docs(uid: string) {
    let m = this.indexes.get(uid);
    if (!m) this.indexes.set(uid, (m = new Map()));
    return m;
  }
  index(uid: string) {
    return {
      addDocuments: (docs: Array<Record<string, unknown>>) => this.task(`add ${uid}`, () => docs.forEach((d) => this.docs(uid).set(String(d.docId), d))),
      deleteDocuments: (ids: string[]) => this.task(`delete ${uid}`, () => ids.forEach((id) => this.docs(uid).delete(id))),
      updateSettings: () =>
        this.task(`settings ${uid}`, () => {
          this.docs(uid);
          this.configured.add(uid);
        }),
      getStats: async () => {
        if (this.down) throw new Error('fetch failed');
        const docs = this.indexes.get(uid);
        if (!docs) throw indexNotFound(uid);
        return { numberOfDocuments: docs.size };
      },
      getFilterableAttributes: async () => {
        if (this.down) throw new Error('fetch failed');
        if (!this.indexes.has(uid)) throw indexNotFound(uid);
        return this.configured.has(uid) ? ['communityId', 'kind'] : [];
      },
    };
  }
  createIndex(uid: string) {
    return this.task(`create ${uid}`, () => {
      if (this.indexes.has(uid)) throw new Error(`Index \`${uid}\` already exists.`);
      this.indexes.set(uid, new Map());
    });
  }
  deleteIndex(uid: string) {
    return this.task(`drop ${uid}`, () => {
      this.indexes.delete(uid);
      this.configured.delete(uid);
    });
  }
  swapIndexes(swaps: Array<{ indexes: [string, string] }>) {
    return this.task('swap', async () => {
      await this.beforeSwap?.();
      for (const { indexes: [a, b] } of swaps) {
        const first = this.docs(a);
        this.indexes.set(a, this.docs(b));
        this.indexes.set(b, first);
        const [ca, cb] = [this.configured.has(a), this.configured.has(b)];
        if (cb) this.configured.add(a);
        else this.configured.delete(a);
        if (ca) this.configured.add(b);
        else this.configured.delete(b);
      }
    });
  }
  async multiSearch(): Promise<never> {
    throw new Error('not used here');
  }
  async isHealthy() {
    return !this.down;
  }
  /** The document ids of an index (default: the live one, `forum`). */
  live(uid = 'forum'): string[] {
    return [...(this.indexes.get(uid)?.keys() ?? [])].sort();
  }
}
