import { SUMMARY_TEXT_CHARS, type AnswerRange, type NewAnswer, type NewQuestion, type PostEdit, type QuestionListQuery } from '../../ports.js';
import type { ActivityKind, PostType, VoteValue } from '../../../domain/qa-types.js';
import { REPUTATION, reputationForVote } from '../../../domain/reputation.js';
import type { CommentDoc, PostDoc, RevisionDoc } from '../models/index.js';
import { count, text, type FindSpec, type Pipeline, type Projection, type UpdateSpec } from './spec.js';

/* ---------- documents ---------- */

export function newQuestionDoc(id: number, communityId: number, authorId: number, input: NewQuestion): PostDoc {
  return {
    _id: id,
    type: 'question',
    communityId,
    authorId,
    title: input.title,
    slug: input.slug,
    bodyMd: input.bodyMd,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    tags: uniqueTags(input.tags),
    score: 0,
    upVotes: 0,
    downVotes: 0,
    answerCount: 0,
    acceptedAnswerId: null,
    viewCount: 0,
    commentCount: 0,
    revisionCount: 1,
    duplicateCount: 0,
    createdAt: input.now,
    editedAt: null,
    lastActivityAt: input.now,
    lastActivityUserId: authorId,
    lastActivityKind: 'ask',
    deletedAt: null,
  };
}

export function newAnswerDoc(id: number, question: { _id: number; communityId: number }, authorId: number, input: NewAnswer): PostDoc {
  return {
    _id: id,
    type: 'answer',
    communityId: question.communityId,
    questionId: question._id,
    authorId,
    bodyMd: input.bodyMd,
    bodyHtml: input.bodyHtml,
    bodyText: input.bodyText,
    score: 0,
    upVotes: 0,
    downVotes: 0,
    isAccepted: false,
    commentCount: 0,
    revisionCount: 1,
    duplicateCount: 0,
    createdAt: input.now,
    editedAt: null,
    deletedAt: null,
  };
}

export function newRevisionDoc(
  id: number,
  postId: number,
  revision: number,
  authorId: number,
  fields: { title: string | null; bodyMd: string; tags: string[]; reason: string },
  now: number,
): RevisionDoc {
  return { _id: id, postId, revision, authorId, title: fields.title, bodyMd: fields.bodyMd, tags: [...fields.tags], reason: fields.reason, createdAt: now };
}

export function newCommentDoc(id: number, postId: number, authorId: number, body: string, bodyHtml: string, now: number): CommentDoc {
  return { _id: id, postId, authorId, body, bodyHtml, createdAt: now, deletedAt: null };
}

/** Tags are already normalised by the service; a tag listed twice counts once. */
export function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(text))];
}

/* ---------- reads ---------- */

export const livePostQuery = (id: number): FindSpec => ({ filter: { _id: id, deletedAt: null } });
export const liveQuestionQuery = (id: number): FindSpec => ({ filter: { _id: id, type: 'question', deletedAt: null } });
export const liveQuestionsByIdsQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids }, type: 'question', deletedAt: null } });

const ANSWER_SORT = { isAccepted: -1, score: -1, createdAt: 1, _id: 1 } as const;

/**
 * Accepted first, then by score, then oldest; ties by id, so that pages of one thread never
 * overlap (served by the posts_answers index). With a range, only that slice: skip/limit on
 * the same sort (the caller never sends limit 0, which MongoDB reads as "no limit").
 */
export function answersQuery(questionId: number, range?: AnswerRange): FindSpec {
  const spec: FindSpec = { filter: { questionId, type: 'answer', deletedAt: null }, sort: { ...ANSWER_SORT } };
  if (range) {
    spec.skip = count(range.offset);
    spec.limit = count(range.limit);
  }
  return spec;
}

/** The fields of an answer that place it in the answersQuery order. */
export interface AnswerSortKeys {
  _id: number;
  isAccepted: boolean;
  score: number;
  createdAt: number;
}

export const answerSortKeysQuery = (questionId: number, answerId: number): FindSpec => ({
  filter: { _id: answerId, questionId, type: 'answer', deletedAt: null },
  projection: { isAccepted: 1, score: 1, createdAt: 1 },
});

/**
 * The live answers of the question that sort before `a` in the answersQuery order, for one
 * countDocuments: each $or branch fixes the keys before it and compares the next one, so
 * every branch is an index range on posts_answers. An accepted answer has none ahead of it
 * on acceptance; any other has the accepted one ahead.
 */
export function answersBeforeQuery(questionId: number, a: AnswerSortKeys): FindSpec {
  const same = { isAccepted: a.isAccepted };
  const before: Array<Record<string, unknown>> = [
    ...(a.isAccepted ? [] : [{ isAccepted: true }]),
    { ...same, score: { $gt: a.score } },
    { ...same, score: a.score, createdAt: { $lt: a.createdAt } },
    { ...same, score: a.score, createdAt: a.createdAt, _id: { $lt: a._id } },
  ];
  return { filter: { questionId, type: 'answer', deletedAt: null, $or: before } };
}

const LIST_SORT: Record<QuestionListQuery['sort'], Record<string, 1 | -1>> = {
  active: { lastActivityAt: -1, _id: 1 },
  newest: { createdAt: -1, _id: 1 },
  top: { score: -1, createdAt: -1, _id: 1 },
  unanswered: { createdAt: -1, _id: 1 },
};

/**
 * A community's question list for one tab, optionally filtered by a tag. Every variant is
 * served by one index: posts_q_<tab> without a tag, posts_tag_<tab> (multikey on the
 * embedded tags) with one. Fetches limit + 1 so the caller knows whether a next page exists.
 */
export function questionListQuery(communityId: number, query: Pick<QuestionListQuery, 'sort' | 'tag' | 'offset' | 'limit' | 'summary'>): FindSpec {
  const filter: Record<string, unknown> = { communityId, type: 'question', deletedAt: null };
  if (query.tag !== undefined) filter.tags = text(query.tag);
  if (query.sort === 'unanswered') filter.answerCount = 0;
  const spec: FindSpec = { filter, sort: LIST_SORT[query.sort], skip: count(query.offset), limit: count(query.limit) + 1 };
  if (query.summary) spec.projection = SUMMARY_PROJECTION;
  return spec;
}

/*
 * A list row needs no bodies (QuestionListQuery.summary): the mapper fills '' for them, and
 * the repository cuts bodyText (a projection cannot both exclude fields and compute one).
 */
const SUMMARY_PROJECTION: Projection = { bodyMd: 0, bodyHtml: 0 };

/** bodyText of a summary row: the first SUMMARY_TEXT_CHARS characters (code points, as SQLite's substr). */
export function summaryText(text: string): string {
  const chars = Array.from(text);
  return chars.length <= SUMMARY_TEXT_CHARS ? text : chars.slice(0, SUMMARY_TEXT_CHARS).join('');
}

export const recentQuestionsQuery = (limit: number): FindSpec => ({
  filter: { type: 'question', deletedAt: null },
  sort: { lastActivityAt: -1, _id: 1 },
  limit: count(limit),
  projection: SUMMARY_PROJECTION,
});

export const postsByAuthorQuery = (authorId: number, limit: number): FindSpec => ({
  filter: { authorId, deletedAt: null },
  sort: { createdAt: -1, _id: 1 },
  limit: count(limit),
});

/**
 * Every answer of a question, deleted or not: they repeat its title, slug and tags, so an
 * edit of the question changes their search documents (a deleted one's entry is harmless:
 * the worker finds no document and removes it from the index).
 */
export const answerIdsOfQuestionQuery = (questionId: number): FindSpec => ({ filter: { questionId, type: 'answer' }, projection: { _id: 1 } });

export const revisionsQuery = (postId: number): FindSpec => ({ filter: { postId }, sort: { revision: 1 } });
export const countQuestionsQuery = (): FindSpec => ({ filter: { type: 'question', deletedAt: null } });

/* ---------- tags ---------- */

export const existingTagsQuery = (communityId: number, names: string[]): FindSpec => ({
  filter: { communityId, name: { $in: names.map(text) } },
  projection: { name: 1 },
});

export const popularTagsQuery = (communityId: number, limit: number): FindSpec => ({
  filter: { communityId, questionCount: { $gt: 0 } },
  sort: { questionCount: -1, name: 1 },
  limit: count(limit),
});

export const tagByNameQuery = (communityId: number, name: string): FindSpec => ({ filter: { communityId, name: text(name) } });

export interface BulkUpdateOne {
  updateOne: { filter: Record<string, unknown>; update: Record<string, unknown>; upsert?: boolean };
}

/**
 * Tag counter changes for a question's tags: +1 for each added tag (created on first use
 * with a pre-reserved id), -1 for each removed one. A tag whose id is not in newIds exists
 * already, so its update never inserts.
 */
export function tagCountOps(communityId: number, added: string[], removed: string[], newIds: ReadonlyMap<string, number>): BulkUpdateOne[] {
  const ops: BulkUpdateOne[] = [];
  for (const name of added) {
    const id = newIds.get(name);
    ops.push({
      updateOne:
        id === undefined
          ? { filter: { communityId, name }, update: { $inc: { questionCount: 1 } } }
          : { filter: { communityId, name }, update: { $inc: { questionCount: 1 }, $setOnInsert: { _id: id } }, upsert: true },
    });
  }
  for (const name of removed) ops.push({ updateOne: { filter: { communityId, name }, update: { $inc: { questionCount: -1 } } } });
  return ops;
}

/** Which tags a question gained and lost in an edit (order kept, duplicates ignored). */
export function tagChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: [...a].filter((t) => !b.has(t)), removed: [...b].filter((t) => !a.has(t)) };
}

/* ---------- writes ---------- */

/** A new answer bumps the question's answer count and activity. */
export const answerAddedQuery = (questionId: number, authorId: number, now: number): UpdateSpec => ({
  filter: { _id: questionId, type: 'question' },
  update: { $inc: { answerCount: 1 }, $set: { lastActivityAt: now, lastActivityUserId: authorId, lastActivityKind: 'answer' } },
});

export const questionActivityQuery = (questionId: number, userId: number, now: number, kind: ActivityKind): UpdateSpec => ({
  filter: { _id: questionId, type: 'question' },
  update: { $set: { lastActivityAt: now, lastActivityUserId: userId, lastActivityKind: kind } },
});

export function editQuestionQuery(
  postId: number,
  fields: { title: string; slug: string; tags: string[] },
  edit: Pick<PostEdit, 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>,
  editorId: number,
  revision: number,
): UpdateSpec {
  return {
    filter: { _id: postId, type: 'question' },
    update: {
      $set: {
        title: fields.title,
        slug: fields.slug,
        tags: fields.tags,
        bodyMd: edit.bodyMd,
        bodyHtml: edit.bodyHtml,
        bodyText: edit.bodyText,
        revisionCount: revision,
        editedAt: edit.now,
        lastActivityAt: edit.now,
        lastActivityUserId: editorId,
        lastActivityKind: 'edit',
      },
    },
  };
}

export function editAnswerQuery(postId: number, edit: Pick<PostEdit, 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>, revision: number): UpdateSpec {
  return {
    filter: { _id: postId, type: 'answer' },
    update: { $set: { bodyMd: edit.bodyMd, bodyHtml: edit.bodyHtml, bodyText: edit.bodyText, revisionCount: revision, editedAt: edit.now } },
  };
}

export const setIsAcceptedQuery = (answerId: number, isAccepted: boolean): UpdateSpec => ({
  filter: { _id: answerId, type: 'answer' },
  update: { $set: { isAccepted } },
});

export const setAcceptedAnswerIdQuery = (questionId: number, answerId: number | null, now: number): UpdateSpec => ({
  filter: { _id: questionId, type: 'question' },
  update: { $set: { acceptedAnswerId: answerId, lastActivityAt: now } },
});

/**
 * The reputation that goes with an accepted answer: the answerer gets answerAccepted, the
 * asker acceptedByAsker; accepting your own answer earns nothing (as on Stack Overflow).
 * sign -1 takes it back when the acceptance moves or is cleared.
 */
export function acceptanceReputation(askerId: number, answerAuthorId: number, sign: 1 | -1): Array<{ userId: number; delta: number }> {
  if (answerAuthorId === askerId) return [];
  return [
    { userId: answerAuthorId, delta: sign * REPUTATION.answerAccepted },
    { userId: askerId, delta: sign * REPUTATION.acceptedByAsker },
  ];
}

/** View counts buffered by the view counter, applied as one unordered bulk of $inc. */
export function addViewsOps(counts: Iterable<[number, number]>, field = 'viewCount'): BulkUpdateOne[] {
  const ops: BulkUpdateOne[] = [];
  for (const [id, n] of counts) {
    if (Number.isSafeInteger(n) && n > 0) ops.push({ updateOne: { filter: { _id: id }, update: { $inc: { [field]: n } } } });
  }
  return ops;
}

/* ---------- votes ---------- */

export interface VoteEffects {
  score: number;
  upVotes: number;
  downVotes: number;
  reputation: number;
}

/** What changing a user's vote on a post from oldValue to newValue does to the counters. */
export function voteEffects(type: PostType, oldValue: VoteValue, newValue: VoteValue): VoteEffects {
  return {
    score: newValue - oldValue,
    upVotes: (newValue === 1 ? 1 : 0) - (oldValue === 1 ? 1 : 0),
    downVotes: (newValue === -1 ? 1 : 0) - (oldValue === -1 ? 1 : 0),
    reputation: reputationForVote(type, newValue) - reputationForVote(type, oldValue),
  };
}

export const voteQuery = (postId: number, userId: number): FindSpec => ({ filter: { postId, userId } });

/** Sets the value; the first vote's time is kept when the vote is changed (as SQLite's ON CONFLICT). */
export const upsertVoteQuery = (postId: number, userId: number, value: 1 | -1, now: number): UpdateSpec => ({
  filter: { postId, userId },
  update: { $set: { value }, $setOnInsert: { createdAt: now } },
  options: { upsert: true },
});

export const postScoreQuery = (postId: number, effects: VoteEffects): UpdateSpec => ({
  filter: { _id: postId },
  update: { $inc: { score: effects.score, upVotes: effects.upVotes, downVotes: effects.downVotes } },
  options: { returnDocument: 'after', projection: { score: 1, upVotes: 1, downVotes: 1 } },
});

export const votesByQuery = (userId: number, postIds: number[]): FindSpec => ({
  filter: { userId, postId: { $in: postIds } },
  projection: { postId: 1, value: 1 },
});

/* ---------- comments ---------- */

export const commentAddedQuery = (postId: number): UpdateSpec => ({ filter: { _id: postId }, update: { $inc: { commentCount: 1 } } });

export const commentsForQuery = (postIds: number[]): FindSpec => ({
  filter: { postId: { $in: postIds }, deletedAt: null },
  sort: { createdAt: 1, _id: 1 },
});

/* ---------- recompute (scripts/recompute-reputation) ---------- */

/** Score, up and down votes per post, from the vote documents. */
export function voteTotalsPipeline(): Pipeline {
  return [
    {
      $group: {
        _id: '$postId',
        score: { $sum: '$value' },
        upVotes: { $sum: { $cond: [{ $eq: ['$value', 1] }, 1, 0] } },
        downVotes: { $sum: { $cond: [{ $eq: ['$value', -1] }, 1, 0] } },
      },
    },
  ];
}

/** Reputation earned from votes, per post author (rules from src/domain/reputation.ts). */
export function voteReputationPipeline(): Pipeline {
  return [
    // Votes on deleted posts do not count (a moderator's delete takes them away, undelete gives them back).
    { $lookup: { from: 'posts', localField: 'postId', foreignField: '_id', as: 'post', pipeline: [{ $match: { deletedAt: null } }, { $project: { type: 1, authorId: 1 } }] } },
    { $unwind: '$post' },
    {
      $group: {
        _id: '$post.authorId',
        reputation: {
          $sum: {
            $switch: {
              branches: [
                { case: { $and: [{ $eq: ['$value', 1] }, { $eq: ['$post.type', 'answer'] }] }, then: REPUTATION.answerUpvoted },
                { case: { $eq: ['$value', 1] }, then: REPUTATION.questionUpvoted },
              ],
              default: REPUTATION.downvoted,
            },
          },
        },
      },
    },
  ];
}

/** Accepted answers with their asker, where answerer and asker differ (self-accepts earn nothing). */
export function acceptedAnswersPipeline(): Pipeline {
  return [
    { $match: { type: 'answer', isAccepted: true } },
    { $lookup: { from: 'posts', localField: 'questionId', foreignField: '_id', as: 'question', pipeline: [{ $project: { authorId: 1 } }] } },
    { $unwind: '$question' },
    { $project: { _id: 0, answererId: '$authorId', askerId: '$question.authorId' } },
    { $match: { $expr: { $ne: ['$answererId', '$askerId'] } } },
  ];
}

/** Sums the reputation sources into one total per user. */
export function reputationTotals(
  fromVotes: Iterable<{ _id: number; reputation: number }>,
  accepted: Iterable<{ answererId: number; askerId: number }>,
): Map<number, number> {
  const totals = new Map<number, number>();
  const add = (id: number, n: number) => totals.set(id, (totals.get(id) ?? 0) + n);
  for (const row of fromVotes) add(row._id, row.reputation);
  for (const row of accepted) {
    add(row.answererId, REPUTATION.answerAccepted);
    add(row.askerId, REPUTATION.acceptedByAsker);
  }
  return totals;
}

/**
 * The $set updates that bring stored values to their targets; documents already right are
 * left alone so the result counts real changes (what recomputeAll reports).
 */
export function correctionOps<K extends string>(
  current: Iterable<{ _id: number } & Partial<Record<NoInfer<K>, number>>>,
  target: (id: number) => Record<K, number>,
): BulkUpdateOne[] {
  const ops: BulkUpdateOne[] = [];
  for (const doc of current) {
    const want = target(doc._id);
    const differs = (Object.keys(want) as K[]).some((k) => (doc[k] ?? 0) !== want[k]);
    if (differs) ops.push({ updateOne: { filter: { _id: doc._id }, update: { $set: want } } });
  }
  return ops;
}
