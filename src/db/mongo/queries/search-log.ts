import type { SearchLogEntry, SearchReport, SearchReportRow, SearchReportScope, SynonymSuggestionRow } from '../../ports.js';
import { SEARCH_CLICKS_KEPT, type SearchLogDoc } from '../models/search-log.js';
import { count, text, type FindSpec, type Pipeline, type UpdateSpec } from './spec.js';

export function newSearchLogDoc(id: number, entry: SearchLogEntry, communityId: number | null): SearchLogDoc {
  return {
    _id: id,
    query: text(entry.query),
    normalized: text(entry.normalized),
    communityId,
    filters: text(entry.filters),
    hitCount: entry.hitCount,
    clickCount: 0,
    userHash: text(entry.userHash),
    browserHash: entry.browserHash ? text(entry.browserHash) : null,
    clicks: [],
    createdAt: entry.now,
  };
}

/** One atomic single-document update: count the click and keep its detail (the last SEARCH_CLICKS_KEPT). */
export function recordClickQuery(searchId: number, docId: string, position: number, now: number): UpdateSpec {
  return {
    filter: { _id: searchId },
    update: {
      $inc: { clickCount: 1 },
      $push: { clicks: { $each: [{ docId: text(docId), position, createdAt: now }], $slice: -SEARCH_CLICKS_KEPT } },
    },
  };
}

/** Groups searches by normalized query, newest spelling shown; sorted by searches, then most recent. */
function groupedStages(condition: Record<string, unknown>, having: Record<string, unknown> | null, limit: number): Pipeline {
  const stages: Pipeline = [];
  if (Object.keys(condition).length > 0) stages.push({ $match: condition });
  stages.push({
    $group: {
      _id: '$normalized',
      // The spelling of the latest search in the group (SQLite: the bare column beside max()).
      query: { $top: { sortBy: { createdAt: -1, _id: -1 }, output: '$query' } },
      latest: { $max: '$createdAt' },
      searches: { $sum: 1 },
      users: { $addToSet: '$userHash' },
      avgHits: { $avg: '$hitCount' },
      clicked: { $sum: { $cond: [{ $gt: ['$clickCount', 0] }, 1, 0] } },
      clicks: { $sum: '$clickCount' },
    },
  });
  if (having) stages.push({ $match: having });
  stages.push(
    { $sort: { searches: -1, latest: -1, _id: 1 } },
    { $limit: count(limit) },
    { $project: { _id: 0, query: 1, searches: 1, users: { $size: '$users' }, avgHits: 1, clicked: 1 } },
  );
  return stages;
}

/**
 * The moderators' search report in one round trip: the community's searches since `since`,
 * and the site-wide ones (communityId null: a visitor searching everything is asking every
 * community), matched on the search_log_community index as two ranges; then a $facet with the totals and
 * the three grouped lists (top, no results, results but never clicked).
 */
export function searchReportPipeline(communityId: number, since: number, limit: number, scope: SearchReportScope = 'both'): Pipeline {
  // `scope` keeps one half only (the FAQ gaps report shows the site-wide searches apart).
  const community = scope === 'both' ? { $in: [communityId, null] } : scope === 'community' ? communityId : null;
  return [
    { $match: { communityId: community, createdAt: { $gte: since }, normalized: { $ne: '' } } },
    {
      $facet: {
        totals: [
          {
            $group: {
              _id: null,
              searches: { $sum: 1 },
              noResults: { $sum: { $cond: [{ $eq: ['$hitCount', 0] }, 1, 0] } },
              clicked: { $sum: { $cond: [{ $gt: ['$clickCount', 0] }, 1, 0] } },
            },
          },
        ],
        top: groupedStages({}, null, limit),
        noResults: groupedStages({ hitCount: 0 }, null, limit),
        noClicks: groupedStages({ hitCount: { $gt: 0 } }, { clicks: 0 }, limit),
      },
    },
  ];
}

interface GroupRow {
  query: string;
  searches: number;
  users: number;
  avgHits: number;
  clicked: number;
}

export interface SearchReportFacets {
  totals: Array<{ searches: number; noResults: number; clicked: number }>;
  top: GroupRow[];
  noResults: GroupRow[];
  noClicks: GroupRow[];
}

const toRow = (r: GroupRow): SearchReportRow => ({
  query: r.query,
  searches: r.searches,
  users: r.users,
  avgHits: Math.round((r.avgHits ?? 0) * 10) / 10,
  clickedSearches: r.clicked,
});

export function searchReportFrom(facets: SearchReportFacets | undefined): SearchReport {
  const totals = facets?.totals[0];
  return {
    searches: totals?.searches ?? 0,
    noResultSearches: totals?.noResults ?? 0,
    clickedSearches: totals?.clicked ?? 0,
    top: (facets?.top ?? []).map(toRow),
    noResults: (facets?.noResults ?? []).map(toRow),
    noClicks: (facets?.noClicks ?? []).map(toRow),
  };
}

/** At most this many searches that found nothing are read for the suggestions (newest first). */
export const SUGGESTION_SEARCHES_READ = 2000;

type SuggestionDoc = Pick<SearchLogDoc, 'query' | 'normalized' | 'createdAt'> & { browserHash: string };

/** The searches in the community (or site-wide) since `since` that found nothing, from a known browser. */
export function emptySearchesQuery(communityId: number, since: number): FindSpec {
  return {
    filter: { communityId: { $in: [communityId, null] }, createdAt: { $gte: since }, hitCount: 0, normalized: { $ne: '' }, browserHash: { $type: 'string' } },
    sort: { createdAt: -1, _id: -1 },
    limit: SUGGESTION_SEARCHES_READ,
    projection: { query: 1, normalized: 1, createdAt: 1, browserHash: 1 },
  };
}

/** The clicked searches of those browsers in the window after the first empty one. */
export function clickedSearchesQuery(communityId: number, browsers: string[], from: number, to: number): FindSpec {
  return {
    filter: { communityId: { $in: [communityId, null] }, browserHash: { $in: browsers }, createdAt: { $gt: from, $lte: to }, clickCount: { $gt: 0 }, hitCount: { $gt: 0 }, normalized: { $ne: '' } },
    sort: { createdAt: 1, _id: 1 },
    projection: { query: 1, normalized: 1, createdAt: 1, browserHash: 1 },
  };
}

/** Joins the two reads as SQLite's self-join does: same browser, later within the window, another query. */
export function suggestionsFrom(empty: SuggestionDoc[], clicked: SuggestionDoc[], windowMs: number, limit: number): SynonymSuggestionRow[] {
  const byBrowser = new Map<string, SuggestionDoc[]>();
  for (const c of clicked) byBrowser.set(c.browserHash, [...(byBrowser.get(c.browserHash) ?? []), c]);
  const groups = new Map<string, { row: SynonymSuggestionRow; browsers: Set<string> }>();
  for (const a of empty) {
    for (const b of byBrowser.get(a.browserHash) ?? []) {
      if (b.createdAt <= a.createdAt || b.createdAt > a.createdAt + windowMs || b.normalized === a.normalized) continue;
      const key = JSON.stringify([a.normalized, b.normalized]);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { row: { from: a.query, to: b.query, browsers: 0, latest: b.createdAt }, browsers: new Set() }));
      g.browsers.add(a.browserHash);
      if (b.createdAt > g.row.latest) Object.assign(g.row, { from: a.query, to: b.query, latest: b.createdAt });
    }
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, row: { ...g.row, browsers: g.browsers.size } }))
    .sort((x, y) => y.row.browsers - x.row.browsers || y.row.latest - x.row.latest || (x.key < y.key ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.row);
}
