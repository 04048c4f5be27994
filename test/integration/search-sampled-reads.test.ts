import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import Database from 'better-sqlite3';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { installSqliteFts } from '../../src/search/sqlite-fts/install.js';
import type { SearchFilters, SearchQuery } from '../../src/search/port.js';
import type { Community, User } from '../../src/domain/types.js';
import { SearchSeeder, type SeededPost } from './search-fixtures.js';

/*
 * How the embedded engine reads a broad word, and keeps what it read.
 *
 * A broad word is read from samples: its most recent matches, and its most recent title and
 * tag matches, which come from a table of titles and tags of their own (search_titles) kept
 * by the same triggers as the main index. An old question that has the word only in its
 * title lies outside the recent sample; it is found through the title sample, and that
 * sample follows edits, deletions and restores at once. A single Chinese character is read
 * in samples as its most frequent bigrams; the same documents are found. Reads are kept per
 * expression for later searches at the same index version (read-cache.ts): the results are
 * the same as reading the index again, and a new post is found at once.
 *
 * The engine's exact limit is lowered to 50 so that these few hundred posts are sampled as
 * a common word of a large forum would be (the sample itself stays 400 rows).
 */

const BROAD = 450;
let dir: string;
let storage: SqliteStorage;
let engine: SqliteFtsEngine;
let seed: SearchSeeder;
let user: User;
let community: Community;
let oldRouter: SeededPost;
let oldChinese: SeededPost;
let oldPlain: SeededPost;
/** The oldest of the broad word's body matches: outside its recent sample. */
let oldestBroad: SeededPost;

const ids = async (q: string) =>
  (await engine.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100 })).hits.map((h) => h.id);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-titles-'));
  storage = createSqliteStorage(path.join(dir, 'forum.sqlite'));
  engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit: 50 });
  seed = new SearchSeeder(storage);
  user = await seed.user();
  community = await seed.community('net');
  // The oldest posts: the word in the title only, below hundreds of newer body matches.
  oldRouter = await seed.question(community, user, 'Router keeps dropping', 'It stops every hour.', ['general']);
  oldChinese = await seed.question(community, user, '路由器总是掉线', '每小时断一次。', ['general']);
  oldPlain = await seed.question(community, user, 'Printer jams', 'The paper is stuck.', ['general']);
  // Broad, not a stop word: in well under half of the documents (a single character counts
  // twice, as a word and by its bigrams).
  for (let i = 0; i < BROAD; i++) {
    const broad = await seed.question(community, user, `Question number ${i}`, `My router and 路由器 were slow on day ${i}.`, ['general']);
    if (i === 0) oldestBroad = broad;
    for (let j = 0; j < 4; j++) await seed.question(community, user, `Other question ${i} ${j}`, `Something else entirely, ${i}.`, ['general']);
  }
  await engine.warmUp();
}, 120_000);

afterAll(async () => {
  await storage?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the title sample of a broad word', () => {
  it('finds an old question that has the word only in its title, in English and Chinese', async () => {
    expect((await ids('router')).slice(0, 3)).toContain(oldRouter.id);
    expect((await ids('路由器')).slice(0, 3)).toContain(oldChinese.id);
    // A single character: read in the samples as its most frequent bigrams.
    expect((await ids('路')).slice(0, 3)).toContain(oldChinese.id);
    expect(await ids('router')).not.toContain(oldPlain.id);
  });

  it('follows a title edit at once: the old title no longer matches, the new one does', async () => {
    await storage.posts.editPost({ postId: oldRouter.id, editorId: user.id, title: 'Modem keeps dropping', slug: 'modem', tags: ['general'], bodyMd: 'It stops every hour.', bodyHtml: '<p>It stops every hour.</p>', bodyText: 'It stops every hour.', reason: '', now: Date.now() });
    await storage.posts.editPost({ postId: oldPlain.id, editorId: user.id, title: 'Printer behind the router jams', slug: 'printer', tags: ['general'], bodyMd: 'The paper is stuck.', bodyHtml: '<p>The paper is stuck.</p>', bodyText: 'The paper is stuck.', reason: '', now: Date.now() });
    expect(await ids('router')).not.toContain(oldRouter.id);
    expect((await ids('router')).slice(0, 3)).toContain(oldPlain.id);
  });

  it('finds a question by a tag that only old questions carry beside a broad word', async () => {
    await storage.posts.editPost({ postId: oldRouter.id, editorId: user.id, title: 'Modem keeps dropping', slug: 'modem', tags: ['router'], bodyMd: 'It stops every hour.', bodyHtml: '<p>It stops every hour.</p>', bodyText: 'It stops every hour.', reason: '', now: Date.now() });
    expect((await ids('router')).slice(0, 3)).toContain(oldRouter.id);
  });

  it('drops a deleted question and brings it back when it is restored', async () => {
    await storage.moderation.softDelete(oldPlain.id, user.id, 'test', Date.now());
    expect(await ids('router')).not.toContain(oldPlain.id);
    await storage.moderation.undelete(oldPlain.id, user.id, 'test', Date.now());
    expect((await ids('router')).slice(0, 3)).toContain(oldPlain.id);
  });

  it('gives the same results from kept reads as from the index, and a new post at once', async () => {
    // A second engine on the same connection that keeps no reads: every search reads the index.
    const fresh = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit: 50, readCacheBytes: 0 });
    const queries = ['router', 'router slow', 'slow router day', '路由器', '路由器 慢', '路', 'printer router', 'question router', 'routr'];
    const page = (e: SqliteFtsEngine, q: string) => e.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 50, facets: ['kind', 'tag'], distinct: true });
    const before = engine.readCacheStats();
    for (const q of queries) {
      const kept = await page(engine, q);
      const read = await page(fresh, q);
      expect(kept.hits.map((h) => h.id), q).toEqual(read.hits.map((h) => h.id));
      expect(kept.estimatedTotalHits, q).toBe(read.estimatedTotalHits);
      expect(kept.facetDistribution, q).toEqual(read.facetDistribution);
    }
    // The queries share their words: most of their reads were answered from kept ones.
    const after = engine.readCacheStats();
    expect(after.hits - before.hits).toBeGreaterThan(0);
    expect(fresh.readCacheStats().hits).toBe(0);
    // A post written after 'router' was read is found by the next search.
    const post = await seed.question(community, user, 'Router on fire', 'Smoke comes out of it.', ['general']);
    expect((await ids('router fire'))[0]).toBe(post.id);
    expect((await ids('router')).slice(0, 5)).toContain(post.id);
    // An edit that takes the word out: the kept read of 'router' no longer answers.
    await storage.posts.editPost({ postId: post.id, editorId: user.id, title: 'Modem on fire', slug: 'modem-on-fire', tags: ['general'], bodyMd: 'Smoke comes out of it.', bodyHtml: '<p>Smoke comes out of it.</p>', bodyText: 'Smoke comes out of it.', reason: '', now: Date.now() });
    expect(await ids('router')).not.toContain(post.id);
    expect(await ids('router')).toEqual(await fresh.search({ q: 'router', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100 }).then((r) => r.hits.map((h) => h.id)));
  });

  it('brings kept samples up to date with new posts and FAQ entries, as reading the index again would', async () => {
    const fresh = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit: 50, readCacheBytes: 0 });
    const queries = ['router', 'router slow', '路由器', '路', 'router day'];
    const same = async () => {
      for (const q of queries) {
        const a = await engine.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100, facets: ['kind'], distinct: true });
        const b = await fresh.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100, facets: ['kind'], distinct: true });
        expect(a.hits.map((h) => h.id), q).toEqual(b.hits.map((h) => h.id));
        expect(a.estimatedTotalHits, q).toBe(b.estimatedTotalHits);
      }
    };
    await same();
    const before = engine.readCacheStats();
    const added: string[] = [];
    for (let i = 0; i < 3; i++) added.push((await seed.question(community, user, `Router ${i} 路由器 added later`, `Slow router, 路由器 day ${i}.`, ['general'])).id);
    await same();
    // The samples took the new posts in without being read again.
    expect(engine.readCacheStats().refreshed).toBeGreaterThan(before.refreshed);
    // An FAQ entry too (here the short title samples reach the entries: those are read again).
    const top = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Setup', slug: 'setup', depth: 1, now: 1 });
    await storage.faq.createEntry({
      communityId: community.id, categoryId: top.id, title: 'Restarting a slow router', slug: 'restarting-a-slow-router',
      bodyMd: 'Unplug the router.', bodyHtml: '<p>Unplug the router.</p>', bodyText: 'Unplug the router.',
      sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: user.id, now: 2,
    });
    await same();
    const found = await ids('router');
    for (const id of added) expect(found).toContain(id);
    expect((await engine.search({ q: 'router', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 100 })).hits.some((h) => h.kind === 'faq')).toBe(true);
  });

  it('keeps its reads across a vote (the text is the same), and the vote still counts in the order', async () => {
    const voter = await seed.user();
    await ids('router slow day');
    const before = engine.readCacheStats();
    const page = await ids('router slow day');
    const last = page[page.length - 1]!;
    await storage.votes.castVote(last, voter.id, 1, Date.now());
    const after = await ids('router slow day');
    const stats = engine.readCacheStats();
    expect(stats.misses).toBe(before.misses);
    expect(stats.hits).toBeGreaterThan(before.hits);
    // The voted question moved up: ranking reads votes afresh, only the matches were kept.
    expect(after.indexOf(last)).toBeLessThan(page.indexOf(last));
  });

  it('reads again when a filter on acceptance depends on what changed', async () => {
    const accepted = (q: string) => engine.search({ q, filters: { accepted: true }, sort: 'relevance', page: 1, hitsPerPage: 100 }).then((r) => r.hits.map((h) => h.id));
    const target = (await ids('router'))[3]!;
    const answer = await seed.answer(target, user, 'Move it away from the microwave.');
    expect(await accepted('router')).not.toContain(target);
    // Accepting changes only counts, not text: the filtered read must not be the kept one.
    await storage.posts.setAcceptedAnswer(target, answer.id, Date.now());
    expect(await accepted('router')).toContain(target);
  });

  it('is rebuilt with the index: a database without the titles table gets it on the next start', async () => {
    const file = path.join(dir, 'forum.sqlite');
    await storage.close();
    // An index written before the titles table existed.
    const older = createSqliteStorage(file);
    older.db.exec("DROP TABLE search_titles; DELETE FROM meta WHERE key = 'search_titles_version'");
    await older.close();
    storage = createSqliteStorage(file);
    engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit: 50 });
    await engine.warmUp();
    expect((await ids('router')).slice(0, 10)).toEqual(expect.arrayContaining([oldPlain.id, oldRouter.id]));
    expect((await ids('路由器')).slice(0, 10)).toContain(oldChinese.id);
  });

  it('reads the same documents and scores outside a read transaction as inside one', async () => {
    // The storage's connection reads each event-loop turn in one read transaction, where the
    // engine reads a word's rows and its bm25 by two statements; a plain connection has no
    // such transaction, and there they are read together. Scores show in the explain view.
    // (After the reopening above: both connections' vocabularies are read from the same index.)
    const plain = new Database(path.join(dir, 'forum.sqlite'));
    try {
      installSqliteFts(plain);
      const outside = new SqliteFtsEngine(plain, { synonyms: storage.synonyms, exactLimit: 50, readCacheBytes: 0 });
      const inside = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, exactLimit: 50, readCacheBytes: 0 });
      await outside.warmUp();
      const shapes: Array<Omit<SearchQuery, 'q'>> = [
        { filters: {}, sort: 'relevance', page: 1, hitsPerPage: 50, facets: ['kind', 'tag', 'community'], distinct: true, explain: true },
        { filters: { kind: 'question' }, sort: 'relevance', page: 1, hitsPerPage: 50, explain: true },
        { filters: { community: community.id }, sort: 'newest', page: 2, hitsPerPage: 20, explain: true },
      ];
      // Rarer words (read whole, with bm25: a number is in a few dozen posts of different
      // lengths), a broad one (sampled) and both together.
      for (const q of ['printer', '17', 'modem dropping', 'slow router day 23', '路由器 每小时', 'paper stuck', 'router']) {
        for (const shape of shapes) {
          const { processingTimeMs: _a, ...a } = await inside.search({ q, ...shape });
          const { processingTimeMs: _b, ...b } = await outside.search({ q, ...shape });
          expect(a, q).toEqual(b);
          expect(plain.inTransaction).toBe(false);
        }
      }
      expect((await outside.search({ q: 'printer', ...shapes[0]! })).hits[0]?.explain).toBeDefined();
    } finally {
      plain.close();
    }
  });
});

describe('an explicit sort over a broad word', () => {
  it('"most votes" puts the best-voted match first however old it is, in English and Chinese', async () => {
    // The storage was reopened above: voters are made through the open one.
    const voters = new SearchSeeder(storage);
    for (let v = 0; v < 3; v++) await storage.votes.castVote(oldestBroad.id, (await voters.user(`sortvoter${v}`)).id, 1, Date.now());
    for (const q of ['router', '路由器']) {
      const { hits } = await engine.search({ q, filters: {}, sort: 'score', page: 1, hitsPerPage: 10 });
      expect(hits[0]?.id, q).toBe(oldestBroad.id);
      expect(hits[0]?.score).toBe(3);
      const scores = hits.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('takes the first matches of a broad word in the sort order as SQLite orders them, with and without filters', async () => {
    const voters = new SearchSeeder(storage);
    const voter = await voters.user('sortsamplevoter');
    // Votes on a few of the word's matches, the rest tied at 0 (ties go by id, newest first).
    const matches = await ids('router');
    for (const id of matches.slice(5, 25)) await storage.votes.castVote(id, voter.id, 1, Date.now());
    type Sampler = { sortedSample(alt: unknown, filters: SearchFilters, sort: 'score' | 'newest'): { ids: ArrayLike<number> } };
    const sampler = engine as unknown as Sampler;
    let compared = 0;
    for (const q of ['router', '路由器', 'day']) {
      const alt = engine.plan(q).words[0]!.alternatives[0]!;
      for (const filters of [{}, { community: community.id }, { kind: 'question' as const }, { kind: 'faq' as const }, { community: '999' }]) {
        for (const sort of ['score', 'newest'] as const) {
          const params: unknown[] = [alt.sampleExpr];
          let where = '';
          if ('community' in filters) {
            where += ' AND m.community_id = ?';
            params.push(Number(filters.community));
          }
          if ('kind' in filters) {
            where += ' AND m.kind = ?';
            params.push(filters.kind);
          }
          const order = sort === 'score' ? 'm.score DESC' : 'm.created_at DESC';
          const expected = storage.db
            .prepare(`SELECT f.rowid FROM search_fts f JOIN search_meta m ON m.id = f.rowid WHERE search_fts MATCH ?${where} ORDER BY ${order}, f.rowid DESC LIMIT 400`)
            .pluck()
            .all(...params) as number[];
          expect(Array.from(sampler.sortedSample(alt, filters, sort).ids), `${q} ${sort} ${JSON.stringify(filters)}`).toEqual(expected);
          if (expected.length > 0) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('"newest" lists the newest matches first', async () => {
    const { hits } = await engine.search({ q: 'router', filters: {}, sort: 'newest', page: 1, hitsPerPage: 20 });
    const created = hits.map((h) => h.createdAt);
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(hits.length).toBe(20);
  });
});
