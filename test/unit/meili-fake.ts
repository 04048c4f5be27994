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
  async multiSearch(body: { queries: MeiliMultiSearchQuery[] }) {
    this.searches.push(body.queries);
    return { results: body.queries.map((q) => this.respond(q)) };
  }
  async isHealthy() {
    if (this.healthy instanceof Error) throw this.healthy;
    return this.healthy;
  }
  ops() {
    return this.calls.map((c) => `${c.op} ${c.uid}`.trim());
  }
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
