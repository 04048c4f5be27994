import type { ContentGeneration } from './content-generation.js';

interface Entry<V> {
  generation: number;
  expiresAt: number;
  value: V;
}

export interface GenerationCacheOptions {
  /** How long an entry may be served while nothing is written (0 turns the cache off). */
  ttlMs: number;
  /** Entries kept; the oldest goes first. */
  maxEntries: number;
}

/**
 * A small in-process cache of values that are the same for every reader, valid while the
 * content generation has not moved (every successful write and every background job run
 * moves it, src/services/content-generation.ts) and for a short time at most: the TTL
 * bounds how stale text that ages by itself ("3 minutes ago", view counts flushed in the
 * background) may get, and how long another instance's writes take to show here.
 *
 * A value read while a write happened is never kept: it is stored under the generation read
 * before it was loaded, which is no longer current. Concurrent misses of one key share one
 * load (stampede-safe).
 */
export class GenerationCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, { generation: number; promise: Promise<V> }>();
  /** The generation of the values in `entries` (all share it: see dropDead). */
  private keptGeneration = -1;

  constructor(
    private readonly generation: ContentGeneration,
    private readonly options: GenerationCacheOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.generation.value || entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps a value loaded while the generation was `generation` (only if it still is). */
  set(key: string, value: V, generation: number): void {
    if (!this.enabled || generation !== this.generation.value) return;
    this.dropDead(generation);
    this.entries.delete(key);
    this.entries.set(key, { generation, expiresAt: this.now() + this.options.ttlMs, value });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The kept value, or `load()`'s (kept for the next reader). Failures are not kept. */
  async load(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.enabled) return load();
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation.value;
    const flight = this.loading.get(key);
    if (flight && flight.generation === generation) return flight.promise;
    const promise = load();
    this.loading.set(key, { generation, promise });
    try {
      const value = await promise;
      this.set(key, value, generation);
      return value;
    } finally {
      if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
    }
  }

  /**
   * Values that can never be served again leave before a new one is kept, so what the cache
   * holds is what was loaded within one TTL and generation, not maxEntries of pages a crawler
   * (or a burst of threads) left behind until that many newer ones push them out. Only
   * values of the current generation are ever kept, so a new generation makes every older
   * entry dead at once; and entries are in the order they were kept, all with the same TTL,
   * so the expired ones are at the front.
   */
  private dropDead(generation: number): void {
    if (generation !== this.keptGeneration) {
      this.entries.clear();
      this.keptGeneration = generation;
      return;
    }
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }

  /** Forgets every kept value (values being loaded now are not kept either). */
  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  /** The generation to pass to set() for a value about to be computed. */
  get currentGeneration(): number {
    return this.generation.value;
  }

  get size(): number {
    return this.entries.size;
  }
}
