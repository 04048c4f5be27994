export type PostType = 'question' | 'answer';
export type VoteValue = -1 | 0 | 1;
export type QuestionSort = 'active' | 'newest' | 'top' | 'unanswered';
export const QUESTION_SORTS: readonly QuestionSort[] = ['active', 'newest', 'top', 'unanswered'];

interface PostBase {
  id: string;
  communityId: string;
  authorId: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  score: number;
  upVotes: number;
  downVotes: number;
  commentCount: number;
  revisionCount: number;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
}

export interface Question extends PostBase {
  type: 'question';
  title: string;
  slug: string;
  tags: string[];
  answerCount: number;
  acceptedAnswerId: string | null;
  viewCount: number;
  lastActivityAt: number;
  lastActivityUserId: string | null;
  lastActivityKind: ActivityKind;
}

/** What the person named by lastActivityUserId did last on the question. */
export type ActivityKind = 'ask' | 'answer' | 'comment' | 'edit';
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['ask', 'answer', 'comment', 'edit'];

export interface Answer extends PostBase {
  type: 'answer';
  questionId: string;
  isAccepted: boolean;
}

export type Post = Question | Answer;

export interface Comment {
  id: string;
  postId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  createdAt: number;
}

export interface Revision {
  id: string;
  postId: string;
  revision: number;
  authorId: string;
  title: string | null;
  bodyMd: string;
  tags: string[];
  reason: string;
  createdAt: number;
}

export interface Tag {
  id: string;
  communityId: string;
  name: string;
  questionCount: number;
}
