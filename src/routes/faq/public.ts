import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { FAQ_MAX_DEPTH } from '../../domain/faq-types.js';
import { BadInputError, formFields, queryString, wantsJson } from '../../http/form.js';
import { faqCategoryView, faqEntryJsonLd, faqEntryView, faqHomeView } from '../../presenters/faq.js';
import { faqEntryUrl } from '../../services/faq/faq-service.js';
import { ensureBrowserId } from '../../http/browser-id.js';
import { readBrowserId } from '../../http/browser-id.js';

type CommunityParams = { Params: { community: string } };
type EntryParams = { Params: { community: string; id: string; slug?: string } };
type CategoryParams = { Params: { community: string; '*': string } };

const SLUG_SEGMENT_MAX = 120;

/** Entry ids are positive integers in the embedded backend; anything else is a 404 straight away. */
function entryId(raw: string): string {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError('faq.notFound');
  return raw;
}

/** The category slug path after /faq/: one to four non-empty, reasonably short segments. */
function slugPath(raw: string): string[] {
  const segments = raw.split('/');
  if (segments.length === 0 || segments.length > FAQ_MAX_DEPTH) throw new NotFoundError('faq.notFound');
  for (const s of segments) {
    if (s === '' || s.length > SLUG_SEGMENT_MAX || /[\u0000-\u001f\u007f]/.test(s)) throw new NotFoundError('faq.notFound');
  }
  return segments;
}

function queryPart(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? '' : url.slice(i);
}

const faqPublicRoutes: FastifyPluginAsync<{ baseUrl: string; secureCookies: boolean }> = async (app, opts) => {
  const { faq } = app.services;
  const helpfulLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

  app.get<CommunityParams>('/c/:community/faq', { config: { pageCache: {} } }, async (request, reply) => {
    const data = await faq.home(request.params.community, request.user);
    const view = faqHomeView(data);
    const name = data.community.name;
    return reply.page('faq/home', view, {
      title: request.t('faq.titleOf', { community: name }),
      canonicalUrl: view.community.faqUrl,
      description: request.t('faq.homeDescription', { community: name }),
      searchCommunity: data.community.slug,
    });
  });

  // Registered before the category wildcard for readability; the router prefers the static
  // "e" segment anyway, and the service refuses "e" as a category slug.
  app.get<EntryParams>('/c/:community/faq/e/:id/:slug?', { config: { pageCache: {} } }, async (request, reply) => {
    const data = await faq.entryPage(request.params.community, entryId(request.params.id), request.user);
    const canonical = faqEntryUrl(data.community.slug, data.entry);
    const requested = `/c/${request.params.community}/faq/e/${request.params.id}/${encodeURIComponent(request.params.slug ?? '')}`;
    if (requested !== canonical) return reply.redirect(canonical + queryPart(request.url), 301);
    // Counted for pages served from the anonymous page cache too.
    reply.onEveryServe(() => faq.countView(data.entry.id));
    // Per serve, with the browser asking: a cached page is a self-service visit too (issue 12).
    reply.onEveryServe((req) => app.services.support.selfService.record(queryString(req.query, 'from') === 'similar' ? 'similar_click' : 'faq_view', readBrowserId(req), data.community.id, req.log));
    const view = faqEntryView(data, request.locale, { voted: queryString(request.query, 'voted') === '1' });
    const e = data.entry;
    // A staff answer behind the entry carries the Staff badge here too (issue 12).
    const sourceAuthor = e.sourceAnswerId ? await app.services.questions.requirePost(e.sourceAnswerId).then((p) => p.authorId, () => null) : null;
    const sourceStaff = sourceAuthor ? ((await app.services.support.staff.badges(data.community)).get(sourceAuthor) ?? null) : null;
    return reply.page(
      'faq/entry',
      {
        ...view,
        sourceStaff,
        jsonLd: faqEntryJsonLd(data, opts.baseUrl, request.t('faq.link')),
        og: { title: e.title, description: e.bodyText.slice(0, 200), url: opts.baseUrl + canonical },
        pageScripts: ['/static/js/faq.js'],
      },
      { title: e.title, canonicalUrl: canonical, description: e.bodyText.slice(0, 160), searchCommunity: data.community.slug },
    );
  });

  app.get<CategoryParams>('/c/:community/faq/*', { config: { pageCache: {} } }, async (request, reply) => {
    const data = await faq.categoryPage(request.params.community, slugPath(request.params['*']), request.user);
    const view = faqCategoryView(data);
    return reply.page('faq/category', view, {
      title: `${data.category.name} · ${request.t('faq.titleOf', { community: data.community.name })}`,
      canonicalUrl: view.category.url,
      description: request.t('faq.homeDescription', { community: data.community.name }),
      searchCommunity: data.community.slug,
    });
  });

  /** Who is voting: the account when logged in, otherwise this browser (set up on its first vote). */
  function voterKey(request: FastifyRequest, reply: FastifyReply): string {
    if (request.user) return `u:${request.user.id}`;
    return `b:${ensureBrowserId(request, reply, opts.secureCookies)}`;
  }

  app.post<{ Params: { community: string; id: string } }>('/c/:community/faq/e/:id/helpful', { config: helpfulLimit }, async (request, reply) => {
    const id = entryId(request.params.id);
    const form = formFields(request.body, ['value'] as const);
    if (form.value !== 'yes' && form.value !== 'no') throw new BadInputError();
    const result = await faq.helpful(request.params.community, id, voterKey(request, reply), form.value === 'yes');
    if (wantsJson(request.headers.accept)) return reply.send({ yes: result.yes, no: result.no, value: form.value });
    return reply.redirect(`${faqEntryUrl(result.community.slug, result.entry)}?voted=1#helpful`, 303);
  });
};

export default faqPublicRoutes;
