import { describe, expect, it } from 'vitest';
import { MAX_QUERY_WORDS, MAX_TOTAL_HITS, type SearchQuery } from '../../src/search/port.js';
import { clampPaging, filterValue, HIGHLIGHT_POST, HIGHLIGHT_PRE, toMeiliSearchParams } from '../../src/search/meili/query.js';
import { queryTerms } from '../../src/search/meili/terms.js';

const base: SearchQuery = { q: 'espresso', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20 };
const translate = (more: Partial<SearchQuery>) => toMeiliSearchParams({ ...base, ...more });

/** Reads back a Meilisearch double-quoted string value, the way its filter parser does. */
function unquote(expr: string, attribute: string): string {
  const m = new RegExp(`^${attribute} = "((?:[^"\\\\]|\\\\.)*)"$`).exec(expr);
  if (!m) throw new Error(`not a single quoted comparison: ${expr}`);
  return m[1]!.replace(/\\(.)/g, '$1');
}

describe('Meilisearch query translation', () => {
  it('sends the query words trimmed, with highlighting, cropping and exact page totals', () => {
    const { q, params } = translate({ q: '  descale   espresso machine  ' });
    expect(q).toBe('descale espresso machine');
    expect(params).toMatchObject({
      page: 1,
      hitsPerPage: 20,
      attributesToHighlight: ['title', 'body'],
      attributesToCrop: ['body'],
      cropMarker: '…',
      // Words missing from a document are dropped most frequent first, as the embedded engine
      // weighs coverage by rarity (test/contract: "missing the query's most frequent word").
      matchingStrategy: 'frequency',
    });
    expect(params.cropLength).toBeGreaterThanOrEqual(20);
    expect(params.cropLength).toBeLessThanOrEqual(40);
    expect(params.filter).toBeUndefined();
    expect(params.sort).toBeUndefined();
    expect(params.facets).toBeUndefined();
  });

  it('asks for one result per thread (distinct on the thread key) only when the query is distinct', () => {
    expect(translate({ distinct: true }).params.distinct).toBe('thread');
    expect(translate({ distinct: false }).params).not.toHaveProperty('distinct');
    expect(translate({}).params).not.toHaveProperty('distinct');
  });

  it('uses private highlight markers that HTML and user text cannot produce', () => {
    const { params } = translate({});
    expect(params.highlightPreTag).toBe(HIGHLIGHT_PRE);
    expect(params.highlightPostTag).toBe(HIGHLIGHT_POST);
    for (const tag of [HIGHLIGHT_PRE, HIGHLIGHT_POST]) {
      expect(tag).not.toMatch(/[<>&"'\p{L}\p{N}\s]/u);
      expect(tag).not.toBe('');
    }
    expect(HIGHLIGHT_PRE).not.toBe(HIGHLIGHT_POST);
  });

  it('translates each filter into a quoted comparison', () => {
    expect(translate({ filters: { community: '3' } }).params.filter).toEqual(['communityId = "3"']);
    expect(translate({ filters: { kind: 'answer' } }).params.filter).toEqual(['kind = "answer"']);
    expect(translate({ filters: { tag: '咖啡' } }).params.filter).toEqual(['tags = "咖啡"']);
    expect(translate({ filters: { answered: true } }).params.filter).toEqual(['answered = true']);
    expect(translate({ filters: { answered: false } }).params.filter).toEqual(['answered = false']);
    expect(translate({ filters: { accepted: true } }).params.filter).toEqual(['accepted = true']);
    expect(translate({ filters: { accepted: false } }).params.filter).toEqual(['accepted = false']);
    expect(translate({ filters: { community: '7', kind: 'question', tag: 'pour-over', answered: false } }).params.filter).toEqual([
      'communityId = "7"',
      'kind = "question"',
      'tags = "pour-over"',
      'answered = false',
    ]);
  });

  it('escapes quotes and backslashes so a tag cannot break out of its filter', () => {
    for (const tag of ['a"b', 'a\\b', 'end\\', '" OR kind = "faq', '\\" OR communityId = "1', '""', '\\\\"']) {
      const filter = translate({ filters: { tag } }).params.filter as string[];
      expect(filter).toHaveLength(1);
      expect(unquote(filter[0]!, 'tags'), tag).toBe(tag);
    }
    expect(filterValue('a"b')).toBe('"a\\"b"');
    expect(filterValue('a\\b')).toBe('"a\\\\b"');
    // A community id from a URL is quoted the same way, never spliced in bare.
    expect(unquote((translate({ filters: { community: '1 OR kind = faq' } }).params.filter as string[])[0]!, 'communityId')).toBe('1 OR kind = faq');
  });

  it('sorts by relevance (Meilisearch ranking), newest first or score', () => {
    expect(translate({ sort: 'relevance' }).params.sort).toBeUndefined();
    expect(translate({ sort: 'newest' }).params.sort).toEqual(['createdAt:desc']);
    expect(translate({ sort: 'score' }).params.sort).toEqual(['score:desc']);
  });

  it('maps the port facets to stored attributes', () => {
    expect(translate({ facets: ['community', 'kind', 'tag'] }).params.facets).toEqual(['communityId', 'kind', 'tags']);
    expect(translate({ facets: ['tag'] }).params.facets).toEqual(['tags']);
    expect(translate({ facets: ['kind', 'kind'] }).params.facets).toEqual(['kind']);
    expect(translate({ facets: [] }).params.facets).toBeUndefined();
  });

  it('clamps paging so no page lies beyond maxTotalHits', () => {
    expect(clampPaging({ page: 0, hitsPerPage: 20 })).toEqual({ page: 1, hitsPerPage: 20 });
    expect(clampPaging({ page: -4, hitsPerPage: 20 })).toEqual({ page: 1, hitsPerPage: 20 });
    expect(clampPaging({ page: Number.NaN, hitsPerPage: Number.NaN })).toEqual({ page: 1, hitsPerPage: 20 });
    expect(clampPaging({ page: 2.7, hitsPerPage: 10 })).toEqual({ page: 2, hitsPerPage: 10 });
    expect(clampPaging({ page: 51, hitsPerPage: 20 })).toEqual({ page: 50, hitsPerPage: 20 });
    expect(clampPaging({ page: 50, hitsPerPage: 20 })).toEqual({ page: 50, hitsPerPage: 20 });
    expect(clampPaging({ page: 400, hitsPerPage: 3 })).toEqual({ page: 333, hitsPerPage: 3 });
    expect(clampPaging({ page: 1e9, hitsPerPage: 1e6 }).hitsPerPage).toBeLessThanOrEqual(100);
    for (const hitsPerPage of [1, 3, 7, 20, 33, 100, 250]) {
      for (const page of [1, 2, 49, 50, 51, 333, 334, 1001, 1e12]) {
        const p = clampPaging({ page, hitsPerPage });
        expect(p.page * p.hitsPerPage).toBeLessThanOrEqual(MAX_TOTAL_HITS);
        expect(p.page).toBeGreaterThanOrEqual(1);
      }
    }
    expect(translate({ page: 99, hitsPerPage: 20 }).params).toMatchObject({ page: 50, hitsPerPage: 20 });
  });

  it('keeps at most the first ten words', () => {
    const words = Array.from({ length: 12 }, (_, i) => `word${i}`);
    const { q } = translate({ q: words.join(' ') });
    expect(q).toBe(words.slice(0, MAX_QUERY_WORDS).join(' '));
    // Repeated words do not use up the budget.
    expect(translate({ q: `kettle kettle KETTLE ${words.slice(0, 9).join(' ')}` }).q).toBe(`kettle ${words.slice(0, 9).join(' ')}`);
  });

  it('leaves Chinese as typed, cut after the tenth word only', () => {
    expect(translate({ q: '咖啡机怎么清洗除垢' }).q).toBe('咖啡机怎么清洗除垢');
    expect(translate({ q: '咖啡机 除垢' }).q).toBe('咖啡机 除垢');
    expect(translate({ q: '  咖啡机除垢？ ' }).q).toBe('咖啡机除垢');
    expect(translate({ q: 'iPhone 15 怎么截图' }).q).toBe('iPhone 15 怎么截图');
    const long = '我的意式咖啡机用了半年出水越来越慢应该怎么除垢才能恢复正常';
    const cut = translate({ q: long }).q;
    expect(long.startsWith(cut)).toBe(true);
    expect(cut.length).toBeLessThan(long.length);
    expect(cut.length).toBeGreaterThanOrEqual(10);
  });

  it('makes query syntax plain text: no phrases, no negation, no control characters', () => {
    expect(translate({ q: '"grinder' }).q).toBe('grinder');
    expect(translate({ q: '"burr grinder"' }).q).toBe('burr grinder');
    expect(translate({ q: '-grinder' }).q).toBe('grinder');
    expect(translate({ q: 'title:colon' }).q).toBe('title colon');
    expect(translate({ q: 'NEAR(grinder' }).q).toBe('NEAR grinder');
    expect(translate({ q: '咖啡"*(:' }).q).toBe('咖啡');
    expect(queryTerms('\u0000')).toEqual([]);
    expect(queryTerms('* " ) -')).toEqual([]);
    expect(queryTerms('a'.repeat(2000))[0]!.length).toBeLessThanOrEqual(500);
  });

  it('gives Chinese runs as single terms and spaced words one by one', () => {
    expect(queryTerms('咖啡机除垢 descaling 水垢')).toEqual(['咖啡机除垢', 'descaling', '水垢']);
    expect(queryTerms('Café crème')).toEqual(['Café', 'crème']);
  });
});
