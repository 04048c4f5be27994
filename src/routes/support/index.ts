import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { SETTINGS_FIELDS, settingsToForm, type SettingsForm } from '../../services/support/settings.js';

type CommunityParams = { Params: { community: string } };

const DAY_KEYS = ['support.day.0', 'support.day.1', 'support.day.2', 'support.day.3', 'support.day.4', 'support.day.5', 'support.day.6'];

/** Customer service (issue 12): the promise settings of a business community. */
const supportRoutes: FastifyPluginAsync = async (app) => {
  const support = app.services.support.service;

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
