import type { FastifyPluginAsync } from 'fastify';
import { queryString, safeRedirectPath, wantsJson } from '../../http/form.js';
import { redirectToLogin } from '../../http/guards.js';
import { ensureBrowserId } from '../../http/browser-id.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { SearchParams } from '../../services/search/search-service.js';
import { parseSearchDocId } from '../../search/port.js';
import { REPORT_PERIODS, reportView, searchPageView, similarView } from './view.js';
import { readBrowserId } from '../../http/browser-id.js';

const PARAMS = ['q', 'community', 'kind', 'tag', 'answered', 'accepted', 'sort', 'page', 'sid', 'explain'] as const;

/**
 * Site search. Every parameter is read leniently (a repeated, nested or unknown value is
 * left out), so any query string gives a results or no-results page, never an error.
 */
const searchRoutes: FastifyPluginAsync<{ secureCookies: boolean }> = async (app, opts) => {
  const { search, communities } = app.services;

  app.get('/search', async (request, reply) => {
    const params: SearchParams = {};
    for (const name of PARAMS) params[name] = queryString(request.query, name);
    // The browser id links a search that found nothing to the next one whose result was
    // clicked (suggested synonyms in the FAQ gaps report); it is stored only as a salted hash.
    const browserId = params.q?.trim() ? ensureBrowserId(request, reply, opts.secureCookies) : null;
    const outcome = await search.search(params, { user: request.user, ip: request.ip, browserId });
    const staffOf = await app.services.support.staff.badgesForAnswerHits(outcome.hits, outcome.communities);
    const view = searchPageView(outcome, request.t, request.locale, staffOf);
    const q = outcome.params.q;
    if (q) app.services.support.selfService.record('search', readBrowserId(request), outcome.params.community?.id ?? null, request.log);
    // Result pages are for people: crawlers follow the links but do not index the page.
    reply.header('x-robots-tag', 'noindex, follow');
    return reply.page('search/index', view, {
      title: q ? request.t('search.title.query', { q }) : request.t('search.title'),
      searchQuery: q,
      searchCommunity: outcome.params.community?.slug,
    });
  });

  /** Likely duplicates while a question is typed (JSON for similar.js; an HTML fragment otherwise). */
  app.get('/search/similar', { config: { rateLimit: { max: 300, timeWindow: '1 minute' } } }, async (request, reply) => {
    const q = queryString(request.query, 'q') ?? '';
    const slug = queryString(request.query, 'community') ?? '';
    let items: ReturnType<typeof similarView> = [];
    const community = slug ? await communities.getBySlug(slug).catch(() => null) : null;
    if (community && q.trim() !== '') {
      const found = await search.similarQuestions(community.id, q, 5);
      items = similarView(found, await app.services.support.staff.questionsAnsweredByStaff(community, found.flatMap((s) => (s.kind === 'question' && s.questionId ? [s.questionId] : []))));
    }
    // The box is rendered here, in the reader's language, so the script only has to insert it.
    const html = await reply.viewAsync('partials/similar-questions', { similar: items, ctx: { t: request.t } });
    if (wantsJson(request.headers.accept)) {
      return reply.type('application/json; charset=utf-8').send({ questions: items.filter((i) => i.kind === 'question'), faq: items.filter((i) => i.kind === 'faq'), html });
    }
    return reply.type('text/html; charset=utf-8').send(html);
  });

  /** Result links pass through here so the click is logged; only paths on this site are followed. */
  app.get('/search/click', async (request, reply) => {
    const to = safeRedirectPath(queryString(request.query, 'to'), '/search');
    const doc = queryString(request.query, 'd');
    const logged = await search.recordClick(queryString(request.query, 'sid'), doc, queryString(request.query, 'pos'));
    // Search hits are evidence of how often an FAQ entry is asked for (its place in the FAQ);
    // only a click from a search that really happened counts, so a crafted link cannot push
    // an entry up the FAQ.
    const faqEntry = logged && doc ? parseSearchDocId(doc) : null;
    if (faqEntry?.kind === 'faq') await app.services.faq.recordSearchClick(faqEntry.id).catch(() => undefined);
    reply.header('cache-control', 'no-store');
    return reply.redirect(to, 303);
  });

  app.get<{ Params: { community: string } }>('/mod/c/:community/search-report', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const ctx = await communities.context(request.params.community, request.user);
    if (!ctx.canModerate) throw new ForbiddenError();
    const raw = Number(queryString(request.query, 'days'));
    const days = (REPORT_PERIODS as readonly number[]).includes(raw) ? raw : 30;
    const report = await search.report(ctx.community.id, days);
    const c = ctx.community;
    return reply.page(
      'search/report',
      { community: { name: c.name, slug: c.slug, url: `/c/${c.slug}` }, report: reportView(report, c.slug, days, request.t) },
      { title: request.t('search.report.title', { name: c.name }), searchCommunity: c.slug },
    );
  });
};

export default searchRoutes;
