import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import type { SearchHit, SearchQuery } from '../../src/search/port.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { SearchSeeder } from './search-fixtures.js';

/*
 * The title rerank reads the titles it has not kept one by one, by thread id (an answer by its
 * question's title) and by FAQ entry id, from the title indexes when the database has them
 * (migrations 027 and 028) and from the tables otherwise. What a user sees is the same either
 * way, and a title the engine read shows in the explain view as title coverage: an answer
 * is ranked by its question's title, which says more of the query than the answer does.
 */

let dir: string;
let storage: SqliteStorage;
let answerId = '';
let entryId = '';
let questionId = '';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-title-reads-'));
  storage = createSqliteStorage(path.join(dir, 'forum.sqlite'));
  const seed = new SearchSeeder(storage);
  const user = await seed.user();
  const community = await seed.community('coffee');
  const q = await seed.question(community, user, 'Descaling a kettle with citric acid', 'Mine has white flakes after boiling.', ['kettle']);
  questionId = q.id;
  answerId = (await seed.answer(q.id, user, 'Descaling with citric acid dissolves the flakes; rinse twice afterwards.')).id;
  for (let i = 0; i < 12; i++) await seed.question(community, user, `Grinder question ${i}`, `Does citric acid harm burr number ${i}?`, ['grinder']);
  const category = await storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Care', slug: 'care', depth: 1, now: 1 });
  const entry = await storage.faq.createEntry({
    communityId: community.id, categoryId: category.id, title: 'Kettle descaling schedule', slug: 'kettle-descaling', bodyMd: 'Monthly with acid.', bodyHtml: '<p>Monthly with acid.</p>', bodyText: 'Monthly with acid.',
    sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: user.id, now: 2,
  });
  entryId = entry.id;
});

afterAll(async () => {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const shapes: Array<Omit<SearchQuery, 'q'>> = [
  { filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, explain: true },
  { filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, facets: ['community', 'kind', 'tag'], distinct: true },
];
const queries = ['kettle descaling', 'citric acid', 'descaling schedule', 'flakes', 'burr 7'];

async function results(engine: SqliteFtsEngine) {
  const out: unknown[] = [];
  for (const q of queries) {
    for (const shape of shapes) {
      const { processingTimeMs: _time, ...result } = await engine.search({ q, ...shape });
      out.push(result);
    }
  }
  return out;
}

const titleCoverage = (hit: SearchHit | undefined) => (hit?.explain as Record<string, number> | undefined)?.['title coverage'];

describe('the title rerank reading titles', () => {
  it('finds threads and FAQ entries by their titles, with the title indexes and without them, with the same results', async () => {
    const indexed = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    await indexed.warmUp();
    const withIndexes = await results(indexed);

    const { hits } = await indexed.search({ q: 'kettle descaling', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, explain: true });
    // The answer says one of the words: its question's title says both, read for it.
    const answer = hits.find((h) => h.id === answerId);
    expect(answer?.kind).toBe('answer');
    expect(titleCoverage(answer)).toBe(1);
    expect(titleCoverage(hits.find((h) => h.kind === 'faq' && h.id === entryId))).toBe(1);
    expect(titleCoverage(hits.find((h) => h.id === questionId))).toBe(1);
    // A grinder question has "acid" in its body only.
    const acid = await indexed.search({ q: 'acid', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, explain: true });
    const grinder = acid.hits.find((h) => h.title.startsWith('Grinder'));
    expect(grinder).toBeDefined();
    expect(titleCoverage(grinder)).toBe(0);

    storage.db.exec('DROP INDEX posts_question_titles; DROP INDEX faq_entry_titles');
    const plain = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
    await plain.warmUp();
    expect(await results(plain)).toEqual(withIndexes);
  });
});
