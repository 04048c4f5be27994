import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { NOTIFICATION_KINDS } from '../../domain/notification-kinds.js';
import { DELIVERIES } from '../../domain/notification-kinds.js';
import type { WatchTarget } from '../../db/ports.js';
import { formFields, queryString, safeRedirectPath } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { timeView } from '../../presenters/time.js';
import { DIGEST_FREQUENCIES, type DigestFrequency } from '../../db/digest-port.js';

/*
 * The in-site inbox (/notifications), notification settings (/settings/notifications) and
 * watching (POST /watch). Opening a notification is a POST that marks it read and redirects
 * to the thing, so reading state changes only by the member's own click.
 */
const ID = /^[1-9]\d{0,15}$/;
const WATCH_TYPES: readonly WatchTarget[] = ['community', 'tag', 'question'];

const notificationRoutes: FastifyPluginAsync = async (app) => {
  const { notifications, accountMail, digests, newsletters } = app.services;

  app.get('/notifications', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const rawPage = queryString(request.query, 'page') ?? '1';
    if (!/^[1-9]\d{0,5}$/.test(rawPage)) throw new NotFoundError();
    const page = Number(rawPage);
    const data = await notifications.inbox(request.user, page);
    return reply.page(
      'notifications/index',
      {
        unread: data.unread,
        items: data.items.map((n) => ({
          id: n.id,
          // The inbox row does not store the community, so the new-question sentence has a form without it.
          text: request.t(n.kind === 'new_question' ? 'notify.event.new_question.inbox' : `notify.event.${n.kind}`, { actor: n.actorName ?? '?', title: n.title }),
          // A flag's outcome names the post in its sentence; every other event shows it after.
          title: n.kind.startsWith('flag_') ? null : n.title,
          unread: n.readAt === null,
          time: timeView(n.createdAt, request.locale),
        })),
        newer: page > 1 ? (page === 2 ? '/notifications' : `/notifications?page=${page - 1}`) : null,
        older: data.hasNext ? `/notifications?page=${page + 1}` : null,
      },
      { title: request.t('notify.title') },
    );
  });

  app.post<{ Params: { id: string } }>('/notifications/:id/open', async (request, reply) => {
    const user = requireUser(request);
    if (!ID.test(request.params.id)) throw new NotFoundError();
    return reply.redirect(await notifications.open(user, request.params.id), 303);
  });

  app.post('/notifications/read-all', async (request, reply) => {
    const user = requireUser(request);
    await notifications.markAllRead(user);
    return reply.redirect('/notifications', 303);
  });

  /** `form` refills the page after a refused save, so the member's choices are not lost. */
  async function prefsPage(request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply, errors: Record<string, string> = {}, status = 200, form: Record<string, unknown> | null = null) {
    const user = requireUser(request);
    const values: Record<string, string> = { ...(await notifications.preferences(user)) };
    const optIns = await newsletters.optIns(user);
    let digest: string = await digests.frequency(user);
    if (form) {
      for (const k of NOTIFICATION_KINDS) if (typeof form[k] === 'string') values[k] = form[k];
      if (typeof form.digest === 'string') digest = form.digest;
    }
    return reply.page(
      'notifications/settings',
      {
        values, kinds: NOTIFICATION_KINDS, deliveries: DELIVERIES, errors, saved: status === 200 && queryString(request.query, 'saved') === '1', verified: await accountMail.isVerified(user),
        digest, frequencies: DIGEST_FREQUENCIES,
        news: optIns.map((o) => ({ id: o.community.id, name: o.community.name, slug: o.community.slug, on: form ? form[`news_${o.community.id}`] === '1' : o.on })),
      },
      { title: request.t('notify.prefs.title'), status },
    );
  }

  app.get('/settings/notifications', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return prefsPage(request, reply);
  });

  app.post('/settings/notifications', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, [...NOTIFICATION_KINDS, 'digest'] as const);
    const news = await newsletters.optIns(user);
    const newsForm = formFields(request.body, news.map((o) => `news_${o.community.id}`));
    // A form without the digest field (an older page, a script) leaves the digest as it was.
    const digest = form.digest === '' ? await digests.frequency(user) : form.digest;
    const result = await tryForm(request.t, async () => {
      // Checked before anything is saved, so a refused form changes nothing.
      digests.checkFrequency(digest, NOTIFICATION_KINDS.filter((k) => form[k] === 'digest'));
      await notifications.setPreferences(user, form);
      await digests.setFrequency(user, digest as DigestFrequency);
      await newsletters.setOptIns(user, newsForm);
    });
    if (!result.ok) return prefsPage(request, reply, result.errors, 400, { ...form, ...newsForm });
    return reply.redirect('/settings/notifications?saved=1', 303);
  });

  app.post('/watch', async (request, reply) => {
    const user = requireUser(request);
    const form = formFields(request.body, ['type', 'target', 'on', 'back'] as const);
    if (!(WATCH_TYPES as readonly string[]).includes(form.type) || !/^[^\s]{1,200}$/.test(form.target)) throw new NotFoundError();
    await notifications.setWatch(user, form.type as WatchTarget, form.target, form.on === '1');
    return reply.redirect(safeRedirectPath(form.back), 303);
  });
};

export default notificationRoutes;
