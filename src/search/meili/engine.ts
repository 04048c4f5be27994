import type { SearchDocumentRepository } from '../../db/ports.js';
import { parseSearchDocId, searchDocId, type ReindexReport, type SearchDocId, type SearchDocument, type SearchEngine, type SearchQuery, type SearchResult } from '../port.js';
import type { MeiliClientLike, MeiliEnqueuedLike, MeiliMultiSearchQuery } from './client.js';
import { PRIMARY_KEY, toMeiliDocument } from './documents.js';
import { emptyResult, fromMeiliResponse, type MeiliSearchResponseLike } from './hits.js';
import { toMeiliSearchParams } from './query.js';
import { CONTENT_LOCALES, meiliIndexSettings } from './settings.js';
import { MeiliTaskError, waitFor } from './tasks.js';
import { queryTerms, reportedTerm } from './terms.js';
import { meiliSynonymsFor, type MeiliSynonyms } from './synonyms.js';
import type { SynonymSource } from '../synonyms.js';

/** Document batches of a rebuild enqueued in Meilisearch but not yet confirmed as indexed. */
export const REBUILD_TASKS_IN_FLIGHT = 4;

export interface MeiliEngineOptions {
  /** The live index; a rebuild builds `${indexUid}_rebuild_<time>` and swaps it in. */
  indexUid: string;
  /** The database, the source of truth: documents are always read from it, never trusted from the caller. */
  documents: SearchDocumentRepository;
  /** How long to wait for one Meilisearch task (default 30 s). */
  taskTimeoutMs?: number;
  /** Documents per addDocuments call during a rebuild (default 1000). */
  batchSize?: number;
  /** The synonyms to start with, as sent (default: the built-in pairs; replaced by useSynonyms / setSynonyms). */
  synonyms?: MeiliSynonyms;
  /**
   * The site's synonym groups in the database. A rebuild reads them afresh, so the new index
   * has the groups as they are when it is built, whoever changed them since this started.
   */
  synonymGroups?: Pick<SynonymSource, 'list'>;
  /**
   * A client with a short request timeout for health(), so /healthz answers within its budget
   * when Meilisearch accepts connections but never replies (the main client waits 10 s).
   */
  healthClient?: Pick<MeiliClientLike, 'isHealthy'>;
}

export class MeiliSearchEngine implements SearchEngine {
  readonly name = 'meili' as const;
  readonly indexUid: string;
  private readonly documents: SearchDocumentRepository;
  private readonly timeout: number;
  private readonly batchSize: number;
  private synonyms: MeiliSynonyms;
  private readonly synonymGroups: Pick<SynonymSource, 'list'> | null;
  private readonly healthClient: Pick<MeiliClientLike, 'isHealthy'>;

  constructor(
    private readonly client: MeiliClientLike,
    options: MeiliEngineOptions,
  ) {
    this.indexUid = options.indexUid;
    this.documents = options.documents;
    this.timeout = options.taskTimeoutMs ?? 30_000;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000));
    this.synonyms = options.synonyms ?? meiliSynonymsFor([]);
    this.synonymGroups = options.synonymGroups ?? null;
    this.healthClient = options.healthClient ?? client;
  }

  /**
   * The synonyms the next ensureIndex() or rebuild applies (no request: call before ensureIndex
   * at startup): the admin's groups with the built-in pairs.
   */
  useSynonyms(groups: ReadonlyArray<{ terms: readonly string[] }>): void {
    this.synonyms = meiliSynonymsFor(groups);
  }

  /**
   * Replaces the live index's synonyms and waits until Meilisearch has applied them. Only the
   * synonyms are sent: the other settings stay as they are, and nothing is reindexed.
   */
  async setSynonyms(groups: ReadonlyArray<{ terms: readonly string[] }>): Promise<void> {
    this.useSynonyms(groups);
    await waitFor(this.client.index(this.indexUid).updateSettings({ synonyms: this.synonyms }), `apply the synonyms of index ${this.indexUid}`, this.timeout);
  }

  /**
   * Creates the live index if it is missing and applies the settings (at startup). True when
   * the index was just created, i.e. is empty and should be built with reindexAll().
   */
  async ensureIndex(): Promise<boolean> {
    const created = await this.createIfMissing(this.indexUid);
    await waitFor(this.client.index(this.indexUid).updateSettings(meiliIndexSettings(this.synonyms)), `apply the settings of index ${this.indexUid}`, this.timeout);
    return created;
  }

  /**
   * What the live index looks like now: missing (deleted behind the app's back), not set up by
   * this app (Meilisearch creates a bare index, without the filterable attributes searches
   * need, when a document is written to a missing one), or set up, with its document count.
   */
  async indexState(): Promise<{ exists: false } | { exists: true; configured: boolean; documents: number }> {
    const index = this.client.index(this.indexUid);
    try {
      const [stats, filterable] = await Promise.all([index.getStats(), index.getFilterableAttributes()]);
      const names = (filterable ?? []).flatMap((a) => (typeof a === 'string' ? [a] : a.attributePatterns));
      return { exists: true, configured: names.includes('communityId'), documents: stats.numberOfDocuments };
    } catch (error) {
      if ((error as { cause?: { code?: string } } | null)?.cause?.code === 'index_not_found') return { exists: false };
      throw error;
    }
  }

  /** Whether Meilisearch answers (for /healthz). */
  async health(): Promise<boolean> {
    try {
      return await this.healthClient.isHealthy();
    } catch {
      return false;
    }
  }

  /**
   * Words that match nothing at all are left out and reported, as the embedded engine does:
   * otherwise a typo'd first word would hide every result (Meilisearch drops words from the
   * end only). The check rides in the same multi-search request as the query, so only a
   * query that does contain such a word costs a second request.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const terms = queryTerms(query.q);
    if (terms.length === 0) return emptyResult(query);
    const checks: MeiliMultiSearchQuery[] =
      terms.length > 1 ? terms.map((q) => ({ indexUid: this.indexUid, q, limit: 0, locales: [...CONTENT_LOCALES] })) : [];
    const [first, ...counts] = await this.multiSearch([this.searchQuery(query, terms), ...checks]);
    let ignored = terms.filter((_, i) => counts[i] !== undefined && matches(counts[i]!) === 0);
    // One word without filters and no hits: that word matches nothing, no check needed.
    if (terms.length === 1 && matches(first!) === 0 && Object.values(query.filters).every((v) => v === undefined)) ignored = terms;
    const reported = ignored.map(reportedTerm);
    if (ignored.length === 0 || terms.length === 1) return fromMeiliResponse(first!, query, reported);
    const kept = terms.filter((t) => !ignored.includes(t));
    if (kept.length === 0) return emptyResult(query, reported);
    const [second] = await this.multiSearch([this.searchQuery(query, kept)]);
    return fromMeiliResponse(second!, query, reported);
  }

  /**
   * Like the embedded engine, indexing re-reads the documents from the database, whatever the
   * given ones say, and removes those that are no longer searchable.
   */
  async index(docs: SearchDocument[]): Promise<void> {
    await this.sync(docs.map((d) => searchDocId(d.kind, d.id)));
  }

  /**
   * Brings these documents in line with the database: current ones are added or replaced,
   * ones the database no longer returns are deleted. Waits for Meilisearch and throws when a
   * task failed, so the outbox worker retries.
   */
  async sync(docIds: readonly string[]): Promise<{ indexed: number; deleted: number }> {
    const ids = validIds(docIds);
    if (ids.length === 0) return { indexed: 0, deleted: 0 };
    const current = await this.documents.load(ids);
    const present = new Set<string>(current.map((d) => searchDocId(d.kind, d.id)));
    const gone = ids.filter((id) => !present.has(id));
    const index = this.client.index(this.indexUid);
    // Both are enqueued before either is awaited, so Meilisearch can process them together.
    const pending: Promise<unknown>[] = [];
    if (current.length > 0) pending.push(waitFor(index.addDocuments(current.map(toMeiliDocument), { primaryKey: PRIMARY_KEY }), 'index documents', this.timeout));
    if (gone.length > 0) pending.push(waitFor(index.deleteDocuments(gone), 'delete documents', this.timeout));
    await Promise.all(pending);
    return { indexed: current.length, deleted: gone.length };
  }

  async delete(ids: SearchDocId[]): Promise<void> {
    const valid = validIds(ids);
    if (valid.length === 0) return;
    await waitFor(this.client.index(this.indexUid).deleteDocuments(valid), 'delete documents', this.timeout);
  }

  /**
   * Builds a fresh index beside the live one and swaps them atomically, so searches keep
   * being answered from the old index until the new one is complete. On failure the
   * temporary index is dropped and the live index is left as it was.
   */
  async reindexAll(): Promise<ReindexReport> {
    const started = performance.now();
    const temp = `${this.indexUid}_rebuild_${Date.now()}`;
    const report: ReindexReport = { questions: 0, answers: 0, faq: 0, ms: 0 };
    if (this.synonymGroups) this.useSynonyms(await this.synonymGroups.list());
    const builtWith = this.synonyms;
    await waitFor(this.client.createIndex(temp, { primaryKey: PRIMARY_KEY }), `create index ${temp}`, this.timeout);
    try {
      // Settings first: applying them to a full index would index everything a second time.
      await waitFor(this.client.index(temp).updateSettings(meiliIndexSettings(this.synonyms)), `apply the settings of index ${temp}`, this.timeout);
      const what = `index documents into ${temp}`;
      const unfinished: MeiliEnqueuedLike[] = [];
      for await (const batch of this.documents.all(this.batchSize)) {
        if (batch.length === 0) continue;
        for (const doc of batch) report[doc.kind === 'faq' ? 'faq' : doc.kind === 'answer' ? 'answers' : 'questions']++;
        const task = this.client.index(temp).addDocuments(batch.map(toMeiliDocument), { primaryKey: PRIMARY_KEY });
        // One upload at a time keeps memory flat; a few processed behind it lets Meilisearch
        // index several batches together while each wait stays within the task timeout.
        await task;
        unfinished.push(task);
        if (unfinished.length > REBUILD_TASKS_IN_FLIGHT) await waitFor(unfinished.shift()!, what, this.timeout);
      }
      for (const task of unfinished) await waitFor(task, what, this.timeout);
      await this.createIfMissing(this.indexUid);
      await waitFor(this.client.swapIndexes([{ indexes: [this.indexUid, temp] }]), `swap ${temp} into ${this.indexUid}`, this.timeout);
    } catch (error) {
      await this.dropQuietly(temp);
      throw error;
    }
    await this.catchUpSynonyms(builtWith);
    // The temporary name now holds the previous index. Should deleting it fail, the new index
    // is live all the same; the leftover is recognisable by its name.
    await this.dropQuietly(temp);
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  /**
   * A synonym change applied while the rebuild ran went to the index that was live then, now
   * swapped out: when the groups differ from those the new index was built with, apply them.
   */
  private async catchUpSynonyms(builtWith: MeiliSynonyms): Promise<void> {
    try {
      if (this.synonymGroups) this.useSynonyms(await this.synonymGroups.list());
      if (JSON.stringify(this.synonyms) === JSON.stringify(builtWith)) return;
      await waitFor(this.client.index(this.indexUid).updateSettings({ synonyms: this.synonyms }), `apply the synonyms of index ${this.indexUid}`, this.timeout);
    } catch {
      // The new index is live and complete; failing the rebuild now would skip the outbox
      // requeue that must follow it. Every instance applies the groups again at startup and
      // on the next change.
    }
  }

  private searchQuery(query: SearchQuery, terms: readonly string[]): MeiliMultiSearchQuery {
    const { q, params } = toMeiliSearchParams(query, terms);
    return { ...params, indexUid: this.indexUid, q };
  }

  private async multiSearch(queries: MeiliMultiSearchQuery[]): Promise<Array<MeiliSearchResponseLike & { estimatedTotalHits?: number }>> {
    const { results } = await this.client.multiSearch({ queries });
    return results;
  }

  /** Creating and accepting "already exists" has no race between instances starting together, unlike look-then-create. */
  private async createIfMissing(uid: string): Promise<boolean> {
    try {
      await waitFor(this.client.createIndex(uid, { primaryKey: PRIMARY_KEY }), `create index ${uid}`, this.timeout);
      return true;
    } catch (error) {
      if (error instanceof MeiliTaskError && error.code === 'index_already_exists') return false;
      throw error;
    }
  }

  private async dropQuietly(uid: string): Promise<void> {
    try {
      await waitFor(this.client.deleteIndex(uid), `delete index ${uid}`, this.timeout);
    } catch {
      // Best effort: the error that matters is the one being reported, or none.
    }
  }
}

function matches(result: MeiliSearchResponseLike & { estimatedTotalHits?: number }): number {
  return result.totalHits ?? result.estimatedTotalHits ?? result.hits.length;
}

/** Well-formed, distinct ids: anything else cannot be in the index. */
function validIds(ids: readonly string[]): SearchDocId[] {
  return [...new Set(ids)].filter((id): id is SearchDocId => parseSearchDocId(id) !== null);
}
