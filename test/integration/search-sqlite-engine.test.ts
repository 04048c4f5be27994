import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { openDatabase } from '../../src/db/sqlite/connection.js';
import { createSearchEngine } from '../../src/search/index.js';
import { SearchSeeder } from './search-fixtures.js';

/* What is particular to the embedded engine: the index lives in the database file. */

const dirs: string[] = [];
const open: SqliteStorage[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-'));
  dirs.push(dir);
  return path.join(dir, 'forum.sqlite');
}
function storageAt(file: string): SqliteStorage {
  const s = createSqliteStorage(file);
  open.push(s);
  return s;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const query = { filters: {}, sort: 'relevance' as const, page: 1, hitsPerPage: 10 };

describe('embedded search engine (SQLite FTS5)', () => {
  it('rolls the index back with the post when the transaction fails', async () => {
    const storage = storageAt(':memory:');
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
    const seed = new SearchSeeder(storage);
    const user = await seed.user();
    const community = await seed.community('coffee');
    // An unknown author makes the question insert fail inside its transaction.
    await expect(
      storage.posts.createQuestion({ communityId: community.id, authorId: '999', title: 'Phantom kettle question', slug: 'x', bodyMd: 'x', bodyHtml: 'x', bodyText: 'phantom', tags: ['t'], now: 1 }),
    ).rejects.toThrow();
    expect((await engine.search({ ...query, q: 'phantom' })).estimatedTotalHits).toBe(0);
    await seed.question(community, user, 'Real kettle question', 'phantom kettle');
    expect((await engine.search({ ...query, q: 'phantom' })).estimatedTotalHits).toBe(1);
  });

  it('finds a new post with a typo and by a prefix as soon as it is saved, and a Chinese one by any part of a word', async () => {
    const storage = storageAt(':memory:');
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
    const seed = new SearchSeeder(storage);
    const user = await seed.user();
    const community = await seed.community('brewing', 'Home brewing');
    await seed.question(community, user, 'Kettle descaling schedule', 'How often?');
    // The vocabulary is loaded by this first search; the next post comes after it.
    expect((await engine.search({ ...query, q: 'kettle' })).hits).toHaveLength(1);
    await seed.question(community, user, 'Zymurgical notes on fermentation', 'Yeast and sugar.');
    await seed.question(community, user, '额度提升申请失败', '申请提高信用额度一直失败');
    const titles = async (q: string) => (await engine.search({ ...query, q })).hits.map((h) => h.title);
    expect(await titles('zymurgicel')).toEqual(['Zymurgical notes on fermentation']);
    expect(await titles('zymur')).toEqual(['Zymurgical notes on fermentation']);
    expect(await titles('fermentaton')).toEqual(['Zymurgical notes on fermentation']);
    // "提升" sits inside the text however the segmenter cut it; the community name is searchable.
    expect(await titles('提升')).toEqual(['额度提升申请失败']);
    expect(await titles('信用额')).toEqual(['额度提升申请失败']);
    expect((await titles('brewing')).length).toBe(3);
  });

  it('finds words written by another connection, even after its vocabulary was loaded', async () => {
    const file = tempFile();
    const server = storageAt(file);
    const engine = createSearchEngine({ search: 'sqlite-fts' }, server);
    const seed = new SearchSeeder(server);
    const user = await seed.user();
    const community = await seed.community('coffee');
    await seed.question(community, user, 'First kettle question', 'kettle');
    expect((await engine.search({ ...query, q: 'kettle' })).estimatedTotalHits).toBe(1);

    const script = storageAt(file);
    await new SearchSeeder(script).question(community, user, 'Gooseneck pouring', 'A gooseneck kettle pours slowly.');
    // Another connection's write shows from the next event-loop turn (src/db/sqlite/read-batching.ts).
    await new Promise((resolve) => setImmediate(resolve));
    expect((await engine.search({ ...query, q: 'gooseneck' })).hits.map((h) => h.title)).toEqual(['Gooseneck pouring']);
  });

  it('indexes existing posts when the index is first built, and a connection without the search setup can still write', async () => {
    const file = tempFile();
    const first = storageAt(file);
    const seed = new SearchSeeder(first);
    const user = await seed.user();
    const community = await seed.community('coffee');
    await seed.question(community, user, 'Roast levels explained', 'light medium dark');
    // Simulate an older database: drop the index and forget its version.
    first.db.exec("DROP TABLE search_fts; DROP TABLE search_meta; DELETE FROM meta WHERE key = 'search_fts_version'");
    await first.close();

    // A plain connection (no search function, no triggers) writes a post without failing...
    const plain = openDatabase(file);
    plain.prepare("UPDATE posts SET title = 'Roast levels, explained again' WHERE id = 1").run();
    plain.close();

    // ...and the next application start builds the index from the posts.
    const second = storageAt(file);
    const engine = createSearchEngine({ search: 'sqlite-fts' }, second);
    expect((await engine.search({ ...query, q: 'again' })).hits.map((h) => h.title)).toEqual(['Roast levels, explained again']);
    const report = await engine.reindexAll();
    expect(report).toMatchObject({ questions: 1, answers: 0, faq: 0 });
  });

  it('an FAQ entry is found by the tags of its source question, and follows when they change', async () => {
    const storage = storageAt(':memory:');
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
    const seed = new SearchSeeder(storage);
    const user = await seed.user();
    const community = await seed.community('coffee');
    const q = await seed.question(community, user, 'Sour shots', 'Shots taste sour.', ['extraction']);
    const top = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Brewing', slug: 'brewing', depth: 1, now: 1 });
    const entry = await storage.faq.createEntry({
      communityId: community.id, categoryId: top.id, title: 'Fixing sour shots', slug: 'fixing-sour-shots', bodyMd: 'Grind finer.', bodyHtml: '<p>Grind finer.</p>', bodyText: 'Grind finer.',
      sourceQuestionId: q.id, sourceAnswerId: null, relatedIds: [], createdBy: user.id, now: 2,
    });
    const faqHits = async (word: string) => (await engine.search({ ...query, q: word, filters: { kind: 'faq' } })).hits.map((h) => [h.id, h.tags]);
    expect(await faqHits('extraction')).toEqual([[entry.id, ['extraction']]]);
    await storage.posts.editPost({ postId: q.id, editorId: user.id, title: 'Sour shots', tags: ['ristretto'], bodyMd: 'x', bodyHtml: 'x', bodyText: 'Shots taste sour.', reason: '', now: 3 });
    expect(await faqHits('extraction')).toEqual([]);
    expect(await faqHits('ristretto')).toEqual([[entry.id, ['ristretto']]]);
  });

  it('keeps the attributes used by filters in step with votes, answers and accepts', async () => {
    const storage = storageAt(':memory:');
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage);
    const seed = new SearchSeeder(storage);
    const user = await seed.user();
    const voter = await seed.user();
    const community = await seed.community('coffee');
    const q = await seed.question(community, user, 'Burr alignment', 'burr alignment', ['grinder']);
    const a = await seed.answer(q.id, user, 'Shim the burr carrier.');
    // A search before the changes: repeated searches are served from a cache that writes must invalidate.
    expect((await engine.search({ ...query, q: 'shim', filters: { accepted: true, answered: true, tag: 'burrs' } })).estimatedTotalHits).toBe(0);
    expect((await engine.search({ ...query, q: 'shim' })).hits[0]).toMatchObject({ score: 0, accepted: false });
    await storage.votes.castVote(a.id, voter.id, 1, 5);
    expect((await engine.search({ ...query, q: 'shim' })).hits[0]).toMatchObject({ score: 1, accepted: false });
    await storage.posts.setAcceptedAnswer(q.id, a.id, 6);
    await storage.posts.editPost({ postId: q.id, editorId: user.id, title: 'Burr alignment check', tags: ['grinder', 'burrs'], bodyMd: 'burr alignment', bodyHtml: 'x', bodyText: 'burr alignment', reason: '', now: 7 });
    const answerHit = (await engine.search({ ...query, q: 'shim', filters: { accepted: true, answered: true, tag: 'burrs' } })).hits[0]!;
    expect(answerHit).toMatchObject({ kind: 'answer', score: 1, accepted: true, answerCount: 1, tags: ['grinder', 'burrs'], title: 'Burr alignment check' });
    await storage.posts.setAcceptedAnswer(q.id, null, 8);
    expect((await engine.search({ ...query, q: 'shim', filters: { accepted: true } })).estimatedTotalHits).toBe(0);
  });
});
