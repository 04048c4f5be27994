import { Meilisearch, type Settings } from 'meilisearch';
import type { MeiliDocument } from './documents.js';
import type { MeiliSearchResponseLike } from './hits.js';
import type { MeiliSearchParams } from './query.js';

/*
 * The part of the official client the adapter uses, so tests can pass a recording fake.
 * `createMeiliClient` assigns a real `Meilisearch` to this type, so the compiler checks that
 * the real client still fits whenever the package is upgraded.
 */

export interface MeiliTaskLike {
  status: string;
  error?: { message: string; code?: string } | null;
}

/**
 * What every write returns: a promise settled once Meilisearch has accepted (enqueued) the
 * task, and waitTask() for when it has been processed.
 */
export interface MeiliEnqueuedLike extends PromiseLike<unknown> {
  waitTask(options?: { timeout?: number; interval?: number }): Promise<MeiliTaskLike>;
}

export interface MeiliIndexLike {
  addDocuments(documents: MeiliDocument[], options: { primaryKey: string }): MeiliEnqueuedLike;
  deleteDocuments(ids: string[]): MeiliEnqueuedLike;
  updateSettings(settings: Settings): MeiliEnqueuedLike;
  /** Throws an API error with code index_not_found when the index does not exist. */
  getStats(): Promise<{ numberOfDocuments: number }>;
  getFilterableAttributes(): Promise<Array<string | { attributePatterns: string[] }> | null>;
}

export type MeiliMultiSearchQuery = Partial<MeiliSearchParams> & { indexUid: string; q: string };

export interface MeiliClientLike {
  index(uid: string): MeiliIndexLike;
  createIndex(uid: string, options: { primaryKey: string }): MeiliEnqueuedLike;
  deleteIndex(uid: string): MeiliEnqueuedLike;
  /**
   * `rename` is optional here because servers before v1.18 reject the unknown field (the
   * compose file runs v1.13); left out, newer servers take it as false, a plain swap.
   */
  swapIndexes(swaps: Array<{ indexes: [string, string]; rename?: boolean }>): MeiliEnqueuedLike;
  multiSearch(body: { queries: MeiliMultiSearchQuery[] }): Promise<{ results: Array<MeiliSearchResponseLike & { estimatedTotalHits?: number }> }>;
  isHealthy(): Promise<boolean>;
}

/**
 * The official client for MEILI_URL and MEILI_MASTER_KEY (or a key derived from it). Each
 * request gives up after `requestTimeoutMs`, so a hung server makes a search fail quickly
 * instead of holding the page (and the outbox worker retries later).
 */
export function createMeiliClient(url: string, apiKey?: string, requestTimeoutMs = 10_000): MeiliClientLike {
  const client: MeiliClientLike = new Meilisearch({ host: url, apiKey, timeout: requestTimeoutMs });
  return client;
}
