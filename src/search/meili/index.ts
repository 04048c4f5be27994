import type { SearchDocumentRepository } from '../../db/ports.js';
import { createMeiliClient } from './client.js';
import { MeiliSearchEngine, type MeiliEngineOptions } from './engine.js';

export { MeiliSearchEngine, type MeiliEngineOptions } from './engine.js';
export { createMeiliClient, type MeiliClientLike } from './client.js';
export { MeiliTaskError } from './tasks.js';
export { meiliIndexSettings } from './settings.js';

/** Per request of the health check: /healthz must answer within 2 s even when Meilisearch hangs. */
export const MEILI_HEALTH_TIMEOUT_MS = 1_000;

/** The live index's name unless configured otherwise. */
export const DEFAULT_MEILI_INDEX_UID = 'forum_search';

export interface MeiliEngineConfig extends Partial<Omit<MeiliEngineOptions, 'documents'>> {
  /** MEILI_URL */
  url: string;
  /** MEILI_MASTER_KEY, or an API key allowed to search, write documents and manage indexes. */
  apiKey?: string;
  /** Per HTTP request (default 10 s). */
  requestTimeoutMs?: number;
  documents: SearchDocumentRepository;
}

/** The engine for the configuration; call ensureIndex() once at startup before serving searches. */
export function createMeiliSearchEngine(config: MeiliEngineConfig): MeiliSearchEngine {
  const { url, apiKey, requestTimeoutMs, indexUid, ...rest } = config;
  return new MeiliSearchEngine(createMeiliClient(url, apiKey, requestTimeoutMs), {
    healthClient: createMeiliClient(url, apiKey, Math.min(MEILI_HEALTH_TIMEOUT_MS, requestTimeoutMs ?? MEILI_HEALTH_TIMEOUT_MS)),
    ...rest,
    indexUid: indexUid ?? DEFAULT_MEILI_INDEX_UID,
  });
}
