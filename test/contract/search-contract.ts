/*
 * The contract every search engine behind src/search/port.ts must meet. Each backend
 * provides a harness that writes content the way the application does (the embedded
 * engine indexes posts through storage triggers; a Meilisearch harness would push
 * documents and wait for its tasks) and the same expectations run against all of them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_EMBEDDED_QUERY_WORDS, MAX_QUERY_WORDS, type SearchEngine, type SearchQuery } from '../../src/search/port.js';
import type { SearchLogRepository } from '../../src/db/ports.js';

export interface SearchHarness {
  engine: SearchEngine;
  /** Two community ids. */
  communities: { a: string; b: string };
  question(input: { community: 'a' | 'b'; title: string; body: string; tags?: string[]; createdAt?: number }): Promise<string>;
  answer(questionId: string, body: string, options?: { accepted?: boolean }): Promise<string>;
  /** Gives the post this many up-votes. */
  upvote(postId: string, votes: number): Promise<void>;
  editQuestion(questionId: string, title: string, body: string): Promise<void>;
  softDelete(postId: string): Promise<void>;
  /** A published FAQ entry in the category path Machines > Cleaning, with helpful votes, made from a thread when source is given. */
  faqEntry(input: { community: 'a' | 'b'; title: string; body: string; helpful?: number; source?: { questionId: string; answerId?: string } }): Promise<string>;
  editFaqEntry(id: string, title: string, body: string): Promise<void>;
  archiveFaqEntry(id: string): Promise<void>;
  /** Renames a community (its name is searchable in every document of it). */
  renameCommunity(community: 'a' | 'b', name: string): Promise<void>;
  /** Resolves when everything written so far is searchable. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const base: SearchQuery = { q: '', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20 };

/** Removes the highlight marks and decodes the escaping, giving back the text that was shown. */
function plain(html: string): string {
  return html
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/…/g, '');
}

export function searchContract(name: string, make: () => Promise<SearchHarness>): void {
  describe(`search port contract: ${name}`, () => {
    let h: SearchHarness;
    const search = async (q: string, more: Partial<SearchQuery> = {}) => {
      await h.settle();
      return h.engine.search({ ...base, q, ...more, filters: { ...base.filters, ...(more.filters ?? {}) } });
    };

    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.close();
    });

    it('finds a question by a word of its title and returns the fields a result page needs', async () => {
      const id = await h.question({ community: 'a', title: 'Descaling an espresso machine', body: 'Limescale everywhere.', tags: ['espresso', 'maintenance'] });
      const r = await search('espresso');
      expect(r.estimatedTotalHits).toBe(1);
      const hit = r.hits[0]!;
      expect(hit).toMatchObject({ kind: 'question', id, questionId: id, communityId: h.communities.a, title: 'Descaling an espresso machine', tags: ['espresso', 'maintenance'], answerCount: 0, accepted: false, docId: `question-${id}` });
      expect(hit.slug).not.toBe('');
      expect(hit.titleHtml).toBe('Descaling an <mark>espresso</mark> machine');
      expect(typeof hit.createdAt).toBe('number');
      expect(r.page).toBe(1);
      expect(r.totalPages).toBe(1);
      expect(r.processingTimeMs).toBeGreaterThanOrEqual(0);
    });

    it('an answer hit carries its question title and thread id', async () => {
      const q = await h.question({ community: 'a', title: 'Sour pour-over', body: 'It tastes sour.' });
      const a = await h.answer(q, 'Grind finer and use hotter water around 94 degrees.');
      const r = await search('hotter water');
      const hit = r.hits.find((x) => x.kind === 'answer')!;
      expect(hit).toMatchObject({ id: a, questionId: q, title: 'Sour pour-over', answerCount: 1 });
      expect(hit.snippetHtml).toContain('<mark>hotter</mark> <mark>water</mark>');
    });

    it('snippets escape everything except the highlight marks', async () => {
      await h.question({ community: 'a', title: 'Odd characters in a post', body: 'Try <script>alert("x")</script> & then clean the grinder with rice & "tabs".' });
      const r = await search('grinder');
      const snippet = r.hits[0]!.snippetHtml;
      expect(snippet).toContain('<mark>grinder</mark>');
      expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
      expect(snippet).toContain('&lt;script&gt;');
      expect(plain(snippet)).toContain('<script>alert("x")</script> & then');
    });

    it('finds Chinese by words without spaces, and highlights without changing the text', async () => {
      const body = '我的意式咖啡机用了半年，出水越来越慢，应该怎么除垢？';
      await h.question({ community: 'a', title: '咖啡机怎么清洗除垢', body });
      await h.question({ community: 'a', title: '相机传感器清洁', body: '照片上有黑点。' });
      for (const q of ['咖啡机', '除垢', '咖啡机除垢', '咖啡机 除垢']) {
        const r = await search(q);
        expect(r.hits.map((x) => x.title), q).toContain('咖啡机怎么清洗除垢');
        expect(r.hits[0]!.title, q).toBe('咖啡机怎么清洗除垢');
      }
      const hit = (await search('除垢')).hits[0]!;
      expect(hit.snippetHtml).toContain('<mark>除垢</mark>');
      expect(plain(hit.snippetHtml)).toBe(body);
      expect(hit.titleHtml).toBe('咖啡机怎么清洗<mark>除垢</mark>');
    });

    it('folds case and accents', async () => {
      await h.question({ community: 'a', title: 'Café crème at home', body: 'A long espresso.' });
      expect((await search('CAFE CREME')).estimatedTotalHits).toBe(1);
      expect((await search('café')).hits[0]!.titleHtml).toBe('<mark>Café</mark> crème at home');
    });

    it('tolerates typos like Meilisearch: none under 5 letters, 1 from 5, 2 from 9', async () => {
      await h.question({ community: 'a', title: 'Espresso maintenance schedule', body: 'Clean the lens of the machine light.' });
      expect((await search('espreso')).estimatedTotalHits).toBe(1);
      expect((await search('expresso')).estimatedTotalHits).toBe(1);
      expect((await search('maintenence')).estimatedTotalHits).toBe(1);
      expect((await search('mantenence')).estimatedTotalHits).toBe(1);
      expect((await search('lenz light')).hits.length).toBe(1);
      expect((await search('lenz')).estimatedTotalHits).toBe(0);
      expect((await search('esprxsxo')).estimatedTotalHits).toBe(0);
    });

    it('ranks an exact match above a typo match', async () => {
      const typo = await h.question({ community: 'a', title: 'Temper the chocolate', body: 'temper temper temper size' });
      const exact = await h.question({ community: 'a', title: 'Tamper for a 58 mm basket', body: 'Which size?' });
      const r = await search('tamper size');
      expect(r.hits.map((x) => x.id)).toEqual([exact, typo]);
    });

    it('treats the last word as a prefix while typing', async () => {
      await h.question({ community: 'a', title: 'Grinder retention', body: 'Coffee stays in the chute.' });
      expect((await search('grind')).estimatedTotalHits).toBe(1);
      expect((await search('coffee rete')).hits[0]!.titleHtml).toBe('Grinder <mark>retention</mark>');
    });

    it('never fails on query syntax: quotes, stars, NEAR, minus, colons, parentheses, operators', async () => {
      await h.question({ community: 'a', title: 'Near the grinder', body: 'Title: colon test (parentheses) - minus' });
      const nasty = ['"', '"grinder', '*', 'grinder*', 'NEAR(grinder test)', 'NEAR(', '-grinder', 'title:grinder', 'title : x', '(grinder', ')', 'grinder AND', 'OR NOT', '^grinder', '{title}: x', "'; DROP TABLE posts; --", '\u0000', 'a'.repeat(2000), '咖啡"*(:'];
      for (const q of nasty) {
        const r = await search(q);
        expect(Array.isArray(r.hits), q).toBe(true);
      }
      expect((await search('NEAR(grinder')).estimatedTotalHits).toBe(1);
      expect((await search('title:colon')).estimatedTotalHits).toBe(1);
    });

    it('ignores words beyond its limit (Meilisearch 10, embedded 32) and words that match nothing, reporting the latter', async () => {
      await h.question({ community: 'a', title: 'Milk frothing wand', body: 'Microfoam.' });
      const r = await search('frothing qwxyzzy');
      expect(r.hits.length).toBe(1);
      expect(r.ignoredWords).toEqual(['qwxyzzy']);
      const limit = h.engine.name === 'meili' ? MAX_QUERY_WORDS : MAX_EMBEDDED_QUERY_WORDS;
      const unknown = Array.from({ length: limit }, (_, i) => `zzq${i}xv`).join(' ');
      expect((await search(`${unknown} frothing`)).estimatedTotalHits).toBe(0);
      expect((await search(`frothing ${unknown}`)).estimatedTotalHits).toBe(1);
    });

    it('filters by community, kind, tag, answered and accepted', async () => {
      const q1 = await h.question({ community: 'a', title: 'Kettle temperature', body: 'kettle', tags: ['water'] });
      const a1 = await h.answer(q1, 'A kettle with a thermometer.', { accepted: true });
      const q2 = await h.question({ community: 'b', title: 'Kettle for travel', body: 'kettle', tags: ['travel'] });
      const q3 = await h.question({ community: 'a', title: 'Kettle spout shape', body: 'kettle', tags: ['water', 'pour-over'] });
      const a3 = await h.answer(q3, 'A gooseneck kettle pours slowly.');
      const ids = async (filters: SearchQuery['filters']) => (await search('kettle', { filters })).hits.map((x) => x.id).sort();
      expect(await ids({ community: h.communities.b })).toEqual([q2]);
      expect(await ids({ kind: 'answer' })).toEqual([a1, a3].sort());
      expect(await ids({ kind: 'question', tag: 'water' })).toEqual([q1, q3].sort());
      expect(await ids({ tag: 'pour-over' })).toEqual([q3, a3].sort());
      expect(await ids({ kind: 'question', answered: false })).toEqual([q2]);
      expect(await ids({ kind: 'question', answered: true })).toEqual([q1, q3].sort());
      expect(await ids({ accepted: true })).toEqual([q1, a1].sort());
      expect(await ids({ kind: 'answer', accepted: false })).toEqual([a3]);
      expect(await ids({ community: '999999' })).toEqual([]);
      expect(await ids({ kind: 'faq' })).toEqual([]);
    });

    it('counts facets per community, kind and tag', async () => {
      const q1 = await h.question({ community: 'a', title: 'Tripod head', body: 'tripod', tags: ['tripod', 'gear'] });
      await h.answer(q1, 'A ball head tripod.');
      await h.question({ community: 'b', title: 'Tripod for travel', body: 'light tripod', tags: ['tripod'] });
      const r = await search('tripod', { facets: ['community', 'kind', 'tag'] });
      expect(r.facetDistribution.community).toEqual({ [h.communities.a]: 2, [h.communities.b]: 1 });
      expect(r.facetDistribution.kind).toEqual({ question: 2, answer: 1 });
      expect(r.facetDistribution.tag).toEqual({ tripod: 3, gear: 2 });
      const filtered = await search('tripod', { facets: ['kind'], filters: { community: h.communities.b } });
      expect(filtered.facetDistribution).toEqual({ kind: { question: 1 } });
    });

    it('sorts by newest and by score when asked', async () => {
      const old = await h.question({ community: 'a', title: 'Aeropress recipe one', body: 'aeropress', createdAt: Date.UTC(2020, 0, 1) });
      const mid = await h.question({ community: 'a', title: 'Aeropress recipe two', body: 'aeropress', createdAt: Date.UTC(2022, 0, 1) });
      const recent = await h.question({ community: 'a', title: 'Aeropress recipe three', body: 'aeropress', createdAt: Date.UTC(2024, 0, 1) });
      await h.upvote(mid, 3);
      await h.upvote(old, 1);
      expect((await search('aeropress recipe', { sort: 'newest' })).hits.map((x) => x.id)).toEqual([recent, mid, old]);
      expect((await search('aeropress recipe', { sort: 'score' })).hits.map((x) => x.id)).toEqual([mid, old, recent]);
    });

    it('an explicit sort orders by it first, before how well the words match', async () => {
      const close = await h.question({ community: 'a', title: 'Moka pot gasket replacement', body: 'The moka pot gasket leaks.', createdAt: Date.UTC(2020, 0, 1) });
      const loose = await h.question({ community: 'a', title: 'Cleaning a moka pot', body: 'Vinegar or citric acid?', createdAt: Date.UTC(2024, 0, 1) });
      await h.upvote(loose, 2);
      for (const t of ['Tamper size', 'Milk jug for latte art', 'Descaling schedule', 'Grinder retention', 'Water hardness test', 'Scale with a timer']) await h.question({ community: 'a', title: t, body: 'Which one?' });
      expect((await search('moka pot gasket')).hits.map((x) => x.id)).toEqual([close, loose]);
      expect((await search('moka pot gasket', { sort: 'newest' })).hits.map((x) => x.id)).toEqual([loose, close]);
      expect((await search('moka pot gasket', { sort: 'score' })).hits.map((x) => x.id)).toEqual([loose, close]);
    });

    it("a document missing the query's most frequent word ranks above one missing its rare words", async () => {
      const all = await h.question({ community: 'a', title: 'Burr alignment on a flat grinder', body: 'Shims under the lower carrier.' });
      const rare = await h.question({ community: 'a', title: 'Burr alignment with a marker', body: 'Paint the edges and spin by hand.' });
      const common = await h.question({ community: 'a', title: 'Grinder makes a squeaking noise', body: 'Since last week.' });
      for (const t of ['Grinder retention', 'Grinder static', 'Cleaning the grinder chute']) await h.question({ community: 'a', title: t, body: 'Any tips for this grinder?' });
      // The words are evidence, not filters from the end: "grinder" says least about which question is meant.
      const ids = (await search('grinder burr alignment')).hits.map((x) => x.id);
      expect(ids.slice(0, 2)).toEqual([all, rare]);
      expect(ids.indexOf(common)).not.toBe(1);
    });

    it('pages through results', async () => {
      for (let i = 1; i <= 7; i++) await h.question({ community: 'a', title: `Filter paper question ${i}`, body: 'paper' });
      const p1 = await search('paper', { hitsPerPage: 3 });
      const p3 = await search('paper', { hitsPerPage: 3, page: 3 });
      const p4 = await search('paper', { hitsPerPage: 3, page: 4 });
      expect(p1.estimatedTotalHits).toBe(7);
      expect(p1.totalPages).toBe(3);
      expect(p1.hits).toHaveLength(3);
      expect(p3.hits).toHaveLength(1);
      expect(p4.hits).toHaveLength(0);
      const all = new Set([...p1.hits, ...(await search('paper', { hitsPerPage: 3, page: 2 })).hits, ...p3.hits].map((x) => x.id));
      expect(all.size).toBe(7);
    });

    it('ranks accepted and highly voted answers ahead of weak ones with the same text', async () => {
      const q = await h.question({ community: 'a', title: 'Bloom time', body: 'How long?' });
      const weak = await h.answer(q, 'Let the bloom rest thirty seconds before pouring.');
      const voted = await h.answer(q, 'Let the bloom rest thirty seconds before pouring!');
      const accepted = await h.answer(q, 'Let the bloom rest thirty seconds before pouring.', { accepted: true });
      await h.upvote(voted, 4);
      const order = (await search('bloom rest thirty seconds', { filters: { kind: 'answer' } })).hits.map((x) => x.id);
      expect(order.indexOf(accepted)).toBeLessThan(order.indexOf(weak));
      expect(order.indexOf(voted)).toBeLessThan(order.indexOf(weak));
    });

    it('follows edits and never shows deleted posts (nor answers of a deleted question)', async () => {
      const q = await h.question({ community: 'a', title: 'Old title about burrs', body: 'burrs' });
      const a = await h.answer(q, 'Burrs answer with calibration steps.');
      await h.editQuestion(q, 'New title about calibration', 'calibration of the grinder');
      expect((await search('burrs', { filters: { kind: 'question' } })).estimatedTotalHits).toBe(0);
      expect((await search('calibration')).hits.map((x) => x.id).sort()).toEqual([q, a].sort());
      await h.softDelete(q);
      expect((await search('calibration')).estimatedTotalHits).toBe(0);
      expect((await search('burrs')).estimatedTotalHits).toBe(0);
    });

    it('one result per thread when asked (distinct): a question or its answer, and an FAQ entry of its own', async () => {
      const q = await h.question({ community: 'a', title: 'Descale the boiler', body: 'How often should I descale?' });
      const a = await h.answer(q, 'Descale every two months with citric acid.');
      const e = await h.faqEntry({ community: 'a', title: 'Descaling schedule', body: 'Descale every two months.', source: { questionId: q, answerId: a } });
      const other = await h.question({ community: 'a', title: 'Descale the steam wand too?', body: 'Does the wand need it?' });
      expect((await search('descale')).hits).toHaveLength(4);
      const ids = (await search('descale', { distinct: true })).hits.map((x) => x.docId);
      expect(ids).toHaveLength(3);
      expect(ids).toContain(`faq-${e}`);
      expect(ids).toContain(`question-${other}`);
      expect(ids.filter((id) => id === `question-${q}` || id === `answer-${a}`)).toHaveLength(1);
    });

    it('finds a community\'s threads and FAQ entries by its name, and by its new name after a rename', async () => {
      const q = await h.question({ community: 'a', title: 'Grinder clogs with oily beans', body: 'The burrs stop turning.' });
      const a = await h.answer(q, 'Run rice through it once a week.');
      const e = await h.faqEntry({ community: 'a', title: 'Cleaning the burrs', body: 'Brush them monthly.' });
      const other = await h.question({ community: 'b', title: 'Which kettle for pour over', body: 'Gooseneck or not.' });
      await h.renameCommunity('b', 'Kettlecorner');
      await h.renameCommunity('a', 'Baristaclub');
      const ids = async (q: string) => (await search(q)).hits.map((x) => x.docId).sort();
      expect(await ids('baristaclub')).toEqual([`answer-${a}`, `faq-${e}`, `question-${q}`].sort());
      expect(await ids('kettlecorner')).toEqual([`question-${other}`]);
      await h.renameCommunity('a', 'Roastery guild');
      expect(await ids('roastery')).toEqual([`answer-${a}`, `faq-${e}`, `question-${q}`].sort());
      expect(await ids('baristaclub')).toEqual([]);
    });

    it('finds published FAQ entries, ranks curated entries first, follows edits and archiving', async () => {
      await h.question({ community: 'a', title: 'How to clean a steam wand', body: 'Milk dries on the steam wand.' });
      const id = await h.faqEntry({ community: 'a', title: 'How to clean a steam wand', body: 'Purge the steam wand and wipe it after every use.', helpful: 2 });
      const r = await search('clean steam wand', { facets: ['kind'] });
      expect(r.hits[0]).toMatchObject({ kind: 'faq', id, docId: `faq-${id}`, communityId: h.communities.a, faqPath: ['Machines', 'Cleaning'], score: 2, accepted: true });
      expect(r.hits[0]!.slug).not.toBe('');
      expect(r.facetDistribution.kind).toEqual({ faq: 1, question: 1 });
      expect((await search('purge', { filters: { kind: 'faq' } })).hits.map((x) => x.id)).toEqual([id]);
      expect((await search('purge', { filters: { answered: true } })).hits.map((x) => x.id)).toEqual([id]);
      expect((await search('purge', { filters: { community: h.communities.b } })).estimatedTotalHits).toBe(0);
      await h.editFaqEntry(id, 'Steam wand care', 'Purge and wipe after every use.');
      expect((await search('wand care')).hits[0]!.titleHtml).toBe('Steam <mark>wand</mark> <mark>care</mark>');
      await h.engine.delete([`faq-${id}`]);
      expect((await search('purge')).estimatedTotalHits).toBe(0);
      await h.engine.index([{ kind: 'faq', id, communityId: h.communities.a, questionId: null, title: '', slug: '', bodyText: '', tags: [], score: 0, answerCount: 0, accepted: true, createdAt: 0 }]);
      expect((await search('purge')).hits.map((x) => x.title)).toEqual(['Steam wand care']);
      await h.archiveFaqEntry(id);
      expect((await search('purge')).estimatedTotalHits).toBe(0);
    });

    it('ranks a matching FAQ entry above the question and the accepted, highly voted answer it came from', async () => {
      const q = await h.question({ community: 'a', title: 'Router drops the wifi every evening', body: 'Every evening the wifi drops for a minute.', tags: ['wifi', 'router'] });
      const a = await h.answer(q, 'Move the router to wifi channel 1 and the evening drops stop.', { accepted: true });
      await h.upvote(q, 6);
      await h.upvote(a, 12);
      const faq = await h.faqEntry({ community: 'a', title: 'Wifi drops in the evening', body: 'Set the wifi channel to 1.', source: { questionId: q, answerId: a } });
      for (const query of ['router', 'wifi router', 'evening drops', 'router channel']) {
        const r = await search(query);
        expect(r.hits[0], query).toMatchObject({ kind: 'faq', id: faq });
        expect(r.hits.some((x) => x.id === q || x.id === a), query).toBe(true);
      }
      // The entry carries its thread's tags, for the tag filter and the tag facet.
      expect((await search('evening', { filters: { tag: 'router' } })).hits.map((x) => x.id)).toContain(faq);
    });

    it('keeps an FAQ entry searchable while it is published, whatever happens to its source thread', async () => {
      const q = await h.question({ community: 'a', title: 'Portafilter gasket leaks', body: 'Water runs down the side.', tags: ['gasket'] });
      const a = await h.answer(q, 'Replace the group gasket.', { accepted: true });
      const id = await h.faqEntry({ community: 'a', title: 'Replacing the group gasket', body: 'A leaking portafilter needs a new gasket.', source: { questionId: q, answerId: a } });
      await h.softDelete(q);
      const r = await search('gasket', { facets: ['kind'] });
      expect(r.hits.map((x) => [x.kind, x.id])).toEqual([['faq', id]]);
      expect(r.facetDistribution.kind).toEqual({ faq: 1 });
      expect((await search('leaking portafilter')).hits.map((x) => x.id)).toEqual([id]);
    });

    it('rebuilds the whole index and reports counts', async () => {
      const q = await h.question({ community: 'a', title: 'Reindex me', body: 'portafilter' });
      await h.answer(q, 'Portafilter answer.');
      await h.faqEntry({ community: 'b', title: 'Portafilter sizes', body: '58 mm is common.' });
      const report = await h.engine.reindexAll();
      expect(report).toMatchObject({ questions: 1, answers: 1, faq: 1 });
      expect((await search('portafilter', { facets: ['kind'] })).facetDistribution.kind).toEqual({ question: 1, answer: 1, faq: 1 });
    });
  });
}

export interface SearchLogHarness {
  log: SearchLogRepository;
  communities: { a: string; b: string };
  close(): Promise<void>;
}

/** The search log port (storage side of search): what the moderators' report is built from. */
export function searchLogContract(name: string, make: () => Promise<SearchLogHarness>): void {
  describe(`search log contract: ${name}`, () => {
    let h: SearchLogHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      await h.close();
    });

    const entry = (query: string, over: Partial<Parameters<SearchLogRepository['record']>[0]> = {}) => ({
      query,
      normalized: query.toLowerCase().replace(/\s+/g, ' ').trim(),
      communityId: h.communities.a,
      filters: '',
      hitCount: 3,
      userHash: 'u1',
      now: 1_000_000,
      ...over,
    });

    it('records searches and clicks on them', async () => {
      const id = await h.log.record(entry('grinder'));
      expect(id).toMatch(/^\d+$/);
      expect(await h.log.recordClick(id, 'question-7', 1, 1_000_100)).toBe(true);
      expect(await h.log.recordClick('987654', 'question-7', 1, 1_000_100)).toBe(false);
      expect(await h.log.recordClick('not-an-id', 'question-7', 1, 1_000_100)).toBe(false);
      const report = await h.log.report(h.communities.a, 0, 10);
      expect(report).toMatchObject({ searches: 1, noResultSearches: 0, clickedSearches: 1 });
    });

    it('writes batches under reserved ids, which are never handed out twice', async () => {
      const ids = await h.log.reserveIds(3);
      const more = await h.log.reserveIds(2);
      const single = await h.log.record(entry('kettle', { now: 2_000 }));
      expect(new Set([...ids, ...more, single]).size).toBe(6);
      await h.log.recordMany([
        { ...entry('grinder', { now: 3_000 }), id: ids[1]! },
        { ...entry('Grinder', { now: 3_100, userHash: 'u2' }), id: ids[0]! },
      ]);
      expect(await h.log.recordClick(ids[1]!, 'question-1', 1, 3_200)).toBe(true);
      // Reserved but never written (a search lost with its process): no such search.
      expect(await h.log.recordClick(ids[2]!, 'question-1', 1, 3_200)).toBe(false);
      const r = await h.log.report(h.communities.a, 1_000, 10);
      expect(r).toMatchObject({ searches: 3, clickedSearches: 1 });
      expect(r.top[0]).toMatchObject({ query: 'Grinder', searches: 2, users: 2, clickedSearches: 1 });
    });

    it('groups by normalized query within the community and period: top, no results, no clicks', async () => {
      await h.log.record(entry('Milk Foam', { userHash: 'u1', hitCount: 0, now: 2_000 }));
      await h.log.record(entry('milk  foam', { userHash: 'u2', hitCount: 0, now: 3_000 }));
      await h.log.record(entry('milk foam', { userHash: 'u2', hitCount: 0, now: 4_000 }));
      const clicked = await h.log.record(entry('descale', { hitCount: 4, now: 5_000 }));
      await h.log.record(entry('descale', { hitCount: 2, now: 6_000 }));
      await h.log.recordClick(clicked, 'question-1', 1, 5_001);
      await h.log.record(entry('tamper', { hitCount: 5, now: 7_000 }));
      await h.log.record(entry('elsewhere', { communityId: h.communities.b, now: 7_000 }));
      await h.log.record(entry('too old', { now: 10 }));

      const r = await h.log.report(h.communities.a, 1_000, 10);
      expect(r).toMatchObject({ searches: 6, noResultSearches: 3, clickedSearches: 1 });
      expect(r.top.map((x) => [x.query, x.searches])).toEqual([
        ['milk foam', 3],
        ['descale', 2],
        ['tamper', 1],
      ]);
      expect(r.top[0]).toMatchObject({ users: 2, avgHits: 0, clickedSearches: 0 });
      expect(r.top[1]).toMatchObject({ users: 1, avgHits: 3, clickedSearches: 1 });
      expect(r.noResults.map((x) => x.query)).toEqual(['milk foam']);
      expect(r.noClicks.map((x) => x.query)).toEqual(['tamper']);
      expect((await h.log.report(h.communities.a, 1_000, 1)).top).toHaveLength(1);
      expect((await h.log.report(h.communities.b, 0, 10)).top.map((x) => x.query)).toEqual(['elsewhere']);
    });

    it("counts the searches made across all communities in every community's report", async () => {
      await h.log.record(entry('descale', { hitCount: 2, now: 2_000 }));
      const siteWide = await h.log.record(entry('Descale', { communityId: null, hitCount: 6, userHash: 'u2', now: 3_000 }));
      await h.log.record(entry('warranty form', { communityId: null, hitCount: 0, now: 4_000 }));
      await h.log.record(entry('tripod', { communityId: h.communities.b, hitCount: 1, now: 5_000 }));
      await h.log.recordClick(siteWide, 'question-1', 1, 3_001);

      const a = await h.log.report(h.communities.a, 0, 10);
      expect(a).toMatchObject({ searches: 3, noResultSearches: 1, clickedSearches: 1 });
      expect(a.top.map((x) => [x.query, x.searches])).toEqual([
        ['Descale', 2],
        ['warranty form', 1],
      ]);
      expect(a.top[0]).toMatchObject({ users: 2, avgHits: 4, clickedSearches: 1 });
      expect(a.noResults.map((x) => x.query)).toEqual(['warranty form']);
      expect(a.noClicks).toEqual([]);

      const b = await h.log.report(h.communities.b, 0, 10);
      expect(b).toMatchObject({ searches: 3, noResultSearches: 1, clickedSearches: 1 });
      expect(b.top.map((x) => x.query)).toEqual(['tripod', 'warranty form', 'Descale']);
      expect(b.noClicks.map((x) => x.query)).toEqual(['tripod']);
    });

    it('reports the community\'s own searches and the site-wide ones apart when asked', async () => {
      await h.log.record(entry('lens cap', { hitCount: 0, now: 2_000 }));
      await h.log.record(entry('coffee', { communityId: null, hitCount: 0, now: 3_000 }));
      await h.log.record(entry('coffee', { communityId: null, hitCount: 0, userHash: 'u2', now: 3_500 }));
      await h.log.record(entry('tripod', { communityId: h.communities.b, hitCount: 0, now: 4_000 }));

      const own = await h.log.report(h.communities.a, 0, 10, 'community');
      expect(own).toMatchObject({ searches: 1, noResultSearches: 1 });
      expect(own.noResults.map((x) => x.query)).toEqual(['lens cap']);
      const siteWide = await h.log.report(h.communities.a, 0, 10, 'siteWide');
      expect(siteWide).toMatchObject({ searches: 2, noResultSearches: 2 });
      expect(siteWide.noResults.map((x) => [x.query, x.searches, x.users])).toEqual([['coffee', 2, 2]]);
      // The default still counts both halves together.
      expect((await h.log.report(h.communities.a, 0, 10)).noResults.map((x) => x.query)).toEqual(['coffee', 'lens cap']);
    });

    it('pairs a search that found nothing with the same browser\'s next clicked search within the window (suggested synonyms)', async () => {
      const clicked = async (query: string, over: Partial<Parameters<SearchLogRepository['record']>[0]>) => {
        const id = await h.log.record(entry(query, over));
        await h.log.recordClick(id, 'question-1', 1, (over.now ?? 0) + 1);
      };
      const WINDOW = 300_000;
      // Browser b1: "fog" found nothing, "condensation" one minute later was clicked.
      await h.log.record(entry('Fog', { hitCount: 0, browserHash: 'b1', now: 10_000 }));
      await clicked('Condensation', { browserHash: 'b1', now: 70_000 });
      // Browser b2 went the same way site-wide, spelled differently: one pair, two browsers.
      await h.log.record(entry('fog', { communityId: null, hitCount: 0, browserHash: 'b2', now: 20_000 }));
      await clicked('condensation', { communityId: null, browserHash: 'b2', now: 90_000 });
      // Not pairs: another browser's click, a click after the window, a search not clicked,
      // a search without a browser, the same query again, another community.
      await h.log.record(entry('mist', { hitCount: 0, browserHash: 'b3', now: 30_000 }));
      await clicked('haze', { browserHash: 'b4', now: 40_000 });
      await clicked('steam', { browserHash: 'b3', now: 30_000 + WINDOW + 1 });
      await h.log.record(entry('vapour', { browserHash: 'b3', now: 50_000 }));
      await h.log.record(entry('droplets', { hitCount: 0, browserHash: null, now: 30_000 }));
      await clicked('droplets', { now: 40_000 });
      await h.log.record(entry('wet', { hitCount: 0, browserHash: 'b5', now: 30_000 }));
      await clicked('wet', { browserHash: 'b5', now: 40_000 });
      await h.log.record(entry('tripod', { communityId: h.communities.b, hitCount: 0, browserHash: 'b6', now: 30_000 }));
      await clicked('stand', { communityId: h.communities.b, browserHash: 'b6', now: 40_000 });
      // An older pair, one browser, before `since` once the period starts later.
      await h.log.record(entry('blurry', { hitCount: 0, browserHash: 'b7', now: 5_000 }));
      await clicked('out of focus', { browserHash: 'b7', now: 6_000 });

      const pairs = await h.log.synonymSuggestions(h.communities.a, 0, WINDOW, 10);
      expect(pairs.map((p) => [p.from.toLowerCase(), p.to.toLowerCase(), p.browsers])).toEqual([
        ['fog', 'condensation', 2],
        ['blurry', 'out of focus', 1],
      ]);
      expect(pairs[0]!.latest).toBe(90_000);
      expect((await h.log.synonymSuggestions(h.communities.a, 8_000, WINDOW, 10)).map((p) => p.from.toLowerCase())).toEqual(['fog']);
      expect(await h.log.synonymSuggestions(h.communities.a, 0, WINDOW, 1)).toHaveLength(1);
      // Site-wide searches count in every community, as in the report.
      expect((await h.log.synonymSuggestions(h.communities.b, 0, WINDOW, 10)).map((p) => [p.from, p.to, p.browsers])).toEqual([
        ['fog', 'condensation', 1],
        ['tripod', 'stand', 1],
      ]);
      expect(await h.log.synonymSuggestions('not-an-id', 0, WINDOW, 10)).toEqual([]);
    });
  });
}
