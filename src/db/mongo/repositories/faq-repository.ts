import { Types, type ClientSession } from 'mongoose';
import { recordMongoEvent } from './event-outbox-repository.js';
import type { FaqActor, FaqAutoPublish, FaqEntryEdit, FaqRepository, NewFaqEntry } from '../../ports.js';
import type { FaqCandidateRow, FaqCategory, FaqDismissal, FaqEntry, FaqEntryAction, FaqEntryEvent, FaqEntryRevision, FaqReviewReason } from '../../../domain/faq-types.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { parseId, parseIds, searchDocIdOf, SEQUENCES } from '../ids.js';
import { isDuplicateKeyError } from '../connection.js';
import { mapCandidate, mapFaqCategory, mapFaqEntry, mapFaqEntryRevision, type CandidateAggRow } from '../mappers.js';
import type { CommunityDoc, FaqCategoryDoc, FaqEntryDoc, FaqEntryEventDoc, FaqEntryRevisionDoc, FaqHelpfulVoteDoc, PostDoc } from '../models/index.js';
import {
  addSearchClickQuery,
  answerScoresQuery,
  autoPublishQuery,
  categoriesQuery,
  childrenQuery,
  clearReviewQuery,
  communityCandidatesPipeline,
  dismissQuery,
  entryEventsQuery,
  editEntryQuery,
  entriesQuery,
  entryCountsPipeline,
  entryForAnswerQuery,
  entryIdsInCategoriesQuery,
  flagBySourceAnswerQuery,
  flagEntriesQuery,
  helpfulCountChange,
  helpfulCountsQuery,
  helpfulVoteQuery,
  lastPinQuery,
  lastSiblingQuery,
  moveCategoryQuery,
  moveEntriesToCategoryQuery,
  neighbourQuery,
  newFaqCategoryDoc,
  newFaqEntryDoc,
  newFaqRevisionDoc,
  nextPosition,
  overtakenEntryIds,
  publishedEntryCountQuery,
  topEntriesQuery,
  addEntryViewsOps,
  relatedEntriesQuery,
  entryIdsInCommunityQuery,
  relatedLinkQueries,
  renameCategoryQuery,
  reparentChildrenQuery,
  revisionsOfEntryQuery,
  setAutoPublishQuery,
  setPinnedQuery,
  setPositionQuery,
  setStatusQuery,
  shiftDepthQuery,
  singleCandidatePipeline,
  unflaggedEntriesOfQuestionQuery,
  upsertHelpfulVoteQuery,
  validRelatedIds,
} from '../queries/faq.js';
import { aggregate, bulk, countDocuments, deleteOne, findMany, findOne, findOneAndUpdate, insert, updateMany, updateOne, type MongoContext } from './context.js';

/** A duplicate slug among siblings is a conflict the moderator can fix; any other duplicate is a bug. */
function slugConflict(err: unknown): ConflictError | null {
  return isDuplicateKeyError(err) ? new ConflictError('faq.category.slugTaken') : null;
}

export class MongoFaqRepository implements FaqRepository {
  constructor(private readonly ctx: MongoContext) {}

  /** As the SQLite repository: a malformed id on a write is "not found". */
  private id(raw: string): number {
    const n = parseId(raw);
    if (n === null) throw new NotFoundError('faq.notFound');
    return n;
  }

  /** Entries carry their source question's duplicate count (evidence for ordering). */
  private async withDuplicateCounts(docs: FaqEntryDoc[], session?: ClientSession): Promise<FaqEntry[]> {
    const questionIds = [...new Set(docs.map((d) => d.sourceQuestionId).filter((x): x is number => x !== null && x !== undefined))];
    const counts = new Map<number, number>();
    if (questionIds.length > 0) {
      const posts = await findMany<PostDoc>(this.ctx.models.posts, { filter: { _id: { $in: questionIds } }, projection: { duplicateCount: 1 } }, session);
      for (const p of posts) counts.set(p._id, p.duplicateCount ?? 0);
    }
    return docs.map((d) => mapFaqEntry(d, d.sourceQuestionId ? (counts.get(d.sourceQuestionId) ?? 0) : 0));
  }

  private async entryById(id: number, session?: ClientSession): Promise<FaqEntry | null> {
    const doc = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, { filter: { _id: id } }, session);
    return doc ? (await this.withDuplicateCounts([doc], session))[0]! : null;
  }

  /** A category and all its descendants, walked level by level (the tree is at most four deep). */
  private async subtree(id: number, session: ClientSession): Promise<number[]> {
    const ids = [id];
    let frontier = [id];
    while (frontier.length > 0) {
      const children = await findMany<FaqCategoryDoc>(this.ctx.models.faqCategories, childrenQuery(frontier), session);
      frontier = children.map((c) => c._id).filter((x) => !ids.includes(x));
      ids.push(...frontier);
    }
    return ids;
  }

  /** Outbox entries for every entry hanging in these categories: their documents hold the category path. */
  private async enqueueEntriesIn(categoryIds: number[], session: ClientSession): Promise<void> {
    const entries = await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, entryIdsInCategoriesQuery(categoryIds), session);
    await this.ctx.enqueueSearch(entries.map((e) => searchDocIdOf('faq', e._id)), session);
  }

  /* ---------- categories ---------- */

  async listCategories(communityId: string): Promise<FaqCategory[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    return (await findMany<FaqCategoryDoc>(this.ctx.models.faqCategories, categoriesQuery(c))).map(mapFaqCategory);
  }

  async findCategory(id: string): Promise<FaqCategory | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, { filter: { _id: n } });
    return doc ? mapFaqCategory(doc) : null;
  }

  /**
   * No transaction: one insert. The position is "after the last sibling"; two categories
   * created at the same instant under one parent may share a position, which only affects
   * their relative order (reorder fixes it), while the unique index still guards the slug.
   */
  async createCategory(input: { communityId: string; parentId: string | null; name: string; slug: string; depth: number; now: number }): Promise<FaqCategory> {
    const c = this.id(input.communityId);
    const parent = input.parentId === null ? null : this.id(input.parentId);
    const last = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, lastSiblingQuery(c, parent));
    const doc = newFaqCategoryDoc(await this.ctx.reserveId(SEQUENCES.faqCategories), c, parent, input, nextPosition(last));
    try {
      await insert(this.ctx.models.faqCategories, [doc]);
    } catch (err) {
      throw slugConflict(err) ?? err;
    }
    return mapFaqCategory(doc);
  }

  /**
   * Transaction: the new name and the outbox entries of every entry in the category's
   * subtree (their documents show the path by name) are written together.
   */
  async renameCategory(id: string, name: string, slug: string, now: number): Promise<FaqCategory> {
    const n = this.id(id);
    try {
      return await this.ctx.tx(async (session) => {
        const doc = await findOneAndUpdate<FaqCategoryDoc>(this.ctx.models.faqCategories, renameCategoryQuery(n, name, slug, now), session);
        if (!doc) throw new NotFoundError('faq.notFound');
        await this.enqueueEntriesIn(await this.subtree(n, session), session);
        return mapFaqCategory(doc);
      });
    } catch (err) {
      throw slugConflict(err) ?? err;
    }
  }

  /**
   * Transaction: re-parenting a category and shifting the depth of its whole subtree must
   * happen together, or a half-moved subtree could break the four-level limit; the outbox
   * entries of the entries in the subtree (whose path changes) go with them. The subtree is
   * walked level by level inside the transaction (at most four queries).
   */
  async moveCategory(id: string, newParentId: string | null, newDepth: number, now: number): Promise<void> {
    const n = this.id(id);
    const parent = newParentId === null ? null : this.id(newParentId);
    try {
      await this.ctx.tx(async (session) => {
        const row = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, { filter: { _id: n } }, session);
        if (!row) throw new NotFoundError('faq.notFound');
        const shift = newDepth - row.depth;
        const last = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, lastSiblingQuery(row.communityId, parent), session);
        await updateOne(this.ctx.models.faqCategories, moveCategoryQuery(n, parent, nextPosition(last), now), session);
        const subtree = await this.subtree(n, session);
        if (shift !== 0) await updateMany(this.ctx.models.faqCategories, shiftDepthQuery(subtree, shift), session);
        await this.enqueueEntriesIn(subtree, session);
      });
    } catch (err) {
      throw slugConflict(err) ?? err;
    }
  }

  /** Transaction: the two sibling positions are swapped together. */
  async reorderCategory(id: string, direction: 'up' | 'down'): Promise<void> {
    const n = this.id(id);
    await this.ctx.tx(async (session) => {
      const row = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, { filter: { _id: n } }, session);
      if (!row) throw new NotFoundError('faq.notFound');
      const neighbour = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, neighbourQuery(row, direction), session);
      if (!neighbour) return;
      await updateOne(this.ctx.models.faqCategories, setPositionQuery(row._id, neighbour.position), session);
      await updateOne(this.ctx.models.faqCategories, setPositionQuery(neighbour._id, row.position), session);
    });
  }

  /**
   * Transaction: moving the contents to the target, the outbox entries of everything moved
   * (the entries, and the entries below the moved child categories: their paths change) and
   * deleting the category happen together. The subtree is read before the move, while it
   * still hangs under this category.
   */
  async deleteCategory(id: string, targetId: string | null, now: number): Promise<void> {
    const n = this.id(id);
    const target = targetId === null ? null : this.id(targetId);
    try {
      await this.ctx.tx(async (session) => {
        if (target !== null) {
          const moved = await this.subtree(n, session);
          await updateMany(this.ctx.models.faqEntries, moveEntriesToCategoryQuery(n, target, now), session);
          await updateMany(this.ctx.models.faqCategories, reparentChildrenQuery(n, target, now), session);
          await this.enqueueEntriesIn(moved, session);
        }
        const left =
          (await countDocuments(this.ctx.models.faqEntries, { filter: { categoryId: n } }, session)) +
          (await countDocuments(this.ctx.models.faqCategories, { filter: { parentId: n } }, session));
        if (left > 0) throw new ConflictError('faq.category.notEmpty');
        await deleteOne(this.ctx.models.faqCategories, { filter: { _id: n } }, session);
      });
    } catch (err) {
      throw slugConflict(err) ?? err;
    }
  }

  async entryCountsByCategory(communityId: string): Promise<Map<string, number>> {
    const c = parseId(communityId);
    const out = new Map<string, number>();
    if (c === null) return out;
    for (const row of await aggregate<{ _id: number; n: number }>(this.ctx.models.faqEntries, entryCountsPipeline(c))) out.set(String(row._id), row.n);
    return out;
  }

  /* ---------- entries ---------- */

  /** Part of the caller's transaction: replaces the entry's (symmetric) related links. */
  private async setRelated(entryId: number, relatedIds: string[], session: ClientSession): Promise<void> {
    const requested = parseIds(relatedIds);
    const existing = requested.length
      ? (await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, { filter: { _id: { $in: requested } }, projection: { _id: 1 } }, session)).map((d) => d._id)
      : [];
    const q = relatedLinkQueries(entryId, validRelatedIds(entryId, requested, existing));
    await updateMany(this.ctx.models.faqEntries, q.unlink, session);
    await updateOne(this.ctx.models.faqEntries, q.set, session);
    await updateMany(this.ctx.models.faqEntries, q.link, session);
  }

  /**
   * Transaction: the entry, its revision 1, the related links on the other entries and its
   * search outbox entry are written together (promoting a candidate is this call). The
   * unique index on sourceAnswerId makes a second promotion of the same answer a ConflictError.
   */
  async createEntry(input: NewFaqEntry): Promise<FaqEntry> {
    const ids = {
      communityId: this.id(input.communityId),
      categoryId: this.id(input.categoryId),
      createdBy: this.id(input.createdBy),
      sourceQuestionId: input.sourceQuestionId === null ? null : this.id(input.sourceQuestionId),
      sourceAnswerId: input.sourceAnswerId === null ? null : this.id(input.sourceAnswerId),
    };
    const entryId = await this.ctx.reserveId(SEQUENCES.faqEntries);
    const revisionId = await this.ctx.reserveId(SEQUENCES.faqRevisions);
    try {
      return await this.ctx.tx(async (session) => {
        const category = await findOne<FaqCategoryDoc>(this.ctx.models.faqCategories, { filter: { _id: ids.categoryId }, projection: { _id: 1 } }, session);
        if (!category) throw new NotFoundError('faq.notFound');
        // The source question's duplicates start the entry's ask frequency (ranking reads it from the entry).
        const source = ids.sourceQuestionId === null ? null : await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: ids.sourceQuestionId }, projection: { duplicateCount: 1 } }, session);
        await insert(this.ctx.models.faqEntries, [newFaqEntryDoc(entryId, ids, input, source?.duplicateCount ?? 0)], session);
        await insert(this.ctx.models.faqEntryRevisions, [newFaqRevisionDoc(revisionId, entryId, 1, ids.createdBy, ids.categoryId, { ...input, reason: '' })], session);
        await this.setRelated(entryId, input.relatedIds, session);
        await this.ctx.enqueueSearch([searchDocIdOf('faq', entryId)], session);
        if (input.event && ids.sourceQuestionId !== null && ids.sourceAnswerId !== null) {
          await recordMongoEvent(this.ctx, 'faq_published', input.event, { questionId: String(ids.sourceQuestionId), answerId: String(ids.sourceAnswerId), entryId: String(entryId) }, input.now, session);
        }
        return (await this.entryById(entryId, session))!;
      });
    } catch (err) {
      // The only unique index an insert here can hit is the one-entry-per-source-answer one.
      if (isDuplicateKeyError(err)) throw new ConflictError('faq.alreadyPromoted');
      throw err;
    }
  }

  /** Transaction: new text, a revision numbered from the entry read inside it, the related links and the outbox entry. */
  async editEntry(edit: FaqEntryEdit): Promise<FaqEntry> {
    const n = this.id(edit.entryId);
    const author = this.id(edit.editorId);
    const category = this.id(edit.categoryId);
    const revisionId = await this.ctx.reserveId(SEQUENCES.faqRevisions);
    return this.ctx.tx(async (session) => {
      const row = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, { filter: { _id: n } }, session);
      if (!row) throw new NotFoundError('faq.notFound');
      const revision = (row.revisionCount ?? 1) + 1;
      await updateOne(this.ctx.models.faqEntries, editEntryQuery(n, category, edit, revision), session);
      await insert(this.ctx.models.faqEntryRevisions, [newFaqRevisionDoc(revisionId, n, revision, author, category, edit)], session);
      await this.setRelated(n, edit.relatedIds, session);
      await this.ctx.enqueueSearch([searchDocIdOf('faq', n)], session);
      return (await this.entryById(n, session))!;
    });
  }

  async findEntry(id: string): Promise<FaqEntry | null> {
    const n = parseId(id);
    return n === null ? null : this.entryById(n);
  }

  async entryIdsInCommunity(communityId: string, ids: string[]): Promise<string[]> {
    const c = parseId(communityId);
    const parsed = [...new Set(ids.map(parseId).filter((n): n is number => n !== null))];
    if (c === null || parsed.length === 0) return [];
    return (await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, entryIdsInCommunityQuery(c, parsed))).map((d) => String(d._id));
  }

  async listEntries(communityId: string, options: { categoryId?: string; status?: 'published' | 'archived' | 'all'; needsReview?: boolean }): Promise<FaqEntry[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    let categoryId: number | undefined;
    if (options.categoryId !== undefined) {
      const cat = parseId(options.categoryId);
      if (cat === null) return [];
      categoryId = cat;
    }
    const docs = await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, entriesQuery(c, { ...options, categoryId }));
    return this.withDuplicateCounts(docs);
  }

  async topEntries(communityId: string, limit: number): Promise<{ entries: FaqEntry[]; total: number }> {
    const c = parseId(communityId);
    if (c === null) return { entries: [], total: 0 };
    const [docs, total] = await Promise.all([
      findMany<FaqEntryDoc>(this.ctx.models.faqEntries, topEntriesQuery(c, limit)),
      countDocuments(this.ctx.models.faqEntries, publishedEntryCountQuery(c)),
    ]);
    return { entries: docs.map((doc) => mapFaqEntry(doc, doc.sourceDuplicates ?? 0)), total };
  }

  async relatedEntries(entryId: string): Promise<FaqEntry[]> {
    const n = parseId(entryId);
    if (n === null) return [];
    return this.withDuplicateCounts(await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, relatedEntriesQuery(n)));
  }

  async listRevisions(entryId: string): Promise<FaqEntryRevision[]> {
    const n = parseId(entryId);
    if (n === null) return [];
    return (await findMany<FaqEntryRevisionDoc>(this.ctx.models.faqEntryRevisions, revisionsOfEntryQuery(n))).map(mapFaqEntryRevision);
  }

  /** Part of the caller's transaction: the history line of a moderator action. */
  private async recordEvent(entryId: number, action: FaqEntryAction, by: FaqActor | undefined, session: ClientSession): Promise<void> {
    if (!by) return;
    await insert(this.ctx.models.faqEntryEvents, [{ _id: new Types.ObjectId(), entryId, actorId: this.id(by.userId), action, createdAt: by.now }], session);
  }

  async listEntryEvents(entryId: string): Promise<FaqEntryEvent[]> {
    const n = parseId(entryId);
    if (n === null) return [];
    return (await findMany<FaqEntryEventDoc>(this.ctx.models.faqEntryEvents, entryEventsQuery(n))).map((d) => ({
      id: String(d._id),
      entryId: String(d.entryId),
      actorId: String(d.actorId),
      action: d.action,
      createdAt: d.createdAt,
    }));
  }

  /**
   * Transaction: the pin and its history line are written together. The pin position is
   * "after the last pinned entry"; two pins at the same instant may share a position, which
   * only affects their relative order. No outbox entry: pins order the FAQ pages, not search
   * results.
   */
  async setPinned(entryId: string, pinned: boolean, by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    await this.ctx.tx(async (session) => {
      const row = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, { filter: { _id: n }, projection: { communityId: 1 } }, session);
      if (!row) throw new NotFoundError('faq.notFound');
      let position = 0;
      if (pinned) {
        const last = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, lastPinQuery(row.communityId), session);
        position = (last?.pinPosition ?? 0) + 1;
      }
      await updateOne(this.ctx.models.faqEntries, setPinnedQuery(n, pinned, position), session);
      await this.recordEvent(n, pinned ? 'pin' : 'unpin', by, session);
    });
  }

  /**
   * Transaction: the status and the outbox entry (archiving removes the entry from search,
   * publishing adds it back) are written together.
   */
  async setStatus(entryId: string, status: 'published' | 'archived', by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    await this.ctx.tx(async (session) => {
      const result = await updateOne(this.ctx.models.faqEntries, setStatusQuery(n, status), session);
      if (result.matchedCount === 0) throw new NotFoundError('faq.notFound');
      await this.ctx.enqueueSearch([searchDocIdOf('faq', n)], session);
      await this.recordEvent(n, status === 'archived' ? 'archive' : 'publish', by, session);
    });
  }

  /** Views, search clicks, dismissals and review flags are not in search documents: no outbox entries. */
  async addViews(counts: Map<string, number>): Promise<void> {
    const parsed: Array<[number, number]> = [];
    for (const [id, n] of counts) {
      const p = parseId(id);
      if (p !== null) parsed.push([p, n]);
    }
    await bulk(this.ctx.models.faqEntries, addEntryViewsOps(parsed));
  }

  async addSearchClick(entryId: string): Promise<void> {
    const n = parseId(entryId);
    if (n !== null) await updateOne(this.ctx.models.faqEntries, addSearchClickQuery(n));
  }

  /**
   * Transaction: the voter's helpful vote, the entry's yes/no counters and its outbox entry
   * (the document ranks on helpful votes) change together; a repeated vote writes nothing.
   */
  async recordHelpful(entryId: string, voterKey: string, helpful: boolean, now: number): Promise<{ yes: number; no: number; changed: boolean }> {
    const n = this.id(entryId);
    return this.ctx.tx(async (session) => {
      const entry = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, { filter: { _id: n }, projection: { helpfulYes: 1, helpfulNo: 1 } }, session);
      if (!entry) throw new NotFoundError('faq.notFound');
      const previous = await findOne<FaqHelpfulVoteDoc>(this.ctx.models.faqHelpfulVotes, helpfulVoteQuery(n, voterKey), session);
      const change = helpfulCountChange(previous?.helpful, helpful);
      if (!change) return { yes: entry.helpfulYes ?? 0, no: entry.helpfulNo ?? 0, changed: false };
      await updateOne(this.ctx.models.faqHelpfulVotes, upsertHelpfulVoteQuery(n, voterKey, helpful, now), session);
      const after = await findOneAndUpdate<FaqEntryDoc>(this.ctx.models.faqEntries, helpfulCountsQuery(n, change), session);
      await this.ctx.enqueueSearch([searchDocIdOf('faq', n)], session);
      return { yes: after!.helpfulYes, no: after!.helpfulNo, changed: true };
    });
  }

  /* ---------- candidates ---------- */

  async candidateRows(communityId: string, minScore: number, limit: number): Promise<FaqCandidateRow[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    return (await aggregate<CandidateAggRow>(this.ctx.models.posts, communityCandidatesPipeline(c, minScore, limit))).map(mapCandidate);
  }

  async candidateRow(answerId: string): Promise<FaqCandidateRow | null> {
    const n = parseId(answerId);
    if (n === null) return null;
    const [row] = await aggregate<CandidateAggRow>(this.ctx.models.posts, singleCandidatePipeline(n));
    return row ? mapCandidate(row) : null;
  }

  async entryForAnswer(answerId: string): Promise<FaqEntry | null> {
    const n = parseId(answerId);
    if (n === null) return null;
    const doc = await findOne<FaqEntryDoc>(this.ctx.models.faqEntries, entryForAnswerQuery(n));
    return doc ? (await this.withDuplicateCounts([doc]))[0]! : null;
  }

  async dismiss(d: FaqDismissal): Promise<void> {
    const ids = { answerId: this.id(d.answerId), communityId: this.id(d.communityId), dismissedBy: this.id(d.dismissedBy) };
    await updateOne(this.ctx.models.faqDismissals, dismissQuery(d, ids));
  }

  /**
   * An idempotent ordered sequence, no transaction: read the candidate entries and the
   * answer scores, then flag with a filter that still requires needsReview: false. Running it
   * twice flags nothing new; a score change racing with it is caught by the next call (the
   * service calls this after every vote and edit).
   */
  async flagForReview(filter: { sourceAnswerId?: string; sourceQuestionId?: string }, reason: FaqReviewReason): Promise<number> {
    if (filter.sourceAnswerId !== undefined) {
      const n = parseId(filter.sourceAnswerId);
      if (n === null) return 0;
      return (await updateMany(this.ctx.models.faqEntries, flagBySourceAnswerQuery(n, reason))).modifiedCount;
    }
    if (filter.sourceQuestionId !== undefined) {
      const q = parseId(filter.sourceQuestionId);
      if (q === null) return 0;
      const entries = await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, unflaggedEntriesOfQuestionQuery(q));
      if (entries.length === 0) return 0;
      const sources = entries.map((e) => e.sourceAnswerId).filter((x): x is number => x !== null);
      const answers = await findMany<PostDoc>(this.ctx.models.posts, answerScoresQuery(q, sources));
      const scores = new Map(answers.map((a) => [a._id, a.score ?? 0]));
      const live = new Set(answers.filter((a) => a.type === 'answer' && a.questionId === q && (a.deletedAt ?? null) === null).map((a) => a._id));
      const ids = overtakenEntryIds(entries, scores, live);
      if (ids.length === 0) return 0;
      return (await updateMany(this.ctx.models.faqEntries, flagEntriesQuery(ids, reason))).modifiedCount;
    }
    return 0;
  }

  /** A single write, or with `by` a transaction with its history line. */
  async clearReview(entryId: string, by?: FaqActor): Promise<void> {
    const n = this.id(entryId);
    if (!by) {
      await updateOne(this.ctx.models.faqEntries, clearReviewQuery(n));
      return;
    }
    await this.ctx.tx(async (session) => {
      const result = await updateOne(this.ctx.models.faqEntries, clearReviewQuery(n), session);
      if (result.matchedCount > 0) await this.recordEvent(n, 'reviewed', by, session);
    });
  }

  async getAutoPublish(communityId: string): Promise<FaqAutoPublish> {
    const doc = await findOne<CommunityDoc>(this.ctx.models.communities, autoPublishQuery(this.id(communityId)));
    return { score: doc?.faqAutoPublishScore ?? null, categoryId: doc?.faqAutoPublishCategoryId ? String(doc.faqAutoPublishCategoryId) : null };
  }

  async setAutoPublish(communityId: string, settings: FaqAutoPublish): Promise<void> {
    const category = settings.categoryId === null ? null : this.id(settings.categoryId);
    await updateOne(this.ctx.models.communities, setAutoPublishQuery(this.id(communityId), settings, category));
  }
}
