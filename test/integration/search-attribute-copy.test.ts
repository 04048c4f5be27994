import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../src/search/index.js';
import { ftsState } from '../../src/search/sqlite-fts/install.js';
import { META_COLUMNS } from '../../src/search/sqlite-fts/attributes.js';
import { SearchSeeder } from './search-fixtures.js';

/*
 * The embedded engine ranks, filters and counts facets from an in-memory copy of the
 * index's attribute table. The copy must never differ from the table: every write path the
 * triggers follow is exercised here and the copy compared with the table row for row.
 */

const dirs: string[] = [];
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function storageAt(file: string): SqliteStorage {
  const s = createSqliteStorage(file);
  open.push(s);
  return s;
}
/** A storage (in memory, or a file another connection can open), its engine and a seeder. */
function forumAt(file: string) {
  const storage = storageAt(file);
  return { storage, engine: createSearchEngine({ search: 'sqlite-fts' }, storage), seed: new SearchSeeder(storage) };
}
/** A database file in a fresh folder removed after the test. */
function freshFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-copy-'));
  dirs.push(dir);
  return path.join(dir, 'forum.sqlite');
}

const query = { filters: {}, sort: 'relevance' as const, page: 1, hitsPerPage: 10 };

function table(storage: SqliteStorage): unknown[][] {
  return storage.db.prepare(`SELECT ${META_COLUMNS} FROM search_meta ORDER BY id`).raw().all() as unknown[][];
}

/** The copy's rows for every id the table could hold (sorted like the table), or null when unusable. */
function copy(storage: SqliteStorage): unknown[][] | null {
  const ids = Array.from({ length: 401 }, (_, i) => i - 200);
  return ftsState(storage.db).attributes.rows(ids);
}

describe('in-memory copy of the search attributes', () => {
  it('follows every write the triggers see: posts, votes, answers, accepts, tags, deletes, FAQ entries', async () => {
    const { storage, engine, seed } = forumAt(':memory:');
    const user = await seed.user();
    const voter = await seed.user();
    const community = await seed.community('coffee');
    const q1 = await seed.question(community, user, 'Burr alignment', 'burr alignment', ['grinder']);
    const a1 = await seed.answer(q1.id, user, 'Shim the burr carrier.');
    const q2 = await seed.question(community, user, 'Milk steaming', 'steam wand', ['milk']);
    await seed.answer(q2.id, user, 'Purge the wand first.');
    await engine.warmUp?.();
    const step = async (what: string, write: () => unknown) => {
      await write();
      // A search first, as the server would: the copy reads what the triggers named.
      await engine.search({ ...query, q: 'burr' });
      expect(copy(storage), what).toEqual(table(storage));
    };
    expect(copy(storage)).toEqual(table(storage));
    expect(table(storage).length).toBe(4);

    await step('new question', () => seed.question(community, user, 'Kettle scale', 'descaling', ['kettle']));
    await step('new answer (thread answer counts change)', () => seed.answer(q1.id, user, 'Check the burr with a marker.'));
    await step('vote', () => storage.votes.castVote(a1.id, voter.id, 1, 5));
    await step('accept', () => storage.posts.setAcceptedAnswer(q1.id, a1.id, 6));
    await step('question tags (its answers follow)', () =>
      storage.posts.editPost({ postId: q1.id, editorId: user.id, title: 'Burr alignment check', tags: ['grinder', 'burrs'], bodyMd: 'x', bodyHtml: 'x', bodyText: 'burr alignment', reason: '', now: 7 }),
    );
    const top = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Grinding', slug: 'grinding', depth: 1, now: 8 });
    let entryId = '';
    await step('FAQ entry published', async () => {
      const entry = await storage.faq.createEntry({
        communityId: community.id, categoryId: top.id, title: 'Aligning burrs', slug: 'aligning-burrs', bodyMd: 'Shim.', bodyHtml: '<p>Shim.</p>', bodyText: 'Shim.',
        sourceQuestionId: q1.id, sourceAnswerId: a1.id, relatedIds: [], createdBy: user.id, now: 9,
      });
      entryId = entry.id;
    });
    expect(table(storage).some((row) => row[0] === -Number(entryId))).toBe(true);
    await step('source question tags (the entry follows)', () =>
      storage.posts.editPost({ postId: q1.id, editorId: user.id, title: 'Burr alignment check', tags: ['burrs'], bodyMd: 'x', bodyHtml: 'x', bodyText: 'burr alignment', reason: '', now: 10 }),
    );
    await step('FAQ helpful votes', () => storage.db.prepare('UPDATE faq_entries SET helpful_yes = helpful_yes + 3 WHERE id = ?').run(entryId));
    await step('FAQ entry archived', () => storage.faq.setStatus(entryId, 'archived'));
    await step('FAQ entry published again', () => storage.faq.setStatus(entryId, 'published'));
    await step('question deleted (its answers leave)', () => storage.db.prepare('UPDATE posts SET deleted_at = 11 WHERE id = ?').run(q2.id));
    await step('question restored (its answers return)', () => storage.db.prepare('UPDATE posts SET deleted_at = NULL WHERE id = ?').run(q2.id));
    await step('answer removed for good', () => storage.db.prepare('DELETE FROM posts WHERE id = ?').run(a1.id));
    await step('FAQ entry removed', () => storage.db.prepare('DELETE FROM faq_entries WHERE id = ?').run(entryId));
    await step('reindex', () => engine.reindexAll?.());
    expect(table(storage).length).toBeGreaterThan(4);
  });

  it('a value beyond the copy\'s 32-bit columns leaves the copy unused, never a wrong result', async () => {
    const { storage, engine, seed } = forumAt(':memory:');
    const user = await seed.user();
    const community = await seed.community('coffee');
    const q = await seed.question(community, user, 'Burr alignment', 'burr alignment', ['grinder']);
    await engine.warmUp?.();
    expect(copy(storage)).toEqual(table(storage));
    storage.db.prepare('UPDATE posts SET score = ? WHERE id = ?').run(3_000_000_000, q.id);
    expect((await engine.search({ ...query, q: 'burr' })).hits[0]).toMatchObject({ score: 3_000_000_000 });
    expect(copy(storage)).toBeNull();
    // A rebuild of the index starts afresh (and gives up again on the same value).
    storage.db.prepare('UPDATE posts SET score = 2 WHERE id = ?').run(q.id);
    await engine.reindexAll?.();
    expect((await engine.search({ ...query, q: 'alignment' })).hits[0]).toMatchObject({ score: 2 });
    await ftsState(storage.db).attributes.whenLoaded();
    expect(copy(storage)).toEqual(table(storage));
  });

  it('a write by another process is seen at once (the table is read until a fresh copy is loaded)', async () => {
    const file = freshFile();
    const { storage, engine, seed } = forumAt(file);
    const user = await seed.user();
    const voter = await seed.user();
    const community = await seed.community('coffee');
    const q = await seed.question(community, user, 'Burr alignment', 'burr alignment', ['grinder']);
    await engine.warmUp?.();
    expect((await engine.search({ ...query, q: 'burr' })).hits[0]).toMatchObject({ score: 0 });

    const other = storageAt(file);
    await other.votes.castVote(q.id, voter.id, 1, 5);
    // Reads of one event-loop turn share a snapshot (src/db/sqlite/read-batching.ts): another
    // process's write shows from the next turn, as any request arriving after it would see it.
    await new Promise((resolve) => setImmediate(resolve));
    // The copy is stale now: this search reads the table (and starts a reload).
    expect((await engine.search({ ...query, q: 'burr alignment' })).hits[0]).toMatchObject({ score: 1 });
    await ftsState(storage.db).attributes.whenLoaded();
    expect(copy(storage)).toEqual(table(storage));
    expect((await engine.search({ ...query, q: 'alignment' })).hits[0]).toMatchObject({ score: 1 });
  });

  it('counts the same facets, in the same order, from the copy as from the table', async () => {
    const { storage, engine, seed } = forumAt(freshFile());
    const user = await seed.user();
    const coffee = await seed.community('coffee');
    const tea = await seed.community('tea');
    const tagSets = [['grinder', 'burrs'], ['milk'], ['burrs', 'espresso', 'grinder'], [], ['kettle', 'milk'], ['grinder', 'burrs']];
    for (const [i, tags] of tagSets.entries()) {
      const q = await seed.question(i % 2 ? tea : coffee, user, `Burr question ${i}`, `burr text ${i}`, tags);
      if (i % 3 === 0) await seed.answer(q.id, user, `A burr answer ${i}`);
    }
    const other = await seed.question(coffee, user, 'Kettle descaling', 'citric acid', ['kettle']);
    await engine.warmUp?.();
    const search = () => engine.search({ ...query, q: 'burr', facets: ['community', 'kind', 'tag'], distinct: false });
    const fromCopy = (await search()).facetDistribution;
    expect(copy(storage)).not.toBeNull();
    // A value the copy cannot hold, on a post the query does not match: from now on searches read the table.
    storage.db.prepare('UPDATE posts SET score = ? WHERE id = ?').run(3_000_000_000, other.id);
    const fromTable = (await search()).facetDistribution;
    expect(copy(storage)).toBeNull();
    // Answers carry their thread's tags.
    expect(fromCopy.tag).toEqual({ grinder: 4, burrs: 4, espresso: 1, milk: 2, kettle: 1 });
    expect(fromTable).toEqual(fromCopy);
    expect(Object.keys(fromTable.tag!)).toEqual(Object.keys(fromCopy.tag!));
  });
});
