import type { EventRequest, FaqRepository, PostRepository, UserRepository } from '../../db/ports.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import { FAQ_MAX_DEPTH, type FaqCandidateRow, type FaqCategory, type FaqEntry, type FaqEntryRevision } from '../../domain/faq-types.js';
import { candidateEvidence, checkCreateDepth, checkDeleteTarget, checkMoveDepth, compareEntries, isCandidate, RESERVED_CATEGORY_SLUGS } from '../../domain/faq-rules.js';
import type { Answer, Post } from '../../domain/qa-types.js';
import type { Community, User } from '../../domain/types.js';
import { slugify } from '../../domain/slug.js';
import { renderMarkdown } from '../../markdown/render.js';
import type { CommunityService } from '../communities/community-service.js';
import type { ViewCounter } from '../qa/view-counter.js';
import { publishBacklog, publishRow, qualifiesForAutoPublish } from './auto-publish.js';
import { deleteIntoCategory, deleteIntoTopLevel, targetRefusal, TOP_LEVEL_TARGET } from './category-deletion.js';

export const FAQ_TITLE_MAX = 200;
const CATEGORY_NAME_MAX = 60;
const REASON_MAX = 300;
/** Candidates read per queue view; more than this waiting is a backlog nobody works through. */
export const CANDIDATE_READ_LIMIT = 2000;
/** Candidates shown at once: the strongest evidence first, the rest as those are handled. */
export const CANDIDATES_SHOWN = 200;

export interface CategoryNode extends FaqCategory {
  children: CategoryNode[];
  /** Published entries in this category and all below it. */
  entryCount: number;
  path: string[];
}

export interface RankedCandidate extends FaqCandidateRow {
  evidence: number;
}

export interface CandidateQueue {
  candidates: RankedCandidate[];
  /** False when the read limit was reached, so some qualifying answers may be missing. */
  complete: boolean;
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

/**
 * Told when an answer became an FAQ entry (by a moderator's promotion, or by auto-publish with
 * no actor). The entry was stored with its 'faq_published' event (src/db/event-port.ts), so
 * the listener only has to wake whoever delivers events; it must not throw.
 */
export interface FaqPublishListener {
  answerPublished(actor: User | null, community: Community, entry: FaqEntry): Promise<void>;
}

/** Hooks the Q&A service calls so the FAQ notices changes to its sources. */
export interface QaChangeListener {
  answerEdited(answer: Answer): Promise<void>;
  votesChanged(post: Post): Promise<void>;
}

/**
 * The tree a reader sees: the public only sees categories with a published entry somewhere
 * below them (an empty heading is a dead end); moderators see every category, since they
 * are the ones who fill them.
 */
function visibleTree(nodes: CategoryNode[], canModerate: boolean): CategoryNode[] {
  if (canModerate) return nodes;
  return nodes.filter((n) => n.entryCount > 0).map((n) => ({ ...n, children: visibleTree(n.children, false) }));
}

function visibleIds(nodes: CategoryNode[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    out.add(n.id);
    visibleIds(n.children, out);
  }
  return out;
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
    private readonly published: FaqPublishListener | null = null,
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
    const [categories, counts, top] = await Promise.all([
      this.faq.listCategories(ctx.community.id),
      this.faq.entryCountsByCategory(ctx.community.id),
      this.faq.topEntries(ctx.community.id, 10),
    ]);
    const tree = visibleTree(this.buildTree(categories, counts), ctx.canModerate);
    const shown = visibleIds(tree);
    return { ...ctx, tree, categories: categories.filter((c) => shown.has(c.id)), topEntries: top.entries, entryTotal: top.total };
  }

  /** Resolves a category from its slug path (/faq/a/b/c); anything that does not match is a 404. */
  async categoryPage(communitySlug: string, slugPath: string[], viewer: User | null) {
    const ctx = await this.communities.context(communitySlug, viewer);
    if (slugPath.length === 0 || slugPath.length > FAQ_MAX_DEPTH) throw new NotFoundError('faq.notFound');
    const [categories, counts] = await Promise.all([this.faq.listCategories(ctx.community.id), this.faq.entryCountsByCategory(ctx.community.id)]);
    // An empty category is a 404 for the public, as if it did not exist yet.
    const tree = visibleTree(this.buildTree(categories, counts), ctx.canModerate);
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
    return { ...ctx, entry, trail, related, sourceQuestion };
  }

  /** Counted by the route once it serves the canonical page, so a redirect is not a second view. */
  countView(entryId: string): void {
    this.views.count(entryId);
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
    const queue = await this.rankedCandidates(ctx.community);
    return {
      ...ctx,
      tree: this.buildTree(categories, counts),
      categories,
      entries: entries.sort(compareEntries),
      needsReview: entries.filter((e) => e.needsReview),
      candidateCount: queue.candidates.length,
      candidatesComplete: queue.complete,
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
  /** The category to move and the whole tree, for the move page's one "move under" picker. */
  async moveChoices(communitySlug: string, user: User | null, categoryId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    const categories = await this.faq.listCategories(ctx.community.id);
    return { ...ctx, category, categories };
  }

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

  /**
   * What deleting would affect, for the confirmation page (which asks where things go): the
   * categories that can take the children, and those that cannot because a child's slug is
   * taken there (shown, with the names).
   */
  async deletionPlan(communitySlug: string, user: User | null, categoryId: string) {
    const ctx = await this.requireModerator(communitySlug, user);
    const category = await this.categoryInCommunity(ctx.community, categoryId);
    const all = await this.faq.listCategories(ctx.community.id);
    const entries = await this.faq.listEntries(ctx.community.id, { categoryId: category.id, status: 'all' });
    const children = all.filter((c) => c.parentId === category.id).sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id));
    const targets: Array<{ category: FaqCategory; clashes: string[] }> = [];
    for (const c of all) {
      const check = checkDeleteTarget(all, category.id, c.id);
      if (check.ok) targets.push({ category: c, clashes: [] });
      else if (check.reason === 'clash') targets.push({ category: c, clashes: check.names });
    }
    // Children can become top-level categories; entries always need a category.
    const top = checkDeleteTarget(all, category.id, null);
    const topLevel = children.length > 0 && entries.length === 0 ? { clashes: !top.ok && top.reason === 'clash' ? top.names : [] } : null;
    return {
      ...ctx,
      category,
      categories: all,
      children,
      entryCount: entries.length,
      childCount: children.length,
      targets,
      topLevel,
      trails: new Map(all.map((t) => [t.id, this.trailOf(all, t.id)])),
    };
  }

  /** Every precondition is checked before anything changes, so the delete happens whole or not at all. */
  async deleteCategory(communitySlug: string, user: User | null, categoryId: string, rawTargetId: string) {
    const plan = await this.deletionPlan(communitySlug, user, categoryId);
    const targetId = rawTargetId.trim();
    if (plan.entryCount + plan.childCount === 0) {
      await this.faq.deleteCategory(plan.category.id, null, this.now());
      return plan;
    }
    if (targetId === '') throw new ValidationError({ targetId: { key: 'faq.category.chooseTarget' } });
    if (targetId === TOP_LEVEL_TARGET) {
      if (plan.entryCount > 0) throw new ValidationError({ targetId: { key: 'faq.category.entriesNeedCategory' } });
      const refusal = targetRefusal(checkDeleteTarget(plan.categories, plan.category.id, null), null);
      if (refusal) throw refusal;
      await deleteIntoTopLevel(this.faq, plan.category, plan.children, this.now);
      return plan;
    }
    const target = plan.categories.find((c) => c.id === targetId);
    if (!target) throw new ValidationError({ targetId: { key: 'faq.category.badTarget', params: { max: FAQ_MAX_DEPTH } } });
    const refusal = targetRefusal(checkDeleteTarget(plan.categories, plan.category.id, target.id), target);
    if (refusal) throw refusal;
    await deleteIntoCategory(this.faq, plan.category, plan.children, target, this.now);
    return plan;
  }

  /* ---------- candidates and promotion ---------- */

  /**
   * The query returns exactly the answers the rule admits (score at the threshold, or
   * accepted with score >= 2), plus dismissed ones, which are dropped here unless their score
   * doubled; all of them are then ranked by evidence.
   */
  private async rankedCandidates(community: Community): Promise<CandidateQueue> {
    const rows = await this.faq.candidateRows(community.id, community.promotionThreshold, CANDIDATE_READ_LIMIT);
    const candidates = rows
      .filter((r) => isCandidate(r, community.promotionThreshold))
      .map((r) => ({ ...r, evidence: candidateEvidence(r) }))
      .sort((a, b) => b.evidence - a.evidence || b.score - a.score);
    return { candidates, complete: rows.length < CANDIDATE_READ_LIMIT };
  }

  async candidates(communitySlug: string, user: User | null) {
    const ctx = await this.requireModerator(communitySlug, user);
    const queue = await this.rankedCandidates(ctx.community);
    const candidates = queue.candidates.slice(0, CANDIDATES_SHOWN);
    const authors = new Map((await this.users.findManyByIds(candidates.map((c) => c.answerAuthorId))).map((u) => [u.id, u]));
    return { ...ctx, candidates, total: queue.candidates.length, complete: queue.complete, authors };
  }

  /**
   * A candidate that can still be promoted or dismissed: not deleted, not already an entry,
   * and admitted by the community's rule (a dismissed one only once its score doubled). Any
   * other answer can still become an entry written by hand.
   */
  private async liveCandidate(community: Community, answerId: string): Promise<FaqCandidateRow> {
    const existing = await this.faq.entryForAnswer(answerId);
    if (existing) throw new ConflictError('faq.alreadyPromoted');
    const row = await this.faq.candidateRow(answerId);
    if (!row || row.communityId !== community.id) throw new NotFoundError('faq.candidateNotFound');
    if (!isCandidate(row, community.promotionThreshold)) {
      if (row.dismissal) throw new ConflictError('faq.candidateDismissed');
      throw new ConflictError('faq.notACandidate', { threshold: community.promotionThreshold, score: row.score });
    }
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
      const parentId = (input.newCategoryParentId ?? '').trim() || null;
      // The parent comes from a list of this community's categories: anything else is a form mistake, not a missing page.
      if (parentId !== null && (await this.faq.findCategory(parentId))?.communityId !== community.id) {
        throw new ValidationError({ newCategoryParentId: { key: 'faq.category.badParent' } });
      }
      try {
        return await this.createCategoryIn(community, newName, parentId);
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
    const wanted = [...new Set(ids.map((x) => x.trim()).filter((x) => x !== '' && x !== self))].slice(0, 20);
    if (wanted.length === 0) return [];
    // One read for all the links; the order the moderator gave is kept.
    const found = new Set(await this.faq.entryIdsInCommunity(community.id, wanted));
    return wanted.filter((id) => found.has(id));
  }

  async promote(communitySlug: string, user: User | null, answerId: string, input: EntryInput): Promise<{ community: Community; entry: FaqEntry }> {
    const ctx = await this.requireModerator(communitySlug, user);
    const candidate = await this.liveCandidate(ctx.community, answerId);
    const result = await this.publish(ctx.community, ctx.user, input, { questionId: candidate.questionId, answerId: candidate.answerId }, { actorId: ctx.user.id });
    await this.published?.answerPublished(ctx.user, result.community, result.entry);
    return result;
  }

  /** Checks the form, resolves (or creates) the category and stores the entry with revision 1. */
  private async publish(community: Community, author: User, input: EntryInput, source: { questionId: string; answerId: string } | null, event?: EventRequest) {
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
      ...(event ? { event } : {}),
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
    // Every change is in the entry's history: who, what, when.
    const by = { userId: user!.id, now: this.now() };
    switch (action) {
      case 'pin':
        await this.faq.setPinned(entry.id, true, by);
        break;
      case 'unpin':
        await this.faq.setPinned(entry.id, false, by);
        break;
      case 'archive':
        await this.faq.setStatus(entry.id, 'archived', by);
        break;
      case 'publish':
        await this.faq.setStatus(entry.id, 'published', by);
        break;
      case 'reviewed':
        await this.faq.clearReview(entry.id, by);
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
    const [revisions, events] = await Promise.all([this.faq.listRevisions(entry.id), this.faq.listEntryEvents(entry.id)]);
    const authors = new Map((await this.users.findManyByIds([...revisions.map((r) => r.authorId), ...events.map((e) => e.actorId)])).map((u) => [u.id, u]));
    return { ...ctx, entry, revisions, events, authors, autoPublished: await this.wasAutoPublished(ctx.community, entry, revisions[0], authors) };
  }

  /**
   * Auto-publish credits revision 1 to the answer's author (nobody else is recorded). Only
   * moderators publish by hand, so a first version by the source answer's author who cannot
   * moderate here was published automatically. (A moderator's own answer stays ambiguous and
   * is shown as theirs, which it is.)
   */
  private async wasAutoPublished(community: Community, entry: FaqEntry, first: FaqEntryRevision | undefined, authors: Map<string, User>): Promise<boolean> {
    if (!first || first.revision !== 1 || !entry.sourceAnswerId) return false;
    const answer = await this.posts.findPost(entry.sourceAnswerId);
    if (!answer || answer.authorId !== first.authorId) return false;
    return !(await this.communities.context(community.slug, authors.get(first.authorId) ?? null)).canModerate;
  }

  async setAutoPublish(communitySlug: string, user: User | null, input: { score: string; categoryId: string }) {
    const ctx = await this.requireModerator(communitySlug, user);
    const raw = input.score.trim();
    if (raw === '') {
      await this.faq.setAutoPublish(ctx.community.id, { score: null, categoryId: null });
      return { ...ctx, published: 0, more: false };
    }
    if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1) throw new ValidationError({ score: { key: 'validation.positiveInteger' } });
    const category = input.categoryId.trim() ? await this.faq.findCategory(input.categoryId.trim()) : null;
    if (!category || category.communityId !== ctx.community.id) throw new ValidationError({ categoryId: { key: 'faq.chooseCategory' } });
    const settings = { score: Number(raw), categoryId: category.id };
    await this.faq.setAutoPublish(ctx.community.id, settings);
    // Answers that already have the score would otherwise wait for someone to vote on them again.
    return { ...ctx, ...(await publishBacklog(this.faq, ctx.community.id, settings, category, this.now)) };
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
    if (!row || !qualifiesForAutoPublish(row, settings)) return;
    const category = await this.faq.findCategory(settings.categoryId);
    if (!category) return;
    // Nobody acted: the answer's author hears that the score published it.
    const entry = await publishRow(this.faq, category, row, this.now(), { actorId: null });
    const community = entry ? await this.communities.byId(entry.communityId) : null;
    if (entry && community) await this.published?.answerPublished(null, community, entry);
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
