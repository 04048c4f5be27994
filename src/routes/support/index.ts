import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, pageNumber, queryString } from '../../http/form.js';
import { NotFoundError } from '../../domain/errors.js';
import { questionUrl } from '../../services/qa/question-service.js';
import { dueView } from '../../presenters/support.js';
import { tagUrl } from '../../presenters/questions.js';
import { QUEUE_FILTERS } from '../../domain/support-types.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { SETTINGS_FIELDS, settingsToForm, type SettingsForm } from '../../services/support/settings.js';

type CommunityParams = { Params: { community: string } };

const DAY_KEYS = ['support.day.0', 'support.day.1', 'support.day.2', 'support.day.3', 'support.day.4', 'support.day.5', 'support.day.6'];

/** Customer service (issue 12): the promise settings of a business community. */
const supportRoutes: FastifyPluginAsync = async (app) => {
  const support = app.services.support.service;
  const queue = app.services.support.queue;

  /** Question ids are positive integers; anything else is not found. */
  function questionId(raw: string): string {
    if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError('support.ticketNotFound');
    return raw;
  }

  app.get<CommunityParams>('/c/:community/support', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const tag = queryString(request.query, 'tag');
    const page = await queue.queue(request.user, request.params.community, { filter: queryString(request.query, 'filter'), ...(tag ? { tag } : {}), page: pageNumber(queryString(request.query, 'page')) });
    const c = page.community;
    const settings = await support.settingsFor(c.id);
    const base = `/c/${c.slug}/support`;
    const link = (filter: string, p = 1) => `${base}?filter=${filter}${page.tag ? `&tag=${encodeURIComponent(page.tag)}` : ''}${p > 1 ? `&page=${p}` : ''}`;
    return reply.page(
      'support/queue',
      {
        community: { slug: c.slug, name: c.name, url: `/c/${c.slug}` },
        needsReply: page.needsReply,
        filter: page.filter,
        tag: page.tag,
        filters: QUEUE_FILTERS.map((f) => ({ filter: f, url: link(f), current: f === page.filter })),
        rows: page.rows.map(({ ticket, question, assignee }) => ({
          id: question.id,
          title: question.title,
          url: questionUrl(c.slug, question),
          tags: question.tags.map((t) => ({ name: t, url: `${base}?filter=${page.filter}&tag=${encodeURIComponent(t)}`, tagPage: tagUrl(c.slug, t) })),
          urgent: ticket.urgent,
          urgentReason: ticket.urgentReason,
          status: ticket.status,
          assignee: assignee?.username ?? null,
          mine: ticket.assigneeId === request.user!.id,
          due: dueView(ticket, settings, page.now, request.locale),
          escalated: ticket.breachedAt !== null ? 'breach' : ticket.warnedAt !== null ? 'warning' : null,
        })),
        prevUrl: page.page > 1 ? link(page.filter, page.page - 1) : null,
        nextUrl: page.hasMore ? link(page.filter, page.page + 1) : null,
        clearTagUrl: page.tag ? `${base}?filter=${page.filter}` : null,
        settingsUrl: `${base}/settings`,
        dashboardUrl: `${base}/dashboard`,
        backUrl: request.url,
      },
      { title: request.t('support.queue.title', { name: c.name }) },
    );
  });

  /** Back to where the action was taken: the queue or the question (only local paths). */
  function back(request: FastifyRequest, fallback: string): string {
    const raw = formFields(request.body, ['back'] as const).back;
    return raw.startsWith('/c/') && !raw.startsWith('//') ? raw : fallback;
  }

  app.post<{ Params: { id: string } }>('/q/:id/support/assign', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['assignee', 'back'] as const);
    const result = await queue.assign(user, questionId(request.params.id), form.assignee);
    return reply.redirect(back(request, questionUrl(result.community.slug, result.question)), 303);
  });

  app.post<{ Params: { id: string } }>('/q/:id/support/status', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['status', 'back'] as const);
    const result = await queue.setStatus(user, questionId(request.params.id), form.status);
    return reply.redirect(back(request, questionUrl(result.community.slug, result.question)), 303);
  });

  app.post<{ Params: { id: string } }>('/q/:id/support/rating', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['score', 'comment'] as const);
    const result = await app.services.support.ratings.rate(user, questionId(request.params.id), form);
    return reply.redirect(`${questionUrl(result.community.slug, result.question)}#support-promise-heading`, 303);
  });

  app.post<{ Params: { id: string } }>('/q/:id/support/reopen', async (request, reply) => {
    const user = requireUser(request);
    formFields(request.body, [] as const);
    const result = await app.services.support.ratings.stillNotSolved(user, questionId(request.params.id));
    return reply.redirect(`${questionUrl(result.community.slug, result.question)}#support-promise-heading`, 303);
  });

  app.post<{ Params: { id: string } }>('/q/:id/support/downgrade', async (request, reply) => {
    const user = requireUser(request);
    formFields(request.body, ['back'] as const);
    const result = await queue.downgrade(user, questionId(request.params.id));
    return reply.redirect(back(request, questionUrl(result.community.slug, result.question)), 303);
  });

  async function renderSettings(request: FastifyRequest, reply: FastifyReply, slug: string, state: { values?: SettingsForm; errors?: Record<string, string>; saved?: boolean }, status = 200) {
    const user = requireUser(request);
    const { community, settings } = await support.editableSettings(user, slug);
    return reply.page(
      'support/settings',
      {
        community: { slug: community.slug, name: community.name, url: `/c/${community.slug}` },
        values: state.values ?? settingsToForm(settings),
        errors: state.errors ?? {},
        saved: state.saved ?? false,
        days: [1, 2, 3, 4, 5, 6, 0].map((d) => ({ name: `day${d}`, labelKey: DAY_KEYS[d]! })),
      },
      { title: request.t('support.settings.title', { name: community.name }), status },
    );
  }

  app.get<CommunityParams>('/c/:community/support/settings', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderSettings(request, reply, request.params.community, { saved: request.url.endsWith('?saved=1') });
  });

  app.post<CommunityParams>('/c/:community/support/settings', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, SETTINGS_FIELDS) as SettingsForm;
    const result = await tryForm(request.t, () => support.saveSettings(user, request.params.community, form));
    if (!result.ok) return renderSettings(request, reply, request.params.community, { values: form, errors: result.errors }, 400);
    return reply.redirect(`/c/${result.value.community.slug}/support/settings?saved=1`, 303);
  });
};

export default supportRoutes;
