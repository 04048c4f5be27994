import path from 'node:path';
import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config.js';
import type { Locale, User } from '../domain/types.js';
import type { Translate } from '../i18n/index.js';
import { translateHtml } from '../i18n/index.js';
import { LOCALES } from '../domain/types.js';
import { moderationHeader, type ModerationHeaderView } from '../presenters/moderation-header.js';
import { assemble, cutAt, partChunks, spliceBytes, spliceMarker, spliceText, type Splice } from '../http/html-splice.js';
import { KeptLayouts } from './kept-layouts.js';
import { projectRoot } from '../paths.js';
import { escapeHtmlText } from '../http/html-escape.js';

/** What every template gets besides its own view model. */
export interface PageContext {
  t: Translate;
  /** A message as HTML with markup params (see translateHtml), for sentences holding an element. */
  tHtml: (key: string, params: Record<string, string | number>, html: Record<string, string>) => string;
  locale: Locale;
  locales: readonly Locale[];
  htmlLang: string;
  user: { id: string; username: string; isAdmin: boolean; reputation: number } | null;
  csrfToken: string;
  path: string;
  title: string;
  baseUrl: string;
  /** Optional head extras, set by the page's view model. */
  canonicalUrl?: string;
  description?: string;
  searchQuery?: string;
  searchCommunity?: string;
  flash?: string;
  year: number;
  /** For the bell in the header (0 for visitors). */
  unreadNotifications: number;
  /** The header's moderation entry and suspension notice (issue 13). */
  moderation: ModerationHeaderView | null;
  /** Set only while a kept layout is rendered: the header goes here as its own kept part. */
  headerSlot?: string;
}

export interface PageOptions {
  title: string;
  status?: number;
  canonicalUrl?: string;
  description?: string;
  searchCommunity?: string;
  searchQuery?: string;
  /** Parts of the page given as bytes, put where the view model holds their markers (http/html-splice.ts). */
  splices?: readonly Splice[];
  /**
   * Keep the rendered layout and header for the next response rendered from the same inputs
   * (a logged-in member's question page, issue 15). Only for pages whose template shows
   * nothing of the reader outside the header (`partials/header`) but through the splices:
   * the layout is kept by the view model and page context without the reader's own parts,
   * the header by those parts.
   */
  reuseLayout?: boolean;
}

/** Layouts kept: one per page URL, language and page options (about 3 KB each). */
const LAYOUTS_KEPT = 2000;
/** Headers kept: one per member, language and community (about 2 KB each). */
const HEADERS_KEPT = 2000;
const HEADER_MARKER = spliceMarker('header');

/*
 * What of the page context a kept layout is kept by (a flat list of values: spreading and
 * serialising the whole context cost more than the rest of the response's copying). Every
 * field of PageContext is either here or named below as not shown outside the header (or
 * not a value), and the type check fails when a new field is in neither list.
 */
const LAYOUT_KEYS = ['locale', 'htmlLang', 'path', 'title', 'baseUrl', 'canonicalUrl', 'description', 'searchQuery', 'searchCommunity', 'flash', 'year'] as const;
type NotLayoutKey = 't' | 'tHtml' | 'locales' | 'user' | 'csrfToken' | 'unreadNotifications' | 'moderation' | 'headerSlot';
type Unclassified = Exclude<keyof PageContext, (typeof LAYOUT_KEYS)[number] | NotLayoutKey>;
const everyContextFieldClassified: [Unclassified] extends [never] ? true : Unclassified = true;
void everyContextFieldClassified;

declare module 'fastify' {
  interface FastifyReply {
    page(template: string, viewModel: Record<string, unknown>, options: PageOptions): Promise<FastifyReply>;
    /**
     * A part of a page rendered so that it can be shared between readers: the HTML around
     * each CSRF token, to be joined with the token of whoever it is sent to (`parts.join(token)`).
     * Its templates may use ctx.t, ctx.tHtml, ctx.locale, ctx.user and ctx.csrfToken only.
     */
    fragment(template: string, viewModel: Record<string, unknown>): Promise<string[]>;
  }
}

export function publicUser(user: User | null): PageContext['user'] {
  return user ? { id: user.id, username: user.username, isAdmin: user.isAdmin, reputation: user.reputation } : null;
}

export default fp(
  async (app, opts: { config: AppConfig; viewsDir: string }) => {
    // Compiled templates are cached except in development (where edits show on reload). The
    // view plugin reconfigures Eta on every render from its own `production` flag, which
    // otherwise follows process.env.NODE_ENV rather than the forum's configuration.
    const cache = opts.config.env !== 'development';
    // rmWhitespace: the templates' own indentation and blank lines are removed when they are
    // compiled (each line's leading and trailing spaces, runs of newlines), a tenth of a long
    // page's bytes that every reader downloaded (issue 15: the hot thread was bound by bytes).
    // Only the template text changes, never what is put into it (a post's code block keeps its
    // indentation); a newline stays wherever there was one, so the page renders the same. It
    // would also strip literal text inside <pre> or <textarea>: test/unit/template-whitespace
    // keeps the templates free of such text.
    const eta = new Eta({ views: opts.viewsDir, cache, autoEscape: true, autoTrim: false, rmWhitespace: true, escapeFunction: escapeHtmlText });
    memoizeTemplatePaths(eta);
    await app.register(view, { engine: { eta }, root: opts.viewsDir, viewExt: 'eta', production: cache });
    // Not in development, where templates are read again on every render.
    const kept = cache ? { layouts: new KeptLayouts(LAYOUTS_KEPT), headers: new KeptLayouts(HEADERS_KEPT) } : null;

    // Not a secret: it only marks where each reader's own token goes in a shared fragment.
    const fragmentToken = `csrf-${randomBytes(12).toString('hex')}`;
    app.decorateReply('fragment', async function (this: FastifyReply, template: string, viewModel: Record<string, unknown>) {
      const request: FastifyRequest = this.request;
      const ctx: Pick<PageContext, 't' | 'tHtml' | 'locale' | 'user' | 'csrfToken'> = {
        t: request.t,
        tHtml: (key, params, html) => translateHtml(request.locale, key, params, html),
        locale: request.locale,
        user: publicUser(request.user),
        csrfToken: fragmentToken,
      };
      const html: string = await this.viewAsync(template, { ...viewModel, ctx });
      return html.split(fragmentToken);
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, viewModel: Record<string, unknown>, options: PageOptions) {
      const request: FastifyRequest = this.request;
      // Rendered for the anonymous page cache: the token is a placeholder, filled in per response.
      const forCache = request.pageCacheRender !== undefined;
      const reuse = options.reuseLayout === true && kept !== null && !forCache;
      const ctx: PageContext = {
        t: request.t,
        tHtml: (key, params, html) => translateHtml(request.locale, key, params, html),
        locale: request.locale,
        locales: LOCALES,
        htmlLang: request.locale === 'zh-CN' ? 'zh-CN' : 'en',
        user: publicUser(request.user),
        csrfToken: forCache ? app.pageCache.placeholder : reuse ? fragmentToken : this.csrfToken(),
        path: request.url,
        title: options.title,
        baseUrl: opts.config.baseUrl,
        canonicalUrl: options.canonicalUrl,
        description: options.description,
        searchCommunity: options.searchCommunity,
        searchQuery: options.searchQuery,
        year: new Date().getFullYear(),
        // The bell must never break a page (error pages included): no count rather than no page.
        unreadNotifications: request.user ? await this.server.services.notifications.unreadCount(request.user).catch(() => 0) : 0,
        moderation: await moderationHeader(app.services.moderationNav, request),
      };
      if (reuse) return sendKept(this, template, viewModel, options, ctx, kept);
      const rendered: string = await this.viewAsync(`pages/${template}`, { ...viewModel, ctx });
      const splices = options.splices;
      // A page showing a one-time message is never kept for other visitors.
      if (forCache) return app.pageCache.finish(this, splices ? spliceText(rendered, splices, ctx.csrfToken) : rendered, options.status ?? 200, !ctx.flash);
      return this.code(options.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(splices ? spliceBytes(rendered, splices, ctx.csrfToken) : rendered);
    });

    /**
     * A page from its kept layout and header, rendered on the first response with these
     * inputs: the response's token, the header and the splices' bytes are put into the kept
     * bytes, so it is the same page byte for byte as one rendered for this response alone.
     * The header is kept by everything of the reader it shows (who, the bell's count, the
     * moderation menu, the suspension notice; the page's address only for a visitor's login
     * link); the layout by everything else (a member's name or count never enters its key).
     */
    async function sendKept(reply: FastifyReply, template: string, viewModel: Record<string, unknown>, options: PageOptions, ctx: PageContext, store: { layouts: KeptLayouts; headers: KeptLayouts }): Promise<FastifyReply> {
      const token = Buffer.from(reply.csrfToken(), 'utf8');
      const splices = options.splices ?? [];
      const status = options.status ?? 200;
      const headerKey = JSON.stringify([ctx.locale, ctx.user, ctx.unreadNotifications, ctx.moderation, ctx.searchCommunity ?? null, ctx.searchQuery ?? null, ctx.user ? null : ctx.path]);
      let header = store.headers.get(headerKey);
      if (header === undefined) {
        header = cutAt(await reply.viewAsync('partials/header', { ctx }), [fragmentToken]);
        store.headers.set(headerKey, header);
      }
      const markers = [fragmentToken, HEADER_MARKER, ...splices.map((s) => s.marker)];
      const layoutKey = JSON.stringify([template, status, markers.slice(2), viewModel, ctx.user !== null, LAYOUT_KEYS.map((k) => ctx[k])]);
      let layout = store.layouts.get(layoutKey);
      if (layout === undefined) {
        layout = cutAt(await reply.viewAsync(`pages/${template}`, { ...viewModel, ctx: { ...ctx, headerSlot: HEADER_MARKER } }), markers);
        for (let i = 1; i < markers.length; i++) {
          if (!layout.includes(i)) throw new Error(`page has no place for a spliced part (${markers[i]})`);
        }
        store.layouts.set(layoutKey, layout);
      }
      const fills = [[token], assemble(header, [[token]]), ...splices.map((s) => partChunks(s.parts, token))];
      return reply.code(status).type('text/html; charset=utf-8').send(Buffer.concat(assemble(layout, fills)));
    }
  },
  { name: 'views', dependencies: ['security', 'request-context', 'page-cache'] },
);

/**
 * Eta resolves every include's path on each render, building a JSON cache key each time (and
 * not caching the page's own path at all). A path depends only on the including file and the
 * name, both from a fixed set of templates, so each pair is resolved once. Failures (a name
 * outside the views folder) are not remembered and throw again.
 */
function memoizeTemplatePaths(eta: Eta): void {
  const resolve = eta.resolvePath;
  if (!resolve) return;
  const resolved = new Map<string, string>();
  eta.resolvePath = function (template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`;
    let found = resolved.get(key);
    if (found === undefined) {
      found = resolve.call(this, template, options);
      resolved.set(key, found);
    }
    return found;
  };
}

export const defaultViewsDir = path.join(projectRoot, 'views');
