import type { Community, Membership, User } from '../../domain/types.js';
import type { Answer, Comment, Post, Question, Revision, Tag } from '../../domain/qa-types.js';
import type { FaqCandidateRow, FaqCategory, FaqEntry, FaqEntryRevision } from '../../domain/faq-types.js';
import { idOrNull, idString } from './ids.js';
import type {
  CommentDoc,
  CommunityDoc,
  FaqCategoryDoc,
  FaqEntryDoc,
  FaqEntryRevisionDoc,
  MembershipDoc,
  PostDoc,
  RevisionDoc,
  TagDoc,
  UserDoc,
} from './models/index.js';

/* Documents to domain objects: ids become strings, nothing of MongoDB leaks out. */

export function mapUser(doc: UserDoc): User {
  return {
    id: idString(doc._id),
    username: doc.username,
    email: doc.email,
    displayName: doc.displayName,
    passwordHash: doc.passwordHash,
    isAdmin: doc.isAdmin === true,
    reputation: doc.reputation ?? 0,
    createdAt: doc.createdAt,
  };
}

export function mapCommunity(doc: CommunityDoc): Community {
  return {
    id: idString(doc._id),
    slug: doc.slug,
    name: doc.name,
    kind: doc.kind,
    descriptionMd: doc.descriptionMd ?? '',
    descriptionHtml: doc.descriptionHtml ?? '',
    defaultLocale: doc.defaultLocale,
    memberCount: doc.memberCount ?? 0,
    questionCount: doc.questionCount ?? 0,
    promotionThreshold: doc.promotionThreshold ?? 5,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function mapMembership(doc: Pick<MembershipDoc, 'communityId' | 'userId' | 'role' | 'joinedAt'>): Membership {
  return { communityId: idString(doc.communityId), userId: idString(doc.userId), role: doc.role, joinedAt: doc.joinedAt };
}

export function mapPost(doc: PostDoc): Post {
  const base = {
    id: idString(doc._id),
    communityId: idString(doc.communityId),
    authorId: idString(doc.authorId),
    bodyMd: doc.bodyMd ?? '',
    bodyHtml: doc.bodyHtml ?? '',
    bodyText: doc.bodyText ?? '',
    score: doc.score ?? 0,
    upVotes: doc.upVotes ?? 0,
    downVotes: doc.downVotes ?? 0,
    commentCount: doc.commentCount ?? 0,
    revisionCount: doc.revisionCount ?? 1,
    createdAt: doc.createdAt,
    editedAt: doc.editedAt ?? null,
    deletedAt: doc.deletedAt ?? null,
  };
  if (doc.type === 'question') {
    const q: Question = {
      ...base,
      type: 'question',
      title: doc.title ?? '',
      slug: doc.slug ?? '',
      tags: [...(doc.tags ?? [])],
      answerCount: doc.answerCount ?? 0,
      acceptedAnswerId: idOrNull(doc.acceptedAnswerId),
      viewCount: doc.viewCount ?? 0,
      lastActivityAt: doc.lastActivityAt ?? doc.createdAt,
      lastActivityUserId: idOrNull(doc.lastActivityUserId),
      lastActivityKind: doc.lastActivityKind ?? 'ask',
    };
    return q;
  }
  const a: Answer = { ...base, type: 'answer', questionId: idString(doc.questionId!), isAccepted: doc.isAccepted === true };
  return a;
}

export function mapRevision(doc: RevisionDoc): Revision {
  return {
    id: idString(doc._id),
    postId: idString(doc.postId),
    revision: doc.revision,
    authorId: idString(doc.authorId),
    title: doc.title ?? null,
    bodyMd: doc.bodyMd,
    tags: [...(doc.tags ?? [])],
    reason: doc.reason ?? '',
    createdAt: doc.createdAt,
  };
}

export function mapComment(doc: CommentDoc): Comment {
  return { id: idString(doc._id), postId: idString(doc.postId), authorId: idString(doc.authorId), body: doc.body, bodyHtml: doc.bodyHtml, createdAt: doc.createdAt };
}

export function mapTag(doc: TagDoc): Tag {
  return { id: idString(doc._id), communityId: idString(doc.communityId), name: doc.name, questionCount: doc.questionCount ?? 0 };
}

export function mapFaqCategory(doc: FaqCategoryDoc): FaqCategory {
  return {
    id: idString(doc._id),
    communityId: idString(doc.communityId),
    parentId: idOrNull(doc.parentId),
    name: doc.name,
    slug: doc.slug,
    position: doc.position ?? 0,
    depth: doc.depth,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** duplicateCount comes from the source question (SQLite joins posts for it). */
export function mapFaqEntry(doc: FaqEntryDoc, duplicateCount: number): FaqEntry {
  return {
    id: idString(doc._id),
    communityId: idString(doc.communityId),
    categoryId: idString(doc.categoryId),
    title: doc.title,
    slug: doc.slug,
    bodyMd: doc.bodyMd ?? '',
    bodyHtml: doc.bodyHtml ?? '',
    bodyText: doc.bodyText ?? '',
    sourceQuestionId: idOrNull(doc.sourceQuestionId),
    sourceAnswerId: idOrNull(doc.sourceAnswerId),
    status: doc.status ?? 'published',
    pinned: doc.pinned === true,
    pinPosition: doc.pinPosition ?? 0,
    viewCount: doc.viewCount ?? 0,
    helpfulYes: doc.helpfulYes ?? 0,
    helpfulNo: doc.helpfulNo ?? 0,
    searchClicks: doc.searchClicks ?? 0,
    duplicateCount,
    needsReview: doc.needsReview === true,
    reviewReason: doc.reviewReason ?? null,
    revisionCount: doc.revisionCount ?? 1,
    createdBy: idString(doc.createdBy),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function mapFaqEntryRevision(doc: FaqEntryRevisionDoc): FaqEntryRevision {
  return {
    id: idString(doc._id),
    entryId: idString(doc.entryId),
    revision: doc.revision,
    authorId: idString(doc.authorId),
    title: doc.title,
    bodyMd: doc.bodyMd,
    categoryId: idString(doc.categoryId),
    reason: doc.reason ?? '',
    createdAt: doc.createdAt,
  };
}

/** The shape produced by the candidate aggregation (queries/faq.ts candidatePipeline). */
export interface CandidateAggRow {
  _id: number;
  questionId: number;
  communityId: number;
  questionTitle: string;
  bodyText: string;
  bodyMd: string;
  authorId: number;
  score: number;
  upVotes: number;
  downVotes: number;
  isAccepted: boolean;
  questionViews: number;
  duplicateCount: number;
  createdAt: number;
  dismissal: { scoreAtDismissal: number; reason: string } | null;
}

export function mapCandidate(row: CandidateAggRow): FaqCandidateRow {
  return {
    answerId: idString(row._id),
    questionId: idString(row.questionId),
    communityId: idString(row.communityId),
    questionTitle: row.questionTitle ?? '',
    answerBodyText: row.bodyText ?? '',
    answerBodyMd: row.bodyMd ?? '',
    answerAuthorId: idString(row.authorId),
    score: row.score ?? 0,
    upVotes: row.upVotes ?? 0,
    downVotes: row.downVotes ?? 0,
    accepted: row.isAccepted === true,
    questionViews: row.questionViews ?? 0,
    duplicateCount: row.duplicateCount ?? 0,
    createdAt: row.createdAt,
    dismissal: row.dismissal ? { scoreAtDismissal: row.dismissal.scoreAtDismissal, reason: row.dismissal.reason ?? '' } : null,
  };
}
