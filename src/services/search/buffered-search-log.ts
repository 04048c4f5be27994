import { WriteBatcher, type WriteBatcherLog } from '../write-batcher.js';
import type { SearchLogEntry, SearchLogRepository, SearchReport, SearchReportScope, SynonymSuggestionRow } from '../../db/ports.js';

export type SearchLogBufferLog = WriteBatcherLog;

export interface SearchLogBufferOptions {
  /** A batch is written when this many searches wait. */
  maxRows?: number;
  /** ...or this long after the first of them (0: only by size, flush() and close; for tests). */
  flushMs?: number;
  /** Ids reserved from storage at a time. */
  idBlock?: number;
  log?: SearchLogBufferLog | null;
}

/** Searches held while storage is failing, at most: an outage must not exhaust memory. */
export const MAX_BUFFERED_SEARCHES = 10_000;

/**
 * The search log, written in batches off the request path: a search takes an id reserved in
 * advance (the results page links clicks to it at once) and its row waits in memory until
 * maxRows searches wait or flushMs has passed; one transaction then writes them all. A
 * write per search made every search a database write, and every few hundred of them paid
 * for a WAL checkpoint.
 *
 * Reads stay exact: a click or a report first writes what is waiting. Rows of a process that
 * dies lose at most the last second of searches (the log is a statistic, not user data); a
 * failed batch is reported to the log and dropped, never thrown at a request or a timer.
 */
export class BufferedSearchLog implements SearchLogRepository {
  private readonly batcher: WriteBatcher<SearchLogEntry & { id: string }>;
  private ids: string[] = [];
  private reserving: Promise<void> | null = null;
  private readonly idBlock: number;

  constructor(
    private readonly inner: SearchLogRepository,
    options: SearchLogBufferOptions = {},
  ) {
    this.idBlock = options.idBlock ?? 100;
    this.batcher = new WriteBatcher((batch) => inner.recordMany(batch), {
      maxItems: options.maxRows ?? 200,
      flushMs: options.flushMs ?? 1000,
      maxBuffered: MAX_BUFFERED_SEARCHES,
      log: options.log ?? null,
      noun: 'searches',
    });
  }

  /** Searches waiting to be written (for tests and health reports). */
  get pending(): number {
    return this.batcher.pending;
  }

  async record(entry: SearchLogEntry): Promise<string> {
    const id = await this.nextId();
    this.batcher.add({ ...entry, id });
    return id;
  }

  async reserveIds(n: number): Promise<string[]> {
    return this.inner.reserveIds(n);
  }

  async recordMany(entries: ReadonlyArray<SearchLogEntry & { id: string }>): Promise<void> {
    await this.flush();
    await this.inner.recordMany(entries);
  }

  async recordClick(searchId: string, docId: string, position: number, now: number): Promise<boolean> {
    // The click may be on a search still waiting here.
    await this.flush();
    return this.inner.recordClick(searchId, docId, position, now);
  }

  async report(communityId: string, since: number, limit: number, scope?: SearchReportScope): Promise<SearchReport> {
    await this.flush();
    return this.inner.report(communityId, since, limit, scope);
  }

  async synonymSuggestions(communityId: string, since: number, windowMs: number, limit: number): Promise<SynonymSuggestionRow[]> {
    // The empty search or the clicked one may still be waiting here.
    await this.flush();
    return this.inner.synonymSuggestions(communityId, since, windowMs, limit);
  }

  /** Writes every waiting search. Never rejects: a failed batch is logged and dropped. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** On shutdown: everything waiting written. */
  async close(): Promise<void> {
    await this.flush();
  }

  private async nextId(): Promise<string> {
    while (this.ids.length === 0) {
      this.reserving ??= this.inner
        .reserveIds(this.idBlock)
        .then((ids) => {
          this.ids.push(...ids);
        })
        .finally(() => {
          this.reserving = null;
        });
      await this.reserving;
    }
    return this.ids.shift()!;
  }
}
