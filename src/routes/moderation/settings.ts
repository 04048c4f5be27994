import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formFields, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { adminPageAccess, redirectToLogin, requireAdmin } from '../../http/guards.js';
import { SETTING_KEYS, SETTING_LIMITS } from '../../domain/moderation-settings.js';

/** Trust and moderation settings on the admin pages. */
const settingsRoutes: FastifyPluginAsync = async (app) => {
  const { moderation } = app.services;

  async function render(request: FastifyRequest, reply: FastifyReply, values: Record<string, string> | null, errors: Record<string, string>, status = 200) {
    const current = await moderation.settings();
    return reply.page(
      'moderation/settings',
      {
        nav: 'trust',
        fields: SETTING_KEYS.map((key) => ({ key, min: SETTING_LIMITS[key].min, max: SETTING_LIMITS[key].max, value: values ? (values[key] ?? '') : String(current[key]), error: errors[key] ?? null })),
        saved: status === 200 && queryString(request.query, 'saved') === '1',
        invalid: Object.keys(errors).length > 0,
      },
      { title: request.t('mod.settings.title'), status },
    );
  }

  app.get('/admin/moderation/settings', async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return render(request, reply, null, {});
  });

  app.post('/admin/moderation/settings', async (request, reply) => {
    const user = requireAdmin(request);
    const form = formFields(request.body, SETTING_KEYS);
    const result = await tryForm(request.t, () => moderation.saveSettings(user, form));
    if (!result.ok) return render(request, reply, form, result.errors, 400);
    return reply.redirect('/admin/moderation/settings?saved=1', 303);
  });
};

export default settingsRoutes;
