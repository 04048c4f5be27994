import mongoose, { type Model } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';
import type { FindSpec, UpdateSpec } from '../../src/db/mongo/queries/spec.js';
import * as accounts from '../../src/db/mongo/queries/accounts.js';
import * as qa from '../../src/db/mongo/queries/qa.js';
import * as faq from '../../src/db/mongo/queries/faq.js';
import * as searchLog from '../../src/db/mongo/queries/search-log.js';
import { reserveIdsQuery } from '../../src/db/mongo/queries/counters.js';
import { idsFromSeq, parseId, parseIds } from '../../src/db/mongo/ids.js';
import { REPUTATION, reputationForVote } from '../../src/domain/reputation.js';
import type { VoteValue } from '../../src/domain/qa-types.js';

/*
 * The query builders the repositories pass to mongoose unchanged. Each test checks the
 * filter / update / sort / options and then has mongoose build and cast the real query on
 * an offline model (strict 'throw'), proving every path exists and every value casts.
 */
const models: Models = createModels(mongoose.createConnection());

function castFind(model: Model<unknown>, spec: FindSpec) {
  const q = model.find(spec.filter, spec.projection ?? null);
  if (spec.sort) q.sort(spec.sort);
  if (spec.skip) q.skip(spec.skip);
  if (spec.limit !== undefined) q.limit(spec.limit);
  q.cast(model);
  for (const key of Object.keys(spec.sort ?? {})) expect(model.schema.path(key), `sort key ${key}`).toBeDefined();
  return { filter: q.getFilter(), options: q.getOptions() };
}

function castUpdate(model: Model<unknown>, spec: UpdateSpec) {
  const q = model.updateOne(spec.filter, spec.update as never, spec.options ?? {});
  q.cast(model);
  return { filter: q.getFilter(), update: (q as unknown as { _castUpdate(u: unknown): unknown })._castUpdate(q.getUpdate()), options: q.getOptions() };
}

const M = models as unknown as Record<keyof Models, Model<unknown>>;

describe('ids', () => {
  it('accepts only plain positive decimal integers', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['', '0', '-1', '01', '1.5', ' 1', '1 ', '１', 'x'.repeat(500), '{"$gt":""}', '9007199254740993', '1e3']) expect(parseId(bad)).toBeNull();
    expect(parseId({ $gt: '' })).toBeNull();
    expect(parseId(5)).toBeNull();
  });

  it('parseIds drops malformed ids and duplicates, keeping order', () => {
    expect(parseIds(['3', 'x', '1', '3', '0'])).toEqual([3, 1]);
  });

  it('reserves ids with one atomic $inc on the sequence counter, created on first use', () => {
    const spec = reserveIdsQuery('posts', 3);
    expect(spec).toEqual({ filter: { _id: 'posts' }, update: { $inc: { seq: 3 } }, options: { upsert: true, returnDocument: 'after', projection: { seq: 1 } } });
    expect(castUpdate(M.counters, spec).update).toEqual({ $inc: { seq: 3 } });
    expect(idsFromSeq(42, 3)).toEqual([40, 41, 42]);
    expect(() => reserveIdsQuery('posts', 0)).toThrow(RangeError);
  });
});

describe('account queries', () => {
  it('finds users case-insensitively through the folded key fields, never through an operator', () => {
    expect(accounts.userByUsernameQuery('MixedCase').filter).toEqual({ usernameKey: 'mixedcase' });
    expect(accounts.userByEmailQuery('Mixed@Example.TEST').filter).toEqual({ emailKey: 'mixed@example.test' });
    expect(accounts.userByUsernameQuery('张伟').filter).toEqual({ usernameKey: '张伟' });
    // an object from a crafted request becomes a harmless string
    expect(accounts.userByUsernameQuery({ $gt: '' } as unknown as string).filter).toEqual({ usernameKey: '[object object]' });
    castFind(M.users, accounts.userByUsernameQuery('x'));
    castFind(M.users, accounts.usersByIdsQuery([1, 2]));
  });

  it('builds the new user document with folded keys and defaults', () => {
    expect(accounts.newUserDoc(7, { username: 'Bob', email: 'Bob@X.test', displayName: 'B', passwordHash: 'h' }, 99)).toEqual({
      _id: 7, username: 'Bob', usernameKey: 'bob', email: 'Bob@X.test', emailKey: 'bob@x.test', displayName: 'B', passwordHash: 'h', isAdmin: false, reputation: 0, createdAt: 99,
    });
    expect(accounts.newUserDoc(7, { username: 'a', email: 'e', displayName: 'd', passwordHash: 'h', isAdmin: true, createdAt: 5 }, 99)).toMatchObject({ isAdmin: true, createdAt: 5 });
  });

  it('updates a community with the given fields only, never the slug, and moves updatedAt', () => {
    const spec = accounts.updateCommunityQuery(3, { name: 'New', promotionThreshold: 7, descriptionMd: undefined, ...({ slug: 'hijack' } as object) }, 1234);
    expect(spec).toEqual({ filter: { _id: 3 }, update: { $set: { name: 'New', promotionThreshold: 7, updatedAt: 1234 } }, options: { returnDocument: 'after' } });
    castUpdate(M.communities, spec);
  });

  it('upserts a membership keeping the first join date', () => {
    const spec = accounts.upsertMembershipQuery(1, 2, 'staff', 50);
    expect(spec).toEqual({ filter: { communityId: 1, userId: 2 }, update: { $set: { role: 'staff' }, $setOnInsert: { joinedAt: 50 } }, options: { upsert: true } });
    castUpdate(M.memberships, spec);
    expect(accounts.staffOfCommunityQuery(4).filter).toEqual({ communityId: 4, role: { $in: ['staff', 'moderator'] } });
    castFind(M.memberships, accounts.staffOfCommunityQuery(4));
  });

  it('counts a rate-limit hit in one atomic pipeline update that restarts an ended window', () => {
    const spec = accounts.rateLimitHitQuery('login:ip:x', 1000, 10_000);
    expect(spec.filter).toEqual({ _id: 'login:ip:x' });
    expect(spec.options).toEqual({ upsert: true, returnDocument: 'after' });
    const expired = { $lte: [{ $ifNull: ['$resetAt', 0] }, 10_000] };
    expect(spec.update).toEqual([{ $set: { count: { $cond: [expired, 1, { $add: ['$count', 1] }] }, resetAt: { $cond: [expired, 11_000, '$resetAt'] } } }]);
    castUpdate(M.rateLimits, spec);
  });

  it('session and meta keys are plain strings', () => {
    expect(accounts.sessionByIdQuery('abc').filter).toEqual({ _id: 'abc' });
    expect(accounts.expiredSessionsQuery(5).filter).toEqual({ expiresAt: { $lte: 5 } });
    castFind(M.sessions, accounts.expiredSessionsQuery(5));
    expect(accounts.setMetaQuery('k', 'v')).toEqual({ filter: { _id: 'k' }, update: { $set: { value: 'v' } }, options: { upsert: true } });
    castUpdate(M.meta, accounts.setMetaQuery('k', '中文'));
  });

  it('orders names like SQLite COLLATE NOCASE', () => {
    expect(['banana', 'cherry', 'Apple', 'apple2', '相机'].sort(accounts.compareNoCase)).toEqual(['Apple', 'apple2', 'banana', 'cherry', '相机']);
  });
});

describe('Q&A queries', () => {
  const listCases = [
    ['active', undefined, { communityId: 5, type: 'question', deletedAt: null }, { lastActivityAt: -1, _id: 1 }],
    ['newest', undefined, { communityId: 5, type: 'question', deletedAt: null }, { createdAt: -1, _id: 1 }],
    ['top', undefined, { communityId: 5, type: 'question', deletedAt: null }, { score: -1, createdAt: -1, _id: 1 }],
    ['unanswered', undefined, { communityId: 5, type: 'question', deletedAt: null, answerCount: 0 }, { createdAt: -1, _id: 1 }],
    ['active', 'lens', { communityId: 5, type: 'question', deletedAt: null, tags: 'lens' }, { lastActivityAt: -1, _id: 1 }],
    ['unanswered', '电池', { communityId: 5, type: 'question', deletedAt: null, tags: '电池', answerCount: 0 }, { createdAt: -1, _id: 1 }],
  ] as const;

  it.each(listCases)('lists %s questions (tag %s) with one indexed query, limit + 1', (sort, tag, filter, order) => {
    const spec = qa.questionListQuery(5, { sort, tag, offset: 20, limit: 10 });
    expect(spec).toEqual({ filter, sort: order, skip: 20, limit: 11 });
    const cast = castFind(M.posts, spec);
    expect(cast.options).toEqual({ sort: order, skip: 20, limit: 11 });
  });

  it('keeps skip and limit sane', () => {
    expect(qa.questionListQuery(1, { sort: 'newest', offset: -5, limit: Number.NaN })).toMatchObject({ skip: 0, limit: 1 });
  });

  it('orders answers accepted first, then score, then oldest', () => {
    expect(qa.answersQuery(9)).toEqual({ filter: { questionId: 9, type: 'answer', deletedAt: null }, sort: { isAccepted: -1, score: -1, createdAt: 1, _id: 1 } });
    castFind(M.posts, qa.answersQuery(9));
    castFind(M.posts, qa.recentQuestionsQuery(5));
    castFind(M.posts, qa.postsByAuthorQuery(3, 5));
    castFind(M.revisions, qa.revisionsQuery(3));
    castFind(M.comments, qa.commentsForQuery([1, 2]));
    castFind(M.tags, qa.popularTagsQuery(1, 10));
    castFind(M.votes, qa.votesByQuery(1, [1, 2]));
  });

  it('builds valid question, answer, revision and comment documents', () => {
    const q = qa.newQuestionDoc(10, 1, 2, { communityId: '1', authorId: '2', title: 't', slug: 's', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', tags: ['a', 'b', 'a'], now: 5 });
    expect(q).toMatchObject({ _id: 10, type: 'question', tags: ['a', 'b'], lastActivityAt: 5, lastActivityUserId: 2, answerCount: 0, acceptedAnswerId: null, viewCount: 0 });
    expect(new models.posts(q).validateSync()).toBeUndefined();
    const a = qa.newAnswerDoc(11, { _id: 10, communityId: 1 }, 3, { questionId: '10', authorId: '3', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', now: 6 });
    expect(a).toMatchObject({ _id: 11, type: 'answer', questionId: 10, communityId: 1, isAccepted: false });
    expect(new models.posts(a).validateSync()).toBeUndefined();
    expect(new models.revisions(qa.newRevisionDoc(1, 10, 1, 2, { title: null, bodyMd: 'm', tags: [], reason: '' }, 5)).validateSync()).toBeUndefined();
    expect(new models.comments(qa.newCommentDoc(1, 10, 2, 'b', 'b', 5)).validateSync()).toBeUndefined();
  });

  it('keeps tag counts right: +1 (upsert with a reserved id) for new tags, -1 for removed ones', () => {
    expect(qa.tagChanges(['a', 'b'], ['b', 'c', 'd'])).toEqual({ added: ['c', 'd'], removed: ['a'] });
    const ops = qa.tagCountOps(4, ['c', 'd'], ['a'], new Map([['d', 77]]));
    expect(ops).toEqual([
      { updateOne: { filter: { communityId: 4, name: 'c' }, update: { $inc: { questionCount: 1 } } } },
      { updateOne: { filter: { communityId: 4, name: 'd' }, update: { $inc: { questionCount: 1 }, $setOnInsert: { _id: 77 } }, upsert: true } },
      { updateOne: { filter: { communityId: 4, name: 'a' }, update: { $inc: { questionCount: -1 } } } },
    ]);
    for (const op of ops) castUpdate(M.tags, { filter: op.updateOne.filter, update: op.updateOne.update });
  });

  it('edits a question and an answer with a new revision number and activity', () => {
    const edit = { bodyMd: 'm', bodyHtml: 'h', bodyText: 't', now: 9 };
    const q = qa.editQuestionQuery(3, { title: 'T', slug: 's', tags: ['x'] }, edit, 4, 2);
    expect(q.filter).toEqual({ _id: 3, type: 'question' });
    expect(q.update).toEqual({ $set: { title: 'T', slug: 's', tags: ['x'], bodyMd: 'm', bodyHtml: 'h', bodyText: 't', revisionCount: 2, editedAt: 9, lastActivityAt: 9, lastActivityUserId: 4, lastActivityKind: 'edit' } });
    castUpdate(M.posts, q);
    const a = qa.editAnswerQuery(5, edit, 3);
    expect(a.update).toEqual({ $set: { bodyMd: 'm', bodyHtml: 'h', bodyText: 't', revisionCount: 3, editedAt: 9 } });
    castUpdate(M.posts, a);
    castUpdate(M.posts, qa.answerAddedQuery(3, 4, 9));
    castUpdate(M.posts, qa.questionActivityQuery(3, 4, 9, 'comment'));
    castUpdate(M.posts, qa.setAcceptedAnswerIdQuery(3, null, 9));
    castUpdate(M.posts, qa.setIsAcceptedQuery(3, true));
    castUpdate(M.posts, qa.commentAddedQuery(3));
  });

  it('computes vote effects that agree with the reputation rules for every transition', () => {
    const values: VoteValue[] = [-1, 0, 1];
    for (const type of ['question', 'answer'] as const) {
      for (const from of values) {
        for (const to of values) {
          const e = qa.voteEffects(type, from, to);
          expect(e.score).toBe(to - from);
          expect(e.upVotes - e.downVotes).toBe(to - from);
          expect(e.reputation).toBe(reputationForVote(type, to) - reputationForVote(type, from));
        }
      }
    }
    expect(qa.voteEffects('answer', -1, 1)).toEqual({ score: 2, upVotes: 1, downVotes: -1, reputation: REPUTATION.answerUpvoted - REPUTATION.downvoted });
  });

  it('builds the vote writes', () => {
    const up = qa.upsertVoteQuery(7, 2, 1, 100);
    expect(up).toEqual({ filter: { postId: 7, userId: 2 }, update: { $set: { value: 1 }, $setOnInsert: { createdAt: 100 } }, options: { upsert: true } });
    castUpdate(M.votes, up);
    const score = qa.postScoreQuery(7, qa.voteEffects('answer', 0, -1));
    expect(score).toEqual({ filter: { _id: 7 }, update: { $inc: { score: -1, upVotes: 0, downVotes: 1 } }, options: { returnDocument: 'after', projection: { score: 1, upVotes: 1, downVotes: 1 } } });
    castUpdate(M.posts, score);
    castUpdate(M.users, accounts.addReputationQuery(3, -2));
  });

  it('moves acceptance reputation between answerer and asker, never for a self-accept', () => {
    expect(qa.acceptanceReputation(1, 2, 1)).toEqual([{ userId: 2, delta: 15 }, { userId: 1, delta: 2 }]);
    expect(qa.acceptanceReputation(1, 2, -1)).toEqual([{ userId: 2, delta: -15 }, { userId: 1, delta: -2 }]);
    expect(qa.acceptanceReputation(1, 1, 1)).toEqual([]);
  });

  it('adds views as independent $inc operations, skipping nonsense counts', () => {
    expect(qa.addViewsOps([[1, 3], [2, 0], [3, -1], [4, 1.5], [5, 2]])).toEqual([
      { updateOne: { filter: { _id: 1 }, update: { $inc: { viewCount: 3 } } } },
      { updateOne: { filter: { _id: 5 }, update: { $inc: { viewCount: 2 } } } },
    ]);
  });

  it('recomputes from votes with pipelines that encode the reputation rules', () => {
    expect(qa.voteTotalsPipeline()[0]).toMatchObject({ $group: { _id: '$postId', score: { $sum: '$value' } } });
    const rep = JSON.stringify(qa.voteReputationPipeline());
    expect(rep).toContain(`"then":${REPUTATION.answerUpvoted}`);
    expect(rep).toContain(`"then":${REPUTATION.questionUpvoted}`);
    expect(rep).toContain(`"default":${REPUTATION.downvoted}`);
    expect(qa.acceptedAnswersPipeline()[0]).toEqual({ $match: { type: 'answer', isAccepted: true } });
    const totals = qa.reputationTotals([{ _id: 1, reputation: 8 }, { _id: 2, reputation: -2 }], [{ answererId: 2, askerId: 1 }]);
    expect([...totals.entries()].sort()).toEqual([[1, 8 + REPUTATION.acceptedByAsker], [2, -2 + REPUTATION.answerAccepted]]);
    // only documents whose stored value differs are written (so the result counts real changes)
    const ops = qa.correctionOps([{ _id: 1, reputation: 10 }, { _id: 2, reputation: 0 }, { _id: 3 }, { _id: 4, reputation: 5 }], (id) => ({ reputation: totals.get(id) ?? 0 }));
    expect(ops).toEqual([
      { updateOne: { filter: { _id: 2 }, update: { $set: { reputation: 13 } } } },
      { updateOne: { filter: { _id: 4 }, update: { $set: { reputation: 0 } } } },
    ]);
  });
});

describe('FAQ queries', () => {
  it('lists categories by depth, position, id and appends new ones after the last sibling', () => {
    expect(faq.categoriesQuery(1)).toEqual({ filter: { communityId: 1 }, sort: { depth: 1, position: 1, _id: 1 } });
    castFind(M.faqCategories, faq.categoriesQuery(1));
    expect(faq.lastSiblingQuery(1, null)).toEqual({ filter: { communityId: 1, parentId: null }, sort: { position: -1 }, limit: 1, projection: { position: 1 } });
    castFind(M.faqCategories, faq.lastSiblingQuery(1, 4));
    expect(faq.nextPosition(null)).toBe(0);
    expect(faq.nextPosition({ position: 3 })).toBe(4);
  });

  it('moves a subtree: re-parent, then shift the depth of every node in it', () => {
    castUpdate(M.faqCategories, faq.moveCategoryQuery(3, null, 2, 9));
    expect(faq.childrenQuery([3, 4])).toEqual({ filter: { parentId: { $in: [3, 4] } }, projection: { _id: 1 } });
    expect(faq.shiftDepthQuery([3, 4, 5], -1)).toEqual({ filter: { _id: { $in: [3, 4, 5] } }, update: { $inc: { depth: -1 } } });
    castUpdate(M.faqCategories, faq.shiftDepthQuery([3], 1));
  });

  it('finds the neighbour to swap with when reordering', () => {
    expect(faq.neighbourQuery({ communityId: 1, parentId: null, position: 2 }, 'up')).toEqual({ filter: { communityId: 1, parentId: null, position: { $lt: 2 } }, sort: { position: -1 }, limit: 1 });
    expect(faq.neighbourQuery({ communityId: 1, parentId: 5, position: 2 }, 'down')).toEqual({ filter: { communityId: 1, parentId: 5, position: { $gt: 2 } }, sort: { position: 1 }, limit: 1 });
  });

  it('keeps related links symmetric with idempotent $pull / $set / $addToSet', () => {
    expect(faq.validRelatedIds(5, [5, 6, 7, 6, 8], [6, 7, 5])).toEqual([6, 7]);
    const q = faq.relatedLinkQueries(5, [6, 7]);
    expect(q.unlink).toEqual({ filter: { relatedIds: 5 }, update: { $pull: { relatedIds: 5 } } });
    expect(q.set).toEqual({ filter: { _id: 5 }, update: { $set: { relatedIds: [6, 7] } } });
    expect(q.link).toEqual({ filter: { _id: { $in: [6, 7] } }, update: { $addToSet: { relatedIds: 5 } } });
    for (const spec of Object.values(q)) castUpdate(M.faqEntries, spec);
    expect(faq.relatedEntriesQuery(5)).toEqual({ filter: { relatedIds: 5, status: 'published' }, sort: { title: 1, _id: 1 } });
  });

  it('filters entries by category, status (published by default) and review flag', () => {
    expect(faq.entriesQuery(1, {}).filter).toEqual({ communityId: 1, status: 'published' });
    expect(faq.entriesQuery(1, { status: 'all', categoryId: 3, needsReview: true }).filter).toEqual({ communityId: 1, categoryId: 3, needsReview: true });
    castFind(M.faqEntries, faq.entriesQuery(1, { status: 'archived', categoryId: 3 }));
  });

  it('edits an entry and clears its review flag', () => {
    const spec = faq.editEntryQuery(4, 2, { title: 't', slug: 's', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', now: 9 }, 3);
    expect(spec.update).toMatchObject({ $set: { categoryId: 2, revisionCount: 3, needsReview: false, reviewReason: null, updatedAt: 9 } });
    castUpdate(M.faqEntries, spec);
    const entry = faq.newFaqEntryDoc(4, { communityId: 1, categoryId: 2, createdBy: 3, sourceQuestionId: null, sourceAnswerId: null }, { title: 't', slug: 's', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', now: 9 });
    expect(new models.faqEntries(entry).validateSync()).toBeUndefined();
    expect(new models.faqEntryRevisions(faq.newFaqRevisionDoc(1, 4, 1, 3, 2, { title: 't', bodyMd: 'm', reason: '', now: 9 })).validateSync()).toBeUndefined();
  });

  it('counts helpful votes: one per voter, a changed vote moves one count to the other', () => {
    expect(faq.helpfulCountChange(undefined, true)).toEqual({ helpfulYes: 1, helpfulNo: 0 });
    expect(faq.helpfulCountChange(undefined, false)).toEqual({ helpfulYes: 0, helpfulNo: 1 });
    expect(faq.helpfulCountChange(true, false)).toEqual({ helpfulYes: -1, helpfulNo: 1 });
    expect(faq.helpfulCountChange(false, true)).toEqual({ helpfulYes: 1, helpfulNo: -1 });
    expect(faq.helpfulCountChange(true, true)).toBeNull();
    castUpdate(M.faqHelpfulVotes, faq.upsertHelpfulVoteQuery(1, 'u:1', true, 5));
    castUpdate(M.faqEntries, faq.helpfulCountsQuery(1, { helpfulYes: 1, helpfulNo: -1 }));
  });

  it('selects candidates in one aggregation: threshold or accepted with score >= 2, not promoted, live question, limit last', () => {
    const p = faq.communityCandidatesPipeline(3, 5, 20);
    expect(p[0]).toEqual({ $match: { type: 'answer', deletedAt: null, communityId: 3, $or: [{ score: { $gte: 5 } }, { isAccepted: true, score: { $gte: 2 } }] } });
    expect(p[1]).toEqual({ $sort: { score: -1, _id: 1 } });
    const stages = p.map((s) => Object.keys(s)[0]);
    expect(stages).toEqual(['$match', '$sort', '$lookup', '$match', '$lookup', '$unwind', '$limit', '$lookup', '$project']);
    expect(p[2]).toMatchObject({ $lookup: { from: 'faqEntries', localField: '_id', foreignField: 'sourceAnswerId' } });
    expect(p[3]).toEqual({ $match: { promoted: { $size: 0 } } });
    expect(p[6]).toEqual({ $limit: 20 });
    // the collection names the $lookups use are the models' collections
    expect([models.faqEntries.collection.collectionName, models.posts.collection.collectionName, models.faqDismissals.collection.collectionName]).toEqual(['faqEntries', 'posts', 'faqDismissals']);
    const one = faq.singleCandidatePipeline(9);
    expect(one[0]).toEqual({ $match: { type: 'answer', deletedAt: null, _id: 9 } });
    expect(one.some((s) => '$limit' in s)).toBe(false);
  });

  it('flags entries for review with filters that only touch unflagged entries', () => {
    expect(faq.flagBySourceAnswerQuery(4, 'source_edited')).toEqual({ filter: { sourceAnswerId: 4, needsReview: false }, update: { $set: { needsReview: true, reviewReason: 'source_edited' } } });
    castUpdate(M.faqEntries, faq.flagBySourceAnswerQuery(4, 'source_edited'));
    castUpdate(M.faqEntries, faq.flagEntriesQuery([1, 2], 'overtaken'));
    castFind(M.faqEntries, faq.unflaggedEntriesOfQuestionQuery(3));
    castFind(M.posts, faq.answerScoresQuery(3, [4]));
    const scores = new Map([[10, 3], [11, 5], [12, 3], [13, 9]]);
    // entry 1's source (10) is overtaken by 11; entry 2's source (11) is top among live answers (13 is deleted)
    expect(faq.overtakenEntryIds([{ _id: 1, sourceAnswerId: 10 }, { _id: 2, sourceAnswerId: 11 }, { _id: 3, sourceAnswerId: null }], scores, new Set([10, 11, 12]))).toEqual([1]);
    // a tie does not overtake
    expect(faq.overtakenEntryIds([{ _id: 1, sourceAnswerId: 10 }], scores, new Set([10, 12]))).toEqual([]);
  });

  it('stores dismissals and auto-publish settings', () => {
    const d = faq.dismissQuery({ answerId: '4', communityId: '1', dismissedBy: '2', reason: 'r', scoreAtDismissal: 6, createdAt: 9 }, { answerId: 4, communityId: 1, dismissedBy: 2 });
    expect(d).toEqual({ filter: { _id: 4 }, update: { $set: { communityId: 1, dismissedBy: 2, reason: 'r', scoreAtDismissal: 6, createdAt: 9 } }, options: { upsert: true } });
    castUpdate(M.faqDismissals, d);
    castUpdate(M.communities, faq.setAutoPublishQuery(1, { score: 8, categoryId: '3' }, 3));
    castFind(M.communities, faq.autoPublishQuery(1));
    castUpdate(M.faqEntries, faq.setPinnedQuery(1, true, 3));
    castFind(M.faqEntries, faq.lastPinQuery(1));
    castUpdate(M.faqEntries, faq.moveEntriesToCategoryQuery(1, 2, 3));
    castUpdate(M.faqCategories, faq.reparentChildrenQuery(1, 2, 3));
    expect(faq.entryCountsPipeline(1)).toEqual([{ $match: { communityId: 1, status: 'published' } }, { $group: { _id: '$categoryId', n: { $sum: 1 } } }]);
  });
});

describe('search log queries', () => {
  it('records a click and its detail in one single-document update, keeping the last 50', () => {
    const spec = searchLog.recordClickQuery(3, 'answer:9', 2, 100);
    expect(spec).toEqual({ filter: { _id: 3 }, update: { $inc: { clickCount: 1 }, $push: { clicks: { $each: [{ docId: 'answer:9', position: 2, createdAt: 100 }], $slice: -50 } } } });
    castUpdate(M.searchLog, spec);
  });

  it('builds the report as one match and a facet of totals and three grouped lists', () => {
    const p = searchLog.searchReportPipeline(4, 1000, 10);
    expect(p[0]).toEqual({ $match: { communityId: 4, createdAt: { $gte: 1000 }, normalized: { $ne: '' } } });
    const facet = (p[1] as { $facet: Record<string, Array<Record<string, unknown>>> }).$facet;
    expect(Object.keys(facet)).toEqual(['totals', 'top', 'noResults', 'noClicks']);
    expect(facet.noResults![0]).toEqual({ $match: { hitCount: 0 } });
    expect(facet.noClicks![0]).toEqual({ $match: { hitCount: { $gt: 0 } } });
    expect(facet.noClicks![2]).toEqual({ $match: { clicks: 0 } });
    expect(facet.top!.at(-2)).toEqual({ $limit: 10 });
    expect(facet.top![0]).toMatchObject({ $group: { _id: '$normalized', query: { $top: { sortBy: { createdAt: -1, _id: -1 }, output: '$query' } } } });
  });

  it('maps the facets to the port report, rounding average hits', () => {
    const report = searchLog.searchReportFrom({
      totals: [{ searches: 5, noResults: 2, clicked: 1 }],
      top: [{ query: 'Grinder', searches: 3, users: 2, avgHits: 4.666, clicked: 1 }],
      noResults: [{ query: 'x', searches: 2, users: 1, avgHits: 0, clicked: 0 }],
      noClicks: [],
    });
    expect(report).toEqual({
      searches: 5,
      noResultSearches: 2,
      clickedSearches: 1,
      top: [{ query: 'Grinder', searches: 3, users: 2, avgHits: 4.7, clickedSearches: 1 }],
      noResults: [{ query: 'x', searches: 2, users: 1, avgHits: 0, clickedSearches: 0 }],
      noClicks: [],
    });
    expect(searchLog.searchReportFrom({ totals: [], top: [], noResults: [], noClicks: [] })).toMatchObject({ searches: 0, noResultSearches: 0, clickedSearches: 0 });
  });
});
