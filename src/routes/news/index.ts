import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Newsletter } from '../../db/digest-port.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Community, User } from '../../domain/types.js';
import { formFields, pageNumber, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { timeView } from '../../presenters/time.js';

/*
 * Community newsletters (issue 11): the public archive of sent ones (/c/:community/news and
 * /c/:community/news/:id) and, for the community's staff and moderators, the editor. Every
 * editor action first saves the draft, then previews it, sends a test to the writer, sends it
 * now or schedules it; each answers with a redirect back to the editor (POST, redirect, GET).
 */
const ACTIONS = ['preview', 'test', 'send', 'schedule'] as const;
type Action = (typeof ACTIONS)[number];
const DONE: Record<Action, string> = { preview: 'saved', test: 'test', send: 'sending', schedule: 'scheduled' };
const SEND_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** A datetime-local value read as UTC (the label says so); NaN when malformed. */
function parseSendAt(raw: string): number {
  const m = SEND_AT.exec(raw.trim());
  if (!m) return NaN;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Date.UTC rolls over "2026-02-31"; refuse instead of sending on another day.
  return new Date(at).toISOString().slice(0, 16) === raw.trim() ? at : NaN;
}

const utc = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const newsRoutes: FastifyPluginAsync<{ postRateLimitPerMinute: number }> = async (app, opts) => {
  const { newsletters } = app.services;
  // Every action may queue mail (a test to oneself at least): limited like posting.
  const postLimit = { rateLimit: { max: opts.postRateLimitPerMinute, timeWindow: '1 minute' } };

  const summary = (n: Newsletter, c: Community, locale: FastifyRequest['locale']) => ({
    id: n.id,
    subject: n.subject,
    url: `/c/${c.slug}/news/${n.id}`,
    status: n.status,
    sentAt: n.sentAt === null ? null : timeView(n.sentAt, locale),
    scheduledAt: n.scheduledAt === null ? null : utc(n.scheduledAt),
    recipientCount: n.recipientCount,
  });

  const communityView = (c: Community) => ({ slug: c.slug, name: c.name, url: `/c/${c.slug}` });

  app.get<{ Params: { community: string } }>('/c/:community/news', async (request, reply) => {
    const community = await newsletters.community(request.params.community);
    const page = pageNumber(queryString(request.query, 'page'));
    const { items, hasNext } = await newsletters.archive(community, page);
    const canWrite = await newsletters.canWrite(request.user, community);
    return reply.page(
      'news/index',
      {
        community: communityView(community),
        items: items.map((n) => summary(n, community, request.locale)),
        drafts: (await newsletters.unsent(request.user, community)).map((n) => summary(n, community, request.locale)),
        canWrite,
        newer: page > 1 ? `/c/${community.slug}/news${page === 2 ? '' : `?page=${page - 1}`}` : null,
        older: hasNext ? `/c/${community.slug}/news?page=${page + 1}` : null,
      },
      { title: request.t('news.title', { community: community.name }), canonicalUrl: `/c/${community.slug}/news` },
    );
  });

  async function editor(request: FastifyRequest, reply: FastifyReply, user: User, community: Community, n: Newsletter | null, form: { subject: string; body: string; sendAt: string }, errors: Record<string, string> = {}, status = 200) {
    const done = queryString(request.query, 'done');
    return reply.page(
      'news/edit',
      {
        community: communityView(community),
        newsletter: n ? { id: n.id, status: n.status, bodyHtml: n.bodyHtml, scheduledAt: n.scheduledAt === null ? null : utc(n.scheduledAt) } : null,
        action: n ? `/c/${community.slug}/news/${n.id}` : `/c/${community.slug}/news`,
        form,
        errors,
        audience: await newsletters.audience(community),
        flash: status === 200 && done && ['saved', 'test', 'sending', 'scheduled'].includes(done) ? request.t(`news.${done === 'test' ? 'testSent' : done}`, { email: user.email, time: n?.scheduledAt ? utc(n.scheduledAt) : '' }) : null,
        minSendAt: new Date(Date.now() + 60_000).toISOString().slice(0, 16),
      },
      { title: request.t('news.edit.title', { community: community.name }), status },
    );
  }

  /** Writers only: a visitor is sent to log in, a member gets 403. */
  async function writer(request: FastifyRequest, reply: FastifyReply, slug: string): Promise<{ user: User; community: Community } | null> {
    const community = await newsletters.community(slug);
    if (!request.user) {
      redirectToLogin(request, reply);
      return null;
    }
    if (!(await newsletters.canWrite(request.user, community))) throw new ForbiddenError();
    return { user: request.user, community };
  }

  app.get<{ Params: { community: string } }>('/c/:community/news/new', async (request, reply) => {
    const w = await writer(request, reply, request.params.community);
    if (!w) return reply;
    return editor(request, reply, w.user, w.community, null, { subject: '', body: '', sendAt: '' });
  });

  app.get<{ Params: { community: string; id: string } }>('/c/:community/news/:id', async (request, reply) => {
    const community = await newsletters.community(request.params.community);
    const n = await newsletters.get(request.user, community, request.params.id);
    if (n.status !== 'sent') return editor(request, reply, request.user!, community, n, { subject: n.subject, body: n.bodyMd, sendAt: '' });
    return reply.page(
      'news/show',
      { community: communityView(community), newsletter: { ...summary(n, community, request.locale), bodyHtml: n.bodyHtml } },
      { title: `${n.subject} · ${community.name}`, canonicalUrl: `/c/${community.slug}/news/${n.id}`, description: n.bodyText.slice(0, 160) },
    );
  });

  async function act(request: FastifyRequest<{ Params: { community: string; id?: string } }>, reply: FastifyReply) {
    const user = requireUser(request);
    const community = await newsletters.community(request.params.community);
    if (!(await newsletters.canWrite(user, community))) throw new ForbiddenError();
    const form = formFields(request.body, ['subject', 'body', 'action', 'sendAt'] as const);
    if (!(ACTIONS as readonly string[]).includes(form.action)) throw new ValidationError({ action: { key: 'error.invalidForm' } });
    const action = form.action as Action;
    let existing = request.params.id === undefined ? null : await newsletters.get(user, community, request.params.id);
    const result = await tryForm(request.t, async () => {
      const saved = await newsletters.save(user, community, existing?.id ?? null, { subject: form.subject, body: form.body });
      existing = saved;
      if (action === 'test') await newsletters.sendTest(user, community, saved);
      if (action === 'send') await newsletters.schedule(user, community, saved, null);
      if (action === 'schedule') await newsletters.schedule(user, community, saved, parseSendAt(form.sendAt));
      return saved;
    });
    if (!result.ok) return editor(request, reply, user, community, existing, form, result.errors, 400);
    if (action === 'send') {
      // Queued by the leased job; not awaited, so the page never waits on a long list.
      app.services.background.jobs.runIfLeader('newsletters').catch((err: unknown) => request.log.error({ err }, 'newsletter send failed'));
    }
    return reply.redirect(`/c/${community.slug}/news/${result.value.id}?done=${DONE[action]}`, 303);
  }

  app.post<{ Params: { community: string } }>('/c/:community/news', { config: postLimit }, act);
  app.post<{ Params: { community: string; id: string } }>('/c/:community/news/:id', { config: postLimit }, async (request, reply) => {
    if (!/^[1-9]\d{0,15}$/.test(request.params.id)) throw new NotFoundError();
    return act(request, reply);
  });
};

export default newsRoutes;
