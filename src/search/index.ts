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

/** Meta key recording that the engine's index holds a complete build. */
function builtKey(engine: MeiliSearchEngine): string {
  return `search_index_built:${engine.indexUid}`;
}

export interface RuntimeLog extends WorkerLog {
  info(obj: object, msg: string): void;
}

/*
 * An engine fed by the outbox needs more than the engine: its index must exist with the
 * right settings before anything is written to it (Meilisearch would otherwise create a bare
 * index on the first write, without the filterable attributes searches need), an empty new
 * index must be built once, and a worker drains the outbox. None of this may stop the forum
 * from starting when the engine is down: posting keeps working and the outbox waits.
 */
export class SearchRuntime {
  private worker: OutboxWorker | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private preparing: Promise<void> | null = null;

  constructor(
    readonly engine: SearchEngine,
    private readonly storage: Storage,
    private readonly owner: string,
    private readonly log: RuntimeLog | null = null,
    private readonly workerOptions: Partial<OutboxWorkerOptions> = {},
    private readonly retryMs = 5_000,
  ) {}

  /** True when an outbox feeds the engine (the embedded engine is written by triggers instead). */
  get usesOutbox(): boolean {
    return isMeili(this.engine);
  }

  /** Starts the background side: index setup (retried until the engine answers), then the worker. */
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
      await engine.ensureIndex();
      // Built once per index: a new index, or one whose first build did not finish.
      if (!(await this.storage.meta.get(builtKey(engine))) && (await this.hasContent())) {
        this.log?.info({ index: engine.indexUid }, 'search: index not built yet, building it from the database');
        await this.buildOnce();
      }
    } catch (err) {
      if (this.stopped) return;
      this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'search: engine not ready, will retry; posting continues and the outbox waits');
      await new Promise<void>((resolve) => {
        this.retryTimer = setTimeout(resolve, this.retryMs);
      });
      if (!this.stopped) return this.prepare(engine);
      return;
    }
    if (this.stopped) return;
    this.worker = new OutboxWorker(this.storage.outbox, engine, this.owner, this.workerOptions, Date.now, this.log);
    this.worker.start();
  }

  private async hasContent(): Promise<boolean> {
    const c = await this.storage.searchDocuments.count();
    return c.questions + c.answers + c.faq > 0;
  }

  /** The first build of a new index runs on one instance only; the others keep draining. */
  private async buildOnce(): Promise<void> {
    const lease = 'search:initial-build';
    if (!(await this.storage.leases.acquire(lease, this.owner, Date.now(), 30 * 60_000))) return;
    try {
      const report = await reindexWithOutbox(this.engine, this.storage);
      this.log?.info({ ...report }, 'search: index built');
    } finally {
      await this.storage.leases.release(lease, this.owner);
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
    await this.worker?.stop();
    await this.preparing?.catch(() => {});
    this.preparing = null;
  }
}

/**
 * A full rebuild. For an engine fed by the outbox, changes made while the new index was
 * being built may be missing from it (they went to the old one), so every entry changed
 * since the rebuild began is processed again against the new index.
 */
export async function reindexWithOutbox(engine: SearchEngine, storage: Storage): Promise<ReindexReport & { requeued: number }> {
  const startedAt = Date.now();
  const report = await engine.reindexAll();
  if (!isMeili(engine)) return { ...report, requeued: 0 };
  const requeued = await storage.outbox.requeueChangedSince(startedAt - 1000, Date.now());
  await storage.meta.set(builtKey(engine), new Date().toISOString());
  return { ...report, requeued };
}

export type { SearchEngine } from './port.js';
