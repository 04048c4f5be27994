import type { SearchDocument } from '../../search/port.js';
import { FAQ_MAX_DEPTH } from '../../domain/faq-types.js';
import { idOrNull, idString } from './ids.js';
import type { FaqCategoryDoc, FaqEntryDoc, PostDoc } from './models/index.js';

/*
 * Database documents to search documents, with the same meaning as the SQLite backend's
 * (the shared contract checks both): an answer repeats its question's title, slug, tags and
 * answer count; an FAQ entry takes its source question's tags and its category path.
 */

export type Thread = Pick<PostDoc, '_id' | 'title' | 'slug' | 'tags' | 'answerCount'>;
export type CategoryNode = Pick<FaqCategoryDoc, '_id' | 'name' | 'parentId'>;

export function questionDocument(q: PostDoc): SearchDocument {
  return {
    kind: 'question',
    id: idString(q._id),
    communityId: idString(q.communityId),
    questionId: idString(q._id),
    title: q.title ?? '',
    slug: q.slug ?? '',
    bodyText: q.bodyText ?? '',
    tags: [...(q.tags ?? [])],
    score: q.score ?? 0,
    answerCount: q.answerCount ?? 0,
    accepted: (q.acceptedAnswerId ?? null) !== null,
    createdAt: q.createdAt,
    activeAt: q.lastActivityAt ?? q.createdAt,
  };
}

export function answerDocument(a: PostDoc, thread: Thread): SearchDocument {
  return {
    kind: 'answer',
    id: idString(a._id),
    communityId: idString(a.communityId),
    questionId: idString(thread._id),
    title: thread.title ?? '',
    slug: thread.slug ?? '',
    bodyText: a.bodyText ?? '',
    tags: [...(thread.tags ?? [])],
    score: a.score ?? 0,
    answerCount: thread.answerCount ?? 0,
    accepted: a.isAccepted === true,
    createdAt: a.createdAt,
    activeAt: a.editedAt ?? a.createdAt,
  };
}

/** An FAQ entry counts as one curated, accepted answer; it ranks on its helpful votes. */
export function faqDocument(e: FaqEntryDoc, faqPath: string[], tags: readonly string[]): SearchDocument {
  return {
    kind: 'faq',
    id: idString(e._id),
    communityId: idString(e.communityId),
    questionId: idOrNull(e.sourceQuestionId),
    title: e.title,
    slug: e.slug,
    bodyText: e.bodyText ?? '',
    tags: [...tags],
    score: (e.helpfulYes ?? 0) - (e.helpfulNo ?? 0),
    answerCount: 1,
    accepted: true,
    createdAt: e.createdAt,
    activeAt: e.updatedAt ?? e.createdAt,
    faqPath,
  };
}

/**
 * Category names from the root down to `categoryId`, at most four. A missing category
 * ends the walk (as in SQLite), so a dangling parent gives a shorter path, not an error.
 */
export function faqPath(categoryId: number, categories: ReadonlyMap<number, CategoryNode>): string[] {
  const names: string[] = [];
  for (let id: number | null = categoryId, depth = 0; id !== null && depth < FAQ_MAX_DEPTH; depth++) {
    const c = categories.get(id);
    if (!c) break;
    names.unshift(c.name);
    id = c.parentId ?? null;
  }
  return names;
}
