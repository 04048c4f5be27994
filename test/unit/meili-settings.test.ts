import { describe, expect, it } from 'vitest';
import { MAX_TOTAL_HITS, SEARCH_DOC_KINDS, SEARCH_SORTS, type SearchFacet, type SearchQuery } from '../../src/search/port.js';
import { meiliIndexSettings } from '../../src/search/meili/settings.js';
import { toMeiliSearchParams } from '../../src/search/meili/query.js';
import { toMeiliDocument } from '../../src/search/meili/documents.js';

const settings = meiliIndexSettings();
const storedAttributes = Object.keys(
  toMeiliDocument({ kind: 'faq', id: '1', communityId: '1', questionId: null, title: 't', slug: 's', bodyText: 'b', tags: [], score: 0, answerCount: 0, accepted: true, createdAt: 0, faqPath: ['a'] }),
);

/** Queries covering every filter, sort and facet the port offers. */
function portQueries(): SearchQuery[] {
  const out: SearchQuery[] = [];
  const facets: SearchFacet[] = ['community', 'kind', 'tag'];
  for (const sort of SEARCH_SORTS) {
    for (const kind of SEARCH_DOC_KINDS) {
      for (const answered of [undefined, true, false]) {
        for (const accepted of [undefined, true, false]) {
          out.push({ q: 'kettle', sort, page: 2, hitsPerPage: 10, facets, distinct: answered === undefined, filters: { community: '4', kind, tag: 'water', answered, accepted } });
        }
      }
    }
  }
  return out;
}

describe('Meilisearch index settings', () => {
  it('ranks by text relevance first (built-in rules in default order), then curated, then score', () => {
    // An explicit sort (newest, active, top) orders the results; relevance searches skip the sort rule.
    expect(settings.rankingRules).toEqual(['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'curated:desc', 'score:desc']);
  });

  it('searches title, tags, FAQ path, community name and body, in that order of importance', () => {
    expect(settings.searchableAttributes).toEqual(['title', 'tags', 'faqPath', 'communityName', 'body']);
  });

  it('leaves typo tolerance and displayed attributes at the defaults, and declares Chinese content', () => {
    expect(settings).not.toHaveProperty('typoTolerance');
    expect(settings).not.toHaveProperty('displayedAttributes');
    expect(settings.localizedAttributes).toEqual([{ attributePatterns: ['title', 'body', 'tags', 'faqPath', 'communityName'], locales: ['zho', 'eng'] }]);
  });

  it('allows paging to the port maximum and counts facet values by frequency', () => {
    expect(settings.pagination).toEqual({ maxTotalHits: MAX_TOTAL_HITS });
    expect(settings.faceting?.maxValuesPerFacet).toBeGreaterThanOrEqual(50);
    expect(settings.faceting?.sortFacetValuesBy).toEqual({ '*': 'count' });
  });

  it('passes synonyms through (none by default)', () => {
    expect(settings.synonyms).toEqual({});
    expect(meiliIndexSettings({ descale: ['除垢', 'decalcify'] }).synonyms).toEqual({ descale: ['除垢', 'decalcify'] });
  });

  it('declares every attribute the query translation filters, facets or sorts on', () => {
    const filterable = new Set(settings.filterableAttributes as string[]);
    const sortable = new Set(settings.sortableAttributes as string[]);
    const searchable = new Set(settings.searchableAttributes as string[]);
    const used = { filter: new Set<string>(), sort: new Set<string>(), facet: new Set<string>() };
    for (const query of portQueries()) {
      const { params } = toMeiliSearchParams(query);
      for (const expr of (params.filter ?? []) as string[]) used.filter.add(/^(\w+) (?:=|!=|IN) /.exec(expr)![1]!);
      for (const s of params.sort ?? []) used.sort.add(s.split(':')[0]!);
      for (const f of params.facets ?? []) used.facet.add(f);
      if (params.distinct) used.filter.add(params.distinct);
      for (const a of [...(params.attributesToHighlight ?? []), ...(params.attributesToCrop ?? [])]) expect(searchable).toContain(a);
      for (const a of params.attributesToRetrieve ?? []) expect(storedAttributes).toContain(a);
    }
    // `thread` is the distinct attribute, which Meilisearch requires to be filterable.
    expect([...used.filter].sort()).toEqual(['accepted', 'answered', 'communityId', 'kind', 'tags', 'thread']);
    expect([...used.sort].sort()).toEqual(['createdAt', 'score']);
    for (const a of [...used.filter, ...used.facet]) expect(filterable, a).toContain(a);
    for (const a of used.sort) expect(sortable, a).toContain(a);
  });

  it('names only attributes the stored documents have, with numbers for the custom ranking rules', () => {
    const declared = [...(settings.searchableAttributes ?? []), ...(settings.sortableAttributes ?? []), ...((settings.filterableAttributes ?? []) as string[])];
    for (const a of declared) expect(storedAttributes, a).toContain(a);
    const doc = toMeiliDocument({ kind: 'answer', id: '2', communityId: '1', questionId: '1', title: 't', slug: 's', bodyText: 'b', tags: [], score: 3, answerCount: 1, accepted: true, createdAt: 5 });
    for (const rule of settings.rankingRules ?? []) {
      const custom = /^(\w+):(asc|desc)$/.exec(rule);
      if (custom) expect(typeof (doc as Record<string, unknown>)[custom[1]!], rule).toBe('number');
    }
  });
});
