import { createHash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PageCacheConfig } from '../config.js';
import { PageStore, pageBody, type CachedPage, type RenderTicket } from '../http/page-cache.js';
import { readBrowserId } from '../http/browser-id.js';
import type { Csrf } from '../http/csrf.js';
import { acceptsGzip, gzipBody } from '../http/gzip-splice.js';
import { BodyPool } from '../http/body-pool.js';

/*
 * The anonymous page cache (issue 15). Most readers of a help forum are logged out and arrive
 * from search engines; their pages are the same for everyone with the same URL and language,
 * except for the CSRF token. So a logged-out GET of a page whose route opts in is rendered
 * once, with a placeholder where the token goes, and served from memory for a few seconds:
 * each response gets this browser's own token filled in and its own cookies (never replayed).
 *
 * A page is served only while the content generation (services/content-generation.ts) it was
 * rendered at is current: every successful write request and every background job moves it,
 * so a change shows at once on this instance; the TTL bounds what other instances show.
 * Logged-in readers, query parameters that are not part of the page (a flash such as
 * ?voted=1) and anything but 200 pages are never cached. See docs/decisions.md.
 */

/** What a route declares to have its logged-out GET pages cached. */
export interface PageCacheRoute {
  /** The query parameters that are part of the page (?page=2, ?sort=new); any other one bypasses the cache. */
  query?: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    pageCache?: PageCacheRoute;
    /** A write that changes no page anyone is served from the cache (the language switch, signing in and out): cached pages stay. */
    keepsPages?: boolean;
  }
  interface FastifyRequest {
    /** Set when this request renders a page for the cache (reply.page fills it). */
    pageCacheRender?: RenderTicket;
    /** The pooled buffer this response's body was written into, given back once it has been sent. */
    pageCacheBody: Buffer | null;
  }
  interface FastifyReply {
    /** Work to do every time this page is served, from the cache too (counting a view). Runs now. */
    onEveryServe(effect: (request: FastifyRequest) => void): void;
  }
  interface FastifyInstance {
    pageCache: PageCacheRuntime;
  }
}

export interface PageCacheRuntime {
  readonly enabled: boolean;
  readonly store: PageStore;
  /** Reused response buffers of cached pages. */
  readonly bodies: BodyPool;
  /** Stands for the CSRF token in HTML rendered for the cache; random per process, so no post can contain it. */
  readonly placeholder: string;
  /** Sends a page rendered by reply.page for a cache ticket: keeps it when it may be kept. */
  finish(reply: FastifyReply, html: string, status: number, cacheable: boolean): FastifyReply;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The cache key of a request, or null when it must not use the cache. */
function cacheKey(request: FastifyRequest): string | null {
  if (request.method !== 'GET' || request.user) return null;
  const route = request.routeOptions.config.pageCache;
  if (!route) return null;
  const q = request.url.indexOf('?');
  if (q >= 0) {
    const allowed = route.query ?? [];
    for (const name of new URLSearchParams(request.url.slice(q + 1)).keys()) if (!allowed.includes(name)) return null;
  }
  return `${request.locale} ${request.url}`;
}

/**
 * The ETag of a cached page for this browser: the page's content and what its CSRF token is
 * made from (the browser id, and the `_csrf` cookie's secret of a browser that still has one:
 * http/csrf.ts). A browser revalidating a copy whose token no longer fits its cookies gets
 * the page again, never a 304 that keeps a dead token. Null when the browser has no id yet:
 * its response creates one.
 */
function etagFor(request: FastifyRequest, page: CachedPage, csrf: Csrf): string | null {
  const browser = readBrowserId(request);
  if (!browser || request.newBrowserId) return null;
  const binding = createHash('sha1').update(`${browser}\n${csrf.cookieSecret(request) ?? ''}`).digest('base64url').slice(0, 16);
  // Weak: each response carries a different token, so the bytes differ while the page is the same.
  return `W/"${page.hash}.${binding}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || `W/${t}` === etag;
  });
}

export default fp(
  async (app, opts: { config: PageCacheConfig }) => {
    const store = new PageStore({ ttlMs: opts.config.ttlMs, maxBytes: opts.config.maxBytes, spread: 0.25 });
    const generation = app.services.contentGeneration;
    const placeholder = `csrf${randomBytes(12).toString('hex')}`;
    // Response bodies of cached pages (http/body-pool.ts): 50 connections' worth of 64 KB bodies.
    const bodies = new BodyPool({ maxFreeBytes: 4 * 1024 * 1024, maxSize: 256 * 1024 });
    app.decorateRequest('pageCacheBody', null);

    /** Sends a page from the cache (or a render meant for it) with this browser's token and headers. */
    function serve(request: FastifyRequest, reply: FastifyReply, key: string, page: CachedPage, source: 'hit' | 'shared' | 'miss'): FastifyReply {
      if (source !== 'miss') for (const effect of page.effects) effect(request);
      // Private: the HTML holds this browser's CSRF token, so no shared cache may keep it; no-cache:
      // the browser asks every time, and a 304 answers when nothing changed.
      reply.header('cache-control', 'private, no-cache').header('vary', 'Cookie, Accept-Language, Accept-Encoding').header('x-page-cache', source);
      const etag = etagFor(request, page, app.csrf);
      if (etag) {
        reply.header('etag', etag);
        if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
      }
      reply.code(200).type('text/html; charset=utf-8');
      const token = reply.csrfToken();
      // Browsers and crawlers accept gzip: 5-8 times fewer bytes to send, spliced from parts
      // deflated once per page (http/gzip-splice.ts), not compressed per response.
      if (acceptsGzip(request.headers['accept-encoding'])) {
        return reply.header('content-encoding', 'gzip').send(gzipBody(store.gzipped(key, page), Buffer.from(token, 'utf8')));
      }
      let pooled: Buffer | null = null;
      const body = pageBody(page, token, (bytes) => (pooled = bodies.take(bytes)) ?? Buffer.allocUnsafe(bytes));
      request.pageCacheBody = pooled;
      return reply.send(body);
    }

    const runtime: PageCacheRuntime = {
      enabled: opts.config.enabled,
      store,
      bodies,
      placeholder,
      finish(reply, html, status, cacheable) {
        const ticket = reply.request.pageCacheRender!;
        reply.request.pageCacheRender = undefined;
        if (status === 200 && cacheable) {
          const page = store.build(ticket, html, placeholder);
          // Kept only if nothing was written while it rendered: it may show the old content.
          const current = page.generation === generation.value;
          if (current) store.keep(ticket.key, page);
          ticket.settle(current ? page : null);
          return serve(reply.request, reply, ticket.key, page, 'miss');
        }
        ticket.settle(null);
        return reply.code(status).type('text/html; charset=utf-8').send(html.split(placeholder).join(reply.csrfToken()));
      },
    };
    app.decorate('pageCache', runtime);

    app.decorateReply('onEveryServe', function (this: FastifyReply, effect: (request: FastifyRequest) => void) {
      effect(this.request);
      this.request.pageCacheRender?.effects.push(effect);
    });

    if (opts.config.enabled) {
      app.addHook('preHandler', async (request, reply) => {
        const key = cacheKey(request);
        if (!key) return;
        const now = generation.value;
        const page = store.get(key, now);
        if (page) return serve(request, reply, key, page, 'hit');
        const flight = store.inFlight(key, now);
        if (flight) {
          const shared = await flight;
          if (shared && store.fresh(shared, generation.value)) return serve(request, reply, key, shared, 'shared');
          // The render failed, was not a 200 page, or content changed meanwhile: this request renders its own.
          return;
        }
        request.pageCacheRender = store.begin(key, now);
      });
      // Whatever ends the request (an error page, a redirect, an aborted connection), its
      // waiting requests are released: they render for themselves.
      const release = async (request: FastifyRequest) => {
        request.pageCacheRender?.settle(null);
      };
      app.addHook('onResponse', release);
      app.addHook('onRequestAbort', release);
      app.addHook('onError', release);
      // A pooled body goes back once the whole response was handed to the operating system
      // (writableFinished); after an aborted or failed response it is left to the garbage collector.
      app.addHook('onResponse', (request, reply, done) => {
        const body = request.pageCacheBody;
        if (body) {
          request.pageCacheBody = null;
          if (reply.raw.writableFinished) bodies.give(body);
        }
        done();
      });
    }

    // A write that succeeded may change any page: pages rendered before it are not served again.
    // Before the response goes out, so the page the browser loads next already shows it.
    app.addHook('onSend', async (request, reply, payload) => {
      if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400 && !request.routeOptions.config.keepsPages) generation.bump();
      if (request.user && !reply.hasHeader('cache-control') && String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('cache-control', 'private, no-store');
      }
      return payload;
    });
  },
  { name: 'page-cache', dependencies: ['storage', 'security', 'request-context'] },
);
