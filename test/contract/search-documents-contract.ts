import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/db/ports.js';
import type { SearchDocument } from '../../src/search/port.js';
import { contentFixture, T0, type ContentFixture } from './content-fixture.js';

/*
 * SearchDocumentRepository (src/db/ports.ts): the documents an external search engine is
 * given, read from the database. Both backends must build them the same way, so that the
 * same search finds the same things whichever storage runs underneath.
 */

export function runSearchDocumentsContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`search documents contract: ${name}`, () => {
    let f: ContentFixture;
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
      f = await contentFixture(storage);
    });
    afterEach(async () => {
      await storage.close();
    });

    const byId = (docs: SearchDocument[]) => new Map(docs.map((d) => [`${d.kind}-${d.id}`, d]));

    it('builds a question document with its counters', async () => {
      const q = await f.ask({ title: 'Descaling the espresso machine', body: 'Limescale everywhere', tags: ['espresso', '清洁'] });
      const a = await f.answer(q);
      await storage.posts.setAcceptedAnswer(q, a, T0 + 999_000);
      await storage.votes.castVote(q, f.carol.id, 1, T0);
      const [doc] = await storage.searchDocuments.load([`question-${q}`]);
      expect(doc).toMatchObject({
        kind: 'question',
        id: q,
        communityId: f.community.id,
        questionId: q,
        title: 'Descaling the espresso machine',
        bodyText: 'Limescale everywhere',
        tags: ['espresso', '清洁'],
        score: 1,
        answerCount: 1,
        accepted: true,
      });
      expect(typeof doc!.slug).toBe('string');
      expect(doc!.slug).not.toBe('');
      expect(doc!.activeAt).toBeGreaterThanOrEqual(doc!.createdAt);
    });

    it('an answer repeats its question\'s title, slug and tags, and follows an edit of the question', async () => {
      const q = await f.ask({ title: 'Grinder makes a noise', tags: ['grinder'] });
      const a = await f.answer(q, 'Clean the burrs first.');
      await storage.votes.castVote(a, f.carol.id, -1, T0);
      let [doc] = await storage.searchDocuments.load([`answer-${a}`]);
      const question = (await storage.searchDocuments.load([`question-${q}`]))[0]!;
      expect(doc).toMatchObject({ kind: 'answer', id: a, questionId: q, title: 'Grinder makes a noise', slug: question.slug, tags: ['grinder'], bodyText: 'Clean the burrs first.', score: -1, accepted: false, answerCount: 1 });
      await storage.posts.editPost({ postId: q, editorId: f.alice.id, title: 'Grinder makes a squeaking noise', slug: 'grinder-squeak', tags: ['grinder', 'noise'], bodyMd: 'x', bodyHtml: '<p>x</p>', bodyText: 'x', reason: '', now: T0 });
      [doc] = await storage.searchDocuments.load([`answer-${a}`]);
      expect(doc).toMatchObject({ title: 'Grinder makes a squeaking noise', slug: 'grinder-squeak', tags: ['grinder', 'noise'] });
    });

    it('a published FAQ entry carries its category path from the root, the source question\'s tags and helpful votes', async () => {
      const q = await f.ask({ tags: ['milk'] });
      const a = await f.answer(q);
      const e = await f.faqEntry({ title: 'Steaming milk', sourceQuestionId: q, sourceAnswerId: a });
      await storage.faq.recordHelpful(e.id, 'v1', true, T0);
      await storage.faq.recordHelpful(e.id, 'v2', true, T0);
      await storage.faq.recordHelpful(e.id, 'v3', false, T0);
      const [doc] = await storage.searchDocuments.load([`faq-${e.id}`]);
      expect(doc).toMatchObject({ kind: 'faq', id: e.id, communityId: f.community.id, questionId: q, title: 'Steaming milk', tags: ['milk'], score: 1, answerCount: 1, accepted: true, faqPath: ['Machines', 'Cleaning'] });
      const written = await f.faqEntry({ title: 'Written directly' });
      expect((await storage.searchDocuments.load([`faq-${written.id}`]))[0]).toMatchObject({ questionId: null, tags: [], faqPath: ['Machines', 'Cleaning'] });
    });

    it('every kind carries its community\'s name, and the new name after a rename', async () => {
      const q = await f.ask();
      const a = await f.answer(q);
      const e = await f.faqEntry();
      const elsewhere = await f.ask({ community: f.other });
      const ids = [`question-${q}`, `answer-${a}`, `faq-${e.id}`, `question-${elsewhere}`];
      const names = async () => new Map((await storage.searchDocuments.load(ids)).map((d) => [`${d.kind}-${d.id}`, d.communityName]));
      expect(await names()).toEqual(new Map([[ids[0], 'Community alpha'], [ids[1], 'Community alpha'], [ids[2], 'Community alpha'], [ids[3], 'Community beta']]));
      await storage.communities.update(f.community.id, { name: 'Home roasting 烘焙' });
      expect(await names()).toEqual(new Map([[ids[0], 'Home roasting 烘焙'], [ids[1], 'Home roasting 烘焙'], [ids[2], 'Home roasting 烘焙'], [ids[3], 'Community beta']]));
      const streamed: SearchDocument[] = [];
      for await (const batch of storage.searchDocuments.all(10)) streamed.push(...batch);
      expect(streamed.filter((d) => d.communityId === f.community.id).map((d) => d.communityName)).toEqual(['Home roasting 烘焙', 'Home roasting 烘焙', 'Home roasting 烘焙']);
    });

    it('leaves out archived entries, unknown and malformed ids, and ids of the wrong kind', async () => {
      const q = await f.ask();
      const a = await f.answer(q);
      const e = await f.faqEntry();
      await storage.faq.setStatus(e.id, 'archived');
      const docs = await storage.searchDocuments.load([`faq-${e.id}`, `answer-${q}`, `question-${a}`, 'question-999999999', 'question-0', 'bogus', `question-${q}`, '{"$gt":""}']);
      expect(docs.map((d) => `${d.kind}-${d.id}`)).toEqual([`question-${q}`]);
      expect(await storage.searchDocuments.load([])).toEqual([]);
    });

    it('streams every searchable document in bounded batches and counts them', async () => {
      const expected: string[] = [];
      for (let i = 0; i < 3; i++) {
        const q = await f.ask({ community: i === 2 ? f.other : f.community });
        expected.push(`question-${q}`);
        expected.push(`answer-${await f.answer(q)}`);
      }
      const e = await f.faqEntry();
      const archived = await f.faqEntry();
      await storage.faq.setStatus(archived.id, 'archived');
      expected.push(`faq-${e.id}`);
      const seen: string[] = [];
      for await (const batch of storage.searchDocuments.all(2)) {
        expect(batch.length).toBeGreaterThan(0);
        expect(batch.length).toBeLessThanOrEqual(2);
        seen.push(...batch.map((d) => `${d.kind}-${d.id}`));
      }
      expect(seen.sort()).toEqual(expected.sort());
      expect(await storage.searchDocuments.count()).toEqual({ questions: 3, answers: 3, faq: 1 });
      const all = byId((await storage.searchDocuments.load(expected)));
      expect([...all.keys()].sort()).toEqual(expected.sort());
    });
  });
}
