import { describe, expect, it } from 'vitest';
import { MAX_TOTAL_HITS, type SearchDocument, type SearchQuery } from '../../src/search/port.js';
import { emptyResult, fromMeiliResponse, type MeiliRawHit, type MeiliSearchResponseLike } from '../../src/search/meili/hits.js';
import { formattedToHtml } from '../../src/search/meili/marks.js';
import { toMeiliDocument } from '../../src/search/meili/documents.js';

const [P, S] = ['\u0001', '\u0002'];
const query: SearchQuery = { q: 'espresso', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20 };

const question: SearchDocument = {
  kind: 'question', id: '12', communityId: '3', questionId: '12', title: 'Descaling an espresso machine', slug: 'descaling', bodyText: 'Limescale.',
  tags: ['espresso'], score: 2, answerCount: 1, accepted: true, createdAt: 1000,
};

function hit(doc: SearchDocument, formatted: { title?: string; body?: string } = {}): MeiliRawHit {
  const { body: _body, ...stored } = toMeiliDocument(doc);
  return { ...stored, _formatted: { ...stored, ...formatted } };
}

function response(more: Partial<MeiliSearchResponseLike> = {}): MeiliSearchResponseLike {
  return { hits: [], totalHits: 0, totalPages: 0, processingTimeMs: 3, ...more };
}

/** The text a reader sees: marks removed and escaping decoded. */
function plain(html: string): string {
  return html.replace(/<\/?mark>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('Meilisearch highlights as HTML', () => {
  it('escapes everything and marks only the matches', () => {
    const html = formattedToHtml(`<script>alert("x")</script> & ${P}espresso${S} <b>machine</b>`);
    expect(html).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>espresso</mark> &lt;b&gt;machine&lt;/b&gt;');
    expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
  });

  it('never lets a literal <mark> in the text through', () => {
    expect(formattedToHtml(`<mark>fake</mark> ${P}real${S}`)).toBe('&lt;mark&gt;fake&lt;/mark&gt; <mark>real</mark>');
  });

  it('marks whole words where Meilisearch marked the typed prefix only', () => {
    expect(formattedToHtml(`Grinder ${P}rete${S}ntion`)).toBe('Grinder <mark>retention</mark>');
    expect(formattedToHtml(`${P}Caf${S}é crème`)).toBe('<mark>Café</mark> crème');
    expect(formattedToHtml(`pour-${P}ov${S}er`)).toBe('pour-<mark>over</mark>');
  });

  it('leaves Chinese exactly as written and marks only the matched characters', () => {
    const title = '咖啡机怎么清洗除垢';
    expect(formattedToHtml(`咖啡机怎么清洗${P}除垢${S}`)).toBe('咖啡机怎么清洗<mark>除垢</mark>');
    expect(formattedToHtml(`${P}咖啡机${S}怎么清洗除垢`)).toBe('<mark>咖啡机</mark>怎么清洗除垢');
    const body = '我的意式咖啡机用了半年，出水越来越慢，应该怎么除垢？';
    const html = formattedToHtml(`我的意式${P}咖啡机${S}用了半年，出水越来越慢，应该怎么${P}除垢${S}？`);
    expect(plain(html)).toBe(body);
    expect(html).not.toContain(' ');
    expect(plain(formattedToHtml(title))).toBe(title);
  });

  it('shows runs of whitespace as one space and copes with unbalanced markers', () => {
    expect(formattedToHtml(`line one\n\n  line ${P}two${S}\t end `)).toBe('line one line <mark>two</mark> end');
    expect(formattedToHtml(`a ${P}open`)).toBe('a <mark>open</mark>');
    expect(formattedToHtml(`stray${S} close`)).toBe('stray close');
    expect(formattedToHtml(`${P}${S}empty`)).toBe('empty');
  });
});

describe('Meilisearch response as a port result', () => {
  it('maps hits with their HTML, ids and fields', () => {
    const r = fromMeiliResponse(
      response({ hits: [hit(question, { title: `Descaling an ${P}espresso${S} machine`, body: `Limescale <everywhere>…` })], totalHits: 1, totalPages: 1 }),
      query,
    );
    expect(r.hits).toEqual([
      {
        docId: 'question-12', kind: 'question', id: '12', questionId: '12', communityId: '3', title: 'Descaling an espresso machine',
        titleHtml: 'Descaling an <mark>espresso</mark> machine', slug: 'descaling', snippetHtml: 'Limescale &lt;everywhere&gt;…',
        tags: ['espresso'], score: 2, accepted: true, answerCount: 1, createdAt: 1000,
      },
    ]);
    expect(r).toMatchObject({ estimatedTotalHits: 1, exhaustive: true, page: 1, hitsPerPage: 20, totalPages: 1, processingTimeMs: 3, ignoredWords: [] });
  });

  it('gives FAQ hits their path and answers their thread', () => {
    const faq = hit({ ...question, kind: 'faq', id: '4', questionId: null, faqPath: ['Machines', 'Cleaning'] });
    const answer = hit({ ...question, kind: 'answer', id: '13' });
    const [f, a] = fromMeiliResponse(response({ hits: [faq, answer], totalHits: 2 }), query).hits;
    expect(f).toMatchObject({ docId: 'faq-4', kind: 'faq', questionId: null, faqPath: ['Machines', 'Cleaning'], accepted: true });
    expect(a).toMatchObject({ docId: 'answer-13', kind: 'answer', questionId: '12' });
    expect(a).not.toHaveProperty('faqPath');
  });

  it('escapes a title and snippet even without _formatted, and skips foreign documents', () => {
    const raw: MeiliRawHit = { ...toMeiliDocument({ ...question, title: '<b>Bold</b>', bodyText: 'Body <i>text</i> here' }) };
    const r = fromMeiliResponse(response({ hits: [raw, { id: 'x' }, { kind: 'post', id: '1' }], totalHits: 3 }), query);
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]!.titleHtml).toBe('&lt;b&gt;Bold&lt;/b&gt;');
    expect(r.hits[0]!.snippetHtml).toBe('Body &lt;i&gt;text&lt;/i&gt; here');
  });

  it('maps facet counts back to the port facet names, only those asked for', () => {
    const facetDistribution = { communityId: { '3': 2, '4': 1 }, kind: { question: 2, answer: 1 }, tags: { tripod: 3, gear: 2 } };
    const all = fromMeiliResponse(response({ facetDistribution, totalHits: 3 }), { ...query, facets: ['community', 'kind', 'tag'] });
    expect(all.facetDistribution).toEqual({ community: { '3': 2, '4': 1 }, kind: { question: 2, answer: 1 }, tag: { tripod: 3, gear: 2 } });
    expect(fromMeiliResponse(response({ facetDistribution, totalHits: 3 }), { ...query, facets: ['kind'] }).facetDistribution).toEqual({ kind: { question: 2, answer: 1 } });
    expect(fromMeiliResponse(response({ totalHits: 0 }), { ...query, facets: ['tag'] }).facetDistribution).toEqual({ tag: {} });
    expect(fromMeiliResponse(response({ facetDistribution }), query).facetDistribution).toEqual({});
  });

  it('reports totals and reachable pages, never beyond maxTotalHits', () => {
    expect(fromMeiliResponse(response({ totalHits: 7, totalPages: 3 }), { ...query, hitsPerPage: 3 })).toMatchObject({ estimatedTotalHits: 7, totalPages: 3, exhaustive: true });
    const capped = fromMeiliResponse(response({ totalHits: MAX_TOTAL_HITS, totalPages: 334 }), { ...query, hitsPerPage: 3, page: 500 });
    expect(capped).toMatchObject({ estimatedTotalHits: MAX_TOTAL_HITS, totalPages: 333, page: 333, exhaustive: false });
    expect(capped.page * capped.hitsPerPage).toBeLessThanOrEqual(MAX_TOTAL_HITS);
    expect(fromMeiliResponse(response({ totalHits: 5000, totalPages: 250 }), query).totalPages).toBe(50);
  });

  it('has an empty result for queries with nothing to search', () => {
    expect(emptyResult({ ...query, facets: ['community', 'kind'] }, ['qwxyzzy'])).toEqual({
      hits: [], estimatedTotalHits: 0, exhaustive: true, facetDistribution: { community: {}, kind: {} }, processingTimeMs: 0,
      page: 1, hitsPerPage: 20, totalPages: 0, ignoredWords: ['qwxyzzy'],
    });
  });
});
