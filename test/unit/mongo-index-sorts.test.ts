import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';
import type { FindSpec } from '../../src/db/mongo/queries/spec.js';
import * as accounts from '../../src/db/mongo/queries/accounts.js';
import * as counters from '../../src/db/mongo/queries/counters.js';
import * as faq from '../../src/db/mongo/queries/faq.js';
import * as leases from '../../src/db/mongo/queries/leases.js';
import * as outbox from '../../src/db/mongo/queries/outbox.js';
import * as qa from '../../src/db/mongo/queries/qa.js';
import * as searchDocuments from '../../src/db/mongo/queries/search-documents.js';
import * as searchLog from '../../src/db/mongo/queries/search-log.js';
import * as synonyms from '../../src/db/mongo/queries/synonyms.js';

/*
 * Every list query's sort must be given by an index, or MongoDB reads every matching document
 * and sorts it in memory (slow, and refused past 100 MB). Offline, with no server, this compares
 * each sorting query in src/db/mongo/queries with the indexes the models declare, by the rule
 * the query planner follows: after the fields the filter pins to one value (which may sit
 * anywhere in the index), the index keys must continue with the sort keys in order, all in the
 * sort's directions or all reversed. test/contract/mongo.test.ts checks explain() on a real
 * server for the main lists.
 */

const models: Models = createModels(mongoose.createConnection());
const MODULES = { accounts, counters, faq, leases, outbox, qa, searchDocuments, searchLog, synonyms };

type Keys = Record<string, 1 | -1>;

/** Each sorting query with the collection it runs on and calls covering all its filter shapes. */
const SORTING_QUERIES: Record<string, { model: keyof Models; specs: () => FindSpec[] }> = {
  usersByIdsQuery: { model: 'users', specs: () => [accounts.usersByIdsQuery([1, 2])] },
  categoriesQuery: { model: 'faqCategories', specs: () => [faq.categoriesQuery(1)] },
  entriesQuery: {
    model: 'faqEntries',
    specs: () =>
      (['published', 'archived', 'all'] as const).flatMap((status) => [
        faq.entriesQuery(1, { status }),
        faq.entriesQuery(1, { status, categoryId: 2 }),
        faq.entriesQuery(1, { status, needsReview: true }),
      ]),
  },
  entryEventsQuery: { model: 'faqEntryEvents', specs: () => [faq.entryEventsQuery(1)] },
  lastPinQuery: { model: 'faqEntries', specs: () => [faq.lastPinQuery(1)] },
  topEntriesQuery: { model: 'faqEntries', specs: () => [faq.topEntriesQuery(1, 10)] },
  lastSiblingQuery: { model: 'faqCategories', specs: () => [faq.lastSiblingQuery(1, null), faq.lastSiblingQuery(1, 2)] },
  neighbourQuery: {
    model: 'faqCategories',
    specs: () => [faq.neighbourQuery({ communityId: 1, parentId: null, position: 3 }, 'up'), faq.neighbourQuery({ communityId: 1, parentId: 2, position: 3 }, 'down')],
  },
  relatedEntriesQuery: { model: 'faqEntries', specs: () => [faq.relatedEntriesQuery(1)] },
  revisionsOfEntryQuery: { model: 'faqEntryRevisions', specs: () => [faq.revisionsOfEntryQuery(1)] },
  claimCandidatesQuery: { model: 'searchOutbox', specs: () => [outbox.claimCandidatesQuery(1000, 200)] },
  listFailedQuery: { model: 'searchOutbox', specs: () => [outbox.listFailedQuery(10)] },
  oldestPendingQuery: { model: 'searchOutbox', specs: () => [outbox.oldestPendingQuery()] },
  emptySearchesQuery: { model: 'searchLog', specs: () => [searchLog.emptySearchesQuery(1, 0)] },
  clickedSearchesQuery: { model: 'searchLog', specs: () => [searchLog.clickedSearchesQuery(1, ['b1', 'b2'], 0, 10)] },
  answersQuery: { model: 'posts', specs: () => [qa.answersQuery(1), qa.answersQuery(1, { offset: 30, limit: 30 })] },
  commentsForQuery: { model: 'comments', specs: () => [qa.commentsForQuery([1, 2, 3])] },
  popularTagsQuery: { model: 'tags', specs: () => [qa.popularTagsQuery(1, 20)] },
  postsByAuthorQuery: { model: 'posts', specs: () => [qa.postsByAuthorQuery(1, 20)] },
  questionListQuery: {
    model: 'posts',
    specs: () =>
      (['active', 'newest', 'top', 'unanswered'] as const).flatMap((sort) => [
        qa.questionListQuery(1, { sort, offset: 0, limit: 30 }),
        qa.questionListQuery(1, { sort, tag: 'lens', offset: 30, limit: 30, summary: true }),
      ]),
  },
  recentQuestionsQuery: { model: 'posts', specs: () => [qa.recentQuestionsQuery(20)] },
  revisionsQuery: { model: 'revisions', specs: () => [qa.revisionsQuery(1)] },
  entryPageQuery: { model: 'faqEntries', specs: () => [searchDocuments.entryPageQuery(0, 500)] },
  postPageQuery: { model: 'posts', specs: () => [searchDocuments.postPageQuery('question', 0, 500), searchDocuments.postPageQuery('answer', 10, 500)] },
  allSynonymsQuery: { model: 'searchSynonyms', specs: () => [synonyms.allSynonymsQuery()] },
};

/*
 * Aggregations that sort on a value computed per document (a score from a $lookup, a group
 * count): no index can hold it. Each is bounded by a $match on an indexed prefix first.
 */
// suggestionsFrom orders the joined pairs of two indexed reads in memory (at most a page of rows), not a query.
const COMPUTED_SORTS = new Set(['candidatePipeline', 'searchReportPipeline', 'suggestionsFrom']);

/** A filter value that pins the field to one value (an $in is expanded into one scan per value and merged). */
function pinned(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  const ops = Object.keys(value);
  return ops.length > 0 && ops.every((op) => op === '$eq' || op === '$in');
}

/** Whether an index with these keys returns documents matching the filter in the sort's order. */
export function indexGivesSort(indexKeys: Keys, filter: Record<string, unknown>, sort: Keys): boolean {
  const rest = Object.entries(indexKeys).filter(([field]) => !(field in filter && pinned(filter[field])));
  // Sorting on a field the filter pins is sorting on a constant.
  const wanted = Object.entries(sort).filter(([field]) => !(field in filter && pinned(filter[field])));
  if (wanted.length > rest.length) return false;
  const forward = wanted.every(([field, dir], i) => rest[i]![0] === field && rest[i]![1] === dir);
  const backward = wanted.every(([field, dir], i) => rest[i]![0] === field && rest[i]![1] === -dir);
  return forward || backward;
}

/**
 * The index narrows the scan: its first key is one the filter constrains. (The _id index gives
 * every sort on _id, but read from its start it scans the whole collection.)
 */
function leadsWithFilter(indexKeys: Keys, filter: Record<string, unknown>): boolean {
  return Object.keys(filter).length === 0 || Object.keys(indexKeys)[0]! in filter;
}

function indexesOf(model: keyof Models): Array<{ keys: Keys; name: string; partial?: Record<string, unknown> }> {
  const declared = models[model].schema.indexes().map(([keys, options]) => ({
    keys: keys as Keys,
    name: String((options as { name?: string }).name),
    partial: (options as { partialFilterExpression?: Record<string, unknown> }).partialFilterExpression,
  }));
  return [{ keys: { _id: 1 }, name: '_id_' }, ...declared];
}

/** A partial index is usable only when the filter implies its expression (here: the same equalities). */
function usable(index: { partial?: Record<string, unknown> }, filter: Record<string, unknown>): boolean {
  if (!index.partial) return true;
  return Object.entries(index.partial).every(([field, cond]) => {
    const v = filter[field];
    if (JSON.stringify(v) === JSON.stringify(cond)) return true;
    const gt = (cond as { $gt?: number }).$gt;
    return gt !== undefined && typeof v === 'number' && v > gt;
  });
}

describe('mongo list queries and their indexes', () => {
  it('knows every query that sorts, so a new one cannot skip this check', () => {
    const sorting: string[] = [];
    for (const mod of Object.values(MODULES)) {
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === 'function' && /\bsort\b|\$sort/.test(value.toString())) sorting.push(name);
      }
    }
    expect(sorting.length).toBeGreaterThan(15);
    for (const name of sorting) expect(name in SORTING_QUERIES || COMPUTED_SORTS.has(name), `${name} sorts: add it to SORTING_QUERIES`).toBe(true);
  });

  for (const [name, { model, specs }] of Object.entries(SORTING_QUERIES)) {
    it(`${name}: an index of ${model} gives its sort`, () => {
      for (const spec of specs()) {
        expect(spec.sort, `${name} has no sort`).toBeDefined();
        const filter = spec.filter as Record<string, unknown>;
        const serving = indexesOf(model).filter((i) => usable(i, filter) && leadsWithFilter(i.keys, filter) && indexGivesSort(i.keys, filter, spec.sort as Keys));
        expect(serving.map((i) => i.name), `${name} ${JSON.stringify(spec.filter)} sort ${JSON.stringify(spec.sort)}`).not.toEqual([]);
      }
    });
  }

  it('the rule refuses an index that stops before the _id tie-break, or runs in mixed directions', () => {
    const filter = { communityId: 1, type: 'question', deletedAt: null };
    expect(indexGivesSort({ communityId: 1, type: 1, lastActivityAt: -1 }, filter, { lastActivityAt: -1, _id: 1 })).toBe(false);
    expect(indexGivesSort({ communityId: 1, type: 1, lastActivityAt: -1, _id: 1 }, filter, { lastActivityAt: -1, _id: 1 })).toBe(true);
    expect(indexGivesSort({ communityId: 1, type: 1, lastActivityAt: -1, _id: 1 }, filter, { lastActivityAt: 1, _id: -1 })).toBe(true);
    expect(indexGivesSort({ communityId: 1, type: 1, lastActivityAt: -1, _id: -1 }, filter, { lastActivityAt: -1, _id: 1 })).toBe(false);
    // A field the filter does not pin, ahead of the sort keys, breaks the order.
    expect(indexGivesSort({ communityId: 1, status: 1, _id: 1 }, { communityId: 1 }, { _id: 1 })).toBe(false);
    expect(indexGivesSort({ status: 1, nextAttemptAt: 1, _id: 1 }, { status: 'pending', nextAttemptAt: { $lte: 5 } }, { nextAttemptAt: 1, _id: 1 })).toBe(true);
    // The _id index orders by _id but does not narrow a community's entries.
    expect(leadsWithFilter({ _id: 1 }, { communityId: 1, status: 'published' })).toBe(false);
    expect(leadsWithFilter({ communityId: 1, _id: 1 }, { communityId: 1, status: 'published' })).toBe(true);
  });
});
