import type { SearchDocument } from '../../search/port.js';
import { answerDocument as buildAnswer, faqDocument as buildFaq, questionDocument as buildQuestion } from '../../search/documents.js';
import { FAQ_MAX_DEPTH } from '../../domain/faq-types.js';
import { idOrNull, idString } from './ids.js';
import type { FaqCategoryDoc, FaqEntryDoc, PostDoc } from './models/index.js';


export type Thread = Pick<PostDoc, '_id' | 'title' | 'slug' | 'tags' | 'answerCount'>;
export type CategoryNode = Pick<FaqCategoryDoc, '_id' | 'name' | 'parentId'>;
/** Community names by id (an unknown community gives an empty name, as SQLite's LEFT JOIN does). */
export type CommunityNames = ReadonlyMap<number, string>;

const nameOf = (names: CommunityNames, id: number): string => names.get(id) ?? '';

/* Mongo documents read into the shared shapes of src/search/documents.ts. */
export function questionDocument(q: PostDoc, communities: CommunityNames): SearchDocument {
  return buildQuestion({
    id: idString(q._id),
    communityId: idString(q.communityId),
    communityName: nameOf(communities, q.communityId),
    title: q.title ?? '',
    slug: q.slug ?? '',
    bodyText: q.bodyText ?? '',
    tags: q.tags ?? [],
    score: q.score ?? 0,
    answerCount: q.answerCount ?? 0,
    hasAcceptedAnswer: (q.acceptedAnswerId ?? null) !== null,
    createdAt: q.createdAt,
    lastActivityAt: q.lastActivityAt ?? q.createdAt,
  });
}

export function answerDocument(a: PostDoc, thread: Thread, communities: CommunityNames): SearchDocument {
  return buildAnswer(
    { id: idString(a._id), communityId: idString(a.communityId), communityName: nameOf(communities, a.communityId), bodyText: a.bodyText ?? '', score: a.score ?? 0, isAccepted: a.isAccepted === true, createdAt: a.createdAt, editedAt: a.editedAt ?? null },
    { id: idString(thread._id), title: thread.title ?? '', slug: thread.slug ?? '', tags: thread.tags ?? [], answerCount: thread.answerCount ?? 0 },
  );
}

export function faqDocument(e: FaqEntryDoc, faqPath: string[], tags: readonly string[], communities: CommunityNames): SearchDocument {
  return buildFaq(
    {
      id: idString(e._id),
      communityId: idString(e.communityId),
      communityName: nameOf(communities, e.communityId),
      sourceQuestionId: idOrNull(e.sourceQuestionId),
      title: e.title,
      slug: e.slug,
      bodyText: e.bodyText ?? '',
      helpfulYes: e.helpfulYes ?? 0,
      helpfulNo: e.helpfulNo ?? 0,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt ?? e.createdAt,
    },
    faqPath,
    tags,
  );
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
