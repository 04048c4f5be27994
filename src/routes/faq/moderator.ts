import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, NotFoundError } from '../../domain/errors.js';
import { BadInputError, formFields, pageNumber, queryString, safeRedirectPath } from '../../http/form.js';
import { tryForm } from '../../http/form-view.js';
import { redirectToLogin, requireUser } from '../../http/guards.js';
import { renderMarkdown } from '../../markdown/render.js';
import {
  candidatesView,
  dashboardView,
  deletionView,
  entryActionUrl,
  entryFilter,
  entryFormView,
  gapsView,
  modFaqUrl,
  categoryManageView,
  type CategoryFormState,
  revisionsView,
  sourceAnswerUrl,
  type DashboardFormState,
  type EntryFormOptions,
  type EntryFormValues,
  type FormState,
} from '../../presenters/faq-mod.js';
import { gapPeriod } from '../../services/faq/faq-gaps.js';
import { faqEntryUrl, type EntryInput } from '../../services/faq/faq-service.js';

/*
 * The moderators' FAQ tools (issue 5, "Moderators"): the dashboard with the category tree
 * and the entries, the candidate queue, promotion, writing and editing entries with their
 * history, auto-publish and the FAQ gaps report. Handlers stay thin: parse, call the FAQ
 * service (which checks the moderator role and every rule), render or redirect.
 */

type CommunityParams = { Params: { community: string } };
type IdParams = { Params: { community: string; id: string } };
type AnswerParams = { Params: { community: string; answerId: string } };

const ID_PATTERN = /^[1-9]\d{0,15}$/;
/** More related entries than this in one form is not a person using the page. */
const RELATED_MAX = 200;

/** Ids are positive integers in the embedded backend; anything else is a 404 straight away. */
function idParam(raw: string, messageKey: string): string {
  if (!ID_PATTERN.test(raw)) throw new NotFoundError(messageKey);
  return raw;
}

/** A repeated form field (checkboxes): one string, several strings, or nothing; never objects. */
function stringList(body: unknown, name: string): string[] {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const value = Object.prototype.hasOwnProperty.call(body, name) ? (body as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length <= RELATED_MAX && value.every((v) => typeof v === 'string')) return value as string[];
  throw new BadInputError();
}

/** Flash messages after a successful action (?done=...): only these keys are shown. */
const DONE_KEYS = new Set([
  'categoryCreated',
  'categoryRenamed',
  'categoryMoved',
  'categoryDeleted',
  'settingsSaved',
  'settingsOff',
  'pin',
  'unpin',
  'archive',
  'publish',
  'reviewed',
  'dismissed',
]);

function doneKey(request: FastifyRequest): string | null {
  const raw = queryString(request.query, 'done');
  return raw && DONE_KEYS.has(raw) ? raw : null;
}

/** After saving auto-publish, the redirect says how many existing answers it published (?published=3&more=1). */
function autoPublishedCount(request: FastifyRequest): { count: number; more: boolean } | null {
  const raw = queryString(request.query, 'published');
  if (doneKey(request) !== 'settingsSaved' || raw === undefined || !/^\d{1,4}$/.test(raw)) return null;
  return { count: Number(raw), more: queryString(request.query, 'more') === '1' };
}

const entryFields = ['title', 'body', 'categoryId', 'newCategoryName', 'newCategoryParentId', 'reason', 'action'] as const;

function entryValues(body: unknown): { values: EntryFormValues; action: string } {
  const form = formFields(body, entryFields);
  const related = stringList(body, 'related');
  const { action, ...rest } = form;
  return { values: { ...rest, related }, action };
}

function entryInput(v: EntryFormValues): EntryInput {
  return {
    title: v.title,
    body: v.body,
    categoryId: v.categoryId,
    newCategoryName: v.newCategoryName,
    newCategoryParentId: v.newCategoryParentId,
    relatedIds: v.related,
    reason: v.reason,
  };
}

/** The form shows what its text will look like from the start, not only after "preview". */
function previewOf(body: string): string | null {
  return body.trim() === '' ? null : renderMarkdown(body).html;
}

const faqModeratorRoutes: FastifyPluginAsync = async (app) => {
  const { faq, faqGaps } = app.services;

  /* ---------- dashboard ---------- */

  async function renderDashboard(request: FastifyRequest, reply: FastifyReply, slug: string, state: DashboardFormState | null, status = 200) {
    const data = await faq.moderatorOverview(slug, request.user);
    const view = dashboardView(data, {
      t: request.t,
      locale: request.locale,
      filter: entryFilter(queryString(request.query, 'filter')),
      page: pageNumber(queryString(request.query, 'page')),
      state,
      done: status === 200 ? doneKey(request) : null,
      autoPublished: status === 200 ? autoPublishedCount(request) : null,
    });
    return reply.page('mod-faq/dashboard', view, { title: request.t('faqmod.titleOf', { community: data.community.name }), status, searchCommunity: data.community.slug });
  }

  app.get<CommunityParams>('/mod/c/:community/faq', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderDashboard(request, reply, request.params.community, null);
  });

  /* ---------- categories ---------- */

  app.post<CommunityParams>('/mod/c/:community/faq/categories', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const form = formFields(request.body, ['name', 'parentId'] as const);
    if (form.parentId !== '') idParam(form.parentId.trim(), 'faq.categoryNotFound');
    const result = await tryForm(request.t, () => faq.createCategory(slug, user, form));
    if (!result.ok) return renderDashboard(request, reply, slug, { form: 'create', values: form, errors: result.errors }, 400);
    return reply.redirect(`${modFaqUrl(slug)}?done=categoryCreated#cat-${result.value.id}`, 303);
  });

  app.post<IdParams>('/mod/c/:community/faq/categories/:id/rename', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.categoryNotFound');
    const form = formFields(request.body, ['name'] as const);
    const result = await tryForm(request.t, () => faq.renameCategory(slug, user, id, form.name));
    if (!result.ok) return renderCategory(request, reply, slug, id, { form: 'rename', values: form, errors: result.errors }, 400);
    return reply.redirect(`${modFaqUrl(slug)}?done=categoryRenamed#cat-${id}`, 303);
  });

  /** One page per category with its one "move under" picker; the dashboard links here (issue 10). */
  async function renderCategory(request: FastifyRequest, reply: FastifyReply, slug: string, id: string, state: CategoryFormState | null, status = 200) {
    const data = await faq.moveChoices(slug, request.user, id);
    const view = categoryManageView(data, state, { top: request.t('faqmod.topLevel'), tooDeep: request.t('faqmod.move.tooDeepOption') });
    return reply.page('mod-faq/category', view, { title: request.t('faqmod.manage.title', { name: data.category.name }), status, searchCommunity: data.community.slug });
  }

  app.get<IdParams>('/mod/c/:community/faq/categories/:id', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderCategory(request, reply, request.params.community, idParam(request.params.id, 'faq.categoryNotFound'), null);
  });

  app.post<IdParams>('/mod/c/:community/faq/categories/:id/move', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.categoryNotFound');
    const form = formFields(request.body, ['parentId'] as const);
    if (form.parentId.trim() !== '') idParam(form.parentId.trim(), 'faq.categoryNotFound');
    const result = await tryForm(request.t, () => faq.moveCategory(slug, user, id, form.parentId));
    if (!result.ok) return renderCategory(request, reply, slug, id, { form: 'move', values: form, errors: result.errors }, 400);
    return reply.redirect(`${modFaqUrl(slug)}?done=categoryMoved#cat-${id}`, 303);
  });

  app.post<IdParams>('/mod/c/:community/faq/categories/:id/reorder', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.categoryNotFound');
    const form = formFields(request.body, ['direction'] as const);
    const result = await tryForm(request.t, () => faq.reorderCategory(slug, user, id, form.direction));
    if (!result.ok) return renderCategory(request, reply, slug, id, { form: 'reorder', values: form, errors: result.errors }, 400);
    return reply.redirect(`${modFaqUrl(slug)}#cat-${id}`, 303);
  });

  async function renderDelete(request: FastifyRequest, reply: FastifyReply, slug: string, id: string, state: FormState | null, status = 200) {
    const plan = await faq.deletionPlan(slug, request.user, id);
    return reply.page('mod-faq/delete', deletionView(plan, state, request.t('faqmod.delete.topLevelOption')), { title: request.t('faqmod.delete.title', { name: plan.category.name }), status, searchCommunity: plan.community.slug });
  }

  app.get<IdParams>('/mod/c/:community/faq/categories/:id/delete', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderDelete(request, reply, request.params.community, idParam(request.params.id, 'faq.categoryNotFound'), null);
  });

  app.post<IdParams>('/mod/c/:community/faq/categories/:id/delete', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.categoryNotFound');
    const form = formFields(request.body, ['targetId'] as const);
    const result = await tryForm(request.t, () => faq.deleteCategory(slug, user, id, form.targetId));
    if (!result.ok) return renderDelete(request, reply, slug, id, { values: form, errors: result.errors }, 400);
    return reply.redirect(`${modFaqUrl(slug)}?done=categoryDeleted#categories`, 303);
  });

  /* ---------- auto-publish ---------- */

  app.post<CommunityParams>('/mod/c/:community/faq/settings', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const form = formFields(request.body, ['score', 'categoryId'] as const);
    const result = await tryForm(request.t, () => faq.setAutoPublish(slug, user, form));
    if (!result.ok) return renderDashboard(request, reply, slug, { form: 'settings', values: form, errors: result.errors }, 400);
    if (form.score.trim() === '') return reply.redirect(`${modFaqUrl(slug)}?done=settingsOff#settings`, 303);
    const { published, more } = result.value;
    return reply.redirect(`${modFaqUrl(slug)}?done=settingsSaved&published=${published}${more ? '&more=1' : ''}#settings`, 303);
  });

  /* ---------- candidates ---------- */

  async function renderCandidates(request: FastifyRequest, reply: FastifyReply, slug: string, failed: { answerId: string; state: FormState } | null, status = 200) {
    const data = await faq.candidates(slug, request.user);
    const view = candidatesView(data, { failed, done: status === 200 ? doneKey(request) : null });
    return reply.page('mod-faq/candidates', view, { title: request.t('faqmod.candidates.titleOf', { community: data.community.name }), status, searchCommunity: data.community.slug });
  }

  app.get<CommunityParams>('/mod/c/:community/faq/candidates', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderCandidates(request, reply, request.params.community, null);
  });

  app.post<AnswerParams>('/mod/c/:community/faq/candidates/:answerId/dismiss', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const answerId = idParam(request.params.answerId, 'faq.candidateNotFound');
    const form = formFields(request.body, ['reason'] as const);
    const result = await refusedPage(request, reply, slug, () => tryForm(request.t, () => faq.dismiss(slug, user, answerId, form.reason)), 'faqmod.refused.dismissConflict');
    if (result === null) return reply;
    if (!result.ok) return renderCandidates(request, reply, slug, { answerId, state: { values: form, errors: result.errors } }, 400);
    return reply.redirect(`${modFaqUrl(slug)}/candidates?done=dismissed`, 303);
  });

  /**
   * Runs a candidate action; when the candidate is gone (promoted, dismissed, deleted), shows
   * a page that says so with the way back to the queue instead of the bare error page.
   * Returns null when that page was sent.
   */
  async function refusedPage<T>(request: FastifyRequest, reply: FastifyReply, slug: string, action: () => Promise<T>, conflictTitle = 'faqmod.refused.conflict'): Promise<T | null> {
    try {
      return await action();
    } catch (err) {
      if (err instanceof DomainError && (err.status === 404 || err.status === 409) && err.messageKey.startsWith('faq.')) {
        await reply.page(
          'mod-faq/refused',
          {
            status: err.status,
            message: request.t(err.messageKey, err.params),
            candidatesUrl: `${modFaqUrl(slug)}/candidates`,
            dashboardUrl: modFaqUrl(slug),
            // Not a candidate: the moderator can still write an entry by hand.
            writeUrl: err.messageKey === 'faq.notACandidate' ? `${modFaqUrl(slug)}/entries/new` : null,
          },
          { title: request.t(err.status === 409 ? conflictTitle : 'faqmod.refused.gone'), status: err.status },
        );
        return null;
      }
      throw err;
    }
  }

  /* ---------- promotion ---------- */

  async function renderPromote(request: FastifyRequest, reply: FastifyReply, slug: string, answerId: string, state: { values?: EntryFormValues; errors?: Record<string, string>; previewHtml?: string | null }, status = 200) {
    const draft = await refusedPage(request, reply, slug, () => faq.promotionDraft(slug, request.user, answerId));
    if (draft === null) return reply;
    const cand = draft.candidate;
    const values: EntryFormValues = state.values ?? { title: draft.draft.title, body: draft.draft.body, categoryId: '', newCategoryName: '', newCategoryParentId: '', reason: '', related: [] };
    const options: EntryFormOptions = {
      mode: 'promote',
      action: `${modFaqUrl(slug)}/candidates/${answerId}/promote`,
      cancelUrl: `${modFaqUrl(slug)}/candidates`,
      values,
      errors: state.errors ?? {},
      previewHtml: state.previewHtml ?? previewOf(values.body),
      source: {
        questionTitle: cand.questionTitle,
        url: sourceAnswerUrl(draft.community.slug, cand.questionId, cand.answerId),
        score: cand.score,
        upVotes: cand.upVotes,
        downVotes: cand.downVotes,
        accepted: cand.accepted,
      },
      entry: null,
      topLabel: request.t('faqmod.topLevel'),
    };
    return reply.page('mod-faq/entry-form', entryFormView(draft.community, draft.categories, draft.entries, null, options), {
      title: request.t('faqmod.promote.title'),
      status,
      searchCommunity: draft.community.slug,
    });
  }

  app.get<AnswerParams>('/mod/c/:community/faq/candidates/:answerId/promote', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderPromote(request, reply, request.params.community, idParam(request.params.answerId, 'faq.candidateNotFound'), {});
  });

  app.post<AnswerParams>('/mod/c/:community/faq/candidates/:answerId/promote', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const answerId = idParam(request.params.answerId, 'faq.candidateNotFound');
    const { values, action } = entryValues(request.body);
    if (action === 'preview') return renderPromote(request, reply, slug, answerId, { values, previewHtml: previewOf(values.body) });
    const result = await refusedPage(request, reply, slug, () => tryForm(request.t, () => faq.promote(slug, user, answerId, entryInput(values))));
    if (result === null) return reply;
    if (!result.ok) return renderPromote(request, reply, slug, answerId, { values, errors: result.errors }, 400);
    return reply.redirect(faqEntryUrl(result.value.community.slug, result.value.entry), 303);
  });

  /* ---------- writing and editing entries ---------- */

  async function renderEntryForm(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    entryId: string | null,
    state: { values?: EntryFormValues; errors?: Record<string, string>; previewHtml?: string | null },
    status = 200,
  ) {
    const data = await faq.entryFormData(slug, request.user, entryId);
    const e = data.entry;
    const base = modFaqUrl(data.community.slug);
    const values: EntryFormValues =
      state.values ??
      (e
        ? { title: e.title, body: e.bodyMd, categoryId: e.categoryId, newCategoryName: '', newCategoryParentId: '', reason: '', related: data.related }
        : { title: (queryString(request.query, 'title') ?? '').replace(/\s+/g, ' ').trim().slice(0, 200), body: '', categoryId: '', newCategoryName: '', newCategoryParentId: '', reason: '', related: [] });
    const options: EntryFormOptions = {
      mode: e ? 'edit' : 'new',
      action: e ? entryActionUrl(data.community.slug, e.id, 'edit') : `${base}/entries/new`,
      cancelUrl: e ? faqEntryUrl(data.community.slug, e) : base,
      values,
      errors: state.errors ?? {},
      previewHtml: state.previewHtml ?? previewOf(values.body),
      source: null,
      entry: e
        ? { id: e.id, title: e.title, url: faqEntryUrl(data.community.slug, e), revisionsUrl: entryActionUrl(data.community.slug, e.id, 'revisions'), needsReview: e.needsReview, reviewReason: e.reviewReason }
        : null,
      topLabel: request.t('faqmod.topLevel'),
    };
    const view = entryFormView(data.community, data.categories, data.entries, e?.id ?? null, options);
    return reply.page(
      'mod-faq/entry-form',
      { ...view, sourceUrl: e && e.sourceQuestionId ? sourceAnswerUrl(data.community.slug, e.sourceQuestionId, e.sourceAnswerId) : null },
      { title: request.t(e ? 'faqmod.edit.title' : 'faqmod.new.title'), status, searchCommunity: data.community.slug },
    );
  }

  app.get<CommunityParams>('/mod/c/:community/faq/entries/new', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderEntryForm(request, reply, request.params.community, null, {});
  });

  app.post<CommunityParams>('/mod/c/:community/faq/entries/new', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const { values, action } = entryValues(request.body);
    if (action === 'preview') return renderEntryForm(request, reply, slug, null, { values, previewHtml: previewOf(values.body) });
    const result = await tryForm(request.t, () => faq.createEntry(slug, user, entryInput(values)));
    if (!result.ok) return renderEntryForm(request, reply, slug, null, { values, errors: result.errors }, 400);
    return reply.redirect(faqEntryUrl(result.value.community.slug, result.value.entry), 303);
  });

  app.get<IdParams>('/mod/c/:community/faq/entries/:id/edit', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    return renderEntryForm(request, reply, request.params.community, idParam(request.params.id, 'faq.notFound'), {});
  });

  app.post<IdParams>('/mod/c/:community/faq/entries/:id/edit', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.notFound');
    const { values, action } = entryValues(request.body);
    if (action === 'preview') return renderEntryForm(request, reply, slug, id, { values, previewHtml: previewOf(values.body) });
    const result = await tryForm(request.t, () => faq.editEntry(slug, user, id, entryInput(values)));
    if (!result.ok) return renderEntryForm(request, reply, slug, id, { values, errors: result.errors }, 400);
    return reply.redirect(faqEntryUrl(result.value.community.slug, result.value.entry), 303);
  });

  app.post<IdParams>('/mod/c/:community/faq/entries/:id/state', async (request, reply) => {
    const user = requireUser(request);
    const slug = request.params.community;
    const id = idParam(request.params.id, 'faq.notFound');
    const form = formFields(request.body, ['action', 'back'] as const);
    const result = await faq.setEntryState(slug, user, id, form.action);
    const base = modFaqUrl(result.community.slug);
    // Back to the same tab and page of the list, but never anywhere outside this dashboard.
    const back = safeRedirectPath(form.back, base);
    const target = back === base || back.startsWith(`${base}?`) ? back : base;
    return reply.redirect(`${target}${target.includes('?') ? '&' : '?'}done=${form.action}#entry-${id}`, 303);
  });

  app.get<IdParams>('/mod/c/:community/faq/entries/:id/revisions', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const id = idParam(request.params.id, 'faq.notFound');
    const data = await faq.entryRevisions(request.params.community, request.user, id);
    // The category names, to show where an entry was moved between revisions.
    const { categories } = await faq.entryFormData(request.params.community, request.user, id);
    return reply.page('mod-faq/revisions', revisionsView(data, categories, request.locale), {
      title: request.t('faqmod.revisions.titleOf', { title: data.entry.title }),
      searchCommunity: data.community.slug,
    });
  });

  /* ---------- the FAQ gaps report ---------- */

  app.get<CommunityParams>('/mod/c/:community/faq/gaps', async (request, reply) => {
    if (!request.user) return redirectToLogin(request, reply);
    const ctx = await faq.requireModerator(request.params.community, request.user);
    const report = await faqGaps.report(ctx.community.id, gapPeriod(queryString(request.query, 'days')));
    return reply.page('mod-faq/gaps', gapsView(ctx.community, report, { canAddSynonyms: ctx.user.isAdmin }), {
      title: request.t('faqmod.gaps.titleOf', { community: ctx.community.name }),
      searchCommunity: ctx.community.slug,
    });
  });
};

export default faqModeratorRoutes;
