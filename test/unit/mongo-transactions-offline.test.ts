import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryStorage, type MemoryStorage } from './mongo-memory-storage.js';
import { MemoryCollection } from './mongo-memory.js';
import { contentFixture, T0, type ContentFixture } from '../contract/content-fixture.js';

/*
 * "A repository method is the unit of atomicity": each MongoDB method that changes several
 * documents runs them in one transaction. Offline, on the in-memory stand-in whose transactions
 * roll back, the last write of each method is made to fail; whatever the method wrote before it
 * must be gone, read back through the ports. (These replace tests that only replayed the
 * expected call sequence against scripted replies.)
 */

const boom = () => {
  throw new Error('write failed (injected)');
};

describe('MongoDB transactions roll back every write of a failed method (offline)', () => {
  let m: MemoryStorage;
  let f: ContentFixture;
  beforeEach(async () => {
    m = memoryStorage();
    f = await contentFixture(m.storage);
  });
  afterEach(async () => {
    await m.storage.close();
  });

  /** Makes every later outbox write fail: the outbox entry is the last write of each method below. */
  const failOutbox = () => m.h.when('SearchOutbox', 'bulkWrite', boom);

  it('createQuestion: no question, tag, revision or community count remains', async () => {
    failOutbox();
    await expect(f.ask({ title: 'Never stored', tags: ['brand-new-tag'] })).rejects.toThrow('injected');
    expect(await m.storage.posts.listQuestions({ communityId: f.community.id, sort: 'newest', offset: 0, limit: 10 })).toEqual([]);
    expect(await m.storage.tags.find(f.community.id, 'brand-new-tag')).toBeNull();
    expect((await m.storage.communities.findById(f.community.id))!.questionCount).toBe(0);
    expect(m.collections.get('Revision')!.docs).toEqual([]);
  });

  it('createAnswer: no answer, and the question\'s answer count is unchanged', async () => {
    const q = await f.ask();
    failOutbox();
    await expect(f.answer(q)).rejects.toThrow('injected');
    expect(await m.storage.posts.listAnswers(q)).toEqual([]);
    expect((await m.storage.posts.findQuestion(q))!.answerCount).toBe(0);
  });

  it('castVote: no vote, score or reputation change', async () => {
    const q = await f.ask();
    const a = await f.answer(q);
    failOutbox();
    await expect(m.storage.votes.castVote(a, f.carol.id, 1, T0)).rejects.toThrow('injected');
    expect((await m.storage.posts.findPost(a))!.score).toBe(0);
    expect(await m.storage.votes.votesBy(f.carol.id, [a])).toEqual(new Map());
    expect((await m.storage.users.findById(f.bob.id))!.reputation).toBe(0);
  });

  it('setAcceptedAnswer: no acceptance and no reputation moved', async () => {
    const q = await f.ask();
    const a = await f.answer(q);
    failOutbox();
    await expect(m.storage.posts.setAcceptedAnswer(q, a, T0)).rejects.toThrow('injected');
    expect((await m.storage.posts.findQuestion(q))!.acceptedAnswerId).toBeNull();
    expect((await m.storage.posts.findPost(a)) as { isAccepted: boolean }).toMatchObject({ isAccepted: false });
    expect((await m.storage.users.findById(f.bob.id))!.reputation).toBe(0);
    expect((await m.storage.users.findById(f.alice.id))!.reputation).toBe(0);
  });

  it('comments.add: no comment and no comment count when the activity update fails', async () => {
    const q = await f.ask();
    const before = (await m.storage.posts.findQuestion(q))!;
    m.h.when('Post', 'updateOne', boom);
    await expect(m.storage.comments.add(q, f.carol.id, 'a comment', 'a comment', T0 + 1)).rejects.toThrow('injected');
    expect(await m.storage.comments.listFor([q])).toEqual([]);
    expect(await m.storage.posts.findQuestion(q)).toEqual(before);
  });

  it('faq.createEntry: no entry, revision or related link remains', async () => {
    const other = await f.faqEntry({ title: 'Already there' });
    failOutbox();
    await expect(f.faqEntry({ title: 'Never stored' })).rejects.toThrow('injected');
    expect((await m.storage.faq.listEntries(f.community.id, { status: 'all' })).map((e) => e.title)).toEqual(['Already there']);
    expect(m.collections.get('FaqEntryRevision')!.docs).toHaveLength(1);
    expect(await m.storage.faq.relatedEntries(other.id)).toEqual([]);
  });

  it('faq.moveCategory: the subtree keeps its parent and depths', async () => {
    const e = await f.faqEntry();
    const target = await m.storage.faq.createCategory({ communityId: f.community.id, parentId: null, name: 'Target', slug: 'target', depth: 1, now: T0 });
    const before = await m.storage.faq.listCategories(f.community.id);
    failOutbox();
    await expect(m.storage.faq.moveCategory(e.leafId, target.id, 2, T0)).rejects.toThrow('injected');
    expect(await m.storage.faq.listCategories(f.community.id)).toEqual(before);
  });

  it('faq.recordHelpful: no vote and no counter change', async () => {
    const e = await f.faqEntry();
    failOutbox();
    await expect(m.storage.faq.recordHelpful(e.id, 'voter', true, T0)).rejects.toThrow('injected');
    expect((await m.storage.faq.findEntry(e.id))!).toMatchObject({ helpfulYes: 0, helpfulNo: 0 });
    expect(m.collections.get('FaqHelpfulVote')!.docs).toEqual([]);
  });

  it('concurrent transactions on one post lose no increment', async () => {
    const q = await f.ask();
    const voters = await Promise.all(Array.from({ length: 12 }, (_, i) => m.storage.users.create({ username: `v${i}`, email: `v${i}@example.test`, displayName: `v${i}`, passwordHash: 'x' })));
    await Promise.all(voters.map((v) => m.storage.votes.castVote(q, v.id, 1, T0)));
    expect((await m.storage.posts.findQuestion(q))!.score).toBe(12);
    expect((await m.storage.users.findById(f.alice.id))!.reputation).toBeGreaterThan(0);
  });
});

describe('in-memory unique indexes', () => {
  it('refuses a duplicate compound key and accepts the same values in other combinations', async () => {
    const c = new MemoryCollection([], { unique: [['communityId', 'parentId', 'slug']] });
    const insert = (d: Record<string, unknown>) => (c as unknown as { checkUnique(d: object, r: null): void }).checkUnique(d, null) ?? c.docs.push(d);
    insert({ _id: 1, communityId: 1, parentId: null, slug: 'a' });
    insert({ _id: 2, communityId: 1, parentId: 1, slug: 'a' });
    insert({ _id: 3, communityId: 2, parentId: null, slug: 'a' });
    expect(() => insert({ _id: 4, communityId: 1, parentId: null, slug: 'a' })).toThrow(expect.objectContaining({ code: 11000, keyPattern: { communityId: 1, parentId: 1, slug: 1 } }));
    // A missing field is indexed as null, as MongoDB does.
    expect(() => insert({ _id: 5, communityId: 1, slug: 'a' })).toThrow(expect.objectContaining({ code: 11000 }));
  });

  it('a partial unique index ignores documents outside its filter', async () => {
    const c = new MemoryCollection([], { unique: [{ keys: ['sourceAnswerId'], partial: { sourceAnswerId: { $gt: 0 } } }] });
    const insert = (d: Record<string, unknown>) => (c as unknown as { checkUnique(d: object, r: null): void }).checkUnique(d, null) ?? c.docs.push(d);
    insert({ _id: 1, sourceAnswerId: null });
    insert({ _id: 2, sourceAnswerId: null });
    insert({ _id: 3, sourceAnswerId: 7 });
    expect(() => insert({ _id: 4, sourceAnswerId: 7 })).toThrow(expect.objectContaining({ code: 11000 }));
  });
});
