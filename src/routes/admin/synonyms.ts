import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import { formFields, queryString } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { adminPageAccess, redirectToLogin, requireAdmin } from '../../http/guards.js';
import {
  newSynonymForm,
  SYNONYM_DONE,
  synonymEditView,
  synonymListView,
  SYNONYMS_URL,
  type SynonymDone,
  type SynonymForm,
} from '../../presenters/synonyms.js';
import type { SynonymChange } from '../../services/search/synonym-service.js';

/*
 * Site-wide search synonyms for site admins (/admin/search/synonyms): the list with the add
 * form (which the FAQ gaps report opens with a query, ?term=), editing and deleting a group.
 * Handlers parse, call the synonym service and render or redirect.
 */

type IdParams = { Params: { id: string } };

const ID_PATTERN = /^[1-9]\d{0,15}$/;
/** A query from the gaps report is short; anything longer is cut rather than echoed whole. */
const PREFILL_MAX_CHARS = 200;

function groupId(raw: string): string {
  if (!ID_PATTERN.test(raw)) throw new NotFoundError('synonyms.notFound');
  return raw;
}

function doneOf(request: FastifyRequest): SynonymDone | null {
  const raw = queryString(request.query, 'done');
  return (SYNONYM_DONE as readonly string[]).includes(raw ?? '') ? (raw as SynonymDone) : null;
}

function fromGap(request: FastifyRequest): string | null {
  const raw = queryString(request.query, 'term')?.replace(/\s+/g, ' ').trim();
  return raw ? Array.from(raw).slice(0, PREFILL_MAX_CHARS).join('') : null;
}

/** Back to the list, saying what happened (and whether the search engine has it yet). */
function listRedirect(reply: FastifyReply, done: SynonymDone, change: SynonymChange): FastifyReply {
  const anchor = change.group ? `#synonym-${change.group.id}` : '';
  return reply.redirect(`${SYNONYMS_URL}?done=${done}${change.applied ? '' : '&pending=1'}${anchor}`, 303);
}

const synonymRoutes: FastifyPluginAsync = async (app) => {
  const { synonyms } = app.services;

  async function renderList(request: FastifyRequest, reply: FastifyReply, form: SynonymForm | null, status = 200) {
    const groups = await synonyms.list(request.user);
    const gap = form ? null : fromGap(request);
    const view = synonymListView(groups, {
      locale: request.locale,
      form: form ?? newSynonymForm(gap),
      fromGap: gap,
      done: status === 200 ? doneOf(request) : null,
      pending: status === 200 && queryString(request.query, 'pending') === '1',
    });
    return reply.page('admin/synonyms', view, { title: request.t('synonyms.title'), status });
  }

  async function renderEdit(request: FastifyRequest, reply: FastifyReply, id: string, form: SynonymForm | null, status = 200) {
    const group = await synonyms.get(request.user, id);
    return reply.page('admin/synonym-edit', synonymEditView(group, form), { title: request.t('synonyms.editTitle'), status });
  }

  app.get(SYNONYMS_URL, async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return renderList(request, reply, null);
  });

  app.post(SYNONYMS_URL, async (request, reply) => {
    const admin = requireAdmin(request);
    const form = formFields(request.body, ['terms'] as const);
    const result = await tryForm(request.t, () => synonyms.create(admin, form));
    if (!result.ok) return renderList(request, reply, { values: form, errors: result.errors }, 400);
    return listRedirect(reply, 'created', result.value);
  });

  app.get<IdParams>(`${SYNONYMS_URL}/:id/edit`, async (request, reply) => {
    if (adminPageAccess(request) === 'login') return redirectToLogin(request, reply);
    return renderEdit(request, reply, groupId(request.params.id), null);
  });

  app.post<IdParams>(`${SYNONYMS_URL}/:id`, async (request, reply) => {
    const admin = requireAdmin(request);
    const id = groupId(request.params.id);
    const form = formFields(request.body, ['terms'] as const);
    const result = await tryForm(request.t, () => synonyms.update(admin, id, form));
    if (!result.ok) return renderEdit(request, reply, id, { values: form, errors: result.errors }, 400);
    return listRedirect(reply, 'updated', result.value);
  });

  app.post<IdParams>(`${SYNONYMS_URL}/:id/delete`, async (request, reply) => {
    const admin = requireAdmin(request);
    const id = groupId(request.params.id);
    return listRedirect(reply, 'deleted', await synonyms.delete(admin, id));
  });
};

export default synonymRoutes;
