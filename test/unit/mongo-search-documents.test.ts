import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchDocument } from '../../src/search/port.js';
import { offline, type Offline } from './mongo-harness.js';
import { MemoryCollection } from './mongo-memory.js';

/*
 * Search documents built from posts and FAQ entries, offline: the posts, entries and
 * categories live in in-memory collections behind the offline models, so these tests check
 * which documents exist and what they hold, and the queries' shapes where that matters
 * (bounded id-range pages, no Markdown or HTML fetched).
 */

let h: Offline;
beforeEach(() => {
  h = offline();
});
afterEach(() => {
  h.restore();
});

const question = (id: number, extra: Record<string, unknown> = {}) => ({
  _id: id, type: 'question', communityId: 1, authorId: 1, title: `Q${id}`, slug: `q-${id}`, bodyMd: 'md', bodyHtml: '<p>html</p>', bodyText: `text ${id}`,
  tags: ['grinder', '咖啡'], score: 3, upVotes: 3, downVotes: 0, answerCount: 2, acceptedAnswerId: null, viewCount: 0, commentCount: 0, revisionCount: 1,
  duplicateCount: 0, createdAt: 100, editedAt: null, lastActivityAt: 500, lastActivityUserId: 1, lastActivityKind: 'answer', deletedAt: null, ...extra,
});
const answer = (id: number, questionId: number, extra: Record<string, unknown> = {}) => ({
  _id: id, type: 'answer', communityId: 1, questionId, authorId: 2, bodyMd: 'md', bodyHtml: 'html', bodyText: `answer ${id}`, score: 1, upVotes: 1, downVotes: 0,
  isAccepted: false, commentCount: 0, revisionCount: 1, duplicateCount: 0, createdAt: 200, editedAt: null, deletedAt: null, ...extra,
});
const category = (id: number, parentId: number | null, name: string, depth: number) => ({ _id: id, communityId: 1, parentId, name, slug: name.toLowerCase(), position: 0, depth, createdAt: 1, updatedAt: 1 });
const entry = (id: number, categoryId: number, extra: Record<string, unknown> = {}) => ({
  _id: id, communityId: 1, categoryId, title: `Entry ${id}`, slug: `entry-${id}`, bodyMd: 'md', bodyHtml: 'html', bodyText: `entry text ${id}`, sourceQuestionId: null,
  sourceAnswerId: null, status: 'published', pinned: false, pinPosition: 0, viewCount: 0, helpfulYes: 5, helpfulNo: 2, searchClicks: 0, needsReview: false,
  reviewReason: null, revisionCount: 1, relatedIds: [], createdBy: 1, createdAt: 300, updatedAt: 400, ...extra,
});

function forum() {
  // Documents repeat their community's name (searchable like a path).
  new MemoryCollection([{ _id: 1, slug: 'coffee', name: 'Coffee 咖啡', kind: 'interest', createdAt: 1 }]).install(h, 'Community');
  new MemoryCollection([
    question(10, { acceptedAnswerId: 12 }),
    answer(11, 10, { editedAt: 250 }),
    answer(12, 10, { isAccepted: true }),
    question(20, { deletedAt: 9, title: 'gone' }),
    answer(21, 20),
    answer(13, 10, { deletedAt: 9 }),
  ]).install(h, 'Post');
  new MemoryCollection([
    category(1, null, 'Machines', 1),
    category(2, 1, 'Espresso', 2),
    category(3, 2, 'Cleaning', 3),
    category(4, 3, 'Descaling', 4),
  ]).install(h, 'FaqCategory');
  new MemoryCollection([
    entry(1, 4, { sourceQuestionId: 10, sourceAnswerId: 12 }),
    entry(2, 1),
    entry(3, 2, { status: 'archived' }),
    entry(4, 3, { sourceQuestionId: 20 }),
  ]).install(h, 'FaqEntry');
}

const key = (d: SearchDocument) => `${d.kind}-${d.id}`;

describe('load', () => {
  beforeEach(forum);

  it('builds a question document', async () => {
    expect(await h.storage.searchDocuments.load(['question-10'])).toEqual([
      { kind: 'question', id: '10', communityId: '1', communityName: 'Coffee 咖啡', questionId: '10', title: 'Q10', slug: 'q-10', bodyText: 'text 10', tags: ['grinder', '咖啡'], score: 3, answerCount: 2, accepted: true, createdAt: 100, activeAt: 500 },
    ]);
  });

  it('builds answer documents that repeat their question\'s title, slug, tags and answer count', async () => {
    expect(await h.storage.searchDocuments.load(['answer-11', 'answer-12'])).toEqual([
      { kind: 'answer', id: '11', communityId: '1', communityName: 'Coffee 咖啡', questionId: '10', title: 'Q10', slug: 'q-10', bodyText: 'answer 11', tags: ['grinder', '咖啡'], score: 1, answerCount: 2, accepted: false, createdAt: 200, activeAt: 250 },
      { kind: 'answer', id: '12', communityId: '1', communityName: 'Coffee 咖啡', questionId: '10', title: 'Q10', slug: 'q-10', bodyText: 'answer 12', tags: ['grinder', '咖啡'], score: 1, answerCount: 2, accepted: true, createdAt: 200, activeAt: 200 },
    ]);
  });

  it('builds FAQ documents with the category path from the root, the source question\'s tags and the helpful balance', async () => {
    const [deep, top] = await h.storage.searchDocuments.load(['faq-1', 'faq-2']);
    expect(deep).toEqual({
      kind: 'faq', id: '1', communityId: '1', communityName: 'Coffee 咖啡', questionId: '10', title: 'Entry 1', slug: 'entry-1', bodyText: 'entry text 1', tags: ['grinder', '咖啡'],
      score: 3, answerCount: 1, accepted: true, createdAt: 300, activeAt: 400, faqPath: ['Machines', 'Espresso', 'Cleaning', 'Descaling'],
    });
    expect(top).toMatchObject({ questionId: null, tags: [], faqPath: ['Machines'] });
  });

  it('an entry whose source question is deleted keeps its link but has no tags', async () => {
    expect(await h.storage.searchDocuments.load(['faq-4'])).toEqual([expect.objectContaining({ questionId: '20', tags: [], faqPath: ['Machines', 'Espresso', 'Cleaning'] })]);
  });

  it('leaves out deleted posts, answers of deleted questions, archived entries, unknown and malformed ids and wrong kinds', async () => {
    const docs = await h.storage.searchDocuments.load([
      'question-20', 'answer-21', 'answer-13', 'faq-3', 'question-11', 'answer-10', 'question-999', 'question-0', 'question-01', 'bogus', '{"$gt":""}', 'faq-', 'answer-12', 'answer-12',
    ]);
    expect(docs.map(key)).toEqual(['answer-12']);
  });

  it('returns documents in the order asked and sends nothing for ids that cannot exist', async () => {
    expect((await h.storage.searchDocuments.load(['faq-2', 'answer-11', 'question-10'])).map(key)).toEqual(['faq-2', 'answer-11', 'question-10']);
    h.calls.length = 0;
    expect(await h.storage.searchDocuments.load(['question-0', 'x-1', ''])).toEqual([]);
    expect(await h.storage.searchDocuments.load([])).toEqual([]);
    expect(h.calls).toEqual([]);
  });

  it('never fetches the Markdown or HTML bodies', async () => {
    await h.storage.searchDocuments.load(['question-10', 'answer-11', 'faq-1']);
    for (const c of h.sent().filter((c) => c.op === 'find' && c.model !== 'FaqCategory')) {
      expect(c.projection).not.toHaveProperty('bodyMd');
      expect(c.projection).not.toHaveProperty('bodyHtml');
      expect(Object.keys(c.projection as object).length).toBeGreaterThan(0);
    }
  });
});

describe('all and count', () => {
  beforeEach(forum);

  it('streams questions, then answers, then FAQ entries in id-range pages of at most batchSize', async () => {
    const batches: string[][] = [];
    for await (const batch of h.storage.searchDocuments.all(2)) batches.push(batch.map(key));
    expect(batches.flat()).toEqual(['question-10', 'answer-11', 'answer-12', 'faq-1', 'faq-2', 'faq-4']);
    for (const b of batches) expect(b.length).toBeGreaterThan(0);
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(2);
    const pages = h.sent().filter((c) => c.op === 'find' && (c.options as { limit?: number }).limit === 2);
    expect(pages.map((c) => [c.model, c.filter!.type ?? 'faq', (c.filter!._id as { $gt: number }).$gt])).toEqual([
      ['Post', 'question', 0], ['Post', 'question', 10],
      ['Post', 'answer', 0], ['Post', 'answer', 12], ['Post', 'answer', 21],
      ['FaqEntry', 'faq', 0], ['FaqEntry', 'faq', 2], ['FaqEntry', 'faq', 4],
    ]);
    for (const p of pages) expect(p.options).toMatchObject({ sort: { _id: 1 } });
  });

  it('counts searchable documents per kind (answers only under live questions)', async () => {
    h.when('Post', 'aggregate', [{ n: 2 }]);
    expect(await h.storage.searchDocuments.count()).toEqual({ questions: 1, answers: 2, faq: 3 });
    const agg = h.sent().find((c) => c.op === 'aggregate')!;
    expect(agg.pipeline![0]).toEqual({ $match: { type: 'answer', deletedAt: null } });
    expect(agg.pipeline![1]).toMatchObject({ $lookup: { from: 'posts', localField: 'questionId', foreignField: '_id' } });
    h.when('Post', 'aggregate', []);
    expect((await h.storage.searchDocuments.count()).answers).toBe(0);
  });
});
