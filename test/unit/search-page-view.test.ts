import { describe, expect, it } from 'vitest';
import { searchPageView, topByCount } from '../../src/routes/search/view.js';
import { translator } from '../../src/i18n/index.js';
import type { SearchOutcome } from '../../src/services/search/search-service.js';
import type { Community } from '../../src/domain/types.js';

/** The facet lists must be exactly what a stable sort by count then slice gives (ties in the engine's order). */
describe('topByCount', () => {
  it('equals a stable sort by count, highest first, cut at n', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: Math.floor(random() * 40) }, (_, i) => ({ key: `t${i}`, count: Math.floor(random() * 6) }));
      const n = 1 + Math.floor(random() * 14);
      expect(topByCount(items, n)).toEqual([...items].sort((a, b) => b.count - a.count).slice(0, n));
    }
  });
});

describe('searchPageView', () => {
  const community = (id: string, slug: string, name: string) => ({ id, slug, name, kind: 'interest' }) as unknown as Community;
  const communities = new Map([
    ['1', community('1', 'coffee', 'Coffee')],
    ['2', community('2', 'tea', 'Tea')],
  ]);
  const outcome = {
    params: { q: 'grind size', community: null, kind: null, tag: null, answered: null, accepted: null, sort: 'relevance', page: 1, ignored: [] },
    searched: true,
    hits: [
      { kind: 'question', id: '5', questionId: '5', docId: 'question-5', communityId: '1', title: 'Grind', titleHtml: 'Grind', slug: 'grind', snippetHtml: '', url: '/c/coffee/q/5/grind', community: { slug: 'coffee', name: 'Coffee' }, tags: ['espresso', 'grinder'], score: 1, accepted: false, answerCount: 2, createdAt: 0 },
      { kind: 'question', id: '6', questionId: '6', docId: 'question-6', communityId: '1', title: 'Size', titleHtml: 'Size', slug: 'size', snippetHtml: '', url: '/c/coffee/q/6/size', community: { slug: 'coffee', name: 'Coffee' }, tags: ['espresso'], score: 3, accepted: true, answerCount: 1, createdAt: 0 },
    ],
    total: 2,
    exhaustive: true,
    totalPages: 1,
    facets: { community: { '1': 2, '2': 0, '9': 5 }, kind: { question: 2 }, tag: { grinder: 1, espresso: 2, 'a b': 1 } },
    communities,
    searchId: '12',
    ignoredWords: [],
    processingTimeMs: 1,
    elsewhere: [],
    wordCount: 2,
  } as unknown as SearchOutcome;

  it('lists facets by count (ties in the given order), unknown communities left out, with links that keep the query', () => {
    const view = searchPageView(outcome, translator('en'), 'en');
    expect(view.facets.tag.map((f) => [f.label, f.count, f.url])).toEqual([
      ['espresso', 2, '/search?q=grind+size&tag=espresso'],
      ['grinder', 1, '/search?q=grind+size&tag=grinder'],
      ['a b', 1, '/search?q=grind+size&tag=a+b'],
    ]);
    expect(view.facets.community.map((f) => [f.label, f.count, f.url])).toEqual([
      ['Coffee', 2, '/search?q=grind+size&community=coffee'],
      ['Tea', 0, '/search?q=grind+size&community=tea'],
    ]);
  });

  it('gives every hit its own labels and tag links', () => {
    const view = searchPageView(outcome, translator('en'), 'en');
    expect(view.hits.map((h) => [h.votesText, h.answersText, h.tags.map((t) => t.url)])).toEqual([
      ['1 vote', '2 answers', ['/search?q=grind+size&tag=espresso', '/search?q=grind+size&tag=grinder']],
      ['3 votes', '1 answer', ['/search?q=grind+size&tag=espresso']],
    ]);
    expect(view.hits[1]!.clickUrl).toBe('/search/click?d=question-6&pos=2&to=%2Fc%2Fcoffee%2Fq%2F6%2Fsize&sid=12');
  });

  it('gives a repeated search (the same cached hits and facets) its own search id and query in every link', () => {
    const first = searchPageView(outcome, translator('en'), 'en');
    const again = { ...outcome, params: { ...outcome.params, q: 'Grind  Size' }, searchId: '13' } as SearchOutcome;
    const second = searchPageView(again, translator('zh-CN'), 'zh-CN');
    expect(first.hits[0]!.clickUrl).toBe('/search/click?d=question-5&pos=1&to=%2Fc%2Fcoffee%2Fq%2F5%2Fgrind&sid=12');
    expect(second.hits[0]!.clickUrl).toBe('/search/click?d=question-5&pos=1&to=%2Fc%2Fcoffee%2Fq%2F5%2Fgrind&sid=13');
    expect(second.hits[0]!.tags[0]!.url).toBe('/search?q=Grind++Size&tag=espresso');
    expect(second.facets.tag.map((f) => f.url)).toEqual(['/search?q=Grind++Size&tag=espresso', '/search?q=Grind++Size&tag=grinder', '/search?q=Grind++Size&tag=a+b']);
    expect(second.hits[0]!.votesText).toBe(translator('zh-CN')('search.meta.votes', { count: 1 }));
    expect(second.hits[0]!.date).toEqual({ iso: '1970-01-01T00:00:00.000Z', text: '1970年1月1日' });
  });

  it('lists the 12 most frequent of hundreds of tags as a stable sort would', () => {
    const tag: Record<string, number> = {};
    let seed = 11;
    for (let i = 0; i < 400; i++) tag[`tag${i}`] = (seed = (seed * 1103515245 + 12345) % 2147483648) % 9;
    const view = searchPageView({ ...outcome, facets: { ...outcome.facets, tag } } as SearchOutcome, translator('en'), 'en');
    const expected = Object.entries(tag).sort((a, b) => b[1] - a[1]).slice(0, 12);
    expect(view.facets.tag.map((f) => [f.label, f.count])).toEqual(expected);
  });
});
