import mongoose, { type Model } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';
import type { FindSpec, UpdateSpec } from '../../src/db/mongo/queries/spec.js';
import * as accounts from '../../src/db/mongo/queries/accounts.js';
import * as qa from '../../src/db/mongo/queries/qa.js';
import * as faq from '../../src/db/mongo/queries/faq.js';
import * as searchLog from '../../src/db/mongo/queries/search-log.js';
import * as outbox from '../../src/db/mongo/queries/outbox.js';
import * as leases from '../../src/db/mongo/queries/leases.js';
import * as searchDocs from '../../src/db/mongo/queries/search-documents.js';
import { faqPath } from '../../src/db/mongo/search-document-mappers.js';
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
      _id: 7, username: 'Bob', usernameKey: 'bob', usernameSkeleton: 'bob', email: 'Bob@X.test', emailKey: 'bob@x.test', displayName: 'B', passwordHash: 'h', isAdmin: false, reputation: 0, createdAt: 99,
    });
    expect(accounts.newUserDoc(7, { username: 'a', email: 'e', displayName: 'd', passwordHash: 'h', isAdmin: true, createdAt: 5 }, 99)).toMatchObject({ isAdmin: true, createdAt: 5 });
  });

  it('stores the skeleton of a lookalike name as the name it imitates, and finds users by it', () => {
    expect(accounts.newUserDoc(8, { username: 'аdmin', email: 'e', displayName: 'd', passwordHash: 'h' }, 1).usernameSkeleton).toBe('admin');
    expect(accounts.userBySkeletonQuery('ａｌｉｃｅ').filter).toEqual({ usernameSkeleton: 'alice' });
    castFind(M.users, accounts.userBySkeletonQuery('ａｌｉｃｅ'));
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

  it('reserves a rate-limit attempt in one conditional pipeline update that never passes the limit', () => {
    const spec = accounts.rateLimitReserveQuery('login:account:id:1', 5, 1000, 10_000);
    expect(spec.filter).toEqual({ _id: 'login:account:id:1' });
    expect(spec.options).toEqual({ upsert: true, returnDocument: 'after' });
    castUpdate(M.rateLimits, spec);
    // Evaluate the stage as the server does (every expression reads the document before the
    // update): 8 reservations in one window grant exactly 5, and an ended window starts over.
    let doc: Record<string, unknown> = {};
    const grants: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      doc = applySetStage(doc, (spec.update as Array<{ $set: Record<string, unknown> }>)[0]!.$set);
      grants.push(doc.granted as boolean);
    }
    expect(grants).toEqual([true, true, true, true, true, false, false, false]);
    expect(doc).toMatchObject({ count: 5, resetAt: 11_000 });
    const later = accounts.rateLimitReserveQuery('login:account:id:1', 5, 1000, 11_000);
    doc = applySetStage(doc, (later.update as Array<{ $set: Record<string, unknown> }>)[0]!.$set);
    expect(doc).toMatchObject({ granted: true, count: 1, resetAt: 12_000 });
    const release = accounts.rateLimitReleaseQuery('login:ip:x', 10_000);
    expect(release).toEqual({ filter: { _id: 'login:ip:x', resetAt: { $gt: 10_000 }, count: { $gt: 0 } }, update: { $inc: { count: -1 } } });
    castUpdate(M.rateLimits, release);
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
    // one page of them: skip and limit on the same sort
    const page = qa.answersQuery(9, { offset: 60, limit: 30 });
    expect(page).toEqual({ filter: { questionId: 9, type: 'answer', deletedAt: null }, sort: { isAccepted: -1, score: -1, createdAt: 1, _id: 1 }, skip: 60, limit: 30 });
    expect(castFind(M.posts, page).options).toEqual({ sort: { isAccepted: -1, score: -1, createdAt: 1, _id: 1 }, skip: 60, limit: 30 });
    expect(qa.answersQuery(9, { offset: -4, limit: 2.7 })).toMatchObject({ skip: 0, limit: 2 });
    // the query builders never share the sort object, so a caller cannot change another's
    expect(qa.answersQuery(9).sort).not.toBe(qa.answersQuery(9).sort);
    castFind(M.posts, qa.recentQuestionsQuery(5));
    castFind(M.posts, qa.postsByAuthorQuery(3, 5));
    castFind(M.revisions, qa.revisionsQuery(3));
    castFind(M.comments, qa.commentsForQuery([1, 2]));
    castFind(M.tags, qa.popularTagsQuery(1, 10));
    castFind(M.votes, qa.votesByQuery(1, [1, 2]));
  });

  it('reads the sort keys of one live answer of the question', () => {
    const spec = qa.answerSortKeysQuery(9, 12);
    expect(spec).toEqual({ filter: { _id: 12, questionId: 9, type: 'answer', deletedAt: null }, projection: { isAccepted: 1, score: 1, createdAt: 1 } });
    castFind(M.posts, spec);
  });

  it('counts the answers before one with an $or of the ordering conditions', () => {
    const open = qa.answersBeforeQuery(9, { _id: 12, isAccepted: false, score: -2, createdAt: 500 });
    expect(open).toEqual({
      filter: {
        questionId: 9,
        type: 'answer',
        deletedAt: null,
        $or: [
          { isAccepted: true },
          { isAccepted: false, score: { $gt: -2 } },
          { isAccepted: false, score: -2, createdAt: { $lt: 500 } },
          { isAccepted: false, score: -2, createdAt: 500, _id: { $lt: 12 } },
        ],
      },
    });
    expect(castFind(M.posts, open).filter).toEqual(open.filter);
    // nothing outranks the accepted answer on acceptance; only another accepted one could
    const accepted = qa.answersBeforeQuery(9, { _id: 12, isAccepted: true, score: 0, createdAt: 500 });
    expect(accepted.filter.$or).toEqual([
      { isAccepted: true, score: { $gt: 0 } },
      { isAccepted: true, score: 0, createdAt: { $lt: 500 } },
      { isAccepted: true, score: 0, createdAt: 500, _id: { $lt: 12 } },
    ]);
    castFind(M.posts, accepted);
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
    expect(p[0]).toEqual({ $match: { communityId: { $in: [4, null] }, createdAt: { $gte: 1000 }, normalized: { $ne: '' } } });
    const facet = (p[1] as { $facet: Record<string, Array<Record<string, unknown>>> }).$facet;
    expect(Object.keys(facet)).toEqual(['totals', 'top', 'noResults', 'noClicks']);
    expect(facet.noResults![0]).toEqual({ $match: { hitCount: 0 } });
    expect(facet.noClicks![0]).toEqual({ $match: { hitCount: { $gt: 0 } } });
    expect(facet.noClicks![2]).toEqual({ $match: { clicks: 0 } });
    expect(facet.top!.at(-2)).toEqual({ $limit: 10 });
    expect(facet.top![0]).toMatchObject({ $group: { _id: '$normalized', query: { $top: { sortBy: { createdAt: -1, _id: -1 }, output: '$query' } } } });
  });

  it('matches one half only when the report asks for the community or the site-wide searches', () => {
    expect(searchLog.searchReportPipeline(4, 1000, 10, 'community')[0]).toEqual({ $match: { communityId: 4, createdAt: { $gte: 1000 }, normalized: { $ne: '' } } });
    expect(searchLog.searchReportPipeline(4, 1000, 10, 'siteWide')[0]).toEqual({ $match: { communityId: null, createdAt: { $gte: 1000 }, normalized: { $ne: '' } } });
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

describe('search outbox queries', () => {
  const castBulk = (ops: qa.BulkUpdateOne[]) => ops.map((op) => castUpdate(M.searchOutbox, { filter: op.updateOne.filter, update: op.updateOne.update, options: { upsert: op.updateOne.upsert } }));

  it('enqueues each document once as an upsert that bumps the version and keeps any lease', () => {
    const ops = outbox.enqueueOps(['question-1', 'answer-2', 'question-1'], 500);
    expect(ops).toEqual(
      ['question-1', 'answer-2'].map((id) => ({
        updateOne: {
          filter: { _id: id },
          update: {
            $set: { status: 'pending', changedAt: 500, nextAttemptAt: 500, attempts: 0, lastError: null, doneAt: null },
            $inc: { version: 1 },
            $setOnInsert: { leaseOwner: null, leaseUntil: 0 },
          },
          upsert: true,
        },
      })),
    );
    // the lease fields are only ever set on insert: an existing lease survives a new change
    for (const op of ops) expect(Object.keys(op.updateOne.update.$set as object)).not.toContain('leaseOwner');
    castBulk(ops);
  });

  it('claims in three steps: due candidates, a conditional lease to the claim token, the read-back', () => {
    const due = { status: 'pending', nextAttemptAt: { $lte: 100 }, leaseUntil: { $lt: 100 } };
    const candidates = outbox.claimCandidatesQuery(100, 25);
    expect(candidates).toEqual({ filter: due, sort: { nextAttemptAt: 1, _id: 1 }, limit: 25, projection: { _id: 1 } });
    castFind(M.searchOutbox, candidates);
    const token = outbox.leaseToken('web-1', '0123456789abcdef');
    expect(token).toBe('web-1#0123456789abcdef');
    const lease = outbox.claimLeaseQuery(['question-1', 'faq-2'], token, 100, 30_000);
    expect(lease).toEqual({ filter: { _id: { $in: ['question-1', 'faq-2'] }, ...due }, update: { $set: { leaseOwner: token, leaseUntil: 30_100 } } });
    castUpdate(M.searchOutbox, lease);
    const back = outbox.claimedQuery(['question-1'], token);
    expect(back.filter).toEqual({ _id: { $in: ['question-1'] }, leaseOwner: token });
    castFind(M.searchOutbox, back);
    expect(() => outbox.leaseToken('w', 'short')).toThrow(RangeError);
  });

  it('recognises an owner\'s claim tokens exactly, whatever its name contains', () => {
    const re = (owner: string) => new RegExp(outbox.ownedBy(owner).$regex);
    expect(re('a').test('a#0123456789abcdef')).toBe(true);
    expect(re('a').test('a#b#0123456789abcdef')).toBe(false); // owner "a#b" is someone else
    expect(re('a#b').test('a#b#0123456789abcdef')).toBe(true);
    expect(re('a').test('ab#0123456789abcdef')).toBe(false);
    expect(re('host.1').test('hostX1#0123456789abcdef')).toBe(false); // regex characters are escaped
    expect(re('w(1)+').test('w(1)+#0123456789abcdef')).toBe(true);
  });

  it('completes only the claimed version under this owner\'s lease, then releases the rest', () => {
    const ops = outbox.completeOps('w', [{ docId: 'question-1', version: 2 }], 900);
    expect(ops).toEqual([
      { updateOne: { filter: { _id: 'question-1', version: 2, status: 'pending', leaseOwner: outbox.ownedBy('w') }, update: { $set: { status: 'done', doneAt: 900, leaseOwner: null, leaseUntil: 0 } } } },
    ]);
    castBulk(ops);
    const release = outbox.releaseQuery('w', ['question-1']);
    expect(release).toEqual({ filter: { _id: { $in: ['question-1'] }, leaseOwner: outbox.ownedBy('w') }, update: { $set: { leaseOwner: null, leaseUntil: 0 } } });
    castUpdate(M.searchOutbox, release);
  });

  it('retries the claimed version: one more attempt, the error capped, pending from retryAt or failed', () => {
    const spec = outbox.retryQuery('w', { docId: 'faq-3', version: 4 }, 'e'.repeat(2000), 5000, false);
    expect(spec.filter).toEqual({ _id: 'faq-3', version: 4, leaseOwner: outbox.ownedBy('w') });
    expect(spec.update).toEqual({ $inc: { attempts: 1 }, $set: { lastError: 'e'.repeat(1000), nextAttemptAt: 5000, status: 'pending', leaseOwner: null, leaseUntil: 0 } });
    castUpdate(M.searchOutbox, spec);
    expect((outbox.retryQuery('w', { docId: 'faq-3', version: 4 }, 'x', 1, true).update as { $set: { status: string } }).$set.status).toBe('failed');
  });

  it('reads the backlog and failures, requeues by change time and prunes old done entries', () => {
    castFind(M.searchOutbox, outbox.pendingQuery());
    castFind(M.searchOutbox, outbox.failedQuery());
    expect(outbox.oldestPendingQuery()).toEqual({ filter: { status: 'pending' }, sort: { changedAt: 1 }, limit: 1, projection: { changedAt: 1 } });
    castFind(M.searchOutbox, outbox.oldestPendingQuery());
    expect(outbox.listFailedQuery(20)).toMatchObject({ filter: { status: 'failed' }, sort: { changedAt: -1, _id: 1 }, limit: 20 });
    castFind(M.searchOutbox, outbox.listFailedQuery(20));
    const requeue = outbox.requeueQuery(1000, 2000);
    expect(requeue).toEqual({
      filter: { changedAt: { $gte: 1000 } },
      update: { $set: { status: 'pending', attempts: 0, nextAttemptAt: 2000, lastError: null, doneAt: null }, $inc: { version: 1 } },
    });
    castUpdate(M.searchOutbox, requeue);
    expect(outbox.pruneQuery(3000)).toEqual({ filter: { status: 'done', doneAt: { $lt: 3000 } } });
    castFind(M.searchOutbox, outbox.pruneQuery(3000));
  });
});

describe('job lease queries', () => {
  it('acquires with one conditional upsert: expired or ours, else the primary key refuses', () => {
    const spec = leases.acquireLeaseQuery('sweep', 'web-1', 100, 5000);
    expect(spec).toEqual({
      filter: { _id: 'sweep', $or: [{ until: { $lt: 100 } }, { owner: 'web-1' }] },
      update: { $set: { owner: 'web-1', until: 5100 } },
      options: { upsert: true, returnDocument: 'after' },
    });
    castUpdate(M.jobLeases, spec);
    expect(leases.acquireLeaseQuery({ $gt: '' } as unknown as string, 'o', 1, 1).filter._id).toBe('[object Object]');
  });

  it('releases only the holder\'s lease', () => {
    expect(leases.releaseLeaseQuery('sweep', 'web-1')).toEqual({ filter: { _id: 'sweep', owner: 'web-1' } });
    castFind(M.jobLeases, leases.releaseLeaseQuery('sweep', 'web-1'));
  });
});

describe('search document queries', () => {
  it('reads live posts of one kind by id and by id-range page, without bodies in Markdown or HTML', () => {
    const byId = searchDocs.postsByIdsQuery('answer', [3, 4]);
    expect(byId.filter).toEqual({ _id: { $in: [3, 4] }, type: 'answer', deletedAt: null });
    expect(byId.projection).not.toHaveProperty('bodyMd');
    expect(byId.projection).not.toHaveProperty('bodyHtml');
    castFind(M.posts, byId);
    const page = searchDocs.postPageQuery('question', 40, 500);
    expect(page).toMatchObject({ filter: { _id: { $gt: 40 }, type: 'question', deletedAt: null }, sort: { _id: 1 }, limit: 500 });
    castFind(M.posts, page);
    expect(searchDocs.postPageQuery('question', 0, 0).limit).toBe(1);
    castFind(M.posts, searchDocs.threadsQuery([1]));
    expect(searchDocs.threadsQuery([1]).filter).toEqual({ _id: { $in: [1] }, type: 'question', deletedAt: null });
  });

  it('reads published FAQ entries and the category levels above them', () => {
    expect(searchDocs.entriesByIdsQuery([1]).filter).toEqual({ _id: { $in: [1] }, status: 'published' });
    castFind(M.faqEntries, searchDocs.entriesByIdsQuery([1]));
    expect(searchDocs.entryPageQuery(7, 10)).toMatchObject({ filter: { _id: { $gt: 7 }, status: 'published' }, sort: { _id: 1 }, limit: 10 });
    castFind(M.faqEntries, searchDocs.entryPageQuery(7, 10));
    castFind(M.faqCategories, searchDocs.categoriesByIdsQuery([1, 2]));
    castFind(M.posts, searchDocs.liveQuestionsCountQuery());
    castFind(M.faqEntries, searchDocs.publishedEntriesCountQuery());
    expect(searchDocs.liveAnswersCountPipeline().map((s) => Object.keys(s)[0])).toEqual(['$match', '$lookup', '$match', '$count']);
  });

  it('builds the category path from the root, at most four names, stopping at a missing category', () => {
    const cats = new Map([
      [1, { _id: 1, name: 'A', parentId: null }],
      [2, { _id: 2, name: 'B', parentId: 1 }],
      [3, { _id: 3, name: 'C', parentId: 2 }],
      [4, { _id: 4, name: 'D', parentId: 3 }],
      [5, { _id: 5, name: 'E', parentId: 4 }],
      [6, { _id: 6, name: 'F', parentId: 99 }],
    ]);
    expect(faqPath(1, cats)).toEqual(['A']);
    expect(faqPath(4, cats)).toEqual(['A', 'B', 'C', 'D']);
    expect(faqPath(5, cats)).toEqual(['B', 'C', 'D', 'E']);
    expect(faqPath(6, cats)).toEqual(['F']);
    expect(faqPath(99, cats)).toEqual([]);
  });

  it('names the entries and answers that a change touches', () => {
    expect(qa.answerIdsOfQuestionQuery(5)).toEqual({ filter: { questionId: 5, type: 'answer' }, projection: { _id: 1 } });
    castFind(M.posts, qa.answerIdsOfQuestionQuery(5));
    expect(faq.entryIdsOfSourceQuestionQuery(5)).toEqual({ filter: { sourceQuestionId: 5 }, projection: { _id: 1 } });
    castFind(M.faqEntries, faq.entryIdsOfSourceQuestionQuery(5));
    expect(faq.entryIdsInCategoriesQuery([1, 2])).toEqual({ filter: { categoryId: { $in: [1, 2] } }, projection: { _id: 1 } });
    castFind(M.faqEntries, faq.entryIdsInCategoriesQuery([1, 2]));
  });
});

/** The aggregation operators the rate-limit pipelines use, evaluated against one document. */
function evalExpr(doc: Record<string, unknown>, e: unknown): unknown {
  if (typeof e === 'string' && e.startsWith('$')) return doc[e.slice(1)];
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return e;
  const [op, raw] = Object.entries(e as Record<string, unknown>)[0]!;
  const args = (raw as unknown[]).map((a) => evalExpr(doc, a));
  switch (op) {
    case '$ifNull': return args[0] ?? args[1];
    case '$lte': return (args[0] as number) <= (args[1] as number);
    case '$lt': return (args[0] as number) < (args[1] as number);
    case '$or': return args.some(Boolean);
    case '$add': return (args[0] as number) + (args[1] as number);
    case '$cond': return args[0] ? args[1] : args[2];
    default: throw new Error(`operator ${op} not evaluated here`);
  }
}

function applySetStage(doc: Record<string, unknown>, set: Record<string, unknown>): Record<string, unknown> {
  const next = { ...doc };
  for (const [field, expr] of Object.entries(set)) next[field] = evalExpr(doc, expr);
  return next;
}
