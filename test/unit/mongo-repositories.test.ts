import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import { REPUTATION } from '../../src/domain/reputation.js';
import { SqliteUserRepository } from '../../src/db/sqlite/user-repository.js';
import { SqliteSessionRepository } from '../../src/db/sqlite/session-repository.js';
import { SqliteCommunityRepository } from '../../src/db/sqlite/community-repository.js';
import { SqliteMembershipRepository } from '../../src/db/sqlite/membership-repository.js';
import { SqliteRateLimitRepository } from '../../src/db/sqlite/rate-limit-repository.js';
import { SqliteMetaRepository } from '../../src/db/sqlite/meta-repository.js';
import { SqlitePostRepository } from '../../src/db/sqlite/post-repository.js';
import { SqliteVoteRepository } from '../../src/db/sqlite/vote-repository.js';
import { SqliteCommentRepository } from '../../src/db/sqlite/comment-repository.js';
import { SqliteTagRepository } from '../../src/db/sqlite/tag-repository.js';
import { SqliteFaqRepository } from '../../src/db/sqlite/faq-repository.js';
import { SqliteSearchLogRepository } from '../../src/search/sqlite-fts/search-log-repository.js';
import { SqliteOutboxRepository } from '../../src/db/sqlite/outbox-repository.js';
import { SqliteLeaseRepository } from '../../src/db/sqlite/lease-repository.js';
import { SqliteSearchDocumentRepository } from '../../src/db/sqlite/search-document-repository.js';
import { SqliteSynonymRepository } from '../../src/db/sqlite/synonym-repository.js';
import { MongoUserRepository } from '../../src/db/mongo/repositories/user-repository.js';
import { MongoSessionRepository } from '../../src/db/mongo/repositories/session-repository.js';
import { MongoCommunityRepository } from '../../src/db/mongo/repositories/community-repository.js';
import { MongoMembershipRepository } from '../../src/db/mongo/repositories/membership-repository.js';
import { MongoRateLimitRepository } from '../../src/db/mongo/repositories/rate-limit-repository.js';
import { MongoMetaRepository } from '../../src/db/mongo/repositories/meta-repository.js';
import { MongoPostRepository } from '../../src/db/mongo/repositories/post-repository.js';
import { MongoVoteRepository } from '../../src/db/mongo/repositories/vote-repository.js';
import { MongoCommentRepository } from '../../src/db/mongo/repositories/comment-repository.js';
import { MongoTagRepository } from '../../src/db/mongo/repositories/tag-repository.js';
import { MongoFaqRepository } from '../../src/db/mongo/repositories/faq-repository.js';
import { MongoSearchLogRepository } from '../../src/db/mongo/repositories/search-log-repository.js';
import { MongoOutboxRepository } from '../../src/db/mongo/repositories/outbox-repository.js';
import { MongoLeaseRepository } from '../../src/db/mongo/repositories/lease-repository.js';
import { MongoSearchDocumentRepository } from '../../src/db/mongo/repositories/search-document-repository.js';
import { MongoSynonymRepository } from '../../src/db/mongo/repositories/synonym-repository.js';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { SqliteDigestRepository } from '../../src/db/sqlite/digest/digest-repository.js';
import { SqliteNewsletterRepository } from '../../src/db/sqlite/digest/newsletter-repository.js';
import { MongoDigestRepository, MongoNewsletterRepository } from '../../src/db/mongo/repositories/digest-repositories.js';
import { offline, type Call, type Offline } from './mongo-harness.js';
import { MemoryCollection } from './mongo-memory.js';

/* ---------------------------------------------------------------- port parity */

const PRIVATE_HELPERS = [
  'id', 'entryById', 'withDuplicateCounts', 'setRelated', 'newTagIds', 'insertRevision', 'attachTags', 'detachTags',
  'subtree', 'enqueueEntriesIn', 'threads', 'answerDocs', 'faqDocs', 'categoryPaths', 'auditEdit', 'communityNames', 'questionDocs',
];

const publicMethods = (cls: { prototype: object }) =>
  Object.getOwnPropertyNames(cls.prototype)
    .filter((name) => name !== 'constructor' && typeof (cls.prototype as Record<string, unknown>)[name] === 'function')
    // private helpers are TypeScript-private only; the ports never name these
    .filter((name) => !PRIVATE_HELPERS.includes(name))
    .sort();

const PAIRS: Array<[string, { prototype: object }, { prototype: object }]> = [
  ['users', SqliteUserRepository, MongoUserRepository],
  ['sessions', SqliteSessionRepository, MongoSessionRepository],
  ['communities', SqliteCommunityRepository, MongoCommunityRepository],
  ['memberships', SqliteMembershipRepository, MongoMembershipRepository],
  ['rateLimits', SqliteRateLimitRepository, MongoRateLimitRepository],
  ['meta', SqliteMetaRepository, MongoMetaRepository],
  ['posts', SqlitePostRepository, MongoPostRepository],
  ['votes', SqliteVoteRepository, MongoVoteRepository],
  ['comments', SqliteCommentRepository, MongoCommentRepository],
  ['tags', SqliteTagRepository, MongoTagRepository],
  ['faq', SqliteFaqRepository, MongoFaqRepository],
  ['searchLog', SqliteSearchLogRepository, MongoSearchLogRepository],
  ['outbox', SqliteOutboxRepository, MongoOutboxRepository],
  ['leases', SqliteLeaseRepository, MongoLeaseRepository],
  ['searchDocuments', SqliteSearchDocumentRepository, MongoSearchDocumentRepository],
  ['synonyms', SqliteSynonymRepository, MongoSynonymRepository],
  ['digests', SqliteDigestRepository, MongoDigestRepository],
  ['newsletters', SqliteNewsletterRepository, MongoNewsletterRepository],
];

describe('mongo repositories implement every port method the SQLite ones do', () => {
  it.each(PAIRS)('%s', (_name, sqlite, mongo) => {
    const expected = publicMethods(sqlite);
    expect(expected.length).toBeGreaterThan(0);
    expect(publicMethods(mongo)).toEqual(expected);
  });

  it('the two storages expose the same repositories', async () => {
    const sqlite = createSqliteStorage(':memory:');
    const h = offline();
    try {
      const keys = (s: Storage) => Object.keys(s).filter((k) => !['db', 'connection', 'models'].includes(k)).sort();
      expect(keys(h.storage)).toEqual(keys(sqlite));
      expect(h.storage.backend).toBe('mongo');
      for (const [name] of PAIRS) expect(Object.keys(h.storage)).toContain(name);
      // each repository object is the Mongo class, with every SQLite method callable
      for (const [name, sqliteClass] of PAIRS) {
        const repo = (h.storage as unknown as Record<string, Record<string, unknown>>)[name]!;
        for (const m of publicMethods(sqliteClass)) expect(typeof repo[m], `${name}.${m}`).toBe('function');
      }
    } finally {
      h.restore();
      await sqlite.close();
    }
  });
});

/* ---------------------------------------------------------------- behaviour, offline */

let h: Offline;
beforeEach(() => {
  h = offline();
});
afterEach(() => {
  h.restore();
});

const MALFORMED = ['', 'not-an-id', '0', '-1', '1.5', '{"$gt":""}', '１', 'x'.repeat(500)];
const dup = (keyPattern: Record<string, number>) => Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern });
const ops = (calls: Call[]) => calls.map((c) => `${c.model}.${c.op}${c.tx ? '@tx' : ''}`);
/** The search outbox writes sent: which document ids, in which transaction (null: none). */
const outboxWrites = (calls: Call[] = h.sent()) =>
  calls
    .filter((c) => c.model === 'SearchOutbox' && c.op === 'bulkWrite')
    .map((c) => ({ tx: c.tx, ids: (c.ops as Array<{ updateOne: { filter: { _id: string } } }>).map((o) => o.updateOne.filter._id) }));

describe('malformed ids never reach MongoDB', () => {
  it('reads return null or empty', async () => {
    for (const id of MALFORMED) {
      expect(await h.storage.users.findById(id)).toBeNull();
      expect(await h.storage.communities.findById(id)).toBeNull();
      expect(await h.storage.posts.findPost(id)).toBeNull();
      expect(await h.storage.posts.listAnswers(id)).toEqual([]);
      expect(await h.storage.posts.listAnswers(id, { offset: 0, limit: 30 })).toEqual([]);
      expect(await h.storage.posts.answerRank(id, '11')).toBeNull();
      expect(await h.storage.posts.answerRank('10', id)).toBeNull();
      expect(await h.storage.posts.listQuestions({ communityId: id, sort: 'active', offset: 0, limit: 10 })).toEqual([]);
      expect(await h.storage.tags.popular(id, 5)).toEqual([]);
      expect(await h.storage.memberships.find(id, '1')).toBeNull();
      expect(await h.storage.faq.findEntry(id)).toBeNull();
      expect(await h.storage.faq.candidateRow(id)).toBeNull();
      expect(await h.storage.searchLog.recordClick(id, 'q:1', 0, 1)).toBe(false);
    }
    expect(await h.storage.users.findManyByIds(MALFORMED)).toEqual([]);
    expect(h.calls).toEqual([]);
  });

  it('writes throw NotFoundError (or do nothing, as SQLite does)', async () => {
    for (const id of MALFORMED) {
      await expect(h.storage.votes.castVote(id, '1', 1, 0)).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.storage.posts.setAcceptedAnswer('1', id, 0)).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.storage.communities.update(id, { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.storage.faq.setStatus(id, 'archived')).rejects.toBeInstanceOf(NotFoundError);
      await expect(h.storage.users.setAdmin(id, true)).resolves.toBeUndefined();
      expect(await h.storage.memberships.remove(id, '1')).toBe(false);
    }
    expect(h.sent()).toEqual([]);
  });
});

describe('accounts', () => {
  it('creates a user with a reserved numeric id and folded keys', async () => {
    const user = await h.storage.users.create({ username: 'Alice', email: 'Alice@Example.test', displayName: 'A', passwordHash: 'h', createdAt: 5 });
    expect(user).toEqual({ id: '1', username: 'Alice', email: 'Alice@Example.test', displayName: 'A', passwordHash: 'h', isAdmin: false, reputation: 0, createdAt: 5 });
    const insert = h.sent()[0]!;
    expect(insert).toMatchObject({ kind: 'insert', model: 'User', tx: null });
    expect(insert.docs![0]).toMatchObject({ _id: 1, usernameKey: 'alice', emailKey: 'alice@example.test' });
    const second = await h.storage.users.create({ username: 'b', email: 'b@x', displayName: 'b', passwordHash: 'h' });
    expect(second.id).toBe('2');
  });

  it('turns duplicate keys into the right ConflictError', async () => {
    h.when('User', 'create', () => {
      throw dup({ emailKey: 1 });
    });
    await expect(h.storage.users.create({ username: 'a', email: 'a@x', displayName: 'a', passwordHash: 'h' })).rejects.toMatchObject({ messageKey: 'validation.emailTaken' });
    h.when('User', 'create', () => {
      throw dup({ usernameKey: 1 });
    });
    await expect(h.storage.users.create({ username: 'a', email: 'a@x', displayName: 'a', passwordHash: 'h' })).rejects.toMatchObject({ messageKey: 'validation.usernameTaken' });
    h.when('Community', 'create', () => {
      throw dup({ slug: 1 });
    });
    const community = { slug: 's', name: 'n', kind: 'interest' as const, descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' as const };
    await expect(h.storage.communities.create(community)).rejects.toBeInstanceOf(ConflictError);
  });

  it('sorts staff by role then username and never returns password hashes', async () => {
    h.when('Membership', 'find', [
      { communityId: 1, userId: 2, role: 'staff', joinedAt: 1 },
      { communityId: 1, userId: 3, role: 'moderator', joinedAt: 1 },
      { communityId: 1, userId: 4, role: 'moderator', joinedAt: 1 },
    ]);
    h.when('User', 'find', [
      { _id: 2, username: 'sam', email: 's', displayName: 's', passwordHash: 'secret', isAdmin: false, reputation: 0, createdAt: 1 },
      { _id: 3, username: 'Zed', email: 'z', displayName: 'z', passwordHash: 'secret', isAdmin: false, reputation: 0, createdAt: 1 },
      { _id: 4, username: 'amy', email: 'a', displayName: 'a', passwordHash: 'secret', isAdmin: false, reputation: 0, createdAt: 1 },
    ]);
    const staff = await h.storage.memberships.listStaff('1');
    expect(staff.map((s) => [s.membership.role, s.user.username, s.user.passwordHash])).toEqual([
      ['moderator', 'amy', ''],
      ['moderator', 'Zed', ''],
      ['staff', 'sam', ''],
    ]);
  });

  it('retries a rate-limit hit that lost the race to create the key', async () => {
    let first = true;
    h.when('RateLimit', 'findOneAndUpdate', () => {
      if (first) {
        first = false;
        throw dup({ _id: 1 });
      }
      return { _id: 'k', count: 2, resetAt: 60 };
    });
    expect(await h.storage.rateLimits.hit('k', 50, 10)).toEqual({ count: 2, resetAt: 60 });
    expect(ops(h.sent())).toEqual(['RateLimit.findOneAndUpdate', 'RateLimit.findOneAndUpdate']);
  });

  it('peek ignores an ended window', async () => {
    h.when('RateLimit', 'findOne', { _id: 'k', count: 3, resetAt: 100 });
    expect(await h.storage.rateLimits.peek('k', 99)).toEqual({ count: 3, resetAt: 100 });
    expect(await h.storage.rateLimits.peek('k', 100)).toBeNull();
  });
});

const question = { _id: 10, type: 'question', communityId: 1, authorId: 1, title: 't', slug: 's', bodyMd: '', bodyHtml: '', bodyText: '', tags: ['lens'], score: 0, upVotes: 0, downVotes: 0, answerCount: 0, acceptedAnswerId: null, viewCount: 0, commentCount: 0, revisionCount: 1, duplicateCount: 0, createdAt: 1, editedAt: null, lastActivityAt: 1, lastActivityUserId: 1, deletedAt: null };
const answer = (id: number, authorId: number, extra: Record<string, unknown> = {}) => ({ _id: id, type: 'answer', communityId: 1, questionId: 10, authorId, bodyMd: '', bodyHtml: '', bodyText: '', score: 0, upVotes: 0, downVotes: 0, isAccepted: false, commentCount: 0, revisionCount: 1, duplicateCount: 0, createdAt: 2, editedAt: null, deletedAt: null, ...extra });

describe('Q&A', () => {

  it('refuses an unknown community inside the transaction (nothing is kept)', async () => {
    h.when('Community', 'updateOne', { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
    await expect(h.storage.posts.createQuestion({ communityId: '999', authorId: '2', title: 'T', slug: 't', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', tags: [], now: 50 })).rejects.toBeInstanceOf(NotFoundError);
    expect(h.calls.filter((c) => c.kind === 'tx').map((c) => c.op)).toEqual(['begin', 'abort']);
    expect(outboxWrites()).toEqual([]);
  });

  it('refuses a vote on a deleted post', async () => {
    h.when('Post', 'findOne', { ...question, deletedAt: 5 });
    await expect(h.storage.votes.castVote('10', '2', 1, 70)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('accepting the answer that is already accepted changes nothing and enqueues nothing', async () => {
    h.when('Post', 'findOne', { ...question, acceptedAnswerId: 11 });
    await h.storage.posts.setAcceptedAnswer('10', '11', 80);
    expect(ops(h.sent())).toEqual(['Post.findOne@tx']);
  });

  it('accepting a first answer enqueues the question and that answer only', async () => {
    h.when('Post', 'findOne', (call: Call) => ((call.filter as { _id: number })._id === 10 ? question : answer(12, 6)));
    await h.storage.posts.setAcceptedAnswer('10', '12', 80);
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['question-10', 'answer-12'] }]);
  });

  it('refuses an answer of another question and aborts', async () => {
    h.when('Post', 'findOne', (call: Call) => ((call.filter as { _id: number })._id === 10 ? question : answer(13, 5, { questionId: 99 })));
    await expect(h.storage.posts.setAcceptedAnswer('10', '13', 80)).rejects.toBeInstanceOf(NotFoundError);
    expect(h.calls.filter((c) => c.kind === 'tx').map((c) => c.op)).toEqual(['begin', 'abort']);
    expect(h.sent().some((c) => c.model === 'User')).toBe(false);
    expect(outboxWrites()).toEqual([]);
  });

  it('edits a question: only changed tags move their counts', async () => {
    h.when('Post', 'findOne', { ...question, tags: ['lens', 'battery'] });
    h.when('Tag', 'find', []);
    h.when('Post', 'find', [{ _id: 11 }, { _id: 12 }]);
    h.when('FaqEntry', 'find', [{ _id: 3 }]);
    await h.storage.posts.editPost({ postId: '10', editorId: '2', tags: ['lens', 'strap'], bodyMd: 'b', bodyHtml: 'b', bodyText: 'b', reason: 'r', now: 90 });
    const bulk = h.sent().find((c) => c.kind === 'bulk')!;
    expect(bulk.ops).toEqual([
      { updateOne: { filter: { communityId: 1, name: 'strap' }, update: { $inc: { questionCount: 1 }, $setOnInsert: { _id: 1 } }, upsert: true } },
      { updateOne: { filter: { communityId: 1, name: 'battery' }, update: { $inc: { questionCount: -1 } } } },
    ]);
    const revision = h.sent().find((c) => c.model === 'Revision')!;
    expect(revision.docs![0]).toMatchObject({ revision: 2, authorId: 2, title: 't', tags: ['lens', 'strap'], reason: 'r' });
    expect(h.sent().every((c) => c.tx === 1)).toBe(true);
    // answers repeat the question's title, slug and tags; FAQ entries made from it its tags
    expect(h.sent().find((c) => c.model === 'Post' && c.op === 'find')).toMatchObject({ filter: { questionId: 10, type: 'answer' } });
    expect(h.sent().find((c) => c.model === 'FaqEntry' && c.op === 'find')).toMatchObject({ filter: { sourceQuestionId: 10 } });
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['question-10', 'answer-11', 'answer-12', 'faq-3'] }]);
  });

  it('edits an answer: the answer alone is enqueued, with the text and revision', async () => {
    h.when('Post', 'findOne', answer(11, 5));
    await h.storage.posts.editPost({ postId: '11', editorId: '5', bodyMd: 'b', bodyHtml: 'b', bodyText: 'b', reason: '', now: 90 });
    expect(ops(h.sent())).toEqual(['Post.findOne@tx', 'Post.updateOne@tx', 'Post.updateOne@tx', 'Revision.create@tx', 'SearchOutbox.bulkWrite@tx', 'Post.findOne@tx']);
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['answer-11'] }]);
  });

  it('lists one page of answers with skip and limit on the display order, and sends nothing for an empty page', async () => {
    h.when('Post', 'find', [answer(11, 5), answer(12, 6)]);
    const page = await h.storage.posts.listAnswers('10', { offset: 30, limit: 30 });
    expect(page.map((a) => a.id)).toEqual(['11', '12']);
    expect(h.sent()).toMatchObject([
      { model: 'Post', op: 'find', filter: { questionId: 10, type: 'answer', deletedAt: null }, options: { sort: { isAccepted: -1, score: -1, createdAt: 1, _id: 1 }, skip: 30, limit: 30 } },
    ]);
    h.calls.length = 0;
    await h.storage.posts.listAnswers('10');
    // the full list, for the FAQ and scripts: no skip, no limit
    expect(h.sent()[0]!.options).toEqual({ sort: { isAccepted: -1, score: -1, createdAt: 1, _id: 1 } });
    h.calls.length = 0;
    // limit 0 would mean "everything" to MongoDB
    expect(await h.storage.posts.listAnswers('10', { offset: 0, limit: 0 })).toEqual([]);
    expect(h.sent()).toEqual([]);
  });

  it('ranks an answer with its sort keys and one countDocuments of the answers before it', async () => {
    h.when('Post', 'findOne', { _id: 12, isAccepted: false, score: 3, createdAt: 40 });
    h.when('Post', 'countDocuments', 7);
    expect(await h.storage.posts.answerRank('10', '12')).toBe(7);
    expect(ops(h.sent())).toEqual(['Post.findOne', 'Post.countDocuments']);
    expect(h.sent()[0]).toMatchObject({ filter: { _id: 12, questionId: 10, type: 'answer', deletedAt: null }, projection: { isAccepted: 1, score: 1, createdAt: 1 } });
    expect(h.sent()[1]!.filter).toEqual({
      questionId: 10,
      type: 'answer',
      deletedAt: null,
      $or: [
        { isAccepted: true },
        { isAccepted: false, score: { $gt: 3 } },
        { isAccepted: false, score: 3, createdAt: { $lt: 40 } },
        { isAccepted: false, score: 3, createdAt: 40, _id: { $lt: 12 } },
      ],
    });
  });

  it('has no rank, and counts nothing, for an answer that is not a live answer of the question', async () => {
    h.when('Post', 'findOne', null);
    expect(await h.storage.posts.answerRank('10', '99')).toBeNull();
    expect(ops(h.sent())).toEqual(['Post.findOne']);
  });

  it('pages and ranks answers consistently on an in-memory collection (ties on score and time)', async () => {
    const docs = [
      answer(21, 5, { createdAt: 5, score: 0 }),
      answer(22, 5, { createdAt: 5, score: -1 }),
      answer(23, 5, { createdAt: 6, score: 2 }),
      answer(24, 5, { createdAt: 6, score: 2 }),
      answer(25, 5, { createdAt: 7, score: 0 }),
      answer(26, 5, { createdAt: 7, score: 0 }),
      answer(27, 5, { createdAt: 8, score: 0, isAccepted: true }),
      answer(28, 5, { createdAt: 9, score: 9, deletedAt: 10 }),
      answer(29, 5, { createdAt: 1, score: 9, questionId: 99 }),
    ];
    new MemoryCollection(docs).install(h, 'Post');
    const all = (await h.storage.posts.listAnswers('10')).map((a) => a.id);
    expect(all).toEqual(['27', '23', '24', '21', '25', '26', '22']);
    const pages: string[] = [];
    for (let offset = 0; offset < all.length; offset += 3) pages.push(...(await h.storage.posts.listAnswers('10', { offset, limit: 3 })).map((a) => a.id));
    expect(pages).toEqual(all);
    expect(await Promise.all(all.map((id) => h.storage.posts.answerRank('10', id)))).toEqual(all.map((_, i) => i));
    // deleted, foreign: no rank
    expect(await h.storage.posts.answerRank('10', '28')).toBeNull();
    expect(await h.storage.posts.answerRank('10', '29')).toBeNull();
  });

  it('recomputes as an ordered sequence without a transaction and reports real changes', async () => {
    h.when('Vote', 'aggregate', (call: Call) =>
      (call.pipeline![0] as Record<string, unknown>).$group ? [{ _id: 10, score: 1, upVotes: 1, downVotes: 0 }] : [{ _id: 1, reputation: REPUTATION.questionUpvoted }],
    );
    h.when('Post', 'aggregate', []);
    h.when('Post', 'cursor', [{ _id: 10, type: 'question', score: 1, upVotes: 1, downVotes: 0 }, { _id: 11, type: 'answer', score: 3, upVotes: 3, downVotes: 0 }]);
    h.when('User', 'cursor', [{ _id: 1, reputation: 0 }, { _id: 2, reputation: 0 }]);
    expect(await h.storage.votes.recomputeAll()).toEqual({ usersChanged: 1, postsChanged: 1 });
    expect(h.transactions()).toBe(0);
    const bulks = h.sent().filter((c) => c.kind === 'bulk');
    expect(bulks.filter((b) => b.model !== 'SearchOutbox').map((b) => [b.model, b.ops])).toEqual([
      ['Post', [{ updateOne: { filter: { _id: 11 }, update: { $set: { score: 0, upVotes: 0, downVotes: 0 } } } }]],
      ['User', [{ updateOne: { filter: { _id: 1 }, update: { $set: { reputation: REPUTATION.questionUpvoted } } } }]],
    ]);
    // only the corrected post is enqueued, right after its batch and outside any transaction
    expect(ops(bulks)).toEqual(['Post.bulkWrite', 'SearchOutbox.bulkWrite', 'User.bulkWrite']);
    expect(outboxWrites()).toEqual([{ tx: null, ids: ['answer-11'] }]);
    expect(h.sent().find((c) => c.model === 'Post' && c.op === 'cursor')!.projection).toMatchObject({ type: 1 });
  });
});

describe('FAQ', () => {
  const category = (id: number, parentId: number | null, depth: number, position = 0) => ({ _id: id, communityId: 1, parentId, name: `c${id}`, slug: `c${id}`, position, depth, createdAt: 1, updatedAt: 1 });

  it('moving a category to the same depth still enqueues the entries under it', async () => {
    h.when('FaqCategory', 'findOne', (call: Call) => ((call.filter as { _id?: number })._id === 2 ? category(2, 1, 2) : null));
    h.when('FaqEntry', 'find', [{ _id: 7 }]);
    await h.storage.faq.moveCategory('2', '9', 2, 100);
    expect(h.sent().some((c) => c.model === 'FaqCategory' && c.op === 'updateMany')).toBe(false);
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['faq-7'] }]);
  });

  it('renames a category and enqueues the entries of its whole subtree in one transaction', async () => {
    h.when('FaqCategory', 'findOneAndUpdate', category(2, null, 1));
    h.when('FaqCategory', 'find', (call: Call) => ((call.filter as { parentId: { $in: number[] } }).parentId.$in.includes(2) ? [{ _id: 3 }] : []));
    h.when('FaqEntry', 'find', [{ _id: 7 }, { _id: 9 }]);
    const c = await h.storage.faq.renameCategory('2', 'New', 'new', 5);
    expect(c).toMatchObject({ id: '2', name: 'c2' });
    expect(ops(h.sent())).toEqual(['FaqCategory.findOneAndUpdate@tx', 'FaqCategory.find@tx', 'FaqCategory.find@tx', 'FaqEntry.find@tx', 'SearchOutbox.bulkWrite@tx']);
    expect(h.sent()[3]!.filter).toEqual({ categoryId: { $in: [2, 3] } });
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['faq-7', 'faq-9'] }]);
  });

  it('renaming to a sibling\'s slug is a ConflictError and an unknown category NotFound; neither enqueues', async () => {
    h.when('FaqCategory', 'findOneAndUpdate', () => {
      throw dup({ communityId: 1, parentId: 1, slug: 1 });
    });
    await expect(h.storage.faq.renameCategory('2', 'n', 's', 1)).rejects.toMatchObject({ messageKey: 'faq.category.slugTaken' });
    h.when('FaqCategory', 'findOneAndUpdate', null);
    await expect(h.storage.faq.renameCategory('2', 'n', 's', 1)).rejects.toBeInstanceOf(NotFoundError);
    expect(outboxWrites()).toEqual([]);
  });

  it('deleting a category into a target enqueues the moved entries and those below its children, read before the move', async () => {
    h.when('FaqCategory', 'find', (call: Call) => ((call.filter as { parentId: { $in: number[] } }).parentId.$in.includes(3) ? [{ _id: 4 }] : []));
    h.when('FaqEntry', 'find', [{ _id: 7 }, { _id: 8 }]);
    await h.storage.faq.deleteCategory('3', '2', 1);
    expect(ops(h.sent())).toEqual([
      'FaqCategory.find@tx', 'FaqCategory.find@tx', 'FaqEntry.updateMany@tx', 'FaqCategory.updateMany@tx', 'FaqEntry.find@tx', 'SearchOutbox.bulkWrite@tx',
      'FaqEntry.countDocuments@tx', 'FaqCategory.countDocuments@tx', 'FaqCategory.deleteOne@tx',
    ]);
    expect(h.sent()[4]!.filter).toEqual({ categoryId: { $in: [3, 4] } });
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['faq-7', 'faq-8'] }]);
  });

  it('turns a duplicate sibling slug into a ConflictError', async () => {
    h.when('FaqCategory', 'create', () => {
      throw dup({ communityId: 1, parentId: 1, slug: 1 });
    });
    await expect(h.storage.faq.createCategory({ communityId: '1', parentId: null, name: 'n', slug: 's', depth: 1, now: 1 })).rejects.toMatchObject({ messageKey: 'faq.category.slugTaken' });
  });

  it('refuses to delete a category that still has content', async () => {
    h.when('FaqEntry', 'countDocuments', 2);
    await expect(h.storage.faq.deleteCategory('3', null, 1)).rejects.toMatchObject({ messageKey: 'faq.category.notEmpty' });
    expect(h.sent().some((c) => c.op === 'deleteOne')).toBe(false);
    expect(outboxWrites()).toEqual([]);
  });

  it('archives an entry and enqueues it in one transaction; an unknown entry aborts it', async () => {
    await h.storage.faq.setStatus('4', 'archived');
    expect(ops(h.sent())).toEqual(['FaqEntry.updateOne@tx', 'SearchOutbox.bulkWrite@tx']);
    expect(outboxWrites()).toEqual([{ tx: 1, ids: ['faq-4'] }]);
    h.calls.length = 0;
    h.when('FaqEntry', 'updateOne', { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
    await expect(h.storage.faq.setStatus('5', 'published')).rejects.toBeInstanceOf(NotFoundError);
    expect(h.calls.filter((c) => c.kind === 'tx').map((c) => c.op)).toEqual(['begin', 'abort']);
    expect(outboxWrites()).toEqual([]);
  });

  it('a moderator\'s pin, archive and "reviewed" write their history line in the same transaction', async () => {
    h.when('FaqEntry', 'findOne', { _id: 4, communityId: 1 });
    await h.storage.faq.setPinned('4', true, { userId: '7', now: 50 });
    expect(ops(h.sent())).toEqual(['FaqEntry.findOne@tx', 'FaqEntry.findOne@tx', 'FaqEntry.updateOne@tx', 'FaqEntryEvent.create@tx']);
    expect(h.sent().at(-1)!.docs).toEqual([expect.objectContaining({ entryId: 4, actorId: 7, action: 'pin', createdAt: 50 })]);
    h.calls.length = 0;
    await h.storage.faq.setStatus('4', 'archived', { userId: '7', now: 51 });
    expect(ops(h.sent())).toEqual(['FaqEntry.updateOne@tx', 'SearchOutbox.bulkWrite@tx', 'FaqEntryEvent.create@tx']);
    expect(h.sent().at(-1)!.docs).toEqual([expect.objectContaining({ action: 'archive', actorId: 7 })]);
    h.calls.length = 0;
    await h.storage.faq.clearReview('4', { userId: '7', now: 52 });
    expect(ops(h.sent())).toEqual(['FaqEntry.updateOne@tx', 'FaqEntryEvent.create@tx']);
    h.calls.length = 0;
    await expect(h.storage.faq.setPinned('4', false, { userId: 'not-an-id', now: 53 })).rejects.toBeInstanceOf(NotFoundError);
    expect(h.calls.filter((c) => c.kind === 'tx').map((c) => c.op)).toEqual(['begin', 'abort']);
  });

  it('pins, views, search clicks, dismissals and review flags enqueue nothing', async () => {
    h.when('FaqEntry', 'findOne', { _id: 4, communityId: 1 });
    await h.storage.faq.setPinned('4', true);
    await h.storage.faq.addViews(new Map([['4', 2]]));
    await h.storage.faq.addSearchClick('4');
    await h.storage.faq.dismiss({ answerId: '11', communityId: '1', dismissedBy: '2', reason: 'r', scoreAtDismissal: 5, createdAt: 1 });
    await h.storage.faq.flagForReview({ sourceAnswerId: '11' }, 'source_edited');
    await h.storage.faq.clearReview('4');
    await h.storage.posts.addViews(new Map([['10', 3]]));
    expect(h.sent().length).toBeGreaterThan(0);
    expect(outboxWrites()).toEqual([]);
  });

  it('a second promotion of the same answer is a ConflictError', async () => {
    h.when('FaqCategory', 'findOne', { _id: 2 });
    h.when('FaqEntry', 'create', () => {
      throw dup({ sourceAnswerId: 1 });
    });
    await expect(
      h.storage.faq.createEntry({ communityId: '1', categoryId: '2', title: 't', slug: 's', bodyMd: 'm', bodyHtml: 'h', bodyText: 'x', sourceQuestionId: '10', sourceAnswerId: '11', relatedIds: [], createdBy: '3', now: 1 }),
    ).rejects.toMatchObject({ messageKey: 'faq.alreadyPromoted' });
  });

  it('flags entries overtaken by a higher-scoring live answer', async () => {
    h.when('FaqEntry', 'find', [{ _id: 1, sourceAnswerId: 11 }]);
    h.when('Post', 'find', [answer(11, 5, { score: 2 }), answer(12, 6, { score: 3 }), answer(13, 6, { score: 9, deletedAt: 4 })]);
    h.when('FaqEntry', 'updateMany', { matchedCount: 1, modifiedCount: 1 });
    expect(await h.storage.faq.flagForReview({ sourceQuestionId: '10' }, 'overtaken')).toBe(1);
    expect(h.sent().at(-1)).toMatchObject({ filter: { _id: { $in: [1] }, needsReview: false }, update: { $set: { needsReview: true, reviewReason: 'overtaken' } }, tx: null });
  });

  it('maps candidate rows from the aggregation', async () => {
    h.when('Post', 'aggregate', [{ _id: 11, questionId: 10, communityId: 1, questionTitle: 'Q', bodyText: 'x', bodyMd: 'm', authorId: 5, score: 6, upVotes: 6, downVotes: 0, isAccepted: true, questionViews: 40, duplicateCount: 1, createdAt: 3, dismissal: { scoreAtDismissal: 4, reason: 'r' } }]);
    expect(await h.storage.faq.candidateRows('1', 5, 10)).toEqual([
      { answerId: '11', questionId: '10', communityId: '1', questionTitle: 'Q', answerBodyText: 'x', answerBodyMd: 'm', answerAuthorId: '5', score: 6, upVotes: 6, downVotes: 0, accepted: true, questionViews: 40, duplicateCount: 1, createdAt: 3, dismissal: { scoreAtDismissal: 4, reason: 'r' } },
    ]);
  });
});

describe('search log', () => {
  it('records searches with numeric ids and clicks as a single update', async () => {
    expect(await h.storage.searchLog.record({ query: 'q', normalized: 'q', communityId: '4', filters: '', hitCount: 2, userHash: 'u', now: 1 })).toBe('1');
    expect(h.sent()[0]!.docs![0]).toMatchObject({ _id: 1, communityId: 4, clickCount: 0, clicks: [] });
    h.when('SearchLog', 'updateOne', { matchedCount: 0, modifiedCount: 0 });
    expect(await h.storage.searchLog.recordClick('1', 'q:1', 0, 2)).toBe(false);
    h.when('SearchLog', 'updateOne', { matchedCount: 1, modifiedCount: 1 });
    expect(await h.storage.searchLog.recordClick('1', 'q:1', 0, 2)).toBe(true);
    expect(h.transactions()).toBe(0);
  });

  it('keeps the browser hash and pairs empty searches with the same browser\'s later clicked ones (suggested synonyms)', async () => {
    await h.storage.searchLog.record({ query: 'fog', normalized: 'fog', communityId: '4', filters: '', hitCount: 0, userHash: 'u', browserHash: 'b1', now: 1 });
    expect(h.sent()[0]!.docs![0]).toMatchObject({ browserHash: 'b1' });
    const empty = [
      { query: 'Fog', normalized: 'fog', createdAt: 1_000, browserHash: 'b1' },
      { query: 'fog', normalized: 'fog', createdAt: 2_000, browserHash: 'b2' },
      { query: 'mist', normalized: 'mist', createdAt: 3_000, browserHash: 'b3' },
    ];
    const clicked = [
      { query: 'condensation', normalized: 'condensation', createdAt: 1_500, browserHash: 'b1' },
      { query: 'Condensation', normalized: 'condensation', createdAt: 2_500, browserHash: 'b2' },
      // After b3's window, and the same query again: not pairs.
      { query: 'steam', normalized: 'steam', createdAt: 3_000 + 301_000, browserHash: 'b3' },
      { query: 'mist', normalized: 'mist', createdAt: 3_500, browserHash: 'b3' },
    ];
    // The first read asks for the searches that found nothing, the second for the clicked ones.
    h.when('SearchLog', 'find', (call: { filter?: Record<string, unknown> }) => (call.filter?.hitCount === 0 ? empty : clicked));
    expect(await h.storage.searchLog.synonymSuggestions('4', 0, 300_000, 10)).toEqual([{ from: 'fog', to: 'Condensation', browsers: 2, latest: 2_500 }]);
    const [emptyRead, clickedRead] = h.sent().slice(-2);
    expect(emptyRead).toMatchObject({ filter: { communityId: { $in: [4, null] }, hitCount: 0, browserHash: { $type: 'string' } } });
    expect(clickedRead).toMatchObject({ filter: { browserHash: { $in: ['b1', 'b2', 'b3'] }, createdAt: { $gt: 1_000, $lte: 303_000 }, clickCount: { $gt: 0 } } });
    expect(await h.storage.searchLog.synonymSuggestions('x', 0, 300_000, 10)).toEqual([]);
  });

  it('reserves a block of ids from the counter in one call and writes a batch in one insert', async () => {
    const ids = await h.storage.searchLog.reserveIds(3);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const before = h.sent().length;
    const entry = { query: 'q', normalized: 'q', communityId: '4', filters: '', hitCount: 2, userHash: 'u', now: 1 };
    await h.storage.searchLog.recordMany([{ ...entry, id: ids[0]! }, { ...entry, communityId: null, id: ids[2]! }, { ...entry, id: 'bad' }]);
    const inserts = h.sent().slice(before);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]!.docs!.map((d) => [(d as { _id: number })._id, (d as { communityId: number | null }).communityId])).toEqual([[Number(ids[0]), 4], [Number(ids[2]), null]]);
  });
});
