export const FAQ_MAX_DEPTH = 4;

export interface FaqCategory {
  id: string;
  communityId: string;
  parentId: string | null;
  name: string;
  slug: string;
  position: number;
  depth: number;
  createdAt: number;
  updatedAt: number;
}

export type FaqEntryStatus = 'published' | 'archived';

/** Moderator actions on an entry that are not text revisions, kept in its history. */
export type FaqEntryAction = 'pin' | 'unpin' | 'archive' | 'publish' | 'reviewed';
export const FAQ_ENTRY_ACTIONS: readonly FaqEntryAction[] = ['pin', 'unpin', 'archive', 'publish', 'reviewed'];

export interface FaqEntryEvent {
  id: string;
  entryId: string;
  actorId: string;
  action: FaqEntryAction;
  createdAt: number;
}
export type FaqReviewReason = 'source_edited' | 'overtaken';

export interface FaqEntry {
  id: string;
  communityId: string;
  categoryId: string;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  sourceQuestionId: string | null;
  sourceAnswerId: string | null;
  status: FaqEntryStatus;
  pinned: boolean;
  pinPosition: number;
  viewCount: number;
  helpfulYes: number;
  helpfulNo: number;
  searchClicks: number;
  duplicateCount: number;
  needsReview: boolean;
  reviewReason: FaqReviewReason | null;
  revisionCount: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface FaqEntryRevision {
  id: string;
  entryId: string;
  revision: number;
  authorId: string;
  title: string;
  bodyMd: string;
  categoryId: string;
  reason: string;
  createdAt: number;
}

export interface FaqDismissal {
  answerId: string;
  communityId: string;
  dismissedBy: string;
  reason: string;
  scoreAtDismissal: number;
  createdAt: number;
}

/** An answer that may become an FAQ entry, with the evidence used to rank it. */
export interface FaqCandidateRow {
  answerId: string;
  questionId: string;
  communityId: string;
  questionTitle: string;
  answerBodyText: string;
  answerBodyMd: string;
  answerAuthorId: string;
  score: number;
  upVotes: number;
  downVotes: number;
  accepted: boolean;
  questionViews: number;
  duplicateCount: number;
  createdAt: number;
  dismissal: { scoreAtDismissal: number; reason: string } | null;
}
