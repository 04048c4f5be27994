import { count, type FindSpec, type Pipeline, type Projection } from './spec.js';

/*
 * Reads for SearchDocumentRepository: the posts and FAQ entries that are searchable, and
 * what their documents repeat from elsewhere (an answer's question, an entry's category
 * path and source-question tags). Bodies in Markdown and HTML are never fetched: a
 * document carries only the plain text.
 */

const POST_FIELDS: Projection = {
  type: 1, communityId: 1, title: 1, slug: 1, bodyText: 1, tags: 1, score: 1, answerCount: 1, acceptedAnswerId: 1,
  createdAt: 1, lastActivityAt: 1, editedAt: 1, questionId: 1, isAccepted: 1,
};

const ENTRY_FIELDS: Projection = {
  communityId: 1, categoryId: 1, title: 1, slug: 1, bodyText: 1, sourceQuestionId: 1, helpfulYes: 1, helpfulNo: 1, createdAt: 1, updatedAt: 1,
};

const liveOf = (type: 'question' | 'answer') => ({ type, deletedAt: null });

export const postsByIdsQuery = (type: 'question' | 'answer', ids: number[]): FindSpec => ({
  filter: { _id: { $in: ids }, ...liveOf(type) },
  projection: POST_FIELDS,
});

/**
 * One page of a full rebuild, by id range: each page is an indexed range on _id, so a
 * rebuild of millions of posts never holds more than a page, and a page is stable even
 * while posts are written (new ones have higher ids and land in later pages).
 */
export const postPageQuery = (type: 'question' | 'answer', afterId: number, limit: number): FindSpec => ({
  filter: { _id: { $gt: afterId }, ...liveOf(type) },
  sort: { _id: 1 },
  limit: Math.max(1, count(limit)),
  projection: POST_FIELDS,
});

/** The live questions that answers and FAQ entries take their title, slug, tags and answer count from. */
export const threadsQuery = (questionIds: number[]): FindSpec => ({
  filter: { _id: { $in: questionIds }, ...liveOf('question') },
  projection: { title: 1, slug: 1, tags: 1, answerCount: 1 },
});

const published = { status: 'published' };

export const entriesByIdsQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids }, ...published }, projection: ENTRY_FIELDS });

export const entryPageQuery = (afterId: number, limit: number): FindSpec => ({
  filter: { _id: { $gt: afterId }, ...published },
  sort: { _id: 1 },
  limit: Math.max(1, count(limit)),
  projection: ENTRY_FIELDS,
});

/** One level of the walk up an entry's category path (the tree is at most four deep). */
export const categoriesByIdsQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids } }, projection: { name: 1, parentId: 1 } });

export const liveQuestionsCountQuery = (): FindSpec => ({ filter: liveOf('question') });
export const publishedEntriesCountQuery = (): FindSpec => ({ filter: published });

/** Live answers whose question is live too: an answer under a deleted question is not searchable. */
export function liveAnswersCountPipeline(): Pipeline {
  return [
    { $match: liveOf('answer') },
    { $lookup: { from: 'posts', localField: 'questionId', foreignField: '_id', as: 'thread', pipeline: [{ $match: { deletedAt: null } }, { $project: { _id: 1 } }] } },
    { $match: { 'thread.0': { $exists: true } } },
    { $count: 'n' },
  ];
}

/** The names that every document repeats from its community. */
export const communityNamesQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids } }, projection: { name: 1 } });

/** A community's searchable posts and entries, whose documents repeat its name (for a rename's outbox entries). */
export const communityPostIdsQuery = (communityId: number): FindSpec => ({ filter: { communityId, deletedAt: null }, projection: { _id: 1, type: 1 } });
export const communityEntryIdsQuery = (communityId: number): FindSpec => ({ filter: { communityId, ...published }, projection: { _id: 1 } });
