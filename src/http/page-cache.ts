import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { deflateParts, type GzipParts } from './gzip-splice.js';

/** Work repeated each time a page is served (a view counted for the browser asking). */
export type ServeEffect = (request: FastifyRequest) => void;

/*
 * The store behind the anonymous page cache (plugins/page-cache.ts): rendered pages by key,
 * each valid while the content generation it was rendered at is still current and for at
 * most `ttlMs`; memory bounded by the total size of the kept pages (least recently used
 * first out); and one render in flight per key, which the requests missing at the same time
 * wait for instead of rendering the same page again.
 */

export interface CachedPage {
  /**
   * The HTML split at the CSRF token placeholder, already UTF-8 encoded: joined with each
   * browser's own token (pageBody). Encoding a 20-70 KB page on every response was the
   * largest cost of a cache hit; copying bytes is a fraction of it.
   */
  readonly parts: readonly Buffer[];
  readonly bytes: number;
  /** A digest of the HTML, the content part of the ETag. */
  readonly hash: string;
  readonly generation: number;
  readonly storedAt: number;
  /** When it stops being served: within the TTL of storedAt (spread, see PageCacheOptions). */
  readonly expiresAt: number;
  /** What must happen every time the page is served (view counts), replayed on each hit. */
  readonly effects: readonly ServeEffect[];
}

export interface PageCacheOptions {
  ttlMs: number;
  maxBytes: number;
  /**
   * Each page lives a random share of the TTL between (1 - spread) and 1. Pages rendered
   * together (a crawler's or a benchmark's first pass over 200 threads) would otherwise all
   * expire together and be rendered again in one burst, each render holding up the requests
   * behind it; spread over a quarter of the TTL, the re-renders interleave with hits. The TTL
   * stays the upper bound of what a page may show late. 0 (the default) in tests.
   */
  spread?: number;
  now?: () => number;
  random?: () => number;
}

export interface PageCacheStats {
  hits: number;
  /** Pages rendered for the cache (a miss that became the one render for its key). */
  renders: number;
  /** Requests that waited for another request's render of the same page. */
  shared: number;
  evictions: number;
}

export interface RenderTicket {
  readonly key: string;
  readonly generation: number;
  readonly effects: ServeEffect[];
  /** Ends the render: hands the page (or null: not cacheable) to the waiting requests. Idempotent. */
  settle(page: CachedPage | null): void;
}

/**
 * The bytes of a cached page for one response: its parts joined with this browser's token,
 * written into a buffer from `alloc` (a pooled one: http/body-pool.ts) or a new one.
 */
export function pageBody(page: CachedPage, token: string, alloc: (bytes: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const { parts } = page;
  if (parts.length === 1) return parts[0]!;
  const tokenBytes = Buffer.byteLength(token, 'utf8');
  let total = tokenBytes * (parts.length - 1);
  for (const part of parts) total += part.length;
  const out = alloc(total);
  let at = parts[0]!.copy(out, 0);
  for (let i = 1; i < parts.length; i++) {
    at += out.write(token, at, 'utf8');
    at += parts[i]!.copy(out, at);
  }
  return out.length === total ? out : out.subarray(0, total);
}

export class PageStore {
  private readonly pages = new Map<string, CachedPage>();
  /** The gzip form of a page, made when a browser that accepts gzip first asks for it. */
  private readonly gzips = new WeakMap<CachedPage, GzipParts>();
  private readonly flights = new Map<string, { generation: number; promise: Promise<CachedPage | null> }>();
  private totalBytes = 0;
  private readonly now: () => number;
  readonly stats: PageCacheStats = { hits: 0, renders: 0, shared: 0, evictions: 0 };

  constructor(private readonly options: PageCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.pages.size;
  }

  /** Whether a page rendered at `generation` may still be served now. */
  fresh(page: CachedPage, generation: number): boolean {
    return page.generation === generation && this.now() < page.expiresAt;
  }

  /** The page for the key if it is still valid at this generation (and marks it recently used). */
  get(key: string, generation: number): CachedPage | null {
    const page = this.pages.get(key);
    if (!page) return null;
    if (!this.fresh(page, generation)) {
      this.drop(key, page);
      return null;
    }
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    this.pages.delete(key);
    this.pages.set(key, page);
    this.stats.hits++;
    return page;
  }

  /** The render of this key already under way at this generation, if any. */
  inFlight(key: string, generation: number): Promise<CachedPage | null> | null {
    const flight = this.flights.get(key);
    if (!flight || flight.generation !== generation) return null;
    this.stats.shared++;
    return flight.promise;
  }

  /** Claims the render of a key: later misses wait for it until it is settled. */
  begin(key: string, generation: number): RenderTicket {
    let resolve!: (page: CachedPage | null) => void;
    const promise = new Promise<CachedPage | null>((r) => (resolve = r));
    const flight = { generation, promise };
    this.flights.set(key, flight);
    let settled = false;
    return {
      key,
      generation,
      effects: [],
      settle: (page) => {
        if (settled) return;
        settled = true;
        if (this.flights.get(key) === flight) this.flights.delete(key);
        resolve(page);
      },
    };
  }

  /** A rendered page for the ticket's key; `keep` decides whether later requests get it. */
  build(ticket: RenderTicket, html: string, placeholder: string): CachedPage {
    this.stats.renders++;
    const parts = html.split(placeholder).map((part) => Buffer.from(part, 'utf8'));
    const storedAt = this.now();
    const spread = this.options.spread ?? 0;
    const life = this.options.ttlMs * (1 - spread * (this.options.random ?? Math.random)());
    return {
      parts,
      bytes: parts.reduce((n, part) => n + part.length, 0) + ticket.key.length,
      hash: createHash('sha1').update(html).digest('base64url').slice(0, 22),
      generation: ticket.generation,
      storedAt,
      expiresAt: storedAt + life,
      effects: [...ticket.effects],
    };
  }

  /**
   * The page's parts deflated (http/gzip-splice.ts), made once per page; counted in the
   * memory budget while the page is kept.
   */
  gzipped(key: string, page: CachedPage): GzipParts {
    let g = this.gzips.get(page);
    if (!g) {
      g = deflateParts(page.parts);
      this.gzips.set(page, g);
      if (this.pages.get(key) === page) {
        this.totalBytes += g.bytes;
        this.evictOverBudget();
      }
    }
    return g;
  }

  /**
   * Keeps a page (unless it alone is larger than the whole budget), evicting the least
   * recently used. Pages past their TTL at the front of that order are dropped first: a page
   * not asked for since it expired would otherwise hold memory until the budget is full
   * (a crawler walking every thread fills it with pages nobody asks for again), so what is
   * held stays near what was rendered within one TTL.
   */
  keep(key: string, page: CachedPage): void {
    if (page.bytes > this.options.maxBytes) return;
    const old = this.pages.get(key);
    if (old) this.drop(key, old);
    const now = this.now();
    for (const [oldestKey, oldest] of this.pages) {
      // In order of last use; a page used within the TTL may follow an expired one, so stop at the first live page.
      if (now < oldest.expiresAt) break;
      this.drop(oldestKey, oldest);
    }
    this.pages.set(key, page);
    this.totalBytes += page.bytes + (this.gzips.get(page)?.bytes ?? 0);
    this.evictOverBudget();
  }

  private evictOverBudget(): void {
    for (const [oldestKey, oldest] of this.pages) {
      if (this.totalBytes <= this.options.maxBytes) break;
      this.drop(oldestKey, oldest);
      this.stats.evictions++;
    }
  }

  private drop(key: string, page: CachedPage): void {
    if (this.pages.get(key) !== page) return;
    this.pages.delete(key);
    this.totalBytes -= page.bytes + (this.gzips.get(page)?.bytes ?? 0);
  }
}
