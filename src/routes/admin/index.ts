import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { adminPageAccess, redirectToLogin, requireAdmin } from '../../http/guards.js';
import { COMMUNITY_KINDS, COMMUNITY_ROLES, LOCALES } from '../../domain/types.js';

const communityFields = ['slug', 'name', 'kind', 'description', 'defaultLocale', 'promotionThreshold'] as const;

const adminRoutes: FastifyPluginAsync = async (app) => {
  const { communities } = app.services;
  const choices = { kinds: COMMUNITY_KINDS, locales: LOCALES, roles: COMMUNITY_ROLES };

  app.get('/admin', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    const list = await communities.list();
    return reply.page(
      'admin/index',
      { communities: list.map((c) => ({ slug: c.slug, name: c.name, kind: c.kind, memberCount: c.memberCount, questionCount: c.questionCount })) },
      { title: request.t('admin.title') },
    );
  });

  app.get('/admin/communities/new', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return reply.page(
      'admin/community-form',
      { mode: 'create', values: { slug: '', name: '', kind: 'interest', description: '', defaultLocale: request.locale, promotionThreshold: '5' }, errors: {}, choices },
      { title: request.t('admin.community.new') },
    );
  });

  app.post('/admin/communities', async (request, reply) => {
    const actor = requireAdmin(request);
    const form = formFields(request.body, communityFields);
    const result = await tryForm(request.t, () => communities.create(actor, form));
    if (!result.ok) {
      return reply.page('admin/community-form', { mode: 'create', values: form, errors: result.errors, choices }, { title: request.t('admin.community.new'), status: 400 });
    }
    return reply.redirect(`/admin/communities/${result.value.slug}/edit?saved=1`, 303);
  });

  /** The edit page, also re-rendered with messages when one of its two forms fails. */
  async function renderEditPage(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    form: { values?: Record<string, string>; errors?: Record<string, string>; appoint?: { values: Record<string, string>; errors: Record<string, string> } },
    status = 200,
  ) {
    const c = await communities.getBySlug(slug);
    const staff = await communities.staff(c.id);
    const stored = { slug: c.slug, name: c.name, kind: c.kind, description: c.descriptionMd, defaultLocale: c.defaultLocale, promotionThreshold: String(c.promotionThreshold) };
    return reply.page(
      'admin/community-form',
      {
        mode: 'edit',
        values: form.values ? { ...form.values, slug: c.slug } : stored,
        errors: form.errors ?? {},
        choices,
        saved: status === 200 && queryString(request.query, 'saved') === '1',
        communityUrl: `/c/${c.slug}`,
        staff: staff.map(({ membership, user }) => ({ username: user.username, role: membership.role })),
        appoint: form.appoint ?? { values: { username: '', role: 'moderator' }, errors: {} },
      },
      { title: request.t('admin.community.edit', { name: c.name }), status },
    );
  }

  app.get<{ Params: { community: string } }>('/admin/communities/:community/edit', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return renderEditPage(request, reply, request.params.community, {});
  });

  app.post<{ Params: { community: string } }>('/admin/communities/:community', async (request, reply) => {
    const actor = requireAdmin(request);
    const form = formFields(request.body, communityFields);
    const result = await tryForm(request.t, () => communities.update(actor, request.params.community, form));
    if (!result.ok) return renderEditPage(request, reply, request.params.community, { values: form, errors: result.errors }, 400);
    return reply.redirect(`/admin/communities/${result.value.slug}/edit?saved=1`, 303);
  });

  app.post<{ Params: { community: string } }>('/admin/communities/:community/roles', async (request, reply) => {
    const actor = requireAdmin(request);
    const form = formFields(request.body, ['username', 'role'] as const);
    const result = await tryForm(request.t, () => communities.appoint(actor, request.params.community, form.username, form.role));
    if (!result.ok) return renderEditPage(request, reply, request.params.community, { appoint: { values: form, errors: result.errors } }, 400);
    return reply.redirect(`/admin/communities/${result.value.community.slug}/edit?saved=1`, 303);
  });
};

export default adminRoutes;
