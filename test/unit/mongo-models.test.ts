import mongoose, { Types, type Model } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';

/*
 * Schema validation and casting for every model, offline: new Model(doc).validateSync()
 * needs no connection. Models are compiled on a connection that never opens.
 */
const models: Models = createModels(mongoose.createConnection());

const T = 1_700_000_000_000;

/** A valid document of each model, as the repositories write them. */
const valid: { [K in keyof Models]: Record<string, unknown> } = {
  counters: { _id: 'posts', seq: 41 },
  users: { _id: 1, username: 'Alice', usernameKey: 'alice', email: 'Alice@Example.test', emailKey: 'alice@example.test', displayName: 'Alice', passwordHash: '$argon2id$x', isAdmin: false, reputation: 0, createdAt: T },
  sessions: { _id: 'a'.repeat(64), userId: 1, expiresAt: T + 1000, createdAt: T },
  communities: { _id: 1, slug: 'coffee', name: 'Coffee', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'zh-CN', memberCount: 0, questionCount: 0, promotionThreshold: 5, faqAutoPublishScore: null, faqAutoPublishCategoryId: null, createdAt: T, updatedAt: T },
  memberships: { communityId: 1, userId: 2, role: 'moderator', joinedAt: T },
  rateLimits: { _id: 'login:ip:1.2.3.4', count: 1, resetAt: T },
  meta: { _id: 'seeded', value: '1' },
  posts: { _id: 10, type: 'question', communityId: 1, authorId: 1, title: '如何重置相机？', slug: '如何重置相机', bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', tags: ['电池', 'reset'], score: 0, upVotes: 0, downVotes: 0, answerCount: 0, acceptedAnswerId: null, viewCount: 0, commentCount: 0, revisionCount: 1, duplicateCount: 0, createdAt: T, editedAt: null, lastActivityAt: T, lastActivityUserId: 1, deletedAt: null },
  revisions: { _id: 1, postId: 10, revision: 1, authorId: 1, title: null, bodyMd: 'b', tags: [], reason: '', createdAt: T },
  votes: { postId: 10, userId: 2, value: -1, createdAt: T },
  comments: { _id: 1, postId: 10, authorId: 2, body: 'hi', bodyHtml: 'hi', createdAt: T, deletedAt: null },
  tags: { _id: 1, communityId: 1, name: 'c++', questionCount: 3 },
  faqCategories: { _id: 1, communityId: 1, parentId: null, name: 'Setup', slug: 'setup', position: 0, depth: 1, createdAt: T, updatedAt: T },
  faqEntries: { _id: 1, communityId: 1, categoryId: 1, title: 'Reset', slug: 'reset', bodyMd: 'b', bodyHtml: 'b', bodyText: 'b', sourceQuestionId: 10, sourceAnswerId: 11, status: 'published', pinned: false, pinPosition: 0, viewCount: 0, helpfulYes: 0, helpfulNo: 0, searchClicks: 0, needsReview: false, reviewReason: null, revisionCount: 1, relatedIds: [2, 3], createdBy: 1, createdAt: T, updatedAt: T },
  faqEntryRevisions: { _id: 1, entryId: 1, revision: 1, authorId: 1, title: 'Reset', bodyMd: 'b', categoryId: 1, reason: '', createdAt: T },
  faqHelpfulVotes: { entryId: 1, voterKey: 'u:1', helpful: true, createdAt: T },
  faqDismissals: { _id: 11, communityId: 1, dismissedBy: 1, reason: 'too specific', scoreAtDismissal: 6, createdAt: T },
  faqEntryEvents: { _id: new Types.ObjectId(), entryId: 3, actorId: 1, action: 'archive', createdAt: T },
  searchLog: { _id: 1, query: '咖啡 grinder', normalized: '咖啡 grinder', communityId: null, filters: 'kind=answer', hitCount: 0, clickCount: 0, userHash: 'h', clicks: [{ docId: 'q:1', position: 0, createdAt: T }], createdAt: T },
  searchOutbox: { _id: 'question-12', version: 3, status: 'pending', attempts: 0, changedAt: T, nextAttemptAt: T, leaseOwner: null, leaseUntil: 0, doneAt: null, lastError: null },
  jobLeases: { _id: 'outbox-prune', owner: 'web-1:4242', until: T + 60_000 },
  eventOutbox: { _id: 1, kind: 'answered', key: 'answered:12', payload: '{"actorId":"2","questionId":"11","answerId":"12"}', status: 'pending', attempts: 0, nextAttemptAt: T, leaseOwner: null, leaseUntil: 0, lastError: null, createdAt: T, doneAt: null },
  searchSynonyms: { _id: 1, terms: ['wifi', 'wi fi', '无线 网'], createdBy: 1, createdAt: T, updatedAt: T },
  importSources: { communityId: 1, kind: 'post', sourceId: '18', localId: 12 },
  postAttributions: { _id: 12, sourceUrl: 'https://quantumcomputing.stackexchange.com/a/18', authorName: 'Ada', authorUrl: null, licence: 'CC BY-SA 3.0' },
  importedPostLinks: { postId: 12, targetId: 13, kind: 'duplicate', createdAt: T },
  auditLog: { _id: 1, actorId: 1, action: 'question.close', communityId: 1, targetType: 'post', targetId: '2', reason: 'dup', before: null, after: null, createdAt: T },
  postStates: { _id: 2, closedAt: T, closedBy: 1, closeReason: 'duplicate', closeNote: '', duplicateOf: 3, lockedAt: null, lockedBy: null, lockReason: '', deletedBy: null, deleteReason: '', hiddenAt: null },
  closeVotes: { questionId: 2, userId: 1, kind: 'close', reason: 'off-topic', duplicateOf: null, createdAt: T },
  suspensions: { _id: 1, userId: 2, communityId: null, reason: 'spam', endsAt: null, createdBy: 1, createdAt: T, liftedAt: null, liftedBy: null },
  flags: { _id: 1, postId: 2, communityId: 1, userId: 3, reason: 'spam', text: '', createdAt: T, resolvedAt: null, resolvedBy: null, outcome: null },
  mailQueue: { _id: 1, idempotencyKey: 'verify:abc', to: 'a@example.test', userId: 1, kind: 'verify', locale: 'zh-CN', subject: 's', html: '<p>h</p>', text: 't', headers: '{}', status: 'queued', attempts: 0, nextAttemptAt: T, leaseOwner: null, leaseUntil: 0, lastError: null, createdAt: T, sentAt: null, messageId: null },
  notificationPrefs: { _id: '1:answer', userId: 1, kind: 'answer', delivery: 'email', updatedAt: T },
  mailProfiles: { _id: 1, locale: 'en', verifiedEmail: 'a@example.test', verifiedAt: T },
  notifications: { _id: 1, userId: 1, eventKey: 'answer:2', kind: 'answer', actorId: 2, threadId: 1, title: 'Q', link: '/c/x/q/1/q', createdAt: T, readAt: null },
  watches: { _id: '1:question:1', userId: 1, targetType: 'question', targetId: '1', createdAt: T },
  accountTokens: { _id: 'a'.repeat(64), userId: 1, purpose: 'reset', email: 'a@example.test', createdAt: T, expiresAt: T + 3600_000, usedAt: null },
  inboundHeld: { _id: 'b'.repeat(64), communityId: 1, email: 'Li@Example.test', emailKey: 'li@example.test', senderName: 'Li', locale: 'zh-CN', title: '咖啡机不出水怎么办', bodyMd: '按下开关后没有水流出来。', tags: ['espresso'], createdAt: T, expiresAt: T + 1000, claimedAt: null, claimedBy: null },
  supportSettings: { _id: 1, targetHours: 24, urgentHours: 4, timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080, ackEn: '', ackZh: '', updatedBy: 2, updatedAt: T },
  supportTickets: { _id: 5, communityId: 1, askerId: 2, urgent: true, urgentReason: 'line down', status: 'open', assigneeId: null, openedAt: T, warnAt: T + 1, dueAt: T + 2, pausedRemainingMs: null, respondedAt: null, responseKind: null, firstStaffResponseAt: null, firstStaffResponderId: null, resolvedAt: null, reopenCount: 0, warnedAt: null, breachedAt: null, updatedAt: T },
  supportEvents: { _id: new Types.ObjectId(), questionId: 5, actorId: 2, kind: 'opened', detail: '', at: T },
  supportEscalations: { _id: '5:breach:1700000000000', questionId: 5, communityId: 1, level: 'breach', dueAt: T, at: T, notifiedAt: null },
  supportRatings: { _id: 5, communityId: 1, askerId: 2, score: 2, comment: 'slow', createdAt: T, updatedAt: T },
  digestSubscriptions: { _id: 2, frequency: 'weekly', lastDigestAt: T, updatedAt: T },
  newsletters: { _id: 1, communityId: 1, authorId: 2, subject: 'March news', bodyMd: '# Hi', bodyHtml: '<h1>Hi</h1>', bodyText: 'Hi', status: 'scheduled', scheduledAt: T, sentAt: null, recipientCount: 0, createdAt: T, updatedAt: T },
  communityNews: { _id: '1:2', communityId: 1, userId: 2, createdAt: T },
  supportDaily: { _id: '1:2026-11-30:frt:', communityId: 1, day: '2026-11-30', metric: 'frt', dim: '', value: 2, detail: [60000, 120000] },
  supportSelfService: { _id: new Types.ObjectId(), kind: 'search', browserId: 'abcdefghijklmnop', communityId: null, at: T },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function errorsOf(model: Model<any>, doc: Record<string, unknown>): string[] {
  const err = new model(doc).validateSync();
  return err ? Object.keys(err.errors).sort() : [];
}

describe('mongo models: every model validates the documents the repositories write', () => {
  it.each(Object.keys(valid) as Array<keyof Models>)('%s accepts a valid document', (name) => {
    expect(errorsOf(models[name] as Model<unknown>, valid[name])).toEqual([]);
  });

  it.each(Object.keys(valid) as Array<keyof Models>)('%s refuses a field that is not in its schema (strict: throw)', (name) => {
    expect(() => new (models[name] as Model<unknown>)({ ...valid[name], notAField: 1 })).toThrow(/not in schema/);
  });

  it('covers every compiled model', () => {
    expect(Object.keys(valid).sort()).toEqual(Object.keys(models).sort());
  });
});

describe('mongo models: casting', () => {
  it('casts numeric strings to the numeric ids and counters the schema declares', () => {
    const doc = new models.posts({ ...valid.posts, _id: '12', communityId: '3', score: '-2', createdAt: String(T) }).toObject();
    expect(doc).toMatchObject({ _id: 12, communityId: 3, score: -2, createdAt: T });
  });

  it('refuses ids that are not positive whole numbers', () => {
    expect(errorsOf(models.users, { ...valid.users, _id: 'abc' })).toEqual(['_id']);
    expect(errorsOf(models.users, { ...valid.users, _id: 1.5 })).toEqual(['_id']);
    expect(errorsOf(models.users, { ...valid.users, _id: 0 })).toEqual(['_id']);
    expect(errorsOf(models.comments, { ...valid.comments, postId: -3 })).toEqual(['postId']);
    expect(errorsOf(models.votes, { ...valid.votes, userId: '1; DROP' })).toEqual(['userId']);
  });

  it('refuses an object where a string is expected (no operator smuggling)', () => {
    expect(errorsOf(models.users, { ...valid.users, username: { $gt: '' } })).toContain('username');
    expect(errorsOf(models.communities, { ...valid.communities, slug: { $ne: null } })).toContain('slug');
  });

  it('fills defaults for counters and flags', () => {
    const c = new models.communities({ _id: 2, slug: 's', name: 'n', kind: 'business', createdAt: T, updatedAt: T }).toObject();
    expect(c).toMatchObject({ memberCount: 0, questionCount: 0, promotionThreshold: 5, defaultLocale: 'en', descriptionMd: '', faqAutoPublishScore: null, faqAutoPublishCategoryId: null });
    const e = new models.faqEntries({ ...valid.faqEntries, status: undefined, pinned: undefined, relatedIds: undefined, revisionCount: undefined }).toObject();
    expect(e).toMatchObject({ status: 'published', pinned: false, relatedIds: [], revisionCount: 1 });
  });
});

describe('mongo models: rules a document must keep', () => {
  it('users: the key fields must be the lower-cased username and email', () => {
    expect(errorsOf(models.users, { ...valid.users, usernameKey: 'Alice' })).toEqual(['usernameKey']);
    expect(errorsOf(models.users, { ...valid.users, emailKey: 'other@example.test' })).toEqual(['emailKey']);
    expect(errorsOf(models.users, { ...valid.users, username: undefined, usernameKey: undefined })).toEqual(['username', 'usernameKey']);
  });

  it('communities and memberships: kinds, locales and roles come from the domain lists', () => {
    expect(errorsOf(models.communities, { ...valid.communities, kind: 'private' })).toEqual(['kind']);
    expect(errorsOf(models.communities, { ...valid.communities, defaultLocale: 'fr' })).toEqual(['defaultLocale']);
    expect(errorsOf(models.memberships, { ...valid.memberships, role: 'owner' })).toEqual(['role']);
  });

  it('posts: questions need a title, slug and activity time; answers need their question', () => {
    expect(errorsOf(models.posts, { ...valid.posts, title: undefined, slug: undefined, lastActivityAt: undefined })).toEqual(['lastActivityAt', 'slug', 'title']);
    const answer = { _id: 11, type: 'answer', communityId: 1, questionId: 10, authorId: 2, bodyMd: 'a', bodyHtml: 'a', bodyText: 'a', isAccepted: false, createdAt: T };
    expect(errorsOf(models.posts, answer)).toEqual([]);
    expect(errorsOf(models.posts, { ...answer, questionId: undefined })).toEqual(['questionId']);
    expect(errorsOf(models.posts, { ...valid.posts, questionId: 9 })).toEqual(['questionId']);
    expect(errorsOf(models.posts, { ...valid.posts, type: 'comment' })).toEqual(['type']);
    expect(errorsOf(models.posts, { ...valid.posts, tags: ['two words'] })).toEqual(['tags']);
    // answers carry no question-only fields by default
    const stored = new models.posts(answer).toObject() as unknown as Record<string, unknown>;
    expect(stored.tags).toBeUndefined();
    expect(stored.answerCount).toBeUndefined();
  });

  it('votes are +1 or -1 only (withdrawing deletes the vote)', () => {
    expect(errorsOf(models.votes, { ...valid.votes, value: 0 })).toEqual(['value']);
    expect(errorsOf(models.votes, { ...valid.votes, value: 2 })).toEqual(['value']);
  });

  it('FAQ categories stay within depth 1-4', () => {
    expect(errorsOf(models.faqCategories, { ...valid.faqCategories, depth: 0 })).toEqual(['depth']);
    expect(errorsOf(models.faqCategories, { ...valid.faqCategories, depth: 5 })).toEqual(['depth']);
    expect(errorsOf(models.faqCategories, { ...valid.faqCategories, depth: 4, parentId: 3 })).toEqual([]);
  });

  it('FAQ entries: status and review reason come from the domain', () => {
    expect(errorsOf(models.faqEntries, { ...valid.faqEntries, status: 'draft' })).toEqual(['status']);
    expect(errorsOf(models.faqEntries, { ...valid.faqEntries, reviewReason: 'because' })).toEqual(['reviewReason']);
    expect(errorsOf(models.faqEntries, { ...valid.faqEntries, needsReview: true, reviewReason: 'overtaken' })).toEqual([]);
  });

  it('search outbox: ids are search document ids, versions start at 1, statuses and error length are bounded', () => {
    for (const id of ['answer-1', 'faq-9007199254740991']) expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, _id: id })).toEqual([]);
    for (const id of ['question-0', 'post-1', 'question-', 'question-1 ', `question-${'1'.repeat(70)}`]) expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, _id: id })).toEqual(['_id']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, version: 0 })).toEqual(['version']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, version: 1.5 })).toEqual(['version']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, status: 'running' })).toEqual(['status']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, attempts: -1 })).toEqual(['attempts']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, lastError: 'x'.repeat(1001) })).toEqual(['lastError']);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, status: 'failed', attempts: 5, lastError: 'x'.repeat(1000) })).toEqual([]);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, status: 'done', doneAt: T, leaseOwner: 'web-1#0123456789abcdef', leaseUntil: T + 1 })).toEqual([]);
    expect(errorsOf(models.searchOutbox, { ...valid.searchOutbox, leaseOwner: { $ne: null } })).toEqual(['leaseOwner']);
  });

  it('search outbox defaults: a new entry is free (no lease) and has no error', () => {
    const doc = new models.searchOutbox({ _id: 'faq-1', version: 1, status: 'pending', changedAt: T, nextAttemptAt: T }).toObject();
    expect(doc).toMatchObject({ attempts: 0, leaseOwner: null, leaseUntil: 0, doneAt: null, lastError: null });
  });

  it('job leases need a name, an owner and an end time', () => {
    expect(errorsOf(models.jobLeases, { _id: 'x' })).toEqual(['owner', 'until']);
    expect(errorsOf(models.jobLeases, { ...valid.jobLeases, until: 1.5 })).toEqual(['until']);
  });

  it('search synonyms: 2 to 10 distinct, non-empty terms, strings only', () => {
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: ['wifi'] })).toEqual(['terms']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toEqual(['terms']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: Array.from({ length: 10 }, (_, i) => `t${i}`) })).toEqual([]);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: ['wifi', 'wifi'] })).toEqual(['terms']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: ['wifi', ''] })).toEqual(['terms']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: ['wifi', { $gt: '' }] })).toContain('terms.1');
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, terms: undefined })).toEqual(['terms']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, createdBy: 'admin' })).toEqual(['createdBy']);
    expect(errorsOf(models.searchSynonyms, { ...valid.searchSynonyms, updatedAt: undefined })).toEqual(['updatedAt']);
  });

  it('search log clicks are validated too', () => {
    expect(errorsOf(models.searchLog, { ...valid.searchLog, clicks: [{ docId: 'q:1', position: -1, createdAt: T }] })).toEqual(['clicks.0.position']);
  });
});

describe('mongo models: indexes', () => {
  const indexes = (name: keyof Models) => (models[name] as Model<unknown>).schema.indexes().map(([keys, options]) => ({ keys, options: options as Record<string, unknown> }));
  const unique = (name: keyof Models) => indexes(name).filter((i) => i.options.unique).map((i) => i.keys);

  it('declares the unique indexes that enforce the domain rules', () => {
    expect(unique('users')).toEqual([{ usernameKey: 1 }, { usernameSkeleton: 1 }, { emailKey: 1 }]); // lookalike names are one name
    expect(unique('communities')).toEqual([{ slug: 1 }]);
    expect(unique('memberships')).toEqual([{ communityId: 1, userId: 1 }]);
    expect(unique('votes')).toEqual([{ postId: 1, userId: 1 }]); // one vote per user and post
    expect(unique('tags')).toEqual([{ communityId: 1, name: 1 }]);
    expect(unique('revisions')).toEqual([{ postId: 1, revision: 1 }]);
    expect(unique('faqCategories')).toEqual([{ communityId: 1, parentId: 1, slug: 1 }]); // slug per parent
    expect(unique('faqEntries')).toEqual([{ sourceAnswerId: 1 }]); // one entry per source answer
    expect(unique('faqEntryRevisions')).toEqual([{ entryId: 1, revision: 1 }]);
    expect(unique('faqHelpfulVotes')).toEqual([{ entryId: 1, voterKey: 1 }]);
    expect(unique('searchSynonyms')).toEqual([{ terms: 1 }]); // multikey: a term belongs to one group only
    expect(models.searchSynonyms.collection.collectionName).toBe('searchSynonyms');
  });

  it('makes the one-entry-per-answer index partial so entries without a source do not collide', () => {
    const idx = indexes('faqEntries').find((i) => i.options.unique)!;
    expect(idx.options.partialFilterExpression).toEqual({ sourceAnswerId: { $gt: 0 } });
  });

  // Which index serves which list query (sort included) is checked in mongo-index-sorts.test.ts.
  it('keeps the outbox indexes plain: no second unique key to race on, leases found by _id only', () => {
    expect(indexes('searchOutbox').some((i) => i.options.unique)).toBe(false); // _id is the document id
    expect(indexes('jobLeases')).toEqual([]);
    expect([models.searchOutbox.collection.collectionName, models.jobLeases.collection.collectionName]).toEqual(['searchOutbox', 'jobLeases']);
  });

  it('names every index, so index changes show up in reviews', () => {
    for (const name of Object.keys(models) as Array<keyof Models>) {
      for (const i of indexes(name)) expect(typeof i.options.name).toBe('string');
    }
  });
});
