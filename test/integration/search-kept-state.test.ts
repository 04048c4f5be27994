import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import type { SearchQuery } from '../../src/search/port.js';
import { SearchSeeder } from './search-fixtures.js';

/*
 * The embedded engine keeps analysed titles (for its title rerank) and planned query words
 * between searches, across votes and new posts. Whatever it keeps, a long-running engine must
 * answer exactly as an engine started after the last change: after votes, new posts, a title
 * edit, a tag edit, an FAQ category rename, and for a word that only a new post brought into
 * the index.
 */

const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const page = (q: string): SearchQuery => ({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 10, facets: ['tag'], distinct: true });

describe('state the embedded engine keeps between searches', () => {
  it('a long-running engine answers as a fresh one after votes, new posts, title and tag edits and a category rename', async () => {
    const storage = createSqliteStorage(':memory:');
    open.push(storage);
    const seed = new SearchSeeder(storage);
    const [author, voter] = [await seed.user(), await seed.user()];
    const community = await seed.community('coffee');
    const kettle = await seed.question(community, author, 'Kettle descaling schedule', 'How often should the kettle be cleaned with citric acid?');
    const grinder = await seed.question(community, author, 'Grinder burr cleaning', 'I descale the kettle and clean the grinder burrs with rice, every month.');
    for (let i = 0; i < 6; i++) await seed.question(community, author, `Espresso question ${i}`, `Milk, beans and kettle number ${i}.`);

    const running = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    const queries = ['kettle descale', 'grinder burrs', 'espresso kettle', 'clean grinder', 'zymurgi'];
    const same = async () => {
      // A new engine per check: nothing kept from an earlier state.
      const fresh = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
      for (const q of queries) {
        const [a, b] = [await running.search(page(q)), await fresh.search(page(q))];
        expect({ q, hits: a.hits, facets: a.facetDistribution }).toEqual({ q, hits: b.hits, facets: b.facetDistribution });
      }
      return (q: string) => running.search(page(q)).then((r) => r.hits.map((h) => h.title));
    };

    let titles = await same();
    expect((await titles('kettle descale'))[0]).toBe('Kettle descaling schedule');
    expect(await titles('zymurgi')).toEqual([]);

    await storage.votes.castVote(grinder.id, voter.id, 1, Date.now());
    await seed.answer(grinder.id, voter, 'Descale the kettle with vinegar instead.');
    titles = await same();

    // A title edit changes the title evidence at once, though nothing else about the thread changed.
    await storage.posts.editPost({ postId: grinder.id, editorId: author.id, title: 'Kettle descale with citric acid', slug: 'k', tags: ['general'], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'Descale the kettle.', reason: '', now: Date.now() });
    titles = await same();
    expect(await titles('kettle descale')).toContain('Kettle descale with citric acid');
    const edited = (await running.search(page('kettle descale'))).hits.find((h) => h.id === grinder.id)!;
    expect(edited.titleHtml).toBe('<mark>Kettle</mark> <mark>descale</mark> with citric acid');

    // Tags count as title words.
    await storage.posts.editPost({ postId: kettle.id, editorId: author.id, title: 'Kettle descaling schedule', slug: 'k', tags: ['burrs', 'grinder'], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'How often?', reason: '', now: Date.now() });
    await same();

    // FAQ entries: title and category path, after a helpful vote and a category rename.
    const top = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Machines', slug: 'machines', depth: 1, now: 1 });
    const leaf = await storage.faq.createCategory({ communityId: community.id, parentId: top.id, name: 'Cleaning', slug: 'cleaning', depth: 2, now: 1 });
    const entry = await storage.faq.createEntry({
      communityId: community.id, categoryId: leaf.id, title: 'Descale the kettle every month', slug: 'entry', bodyMd: 'Citric acid.', bodyHtml: 'Citric acid.', bodyText: 'Citric acid works.',
      sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: author.id, now: 2,
    });
    const path = async () => (await running.search(page('kettle descale'))).hits.find((h) => h.kind === 'faq' && h.id === entry.id)?.faqPath;
    await same();
    expect(await path()).toEqual(['Machines', 'Cleaning']);
    await storage.faq.recordHelpful(entry.id, 'voter-1', true, 3);
    await same();
    await storage.faq.renameCategory(leaf.id, 'Descaling', 'descaling', 4);
    await same();
    expect(await path()).toEqual(['Machines', 'Descaling']);

    // A word the index did not hold when the typo was first planned.
    await seed.question(community, author, 'Zymurgical notes', 'Fermentation at home.');
    titles = await same();
    expect(await titles('zymurgi')).toEqual(['Zymurgical notes']);
  });

  it('a listed document shows its text as it is now: after a body edit, its question\'s new title, a deletion, an undelete and an FAQ edit', async () => {
    const storage = createSqliteStorage(':memory:');
    open.push(storage);
    const seed = new SearchSeeder(storage);
    const [author, helper, moderator] = [await seed.user(), await seed.user('helper'), await seed.user('moderator')];
    const community = await seed.community('tea');
    const question = await seed.question(community, author, 'Oolong steeping time', 'How long should oolong steep in a gaiwan?');
    const answer = await seed.answer(question.id, helper, 'Steep oolong for thirty seconds, then longer each round.');
    const other = await seed.question(community, author, 'Green tea steeping temperature', 'Which temperature keeps green tea from turning bitter?');
    const category = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Brewing', slug: 'brewing', depth: 1, now: 1 });
    const entry = await storage.faq.createEntry({
      communityId: community.id, categoryId: category.id, title: 'Steeping oolong in a gaiwan', slug: 'oolong', bodyMd: 'Short steeps.', bodyHtml: 'Short steeps.', bodyText: 'Short steeps, many rounds.',
      sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: author.id, now: 2,
    });

    const running = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    const hits = async (q: string) => (await running.search(page(q))).hits;
    const same = async (q: string) => {
      const fresh = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
      const [a, b] = [await running.search(page(q)), await fresh.search(page(q))];
      expect({ q, hits: a.hits }).toEqual({ q, hits: b.hits });
      return a.hits;
    };
    const byId = (list: Awaited<ReturnType<typeof hits>>, id: string) => list.find((h) => h.id === id);

    // Listed once (the engine keeps the hits' text), then listed by other queries after each change.
    expect(byId(await same('thirty seconds'), answer.id)?.answerAuthor).toBe('helper');
    await same('steeping');

    await storage.posts.editPost({ postId: answer.id, editorId: helper.id, bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'Steep oolong briefly in boiling water.', reason: '', now: Date.now() });
    const edited = byId(await same('steep briefly'), answer.id)!;
    expect(edited.snippetHtml).toContain('boiling water');
    expect(edited.answerAuthor).toBe('helper');

    // An answer is listed under its question's title: a new title shows on the answer too.
    await storage.posts.editPost({ postId: question.id, editorId: author.id, title: 'Oolong steeping in a gaiwan', slug: 'oolong-gaiwan', tags: ['general'], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'How long should oolong steep?', reason: '', now: Date.now() });
    const retitled = await same('boiling water');
    expect(byId(retitled, answer.id)).toMatchObject({ title: 'Oolong steeping in a gaiwan', slug: 'oolong-gaiwan' });

    // A new post leaves what was kept in place, and is listed itself.
    const added = await seed.question(community, author, 'Oolong roasting levels', 'Light or dark roast oolong for steeping?');
    expect(byId(await same('oolong steeping'), added.id)?.title).toBe('Oolong roasting levels');

    await storage.moderation.softDelete(other.id, moderator.id, 'spam', Date.now());
    expect(byId(await same('steeping temperature'), other.id)).toBeUndefined();
    await storage.moderation.undelete(other.id, moderator.id, 'not spam', Date.now());
    expect(byId(await same('steeping temperature'), other.id)?.title).toBe('Green tea steeping temperature');

    await storage.faq.editEntry({
      entryId: entry.id, editorId: author.id, categoryId: category.id, title: 'Steeping oolong, round by round', slug: 'oolong-rounds', bodyMd: 'x', bodyHtml: 'x', bodyText: 'Add ten seconds each round.', relatedIds: [], reason: '', now: 3,
    });
    const faq = byId((await same('oolong steeping')).filter((h) => h.kind === 'faq'), entry.id)!;
    expect(faq).toMatchObject({ title: 'Steeping oolong, round by round', slug: 'oolong-rounds' });
    expect(faq.snippetHtml).toContain('ten seconds');
    expect((await hits('oolong')).length).toBeGreaterThan(0);
  });
});
