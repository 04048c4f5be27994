import type { QueueFilter } from '../../../domain/support-types.js';
import { count, text, type FindSpec, type Filter } from './spec.js';

/* Customer-service queries (issue 12); every user value reaches a filter as a number or text(). */

/**
 * Tickets do not carry their question's deletion, so the ids of the community's deleted
 * questions (few) are excluded by the caller's list: the queue and its counts then agree
 * with SQLite, which joins posts.
 */
export function queueFilter(communityId: number, filter: QueueFilter, viewerId: number | null, questionIds: number[] | null, deletedIds: number[] = []): Filter {
  const f: Filter = { communityId };
  if (filter === 'waiting') f.status = 'waiting';
  else {
    f.status = 'open';
    f.respondedAt = null;
  }
  if (filter === 'urgent') f.urgent = true;
  if (filter === 'mine') f.assigneeId = viewerId ?? -1;
  if (filter === 'unassigned') f.assigneeId = null;
  const ids: Record<string, number[]> = {};
  if (questionIds !== null) ids.$in = questionIds;
  if (deletedIds.length > 0) ids.$nin = deletedIds;
  if (Object.keys(ids).length > 0) f._id = ids;
  return f;
}

export const queueQuery = (filter: Filter, offset: number, limit: number): FindSpec => ({
  filter,
  sort: { dueAt: 1, _id: 1 },
  skip: count(offset),
  limit: count(limit) + 1,
});

export const questionsWithTagQuery = (communityId: number, tag: string): FindSpec => ({
  filter: { communityId, type: 'question', tags: text(tag), deletedAt: null },
  projection: { _id: 1 },
});

export const deletedQuestionsQuery = (communityId: number): FindSpec => ({
  // $gt rather than $ne: null, so the partial index posts_deleted serves it.
  filter: { communityId, type: 'question', deletedAt: { $gt: 0 } },
  projection: { _id: 1 },
});

export const dueForEscalationQuery = (now: number, limit: number): FindSpec => ({
  filter: { status: 'open', respondedAt: null, $or: [{ warnedAt: null, warnAt: { $lte: now } }, { breachedAt: null, dueAt: { $lte: now } }] },
  sort: { warnAt: 1 },
  limit: count(limit),
});
