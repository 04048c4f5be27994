import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../src/search/port.js';
import { REBUILD_TASKS_IN_FLIGHT } from '../../src/search/meili/engine.js';
import { meiliIndexSettings } from '../../src/search/meili/settings.js';
import { meiliSynonymsFor } from '../../src/search/meili/synonyms.js';
import { toMeiliDocument } from '../../src/search/meili/documents.js';
import { doc, setup } from './meili-fake.js';

const query = (q: string, more: Partial<SearchQuery> = {}): SearchQuery => ({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, ...more });

describe('MeiliSearchEngine writes', () => {
  it('indexes what the database holds now, waits for the tasks, and removes what is gone', async () => {
    const stored = doc('faq', '4', 'Steam wand care');
    const { client, engine, db } = setup([stored]);
    await engine.index([{ ...stored, title: '' }, doc('question', '9')]);
    expect(db.loads).toEqual([['faq-4', 'question-9']]);
    expect(client.ops()).toEqual(['addDocuments live', 'deleteDocuments live']);
    expect(client.calls[0]!.args).toEqual([[toMeiliDocument(stored)], { primaryKey: 'docId' }]);
    expect(client.calls[1]!.args).toEqual([['question-9']]);
    expect(client.calls.every((c) => c.waited === 1234)).toBe(true);
  });

  it('throws with Meilisearch’s message when an indexing task failed, so the outbox retries', async () => {
    const { client, engine } = setup([doc('question', '1')]);
    client.fail = (c) => (c.op === 'addDocuments' ? { message: 'The document could not be indexed', code: 'invalid_document_fields' } : undefined);
    await expect(engine.index([doc('question', '1')])).rejects.toThrow(/The document could not be indexed/);
  });

  it('deletes by id, waits, throws on a failed task, and ignores malformed ids', async () => {
    const { client, engine } = setup();
    await engine.delete(['answer-5', 'answer-5', 'bogus' as never]);
    expect(client.calls).toEqual([{ op: 'deleteDocuments', uid: 'live', args: [['answer-5']], waited: 1234 }]);
    client.fail = () => ({ message: 'index is locked' });
    await expect(engine.delete(['answer-6'])).rejects.toThrow(/index is locked/);
  });

  it('makes no call for nothing to write', async () => {
    const { client, engine, db } = setup();
    await engine.index([]);
    await engine.delete([]);
    expect(client.calls).toEqual([]);
    expect(db.loads).toEqual([]);
  });
});

describe('MeiliSearchEngine.ensureIndex', () => {
  it('creates a missing index with its primary key and applies the settings', async () => {
    const { client, engine } = setup();
    client.existing.clear();
    expect(await engine.ensureIndex()).toBe(true);
    expect(client.ops()).toEqual(['createIndex live', 'updateSettings live']);
    expect(client.calls[0]!.args).toEqual([{ primaryKey: 'docId' }]);
    expect(client.calls[1]!.args).toEqual([meiliIndexSettings(meiliSynonymsFor([]))]);
    expect(client.calls.every((c) => c.waited !== null)).toBe(true);
  });

  it('keeps an existing index and still applies the settings', async () => {
    const { client, engine } = setup();
    expect(await engine.ensureIndex()).toBe(false);
    expect(client.ops()).toEqual(['createIndex live', 'updateSettings live']);
  });

  it('fails loudly when the settings are refused', async () => {
    const { client, engine } = setup();
    client.fail = (c) => (c.op === 'updateSettings' ? { message: 'Invalid ranking rule', code: 'invalid_settings_ranking_rules' } : undefined);
    await expect(engine.ensureIndex()).rejects.toThrow(/Invalid ranking rule/);
  });
});

describe('MeiliSearchEngine.reindexAll', () => {
  const rows = [doc('question', '1'), doc('answer', '2'), doc('answer', '3'), doc('faq', '4'), doc('question', '5')];

  it('builds a temporary index with the settings, sends every batch, swaps it in and drops the old one', async () => {
    const { client, engine, db } = setup(rows, { batchSize: 2 });
    const report = await engine.reindexAll();
    expect(report).toMatchObject({ questions: 2, answers: 2, faq: 1 });
    expect(report.ms).toBeGreaterThanOrEqual(0);
    expect(db.batchSizes).toEqual([2]);

    const temp = client.calls[0]!.uid;
    expect(temp).toMatch(/^live_rebuild_\d+$/);
    expect(client.ops()).toEqual([
      `createIndex ${temp}`,
      `updateSettings ${temp}`,
      `addDocuments ${temp}`,
      `addDocuments ${temp}`,
      `addDocuments ${temp}`,
      'createIndex live',
      'swapIndexes',
      `deleteIndex ${temp}`,
    ]);
    expect(client.calls[1]!.args).toEqual([meiliIndexSettings(meiliSynonymsFor([]))]);
    const sent = client.calls.filter((c) => c.op === 'addDocuments').flatMap((c) => c.args[0] as Array<{ docId: string }>);
    expect(sent.map((d) => d.docId)).toEqual(['question-1', 'answer-2', 'answer-3', 'faq-4', 'question-5']);
    expect(client.calls.filter((c) => c.op === 'addDocuments').every((c) => c.waited !== null)).toBe(true);
    // A plain swap (rename left out: servers before v1.18 reject the field; later ones default it to false).
    expect(client.calls.find((c) => c.op === 'swapIndexes')!.args).toEqual([[{ indexes: ['live', temp] }]]);
    expect(client.existing).toEqual(new Set(['live']));
  });

  it('keeps only a few batches unconfirmed at a time and checks every one of them', async () => {
    const many = Array.from({ length: 12 }, (_, i) => doc('question', String(i + 1)));
    const { client, engine } = setup(many, { batchSize: 1 });
    await engine.reindexAll();
    let unconfirmed = 0;
    let most = 0;
    for (const e of client.events) {
      if (/^addDocuments /.test(e)) most = Math.max(most, ++unconfirmed);
      if (/^wait addDocuments /.test(e)) unconfirmed--;
    }
    expect(unconfirmed).toBe(0);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThan(12);
    expect(most).toBeLessThanOrEqual(REBUILD_TASKS_IN_FLIGHT + 1);
    expect(client.events.filter((e) => /^wait addDocuments /.test(e))).toHaveLength(12);
    expect(client.events.indexOf('swapIndexes')).toBeGreaterThan(client.events.findLastIndex((e) => /^wait addDocuments /.test(e)));
  });

  it('creates the live index first when it does not exist yet, so the swap can happen', async () => {
    const { client, engine } = setup(rows);
    client.existing.clear();
    await engine.reindexAll();
    expect(client.ops().slice(-3)).toEqual(['createIndex live', 'swapIndexes', expect.stringMatching(/^deleteIndex live_rebuild_/)]);
  });

  it('on a failed batch drops the temporary index, does not swap, and rethrows', async () => {
    const { client, engine } = setup(rows, { batchSize: 2 });
    let adds = 0;
    client.fail = (c) => (c.op === 'addDocuments' && ++adds === 2 ? { message: 'payload too large', code: 'payload_too_large' } : undefined);
    await expect(engine.reindexAll()).rejects.toThrow(/payload too large/);
    const temp = client.calls[0]!.uid;
    expect(client.ops()).not.toContain('swapIndexes');
    expect(client.ops().at(-1)).toBe(`deleteIndex ${temp}`);
    expect(client.calls.filter((c) => c.uid === 'live')).toEqual([]);
    expect(client.existing).toEqual(new Set(['live']));
  });

  it('on a database error mid-way drops the temporary index and rethrows', async () => {
    const { client, engine } = setup(rows, { batchSize: 2, throwAfterBatches: 1 });
    await expect(engine.reindexAll()).rejects.toThrow(/database went away/);
    expect(client.ops()).not.toContain('swapIndexes');
    expect(client.ops().at(-1)).toMatch(/^deleteIndex live_rebuild_/);
    expect(client.existing).toEqual(new Set(['live']));
  });

  it('on a failed swap drops the temporary index and rethrows', async () => {
    const { client, engine } = setup(rows);
    client.fail = (c) => (c.op === 'swapIndexes' ? { message: 'swap failed' } : undefined);
    await expect(engine.reindexAll()).rejects.toThrow(/swap failed/);
    expect(client.ops().at(-1)).toMatch(/^deleteIndex live_rebuild_/);
  });
});

describe('MeiliSearchEngine.search', () => {
  it('answers an empty or wordless query without calling Meilisearch', async () => {
    const { client, engine } = setup();
    for (const q of ['', '   ', '"*(-', '\u0000']) {
      const r = await engine.search(query(q, { facets: ['kind'] }));
      expect(r).toMatchObject({ hits: [], estimatedTotalHits: 0, totalPages: 0, facetDistribution: { kind: {} } });
    }
    expect(client.searches).toEqual([]);
  });

  it('sends one translated query and maps the response', async () => {
    const { client, engine } = setup();
    const stored = toMeiliDocument(doc('question', '7', 'Descaling an espresso machine'));
    client.respond = () => ({ hits: [{ ...stored, _formatted: { ...stored, title: 'Descaling an \u0001espresso\u0002 machine' } }], totalHits: 1, totalPages: 1, processingTimeMs: 2, facetDistribution: { kind: { question: 1 } } });
    const r = await engine.search(query('espresso', { filters: { community: '1' }, sort: 'newest', facets: ['kind'] }));
    expect(client.searches).toHaveLength(1);
    expect(client.searches[0]).toEqual([expect.objectContaining({ indexUid: 'live', q: 'espresso', filter: ['communityId = "1"'], sort: ['createdAt:desc'], facets: ['kind'], page: 1, hitsPerPage: 20 })]);
    expect(r.hits.map((h) => h.titleHtml)).toEqual(['Descaling an <mark>espresso</mark> machine']);
    expect(r).toMatchObject({ estimatedTotalHits: 1, facetDistribution: { kind: { question: 1 } }, ignoredWords: [] });
  });

  it('asks Meilisearch for one result per thread when the query is distinct, an FAQ entry being a thread of its own', async () => {
    const { client, engine } = setup();
    const question = toMeiliDocument({ ...doc('question', '7', 'Descaling an espresso machine'), questionId: '7' });
    const answer = toMeiliDocument({ ...doc('answer', '8', 'Descaling an espresso machine'), questionId: '7' });
    const entry = toMeiliDocument({ ...doc('faq', '3', 'Descaling'), questionId: '7' });
    const other = toMeiliDocument({ ...doc('question', '9', 'Espresso too sour'), questionId: '9' });
    const ranked = [answer, question, entry, other].map((d) => ({ ...d, _formatted: d }));
    client.respond = () => ({ hits: ranked, totalHits: ranked.length, totalPages: 1, processingTimeMs: 1 });

    const one = await engine.search(query('espresso', { distinct: true }));
    expect(client.searches[0]![0]).toMatchObject({ q: 'espresso', distinct: 'thread' });
    expect(one.hits.map((h) => h.docId)).toEqual(['answer-8', 'faq-3', 'question-9']);

    const all = await engine.search(query('espresso'));
    expect(client.searches[1]![0]).not.toHaveProperty('distinct');
    expect(all.hits.map((h) => h.docId)).toEqual(['answer-8', 'question-7', 'faq-3', 'question-9']);
  });

  it('leaves out and reports words that match nothing, in the same request when none do', async () => {
    const { client, engine } = setup();
    const known = new Set(['frothing', 'milk', 'milk frothing']);
    client.respond = (q) => ({ hits: [], totalHits: known.has(q.q) ? 1 : 0, estimatedTotalHits: known.has(q.q) ? 1 : 0, processingTimeMs: 1 });

    const r = await engine.search(query('frothing QWXYZZY'));
    expect(client.searches[0]!.map((q) => q.q)).toEqual(['frothing QWXYZZY', 'frothing', 'QWXYZZY']);
    expect(client.searches[0]!.slice(1).every((q) => q.limit === 0 && q.filter === undefined)).toBe(true);
    expect(client.searches[1]!.map((q) => q.q)).toEqual(['frothing']);
    expect(r).toMatchObject({ estimatedTotalHits: 1, ignoredWords: ['qwxyzzy'] });

    client.searches = [];
    const both = await engine.search(query('milk frothing'));
    expect(client.searches).toHaveLength(1);
    expect(both.ignoredWords).toEqual([]);
  });

  it('returns nothing, without a second search, when every word is unknown', async () => {
    const { client, engine } = setup();
    const r = await engine.search(query('zzq1xv zzq2xv'));
    expect(client.searches).toHaveLength(1);
    expect(r).toMatchObject({ hits: [], estimatedTotalHits: 0, ignoredWords: ['zzq1xv', 'zzq2xv'] });
  });

  it('reports a single unknown word only when no filter could explain the empty result', async () => {
    const { engine } = setup();
    expect((await engine.search(query('lenz'))).ignoredWords).toEqual(['lenz']);
    expect((await engine.search(query('lenz', { filters: { kind: 'faq' } }))).ignoredWords).toEqual([]);
  });
});

describe('MeiliSearchEngine.health', () => {
  it('reports whether Meilisearch answers', async () => {
    const { client, engine } = setup();
    expect(await engine.health()).toBe(true);
    client.healthy = false;
    expect(await engine.health()).toBe(false);
    client.healthy = new Error('ECONNREFUSED');
    expect(await engine.health()).toBe(false);
  });
});
