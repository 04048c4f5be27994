import type { SearchLogEntry, SearchReport, SearchReportRow, SearchReportScope } from '../../ports.js';
import { SEARCH_CLICKS_KEPT, type SearchLogDoc } from '../models/search-log.js';
import { count, text, type Pipeline, type UpdateSpec } from './spec.js';

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
