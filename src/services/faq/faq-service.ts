import type { FaqRepository, PostRepository, UserRepository } from '../../db/ports.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import { FAQ_MAX_DEPTH, type FaqCandidateRow, type FaqCategory, type FaqEntry } from '../../domain/faq-types.js';
import { candidateEvidence, checkCreateDepth, checkMoveDepth, compareEntries, isCandidate, RESERVED_CATEGORY_SLUGS, subtreeIds } from '../../domain/faq-rules.js';
import type { Answer, Post } from '../../domain/qa-types.js';
import type { Community, User } from '../../domain/types.js';
import { slugify } from '../../domain/slug.js';
import { renderMarkdown } from '../../markdown/render.js';
import type { CommunityService } from '../communities/community-service.js';
import type { ViewCounter } from '../qa/view-counter.js';

export const FAQ_TITLE_MAX = 200;
const CATEGORY_NAME_MAX = 60;
const REASON_MAX = 300;
const CANDIDATE_SCAN_LIMIT = 500;

export interface CategoryNode extends FaqCategory {
  children: CategoryNode[];
  /** Published entries in this category and all below it. */
  entryCount: number;
  path: string[];
}

export interface RankedCandidate extends FaqCandidateRow {
  evidence: number;
}

export interface EntryInput {
  title: string;
  body: string;
  categoryId: string;
  newCategoryName?: string;
  newCategoryParentId?: string;
  relatedIds: string[];
  reason?: string;
}

/** Hooks the Q&A service calls so the FAQ notices changes to its sources. */
export interface QaChangeListener {
  answerEdited(answer: Answer): Promise<void>;
  votesChanged(post: Post): Promise<void>;
}

/** The curated FAQ: the public tree and entries, and the moderators' curation tools. */
export class FaqService implements QaChangeListener {
  constructor(
    private readonly faq: FaqRepository,
    private readonly posts: PostRepository,
    private readonly users: UserRepository,
    private readonly communities: CommunityService,
    private readonly views: ViewCounter,
    private readonly now: () => number = Date.now,
  ) {}

  /* ---------- reading ---------- */

  /** Builds the nested tree with per-node entry counts (including descendants) and URL paths. */
  buildTree(categories: FaqCategory[], counts: Map<string, number>): CategoryNode[] {
    const nodes = new Map<string, CategoryNode>(categories.map((c) => [c.id, { ...c, children: [], entryCount: counts.get(c.id) ?? 0, path: [] }]));
    const roots: CategoryNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    const finish = (list: CategoryNode[], path: string[]): number => {
      list.sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id));
      let total = 0;
      for (const node of list) {
        node.path = [...path, node.slug];
        node.entryCount += finish(node.children, node.path);
        total += node.entryCount;
      }
      return total;
    };
    finish(roots, []);
    return roots;
  }

  async home(communitySlug: string, viewer: User | null) {
    const ctx = await this.communities.context(communitySlug, viewer);
    const [categories, counts, entries] = await Promise.all([
      this.faq.listCategories(ctx.community.id),
      this.faq.entryCountsByCategory(ctx.community.id),
      this.faq.listEntries(ctx.community.id, { status: 'published' }),
    ]);
    const tree = this.buildTree(categories, counts);
    return { ...ctx, tree, categories, topEntries: entries.sort(compareEntries).slice(0, 10), entryTotal: entries.length };
  }

  /** Resolves a category from its slug path (/faq/a/b/c); anything that does not match is a 404. */
  async categoryPage(communitySlug: string, slugPath: string[], viewer: User | null) {
    const ctx = await this.communities.context(communitySlug, viewer);
    if (slugPath.length === 0 || slugPath.length > FAQ_MAX_DEPTH) throw new NotFoundError('faq.notFound');
    const [categories, counts] = await Promise.all([this.faq.listCategories(ctx.community.id), this.faq.entryCountsByCategory(ctx.community.id)]);
    const tree = this.buildTree(categories, counts);
    let level = tree;
    const trail: CategoryNode[] = [];
    for (const slug of slugPath) {
      const node = level.find((n) => n.slug === slug);
      if (!node) throw new NotFoundError('faq.notFound');
      trail.push(node);
      level = node.children;
    }
    const category = trail[trail.length - 1]!;
    const entries = (await this.faq.listEntries(ctx.community.id, { categoryId: category.id })).sort(compareEntries);
    return { ...ctx, category, trail, children: category.children, entries };
  }

  async entryPage(communitySlug: string, entryId: string, viewer: User | null) {
    const ctx = await this.communities.context(communitySlug, viewer);
    const entry = await this.faq.findEntry(entryId);
    if (!entry || entry.communityId !== ctx.community.id) throw new NotFoundError('faq.notFound');
    if (entry.status !== 'published' && !ctx.canModerate) throw new NotFoundError('faq.notFound');
    const categories = await this.faq.listCategories(ctx.community.id);
    const trail = this.trailOf(categories, entry.categoryId);
    const [related, sourceQuestion] = await Promise.all([
      this.faq.relatedEntries(entry.id),
      entry.sourceQuestionId ? this.posts.findQuestion(entry.sourceQuestionId) : Promise.resolve(null),
    ]);
    this.views.count(entry.id);
    return { ...ctx, entry, trail, related, sourceQuestion };
  }

  /** Categories from the top down to `categoryId`, each with its slug path. */
  trailOf(categories: FaqCategory[], categoryId: string): Array<FaqCategory & { path: string[] }> {
    const byId = new Map(categories.map((c) => [c.id, c]));
    const chain: FaqCategory[] = [];
    let current = byId.get(categoryId);
    while (current && chain.length < FAQ_MAX_DEPTH) {
      chain.unshift(current);
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
    return chain.map((c, i) => ({ ...c, path: chain.slice(0, i + 1).map((x) => x.slug) }));
  }

  /** "Was this helpful?": one vote per person (user id) or browser (cookie id); a repeat changes it. */
  async helpful(communitySlug: string, entryId: string, voterKey: string, helpful: boolean) {
    const community = await this.communities.getBySlug(communitySlug);
    const entry = await this.faq.findEntry(entryId);
    if (!entry || entry.communityId !== community.id || entry.status !== 'published') throw new NotFoundError('faq.notFound');
    const counts = await this.faq.recordHelpful(entry.id, voterKey, helpful, this.now());
    return { community, entry, ...counts };
  }

  async recordSearchClick(entryId: string): Promise<void> {
    await this.faq.addSearchClick(entryId);
  }

  /* ---------- moderation ---------- */

  async requireModerator(communitySlug: string, user: User | null) {
    const ctx = await this.communities.context(communitySlug, user);
    if (!user) throw new ForbiddenError();
    if (!ctx.canModerate) throw new ForbiddenError('faq.moderatorsOnly');
    return { ...ctx, user };
  }

  async moderatorOverview(communitySlug: string, user: User | null) {
    const ctx = await this.requireModerator(communitySlug, user);
    const [categories, counts, entries, autoPublish] = await Promise.all([
      this.faq.listCategories(ctx.community.id),
      this.faq.entryCountsByCategory(ctx.community.id),
      this.faq.listEntries(ctx.community.id, { status: 'all' }),
      this.faq.getAutoPublish(ctx.community.id),
    ]);
    const candidates = await this.rankedCandidates(ctx.community);
    return {
      ...ctx,
      tree: this.buildTree(categories, counts),
      categories,
      entries: entries.sort(compareEntries),
      needsReview: entries.filter((e) => e.needsReview),
      candidateCount: candidates.length,
      autoPublish,
    };
  }

  private async categoryInCommunity(community: Community, categoryId: string): Promise<FaqCategory> {
    const category = await this.faq.findCategory(categoryId);
    if (!category || category.communityId !== community.id) throw new NotFoundError('faq.categoryNotFound');
    return category;
  }

  private checkCategoryName(raw: string): { name: string; slug: string } {
    const name = raw.trim().replace(/\s+/g, ' ');
    const length = Array.from(name).length;
    if (length === 0) throw new ValidationError({ name: { key: 'validation.required' } });
    if (length > CATEGORY_NAME_MAX) throw new ValidationError({ name: { key: 'validation.maxLength', params: { max: CATEGORY_NAME_MAX } } });
    let slug = slugify(name, 60);
    if (RESERVED_CATEGORY_SLUGS.has(slug)) slug = `${slug}-1`;
    return { name, slug };
  }

  private async createCategoryIn(community: Community, rawName: string, parentId: string | null): Promise<FaqCategory> {
    const { name, slug } = this.checkCategoryName(rawName);
    const parent = parentId ? await this.categoryInCommunity(community, parentId) : null;
    const depth = checkCreateDepth(parent);
    if (!depth.ok) throw new ValidationError({ parentId: { key: 'faq.category.tooDeep', params: { max: FAQ_MAX_DEPTH } } });
    try {
      return await this.faq.createCategory({ communityId: community.id, parentId: parent?.id ?? null, name, slug, depth: depth.newDepth, now: this.now() });
    } catch (err) {
      if (err instanceof ConflictError) throw new ValidationError({ name: { key: 'faq.category.slugTaken' } });
      throw err;
    }
  }

  async createCategory(communitySlug: string, user: User | null, input: { name: string; parentId: string }) {
    const ctx = await this.requireModerator(communitySlug, user);
    return this.createCategoryIn(ctx.community, input.name, input.parentId.trim() === '' ? null : input.parentId.trim());
  }

  async renameCategory(communitySlug: string, user: User | null, categoryId: string, rawName: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    const { name, slug } = this.checkCategoryName(rawName);
    try {
      return await this.faq.renameCategory(category.id, name, slug, this.now());
    } catch (err) {
      if (err instanceof ConflictError) throw new ValidationError({ name: { key: 'faq.category.slugTaken' } });
      throw err;
    }
  }

  /** Moves a category with its subtree; refuses cycles and anything deeper than four levels. */
  async moveCategory(communitySlug: string, user: User | null, categoryId: string, rawParentId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    const parentId = rawParentId.trim() === '' ? null : rawParentId.trim();
    if (parentId !== null) await this.categoryInCommunity(ctx.community, parentId);
    const all = await this.faq.listCategories(ctx.community.id);
    const check = checkMoveDepth(all, category.id, parentId);
    if (!check.ok) {
      const key = check.reason === 'cycle' ? 'faq.category.cycle' : check.reason === 'too_deep' ? 'faq.category.moveTooDeep' : 'faq.categoryNotFound';
      throw new ValidationError({ parentId: { key, params: { max: FAQ_MAX_DEPTH } } });
    }
    try {
      await this.faq.moveCategory(category.id, parentId, check.newDepth, this.now());
    } catch (err) {
      if (err instanceof ConflictError) throw new ValidationError({ parentId: { key: 'faq.category.slugTakenThere' } });
      throw err;
    }
    return category;
  }

  async reorderCategory(communitySlug: string, user: User | null, categoryId: string, direction: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    if (direction !== 'up' && direction !== 'down') throw new ValidationError({ direction: { key: 'validation.choice' } });
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    await this.faq.reorderCategory(category.id, direction);
  }

  /** What deleting would affect, for the confirmation page (which asks where things go). */
  async deletionPlan(communitySlug: string, user: User | null, categoryId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    const all = await this.faq.listCategories(ctx.community.id);
    const entries = await this.faq.listEntries(ctx.community.id, { categoryId: category.id, status: 'all' });
    const children = all.filter((c) => c.parentId === category.id);
    const excluded = subtreeIds(all, category.id);
    // A target must be outside the deleted subtree and deep enough room for the children moved under it.
    const childHeight = Math.max(0, ...children.map((c) => 1 + this.heightOf(all, c.id)));
    const targets = all.filter((c) => !excluded.has(c.id) && c.depth + childHeight <= FAQ_MAX_DEPTH);
    return { ...ctx, category, entryCount: entries.length, childCount: children.length, targets, trails: new Map(targets.map((t) => [t.id, this.trailOf(all, t.id)])) };
  }

  private heightOf(all: FaqCategory[], id: string): number {
    const root = all.find((c) => c.id === id)!;
    let deepest = root.depth;
    for (const sub of subtreeIds(all, id)) deepest = Math.max(deepest, all.find((c) => c.id === sub)!.depth);
    return deepest - root.depth;
  }

  async deleteCategory(communitySlug: string, user: User | null, categoryId: string, rawTargetId: string) {
    const plan = await this.deletionPlan(communitySlug, user, categoryId);
    const targetId = rawTargetId.trim() === '' ? null : rawTargetId.trim();
    if (plan.entryCount + plan.childCount > 0) {
      if (targetId === null) throw new ValidationError({ targetId: { key: 'faq.category.chooseTarget' } });
      const target = plan.targets.find((t) => t.id === targetId);
      if (!target) throw new ValidationError({ targetId: { key: 'faq.category.badTarget', params: { max: FAQ_MAX_DEPTH } } });
      // Children keep their subtrees: re-parent each through the depth-checked move.
      for (const child of (await this.faq.listCategories(plan.community.id)).filter((c) => c.parentId === plan.category.id)) {
        await this.faq.moveCategory(child.id, target.id, target.depth + 1, this.now());
      }
      await this.faq.deleteCategory(plan.category.id, target.id, this.now());
    } else {
      await this.faq.deleteCategory(plan.category.id, null, this.now());
    }
    return plan;
  }

  /* ---------- candidates and promotion ---------- */

  private async rankedCandidates(community: Community): Promise<RankedCandidate[]> {
    const rows = await this.faq.candidateRows(community.id, Math.min(community.promotionThreshold, 2), CANDIDATE_SCAN_LIMIT);
    return rows
      .filter((r) => isCandidate(r, community.promotionThreshold))
      .map((r) => ({ ...r, evidence: candidateEvidence(r) }))
      .sort((a, b) => b.evidence - a.evidence || b.score - a.score);
  }

  async candidates(communitySlug: string, user: User | null) {
    const ctx = await this.requireModerator(communitySlug, user);
    const candidates = await this.rankedCandidates(ctx.community);
    const authors = new Map((await this.users.findManyByIds(candidates.map((c) => c.answerAuthorId))).map((u) => [u.id, u]));
    return { ...ctx, candidates, authors };
  }

  /** A candidate that can still be promoted: not deleted, not already an entry, not dismissed (unless its score doubled). */
  private async liveCandidate(community: Community, answerId: string): Promise<FaqCandidateRow> {
    const existing = await this.faq.entryForAnswer(answerId);
    if (existing) throw new ConflictError('faq.alreadyPromoted');
    const row = await this.faq.candidateRow(answerId);
    if (!row || row.communityId !== community.id) throw new NotFoundError('faq.candidateNotFound');
    if (row.dismissal && !isCandidate(row, community.promotionThreshold)) throw new ConflictError('faq.candidateDismissed');
    return row;
  }

  async promotionDraft(communitySlug: string, user: User | null, answerId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const candidate = await this.liveCandidate(ctx.community, answerId);
    const categories = await this.faq.listCategories(ctx.community.id);
    const entries = await this.faq.listEntries(ctx.community.id, { status: 'published' });
    return {
      ...ctx,
      candidate,
      categories,
      trails: new Map(categories.map((c) => [c.id, this.trailOf(categories, c.id)])),
      entries,
      draft: { title: candidate.questionTitle, body: candidate.answerBodyMd },
    };
  }

  private checkEntry(input: EntryInput): { title: string; body: string; reason: string } {
    const errors: FieldErrors = {};
    const title = input.title.trim().replace(/\s+/g, ' ');
    const body = input.body.replace(/\r\n/g, '\n');
    const reason = (input.reason ?? '').trim();
    const titleLength = Array.from(title).length;
    if (titleLength === 0) errors.title = { key: 'validation.required' };
    else if (titleLength < 5 || titleLength > FAQ_TITLE_MAX) errors.title = { key: 'validation.lengthRange', params: { min: 5, max: FAQ_TITLE_MAX } };
    const bodyLength = Array.from(body.trim()).length;
    if (bodyLength === 0) errors.body = { key: 'validation.required' };
    else if (bodyLength > 30_000) errors.body = { key: 'validation.maxLength', params: { max: 30_000 } };
    if (Array.from(reason).length > REASON_MAX) errors.reason = { key: 'validation.maxLength', params: { max: REASON_MAX } };
    if (input.categoryId.trim() === '' && !(input.newCategoryName ?? '').trim()) errors.categoryId = { key: 'faq.chooseCategory' };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return { title, body, reason };
  }

  /** Uses the chosen category, or creates the new one the moderator named (within the depth limit). */
  private async resolveCategory(community: Community, input: EntryInput): Promise<FaqCategory> {
    const newName = (input.newCategoryName ?? '').trim();
    if (newName !== '') {
      try {
        return await this.createCategoryIn(community, newName, (input.newCategoryParentId ?? '').trim() || null);
      } catch (err) {
        if (err instanceof ValidationError) {
          const fields: FieldErrors = {};
          for (const [k, v] of Object.entries(err.fields)) fields[k === 'name' ? 'newCategoryName' : 'newCategoryParentId'] = v;
          throw new ValidationError(fields);
        }
        throw err;
      }
    }
    try {
      return await this.categoryInCommunity(community, input.categoryId.trim());
    } catch {
      throw new ValidationError({ categoryId: { key: 'faq.chooseCategory' } });
    }
  }

  private async relatedIn(community: Community, ids: string[], self: string | null): Promise<string[]> {
    const out: string[] = [];
    for (const id of [...new Set(ids.map((x) => x.trim()).filter((x) => x !== '' && x !== self))].slice(0, 20)) {
      const entry = await this.faq.findEntry(id);
      if (entry && entry.communityId === community.id) out.push(entry.id);
    }
    return out;
  }

  async promote(communitySlug: string, user: User | null, answerId: string, input: EntryInput): Promise<{ community: Community; entry: FaqEntry }> {
    const ctx = await this.requireModerator(communitySlug, user);
    const candidate = await this.liveCandidate(ctx.community, answerId);
    return this.publish(ctx.community, ctx.user, input, { questionId: candidate.questionId, answerId: candidate.answerId });
  }

  /** Checks the form, resolves (or creates) the category and stores the entry with revision 1. */
  private async publish(community: Community, author: User, input: EntryInput, source: { questionId: string; answerId: string } | null) {
    const { title, body } = this.checkEntry(input);
    const category = await this.resolveCategory(community, input);
    const entry = await this.faq.createEntry({
      communityId: community.id,
      categoryId: category.id,
      title,
      slug: slugify(title),
      ...renderedBody(body),
      sourceQuestionId: source?.questionId ?? null,
      sourceAnswerId: source?.answerId ?? null,
      relatedIds: await this.relatedIn(community, input.relatedIds, null),
      createdBy: author.id,
      now: this.now(),
    });
    return { community, entry };
  }

  async dismiss(communitySlug: string, user: User | null, answerId: string, rawReason: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const candidate = await this.liveCandidate(ctx.community, answerId);
    const reason = rawReason.trim();
    if (reason === '') throw new ValidationError({ reason: { key: 'faq.dismissReasonRequired' } });
    if (Array.from(reason).length > REASON_MAX) throw new ValidationError({ reason: { key: 'validation.maxLength', params: { max: REASON_MAX } } });
    await this.faq.dismiss({ answerId: candidate.answerId, communityId: ctx.community.id, dismissedBy: ctx.user.id, reason, scoreAtDismissal: candidate.score, createdAt: this.now() });
    return ctx;
  }

  /* ---------- entries ---------- */

  async entryFormData(communitySlug: string, user: User | null, entryId: string | null) {
    const ctx = await this.requireModerator(communitySlug, user);
    const categories = await this.faq.listCategories(ctx.community.id);
    const entries = await this.faq.listEntries(ctx.community.id, { status: 'all' });
    let entry: FaqEntry | null = null;
    let related: string[] = [];
    if (entryId !== null) {
      entry = await this.faq.findEntry(entryId);
      if (!entry || entry.communityId !== ctx.community.id) throw new NotFoundError('faq.notFound');
      related = (await this.faq.relatedEntries(entry.id)).map((e) => e.id);
    }
    return { ...ctx, categories, trails: new Map(categories.map((c) => [c.id, this.trailOf(categories, c.id)])), entries, entry, related };
  }

  async createEntry(communitySlug: string, user: User | null, input: EntryInput): Promise<{ community: Community; entry: FaqEntry }> {
    const ctx = await this.requireModerator(communitySlug, user);
    return this.publish(ctx.community, ctx.user, input, null);
  }

  async editEntry(communitySlug: string, user: User | null, entryId: string, input: EntryInput): Promise<{ community: Community; entry: FaqEntry }> {
    const ctx = await this.requireModerator(communitySlug, user);
    const existing = await this.faq.findEntry(entryId);
    if (!existing || existing.communityId !== ctx.community.id) throw new NotFoundError('faq.notFound');
    const { title, body, reason } = this.checkEntry(input);
    const category = await this.resolveCategory(ctx.community, input);
    const entry = await this.faq.editEntry({
      entryId: existing.id,
      editorId: ctx.user.id,
      categoryId: category.id,
      title,
      slug: slugify(title),
      ...renderedBody(body),
      relatedIds: await this.relatedIn(ctx.community, input.relatedIds, existing.id),
      reason,
      now: this.now(),
    });
    return { community: ctx.community, entry };
  }

  async setEntryState(communitySlug: string, user: User | null, entryId: string, action: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const entry = await this.faq.findEntry(entryId);
    if (!entry || entry.communityId !== ctx.community.id) throw new NotFoundError('faq.notFound');
    switch (action) {
      case 'pin':
        await this.faq.setPinned(entry.id, true);
        break;
      case 'unpin':
        await this.faq.setPinned(entry.id, false);
        break;
      case 'archive':
        await this.faq.setStatus(entry.id, 'archived');
        break;
      case 'publish':
        await this.faq.setStatus(entry.id, 'published');
        break;
      case 'reviewed':
        await this.faq.clearReview(entry.id);
        break;
      default:
        throw new ValidationError({ action: { key: 'validation.choice' } });
    }
    return { community: ctx.community, entry };
  }

  async entryRevisions(communitySlug: string, user: User | null, entryId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const entry = await this.faq.findEntry(entryId);
    if (!entry || entry.communityId !== ctx.community.id) throw new NotFoundError('faq.notFound');
    const revisions = await this.faq.listRevisions(entry.id);
    const authors = new Map((await this.users.findManyByIds(revisions.map((r) => r.authorId))).map((u) => [u.id, u]));
    return { ...ctx, entry, revisions, authors };
  }

  async setAutoPublish(communitySlug: string, user: User | null, input: { score: string; categoryId: string }) {
    const ctx = await this.requireModerator(communitySlug, user);
    const raw = input.score.trim();
    if (raw === '') {
      await this.faq.setAutoPublish(ctx.community.id, { score: null, categoryId: null });
      return ctx;
    }
    if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1) throw new ValidationError({ score: { key: 'validation.positiveInteger' } });
    const category = input.categoryId.trim() ? await this.faq.findCategory(input.categoryId.trim()) : null;
    if (!category || category.communityId !== ctx.community.id) throw new ValidationError({ categoryId: { key: 'faq.chooseCategory' } });
    await this.faq.setAutoPublish(ctx.community.id, { score: Number(raw), categoryId: category.id });
    return ctx;
  }

  /* ---------- reacting to Q&A changes ---------- */

  async answerEdited(answer: Answer): Promise<void> {
    await this.faq.flagForReview({ sourceAnswerId: answer.id }, 'source_edited');
  }

  /** After a vote: flag entries whose source was overtaken, and auto-publish where the community asked for it. */
  async votesChanged(post: Post): Promise<void> {
    if (post.type !== 'answer') return;
    await this.faq.flagForReview({ sourceQuestionId: post.questionId }, 'overtaken');
    const settings = await this.faq.getAutoPublish(post.communityId);
    if (settings.score === null || settings.categoryId === null) return;
    const row = await this.faq.candidateRow(post.id);
    if (!row || row.score < settings.score || row.dismissal) return;
    const category = await this.faq.findCategory(settings.categoryId);
    if (!category) return;
    try {
      await this.faq.createEntry({
        communityId: post.communityId,
        categoryId: category.id,
        title: row.questionTitle,
        slug: slugify(row.questionTitle),
        ...renderedBody(row.answerBodyMd),
        sourceQuestionId: row.questionId,
        sourceAnswerId: row.answerId,
        relatedIds: [],
        createdBy: row.answerAuthorId,
        now: this.now(),
      });
    } catch (err) {
      // Two votes racing past the threshold: the unique source index lets only one publish.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}

function renderedBody(bodyMd: string): { bodyMd: string; bodyHtml: string; bodyText: string } {
  const { html, text } = renderMarkdown(bodyMd);
  return { bodyMd, bodyHtml: html, bodyText: text };
}

export function faqEntryUrl(communitySlug: string, entry: Pick<FaqEntry, 'id' | 'slug'>): string {
  return `/c/${communitySlug}/faq/e/${entry.id}/${encodeURIComponent(entry.slug)}`;
}

export function faqCategoryUrl(communitySlug: string, path: string[]): string {
  return `/c/${communitySlug}/faq/${path.map(encodeURIComponent).join('/')}`;
}
