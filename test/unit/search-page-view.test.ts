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
});
