import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { FTS_TABLES, mergeStep, mergeWorkRemains, structureOf, type FtsTable } from '../../src/search/sqlite-fts/segments.js';
import type { SearchEngine, SearchQuery } from '../../src/search/port.js';
import { searchMergeJob } from '../../src/services/jobs/search-merge-job.js';
import { SearchSeeder } from './search-fixtures.js';
import { createQaApp } from '../helpers/qa.js';

/*
 * The background merge of the embedded index (src/search/sqlite-fts/segments.ts): every post
 * written in its own transaction leaves FTS5 a new segment; merging them in bounded steps must
 * leave fewer segments (one per level) and every search answering exactly as before.
 */

const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const WORDS = ['kettle', 'descale', 'grinder', 'burrs', 'espresso', 'milk', 'crema', 'roast', 'beans', 'tamper', 'portafilter', 'bloom', 'pour', 'filter', 'water', 'scale'];
const word = (i: number) => WORDS[i % WORDS.length]!;
/** A body of about 1.5 KB, different for each post, so segments span several FTS5 pages. */
const body = (i: number) => Array.from({ length: 150 }, (_, k) => `${word(i * 7 + k * 3)}${k % 5 === 0 ? i % 13 : ''}`).join(' ');

async function fragmentedForum(posts: number) {
  const storage = createSqliteStorage(':memory:');
  open.push(storage);
  const seed = new SearchSeeder(storage);
  const author = await seed.user();
  const community = await seed.community('coffee');
  const ids: string[] = [];
  // One transaction per post, as on a live forum: a segment each (automerge keeps up to 3 a level).
  for (let i = 0; i < posts; i++) ids.push((await seed.question(community, author, `${word(i)} ${word(i + 3)} question ${i}`, body(i), [word(i + 5)])).id);
  for (let i = 0; i < posts; i += 3) await seed.answer(ids[i]!, author, `Answer about ${word(i + 1)} and ${word(i + 2)} ${i}`);
  // Edits and deletions leave tombstones in older segments, which a merge drops.
  for (let i = 1; i < posts; i += 10) {
    await storage.posts.editPost({ postId: ids[i]!, editorId: author.id, title: `${word(i + 1)} edited ${i}`, slug: 'e', tags: [word(i)], bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: body(i + 1), reason: '', now: Date.now() });
  }
  // Moderation's soft delete (a column the triggers follow; no repository method takes it alone).
  for (let i = 2; i < posts; i += 10) storage.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(Date.now(), Number(ids[i]));
  return { storage, seed, author, community, ids };
}

const QUERIES = ['kettle descale', 'grinder burrs', 'espresso', 'crema roast 7', 'bloom pour water', 'portafilter', 'answer about milk', 'question 42', 'tamper scale', 'beans'];
const page = (q: string, sort: SearchQuery['sort'] = 'relevance'): SearchQuery => ({ q, filters: {}, sort, page: 1, hitsPerPage: 20, facets: ['tag', 'kind'], distinct: true });

async function answers(engine: SearchEngine) {
  const out: unknown[] = [];
  for (const q of QUERIES) for (const sort of ['relevance', 'newest'] as const) {
    const r = await engine.search(page(q, sort));
    out.push({ q, sort, hits: r.hits, total: r.estimatedTotalHits, facets: r.facetDistribution });
  }
  return out;
}

/** Segments as the %_data table holds them: distinct segment ids of leaf pages (tombstone pages have ids above 65535). */
function segmentIds(storage: SqliteStorage, table: FtsTable): number {
  return storage.db.prepare(`SELECT count(DISTINCT id >> 37) FROM ${table}_data WHERE (id >> 37) BETWEEN 1 AND 65535`).pluck().get() as number;
}

describe('merging the embedded index segments', () => {
  it('leaves fewer segments, one per level, and every search answers exactly as before', async () => {
    const { storage } = await fragmentedForum(240);
    const before = new Map(FTS_TABLES.map((t) => [t, structureOf(storage.db, t)]));
    // The structure record agrees with the segments the data table holds.
    for (const t of FTS_TABLES) expect(before.get(t)!.segments).toBe(segmentIds(storage, t));
    expect(before.get('search_fts')!.segments).toBeGreaterThanOrEqual(3);
    expect(mergeWorkRemains(before.get('search_fts')!)).toBe(true);

    const running = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    const expected = await answers(running);

    let report = await running.compactIndex({ budgetMs: 60_000 });
    while (!report.done) report = await running.compactIndex({ budgetMs: 60_000 });
    expect(report.steps).toBeGreaterThan(1);

    for (const t of FTS_TABLES) {
      const after = structureOf(storage.db, t);
      expect(after.segments).toBe(segmentIds(storage, t));
      expect(after.segments).toBeLessThan(before.get(t)!.segments);
      for (const level of after.levels) expect(level).toMatchObject({ merging: 0, segments: expect.any(Number) as number });
      expect(Math.max(...after.levels.map((l) => l.segments))).toBeLessThanOrEqual(1);
    }
    // The engine that searched before the merge (its cache and kept reads) and a fresh one.
    expect(await answers(running)).toEqual(expected);
    expect(await answers(new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms }))).toEqual(expected);

    // Nothing left: a further run does no step.
    expect(await running.compactIndex({ budgetMs: 1_000 })).toMatchObject({ steps: 0, done: true, segmentsAfter: report.segmentsAfter });

    // A live forum goes on writing: new segments, merged again to one per level by later runs.
    const seed = new SearchSeeder(storage);
    const [author, community] = [await seed.user('later'), await seed.community('later')];
    for (let i = 0; i < 40; i++) await seed.question(community, author, `Later ${word(i)} question ${i}`, body(i + 1000));
    expect(FTS_TABLES.some((t) => mergeWorkRemains(structureOf(storage.db, t)))).toBe(true);
    expect((await running.compactIndex({ budgetMs: 60_000 })).done).toBe(true);
    for (const t of FTS_TABLES) expect(Math.max(...structureOf(storage.db, t).levels.map((l) => l.segments))).toBeLessThanOrEqual(1);
    const fresh = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    expect(await answers(running)).toEqual(await answers(fresh));
  });

  it('a step is bounded: one small step does not merge a fragmented index in one go', async () => {
    const { storage } = await fragmentedForum(240);
    const start = structureOf(storage.db, 'search_fts');
    expect(mergeStep(storage.db, 'search_fts', 1)).toBe(true);
    const after = structureOf(storage.db, 'search_fts');
    // The step stopped inside a merge: its input segments are all still there, beside the
    // unfinished output, and the level says a merge is under way.
    expect(after.levels.some((l) => l.merging > 0)).toBe(true);
    expect(after.segments).toBeGreaterThanOrEqual(start.segments);
    expect(mergeWorkRemains(after)).toBe(true);
    // Steps of one page each take many steps to finish the same work.
    let steps = 1;
    while (mergeWorkRemains(structureOf(storage.db, 'search_fts')) && mergeStep(storage.db, 'search_fts', 1)) steps++;
    expect(steps).toBeGreaterThan(3);
    expect(structureOf(storage.db, 'search_fts').segments).toBeLessThan(start.segments);
  });

  it('the compaction run stops when its time budget is spent and a later run goes on', async () => {
    const { storage } = await fragmentedForum(240);
    const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    const first = await engine.compactIndex({ budgetMs: 0 });
    expect(first).toMatchObject({ steps: 0, done: false });
    expect(first.segmentsAfter).toBe(first.segmentsBefore);
    const later = await engine.compactIndex({ budgetMs: 60_000 });
    expect(later.done).toBe(true);
    expect(later.segmentsBefore).toBe(first.segmentsAfter);
    expect(later.segmentsAfter).toBeLessThan(later.segmentsBefore);
  });

  it('runs as a background job for the embedded engine, and there is none for an engine that merges its own index', async () => {
    const { storage, seed, author, community } = await fragmentedForum(60);
    const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    const logged: object[] = [];
    const job = searchMergeJob(engine, { info: (obj) => logged.push(obj), error: () => undefined })!;
    expect(job.name).toBe('search-merge');
    const segments = () => FTS_TABLES.reduce((n, t) => n + structureOf(storage.db, t).segments, 0);
    const before = segments();
    for (let run = 0; run < 20 && FTS_TABLES.some((t) => mergeWorkRemains(structureOf(storage.db, t))); run++) await job.run();
    expect(segments()).toBeLessThan(before);
    expect(logged[0]).toMatchObject({ job: 'search-merge', segmentsBefore: before });
    // New posts after the merge are found (the triggers still write; the next run merges them).
    await seed.question(community, author, 'Zymurgy of cold brew', 'Fermentation notes.');
    expect((await engine.search(page('zymurgy'))).hits.map((h) => h.title)).toEqual(['Zymurgy of cold brew']);

    const meiliLike = { name: 'meili' } as unknown as SearchEngine;
    expect(searchMergeJob(meiliLike, null)).toBeNull();
  });

  it('the forum registers the job: run under its lease, it merges the index the posts fragmented', async () => {
    const app = await createQaApp();
    try {
      const storage = app.storage as SqliteStorage;
      const seed = new SearchSeeder(storage);
      const author = await seed.user();
      const community = await seed.community('tea');
      // Posts until some level holds two segments (automerge leaves up to three a level).
      for (let i = 0; i < 300 && !mergeWorkRemains(structureOf(storage.db, 'search_fts')); i++) {
        await seed.question(community, author, `${word(i)} tea question ${i}`, body(i));
      }
      const before = structureOf(storage.db, 'search_fts');
      expect(mergeWorkRemains(before)).toBe(true);
      const jobs = app.services.background.jobs;
      expect(jobs.jobNames).toContain('search-merge');
      expect(await jobs.runIfLeader('search-merge')).toBe(true);
      const after = structureOf(storage.db, 'search_fts');
      expect(after.segments).toBeLessThan(before.segments);
      expect(mergeWorkRemains(after)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
