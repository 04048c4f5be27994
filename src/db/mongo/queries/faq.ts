import type { FaqAutoPublish, FaqEntryEdit, NewFaqEntry } from '../../ports.js';
import type { FaqDismissal, FaqReviewReason } from '../../../domain/faq-types.js';
import type { FaqCategoryDoc, FaqEntryDoc, FaqEntryRevisionDoc } from '../models/index.js';
import { ASK_FREQUENCY_WEIGHTS as W } from '../../../domain/faq-rules.js';
import { count, text, type FindSpec, type Pipeline, type UpdateSpec } from './spec.js';
import type { BulkUpdateOne } from './qa.js';

/* ---------- categories ---------- */

export function newFaqCategoryDoc(
  id: number,
  communityId: number,
  parentId: number | null,
  input: { name: string; slug: string; depth: number; now: number },
  position: number,
): FaqCategoryDoc {
  return { _id: id, communityId, parentId, name: input.name, slug: input.slug, position, depth: input.depth, createdAt: input.now, updatedAt: input.now };
}

export const categoriesQuery = (communityId: number): FindSpec => ({ filter: { communityId }, sort: { depth: 1, position: 1, _id: 1 } });

/** The last sibling under a parent (null = top level): a new or moved category goes after it. */
export const lastSiblingQuery = (communityId: number, parentId: number | null): FindSpec => ({
  filter: { communityId, parentId },
  sort: { position: -1 },
  limit: 1,
  projection: { position: 1 },
});

export const nextPosition = (last: { position: number } | null | undefined): number => (last ? last.position + 1 : 0);

export const renameCategoryQuery = (id: number, name: string, slug: string, now: number): UpdateSpec => ({
  filter: { _id: id },
  update: { $set: { name, slug, updatedAt: now } },
  options: { returnDocument: 'after' },
});

export const moveCategoryQuery = (id: number, parentId: number | null, position: number, now: number): UpdateSpec => ({
  filter: { _id: id },
  update: { $set: { parentId, position, updatedAt: now } },
});

/** Children of any of the given categories: one level of the subtree walk (at most four levels). */
export const childrenQuery = (parentIds: number[]): FindSpec => ({ filter: { parentId: { $in: parentIds } }, projection: { _id: 1 } });

export const shiftDepthQuery = (ids: number[], shift: number): UpdateSpec => ({ filter: { _id: { $in: ids } }, update: { $inc: { depth: shift } } });

/** The nearest sibling before (up) or after (down) a category. */
export function neighbourQuery(row: Pick<FaqCategoryDoc, 'communityId' | 'parentId' | 'position'>, direction: 'up' | 'down'): FindSpec {
  return {
    filter: { communityId: row.communityId, parentId: row.parentId, position: direction === 'up' ? { $lt: row.position } : { $gt: row.position } },
    sort: { position: direction === 'up' ? -1 : 1 },
    limit: 1,
  };
}

export const setPositionQuery = (id: number, position: number): UpdateSpec => ({ filter: { _id: id }, update: { $set: { position } } });

export const moveEntriesToCategoryQuery = (from: number, to: number, now: number): UpdateSpec => ({
  filter: { categoryId: from },
  update: { $set: { categoryId: to, updatedAt: now } },
});

export const reparentChildrenQuery = (from: number, to: number, now: number): UpdateSpec => ({
  filter: { parentId: from },
  update: { $set: { parentId: to, updatedAt: now } },
});

export function entryCountsPipeline(communityId: number): Pipeline {
  return [{ $match: { communityId, status: 'published' } }, { $group: { _id: '$categoryId', n: { $sum: 1 } } }];
}

/* ---------- entries ---------- */

export function newFaqEntryDoc(
  id: number,
  ids: { communityId: number; categoryId: number; createdBy: number; sourceQuestionId: number | null; sourceAnswerId: number | null },
  input: Pick<NewFaqEntry, 'title' | 'slug' | 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>,
  sourceDuplicates = 0,
): FaqEntryDoc {
  return {
    _id: id,
    communityId: ids.communityId,
    categoryId: ids.categoryId,
    title: input.title,
    slug: input.slug,
    bodyMd: input.bodyMd,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    sourceQuestionId: ids.sourceQuestionId,
    sourceAnswerId: ids.sourceAnswerId,
    status: 'published',
    pinned: false,
    pinPosition: 0,
    viewCount: 0,
    helpfulYes: 0,
    helpfulNo: 0,
    searchClicks: 0,
    sourceDuplicates,
    askFrequency: W.duplicates * sourceDuplicates,
    needsReview: false,
    reviewReason: null,
    revisionCount: 1,
    relatedIds: [],
    createdBy: ids.createdBy,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

export function newFaqRevisionDoc(
  id: number,
  entryId: number,
  revision: number,
  authorId: number,
  categoryId: number,
  fields: { title: string; bodyMd: string; reason: string; now: number },
): FaqEntryRevisionDoc {
  return { _id: id, entryId, revision, authorId, title: fields.title, bodyMd: fields.bodyMd, categoryId, reason: fields.reason, createdAt: fields.now };
}

/** A new revision's text; editing also clears the review flag (the moderator has looked). */
export function editEntryQuery(id: number, categoryId: number, edit: Pick<FaqEntryEdit, 'title' | 'slug' | 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>, revision: number): UpdateSpec {
  return {
    filter: { _id: id },
    update: {
      $set: {
        categoryId,
        title: edit.title,
        slug: edit.slug,
        bodyMd: edit.bodyMd,
        bodyHtml: edit.bodyHtml,
        bodyText: edit.bodyText,
        revisionCount: revision,
        needsReview: false,
        reviewReason: null,
        updatedAt: edit.now,
      },
    },
  };
}

export function entriesQuery(communityId: number, options: { categoryId?: number; status?: 'published' | 'archived' | 'all'; needsReview?: boolean }): FindSpec {
  const filter: Record<string, unknown> = { communityId };
  if (options.categoryId !== undefined) filter.categoryId = options.categoryId;
  const status = options.status ?? 'published';
  if (status !== 'all') filter.status = status;
  if (options.needsReview) filter.needsReview = true;
  return { filter, sort: { _id: 1 } };
}

/**
 * The FAQ home's top entries, in the order of compareEntries (faq-rules): pinned by pin
 * position (0 when unpinned), then ask frequency as stored on the entry, then newest. The
 * faq_entries_rank index yields exactly this order.
 */
export const topEntriesQuery = (communityId: number, limit: number): FindSpec => ({
  filter: { communityId, status: 'published' },
  sort: { pinned: -1, pinPosition: 1, askFrequency: -1, createdAt: -1, _id: -1 },
  limit: Math.max(0, Math.floor(limit)),
});

/** Views counted in memory and flushed in batches; each also counts towards the ask frequency. */
export function addEntryViewsOps(counts: Iterable<[number, number]>): BulkUpdateOne[] {
  const ops: BulkUpdateOne[] = [];
  for (const [id, n] of counts) {
    if (Number.isSafeInteger(n) && n > 0) ops.push({ updateOne: { filter: { _id: id }, update: { $inc: { viewCount: n, askFrequency: W.views * n } } } });
  }
  return ops;
}

/** A duplicate closed into (delta 1) or reopened out of (-1) a question counts on every entry sourced from it. */
export const sourceDuplicatesChangeQuery = (questionId: number, delta: 1 | -1): UpdateSpec => ({
  filter: { sourceQuestionId: questionId },
  update: { $inc: { sourceDuplicates: delta, askFrequency: W.duplicates * delta } },
});

export const publishedEntryCountQuery = (communityId: number): FindSpec => ({ filter: { communityId, status: 'published' } });

/** Related links are symmetric, so "entries related to X" is "entries whose list holds X". */
export const entryIdsInCommunityQuery = (communityId: number, ids: number[]): FindSpec => ({
  filter: { _id: { $in: ids }, communityId },
  projection: { _id: 1 },
});
export const relatedEntriesQuery = (entryId: number): FindSpec => ({ filter: { relatedIds: entryId, status: 'published' }, sort: { title: 1, _id: 1 } });

export const revisionsOfEntryQuery = (entryId: number): FindSpec => ({ filter: { entryId }, sort: { revision: 1 } });

/**
 * Replacing an entry's related links, in order: unlink it from every entry that lists it,
 * set its own list, then add it to each linked entry. Each step is idempotent ($pull,
 * $set, $addToSet), and the repository runs the three inside the entry's transaction.
 */
export function relatedLinkQueries(entryId: number, validRelated: number[]): { unlink: UpdateSpec; set: UpdateSpec; link: UpdateSpec } {
  return {
    unlink: { filter: { relatedIds: entryId }, update: { $pull: { relatedIds: entryId } } },
    set: { filter: { _id: entryId }, update: { $set: { relatedIds: validRelated } } },
    link: { filter: { _id: { $in: validRelated } }, update: { $addToSet: { relatedIds: entryId } } },
  };
}

/** Of the ids given as related, those to link: existing entries, not the entry itself, once each. */
export function validRelatedIds(entryId: number, requested: number[], existing: Iterable<number>): number[] {
  const known = new Set(existing);
  return [...new Set(requested)].filter((id) => id !== entryId && known.has(id));
}

export const lastPinQuery = (communityId: number): FindSpec => ({
  filter: { communityId, pinned: true },
  sort: { pinPosition: -1 },
  limit: 1,
  projection: { pinPosition: 1 },
});

export const setPinnedQuery = (id: number, pinned: boolean, pinPosition: number): UpdateSpec => ({
  filter: { _id: id },
  update: { $set: { pinned, pinPosition } },
});

export const setStatusQuery = (id: number, status: 'published' | 'archived'): UpdateSpec => ({ filter: { _id: id }, update: { $set: { status } } });
export const addSearchClickQuery = (id: number): UpdateSpec => ({ filter: { _id: id }, update: { $inc: { searchClicks: 1, askFrequency: W.searchClicks } } });

/* ---------- search outbox: which entries a change touches ---------- */

/**
 * Entries made from a question take its tags into their search documents. Any status: an
 * archived entry's outbox entry only confirms that it is out of the index.
 */
export const entryIdsOfSourceQuestionQuery = (questionId: number): FindSpec => ({ filter: { sourceQuestionId: questionId }, projection: { _id: 1 } });

/** Entries hanging on any of these categories (their search documents hold the category path). */
export const entryIdsInCategoriesQuery = (categoryIds: number[]): FindSpec => ({ filter: { categoryId: { $in: categoryIds } }, projection: { _id: 1 } });

/* ---------- helpful votes ---------- */

export const helpfulVoteQuery = (entryId: number, voterKey: string): FindSpec => ({ filter: { entryId, voterKey: text(voterKey) } });

/** Counter change on the entry for a first vote (previous undefined) or a changed one. */
export function helpfulCountChange(previous: boolean | undefined, helpful: boolean): { helpfulYes: number; helpfulNo: number } | null {
  if (previous === helpful) return null;
  if (previous === undefined) return helpful ? { helpfulYes: 1, helpfulNo: 0 } : { helpfulYes: 0, helpfulNo: 1 };
  return helpful ? { helpfulYes: 1, helpfulNo: -1 } : { helpfulYes: -1, helpfulNo: 1 };
}

export const upsertHelpfulVoteQuery = (entryId: number, voterKey: string, helpful: boolean, now: number): UpdateSpec => ({
  filter: { entryId, voterKey: text(voterKey) },
  update: { $set: { helpful, createdAt: now } },
  options: { upsert: true },
});

export const helpfulCountsQuery = (entryId: number, change: { helpfulYes: number; helpfulNo: number }): UpdateSpec => ({
  filter: { _id: entryId },
  update: { $inc: { ...change, askFrequency: W.helpfulYes * change.helpfulYes } },
  options: { returnDocument: 'after', projection: { helpfulYes: 1, helpfulNo: 1 } },
});

/* ---------- candidates ---------- */

/**
 * Answers that may become FAQ entries, with their evidence, as one aggregation: live answers
 * (matching `match`), best score first, without those already promoted, whose question is
 * live, joined with the question (title, views, duplicates) and any dismissal. The limit is
 * applied after the exclusions so a page is full whenever enough candidates exist.
 */
export function candidatePipeline(match: Record<string, unknown>, limit: number | null): Pipeline {
  const pipeline: Pipeline = [
    { $match: { type: 'answer', deletedAt: null, ...match } },
    { $sort: { score: -1, _id: 1 } },
    { $lookup: { from: 'faqEntries', localField: '_id', foreignField: 'sourceAnswerId', as: 'promoted', pipeline: [{ $limit: 1 }, { $project: { _id: 1 } }] } },
    { $match: { promoted: { $size: 0 } } },
    {
      $lookup: {
        from: 'posts',
        localField: 'questionId',
        foreignField: '_id',
        as: 'question',
        pipeline: [{ $match: { deletedAt: null } }, { $project: { title: 1, viewCount: 1, duplicateCount: 1 } }],
      },
    },
    { $unwind: '$question' },
  ];
  if (limit !== null) pipeline.push({ $limit: count(limit) });
  pipeline.push(
    { $lookup: { from: 'faqDismissals', localField: '_id', foreignField: '_id', as: 'dismissals', pipeline: [{ $project: { scoreAtDismissal: 1, reason: 1 } }] } },
    {
      $project: {
        _id: 1,
        questionId: 1,
        communityId: 1,
        questionTitle: '$question.title',
        bodyText: 1,
        bodyMd: 1,
        authorId: 1,
        score: 1,
        upVotes: 1,
        downVotes: 1,
        isAccepted: 1,
        questionViews: { $ifNull: ['$question.viewCount', 0] },
        duplicateCount: { $ifNull: ['$question.duplicateCount', 0] },
        createdAt: 1,
        dismissal: { $ifNull: [{ $first: '$dismissals' }, null] },
      },
    },
  );
  return pipeline;
}

/** A community's candidates: score at the threshold, or accepted with score >= 2 (DESIGN.md section 7). */
export function communityCandidatesPipeline(communityId: number, minScore: number, limit: number): Pipeline {
  return candidatePipeline({ communityId, $or: [{ score: { $gte: minScore } }, { isAccepted: true, score: { $gte: 2 } }] }, limit);
}

export const singleCandidatePipeline = (answerId: number): Pipeline => candidatePipeline({ _id: answerId }, null);

export const entryForAnswerQuery = (answerId: number): FindSpec => ({ filter: { sourceAnswerId: answerId } });

/** A second dismissal of the same answer replaces the first. */
export function dismissQuery(d: FaqDismissal, ids: { answerId: number; communityId: number; dismissedBy: number }): UpdateSpec {
  return {
    filter: { _id: ids.answerId },
    update: { $set: { communityId: ids.communityId, dismissedBy: ids.dismissedBy, reason: d.reason, scoreAtDismissal: d.scoreAtDismissal, createdAt: d.createdAt } },
    options: { upsert: true },
  };
}

/* ---------- review flags ---------- */

export const flagBySourceAnswerQuery = (answerId: number, reason: FaqReviewReason): UpdateSpec => ({
  filter: { sourceAnswerId: answerId, needsReview: false },
  update: { $set: { needsReview: true, reviewReason: reason } },
});

export const unflaggedEntriesOfQuestionQuery = (questionId: number): FindSpec => ({
  filter: { sourceQuestionId: questionId, needsReview: false, sourceAnswerId: { $ne: null } },
  projection: { _id: 1, sourceAnswerId: 1 },
});

export const flagEntriesQuery = (ids: number[], reason: FaqReviewReason): UpdateSpec => ({
  filter: { _id: { $in: ids }, needsReview: false },
  update: { $set: { needsReview: true, reviewReason: reason } },
});

/** Scores of the question's answers and of the entries' source answers (live or not). */
export const answerScoresQuery = (questionId: number, sourceAnswerIds: number[]): FindSpec => ({
  filter: { $or: [{ questionId, type: 'answer' }, { _id: { $in: sourceAnswerIds } }] },
  projection: { score: 1, questionId: 1, type: 1, deletedAt: 1 },
});

/**
 * Entries overtaken by another answer: some other live answer to the source question now
 * scores higher than the entry's source answer (scores of every answer, live or not, by id).
 */
export function overtakenEntryIds(
  entries: ReadonlyArray<{ _id: number; sourceAnswerId: number | null }>,
  scores: ReadonlyMap<number, number>,
  liveAnswerIds: ReadonlySet<number>,
): number[] {
  const out: number[] = [];
  for (const e of entries) {
    if (e.sourceAnswerId === null) continue;
    const own = scores.get(e.sourceAnswerId);
    if (own === undefined) continue;
    for (const id of liveAnswerIds) {
      if (id !== e.sourceAnswerId && (scores.get(id) ?? -Infinity) > own) {
        out.push(e._id);
        break;
      }
    }
  }
  return out;
}

export const clearReviewQuery = (id: number): UpdateSpec => ({ filter: { _id: id }, update: { $set: { needsReview: false, reviewReason: null } } });

export const entryEventsQuery = (entryId: number): FindSpec => ({ filter: { entryId }, sort: { createdAt: 1, _id: 1 } });

/* ---------- auto-publish (stored on the community) ---------- */

export const autoPublishQuery = (communityId: number): FindSpec => ({
  filter: { _id: communityId },
  projection: { faqAutoPublishScore: 1, faqAutoPublishCategoryId: 1 },
});

export const setAutoPublishQuery = (communityId: number, settings: FaqAutoPublish, categoryId: number | null): UpdateSpec => ({
  filter: { _id: communityId },
  update: { $set: { faqAutoPublishScore: settings.score, faqAutoPublishCategoryId: categoryId } },
});
