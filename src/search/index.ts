import type { AppConfig } from '../config.js';
import type { Storage } from '../db/ports.js';
import type { SqliteStorage } from '../db/sqlite/index.js';
import type { ReindexReport, SearchEngine } from './port.js';
import { SqliteFtsEngine } from './sqlite-fts/engine.js';
import { createMeiliSearchEngine, type MeiliSearchEngine } from './meili/index.js';
import { OutboxWorker, type OutboxWorkerOptions, type WorkerLog } from './outbox-worker.js';

/** Picks the search engine named by the configuration; the embedded one needs the SQLite storage. */
export function createSearchEngine(config: Pick<AppConfig, 'search'> & Partial<Pick<AppConfig, 'meiliUrl' | 'meiliMasterKey' | 'meiliIndex'>>, storage: Storage): SearchEngine {
  if (config.search === 'sqlite-fts') {
    if (storage.backend !== 'sqlite' || !('db' in storage)) throw new Error('The embedded search engine (sqlite-fts) needs the SQLite storage backend');
    return new SqliteFtsEngine((storage as SqliteStorage).db, { synonyms: storage.synonyms });
  }
  if (!config.meiliUrl) throw new Error('MEILI_URL is required for the Meilisearch search backend');
  return createMeiliSearchEngine({
    url: config.meiliUrl,
    apiKey: config.meiliMasterKey,
    indexUid: config.meiliIndex ?? 'forum',
    documents: storage.searchDocuments,
    synonymGroups: storage.synonyms,
  });
}

function isMeili(engine: SearchEngine): engine is MeiliSearchEngine {
  return engine.name === 'meili' && 'ensureIndex' in engine;
}

/** Meta key recording that the engine's index holds a complete build ('' or missing: not built). */
function builtKey(engine: MeiliSearchEngine): string {
  return `search_index_built:${engine.indexUid}`;
}

/**
 * The shape of the Meilisearch documents (meili/documents.ts). Bump it when documents gain an
 * attribute that settings or searches use: a build mark of an older shape (or of none: marks
 * written before this existed) makes the next start rebuild the index, so an upgrade needs no
 * manual reindex. 2: communityName (searchable) and thread (the distinct key).
 */
export const MEILI_DOCUMENT_SHAPE = '2';

function builtMark(): string {
  return `shape ${MEILI_DOCUMENT_SHAPE} ${new Date().toISOString()}`;
}

function isCurrentBuild(mark: string | null | undefined): boolean {
  return typeof mark === 'string' && mark.startsWith(`shape ${MEILI_DOCUMENT_SHAPE} `);
}

/**
 * Meta key holding the time from which a rebuild must requeue the outbox. Written before the
 * rebuild starts and cleared after the requeue, so a process that dies between the swap and
 * the requeue leaves it behind and the next start does the requeue.
 */
function requeueKey(engine: MeiliSearchEngine): string {
  return `search_reindex_requeue_since:${engine.indexUid}`;
}

/** The lease of the first build: short, renewed while the build runs, so a dead holder's build is retried soon. */
export const BUILD_LEASE = 'search:initial-build';
export const BUILD_LEASE_MS = 2 * 60_000;

/**
 * How far before the rebuild's start the requeue reaches. Outbox times come from the clock of
 * the instance that wrote the change, which may run behind this one; requeueing a few entries
 * too many only re-sends current documents.
 */
export const REQUEUE_MARGIN_MS = 5 * 60_000;

export interface RuntimeLog extends WorkerLog {
  info(obj: object, msg: string): void;
}

export interface SearchRuntimeOptions {
  /** Pause before retrying the setup while the engine is down. */
  retryMs: number;
  /** How often the live index is checked for having been lost, emptied or left unbuilt. */
  checkEveryMs: number;
  buildLeaseMs: number;
}

/*
 * An engine fed by the outbox needs more than the engine: its index must exist with the
 * right settings before anything is written to it (Meilisearch would otherwise create a bare
 * index on the first write, without the filterable attributes searches need), an empty new
 * index must be built once, and a worker drains the outbox. None of this may stop the forum
 * from starting when the engine is down: posting keeps working and the outbox waits.
 *
 * The index is checked again every checkEveryMs: one deleted, emptied or recreated bare behind
 * the app's back (an operator, a restored volume) is rebuilt, and a first build whose lease
 * holder died is taken over once that lease expires.
 */
export class SearchRuntime {
  private worker: OutboxWorker | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private stopped = false;
  private preparing: Promise<void> | null = null;
  private readonly options: SearchRuntimeOptions;

  constructor(
    readonly engine: SearchEngine,
    private readonly storage: Storage,
    private readonly owner: string,
    private readonly log: RuntimeLog | null = null,
    private readonly workerOptions: Partial<OutboxWorkerOptions> = {},
    retryMs: number | Partial<SearchRuntimeOptions> = 5_000,
  ) {
    const given = typeof retryMs === 'number' ? { retryMs } : retryMs;
    this.options = { retryMs: 5_000, checkEveryMs: 60_000, buildLeaseMs: BUILD_LEASE_MS, ...given };
  }

  /** True when an outbox feeds the engine (the embedded engine is written by triggers instead). */
  get usesOutbox(): boolean {
    return isMeili(this.engine);
  }

  /** Starts the background side: index setup (retried until the engine answers), then the worker and the index checks. */
  start(): void {
    if (!isMeili(this.engine) || this.preparing) return;
    this.stopped = false;
    // Nobody awaits this promise: prepare() catches and retries engine failures itself, and
    // anything that still escapes is logged here instead of ending the process.
    this.preparing = this.prepare(this.engine).catch((err: unknown) => {
      this.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'search: index setup stopped after an unexpected error; the outbox keeps the changes');
    });
  }

  private async prepare(engine: MeiliSearchEngine): Promise<void> {
    try {
      // Read on every attempt: the settings ensureIndex applies carry the groups as they are now.
      engine.useSynonyms(await this.storage.synonyms.list());
      const created = await engine.ensureIndex();
      await this.finishInterruptedReindex(engine);
      await this.buildIfNeeded(engine, created ? 'the index did not exist' : null);
    } catch (err) {
      if (this.stopped) return;
      this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'search: engine not ready, will retry; posting continues and the outbox waits');
      await new Promise<void>((resolve) => {
        this.retryTimer = setTimeout(resolve, this.options.retryMs);
      });
      if (!this.stopped) return this.prepare(engine);
      return;
    }
    if (this.stopped) return;
    this.worker = new OutboxWorker(this.storage.outbox, engine, this.owner, this.workerOptions, Date.now, this.log);
    this.worker.start();
    this.scheduleCheck(engine);
  }

  private scheduleCheck(engine: MeiliSearchEngine): void {
    if (this.stopped || this.options.checkEveryMs <= 0) return;
    this.checkTimer = setTimeout(() => {
      this.checking = this.checkIndex(engine)
        .catch((err: unknown) => this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'search: index check failed, will check again'))
        .finally(() => {
          this.checking = null;
          this.scheduleCheck(engine);
        });
    }, this.options.checkEveryMs);
    this.checkTimer.unref();
  }

  /** One round of the periodic check. */
  private async checkIndex(engine: MeiliSearchEngine): Promise<void> {
    const state = await engine.indexState();
    let reason: string | null = null;
    if (!state.exists) reason = 'the index was deleted';
    else if (!state.configured) reason = 'the index was recreated without its settings';
    else if (state.documents === 0) reason = 'the index is empty';
    // Recreate it, or give a bare one its settings, before anything else is written to it.
    if (!state.exists || !state.configured) await engine.ensureIndex();
    await this.buildIfNeeded(engine, reason);
  }

  /** Runs one index check now (tests; an operator's tooling could call it too). */
  async checkNow(): Promise<void> {
    if (isMeili(this.engine)) await this.checkIndex(this.engine);
  }

  /**
   * Builds the index when it was never completely built (or built with documents of an older
   * shape, see MEILI_DOCUMENT_SHAPE), or when `reason` says it was lost
   * (deleted, recreated bare, emptied) although the database has content. The "built" mark is
   * cleared first, so that if another instance holds the build lease, the build is still owed
   * and the next check retries it.
   */
  private async buildIfNeeded(engine: MeiliSearchEngine, reason: string | null): Promise<void> {
    if (!(await this.hasContent())) return;
    const built = await this.storage.meta.get(builtKey(engine));
    if (reason && built) await this.storage.meta.set(builtKey(engine), '');
    if (isCurrentBuild(built) && !reason) return;
    const why = reason ?? (built ? 'the index holds documents of an older shape' : 'the index was never completely built');
    this.log?.info({ index: engine.indexUid, reason: why }, 'search: building the index from the database');
    await this.buildOnce();
  }

  /** A rebuild that died between its swap and its requeue left its start time: requeue from it now. */
  private async finishInterruptedReindex(engine: MeiliSearchEngine): Promise<void> {
    const since = Number((await this.storage.meta.get(requeueKey(engine))) || NaN);
    if (!Number.isFinite(since)) return;
    const requeued = await this.storage.outbox.requeueChangedSince(since, Date.now());
    await this.storage.meta.set(requeueKey(engine), '');
    this.log?.info({ index: engine.indexUid, requeued }, 'search: requeued the changes of an interrupted rebuild');
  }

  private async hasContent(): Promise<boolean> {
    const c = await this.storage.searchDocuments.count();
    return c.questions + c.answers + c.faq > 0;
  }

  /**
   * The build runs on one instance only; the others keep draining. The lease is short and
   * renewed while the build runs, so when its holder dies another instance takes the build
   * over within one lease (through the periodic check) instead of the index staying unbuilt.
   */
  private async buildOnce(): Promise<void> {
    const ttl = this.options.buildLeaseMs;
    if (!(await this.storage.leases.acquire(BUILD_LEASE, this.owner, Date.now(), ttl))) return;
    const renew = setInterval(() => {
      this.storage.leases.acquire(BUILD_LEASE, this.owner, Date.now(), ttl).catch((err: unknown) => {
        this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'search: could not renew the build lease');
      });
    }, Math.max(10, Math.floor(ttl / 4)));
    renew.unref();
    try {
      const report = await reindexWithOutbox(this.engine, this.storage);
      this.log?.info({ ...report }, 'search: index built');
    } finally {
      clearInterval(renew);
      await this.storage.leases.release(BUILD_LEASE, this.owner);
    }
  }

  /**
   * Called after an admin changed the synonym groups. The embedded engine reads them itself
   * (cached by the storage's version); Meilisearch gets them pushed into its settings. A
   * failure is logged, never thrown: the change is saved, and the next change or startup
   * sends the groups again. Resolves to whether the engine has the current groups.
   */
  async synonymsChanged(): Promise<boolean> {
    if (!isMeili(this.engine)) return true;
    try {
      await this.engine.setSynonyms(await this.storage.synonyms.list());
      return true;
    } catch (err) {
      this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'search: could not apply the synonyms; they will be sent again on the next change or at startup');
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.checkTimer) clearTimeout(this.checkTimer);
    await this.worker?.stop();
    await this.preparing?.catch(() => {});
    await this.checking;
    this.preparing = null;
  }
}

/**
 * A full rebuild. For an engine fed by the outbox, changes made while the new index was
 * being built may be missing from it (they went to the old one), so every entry changed
 * since the rebuild began (less a margin for other instances' clocks) is processed again
 * against the new index. The start is recorded first, so a crash between the swap and the
 * requeue is repaired by the next start of the app (SearchRuntime).
 */
export async function reindexWithOutbox(engine: SearchEngine, storage: Storage): Promise<ReindexReport & { requeued: number }> {
  if (!isMeili(engine)) return { ...(await engine.reindexAll()), requeued: 0 };
  const since = Date.now() - REQUEUE_MARGIN_MS;
  const earlier = Number((await storage.meta.get(requeueKey(engine))) || NaN);
  // An earlier interrupted rebuild's requeue is still owed: keep the older start.
  await storage.meta.set(requeueKey(engine), String(Number.isFinite(earlier) ? Math.min(earlier, since) : since));
  const report = await engine.reindexAll();
  const requeued = await storage.outbox.requeueChangedSince(Number.isFinite(earlier) ? Math.min(earlier, since) : since, Date.now());
  await storage.meta.set(builtKey(engine), builtMark());
  await storage.meta.set(requeueKey(engine), '');
  return { ...report, requeued };
}

export type { SearchEngine } from './port.js';
