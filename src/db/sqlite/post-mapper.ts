import { ACTIVITY_KINDS, type ActivityKind, type Answer, type Post, type Question } from '../../domain/qa-types.js';

export interface PostRow {
  id: number;
  type: 'question' | 'answer';
  community_id: number;
  question_id: number | null;
  author_id: number;
  title: string | null;
  slug: string | null;
  body_md: string;
  body_html: string;
  body_text: string;
  tags: string;
  score: number;
  up_votes: number;
  down_votes: number;
  answer_count: number;
  accepted_answer_id: number | null;
  is_accepted: number;
  view_count: number;
  comment_count: number;
  revision_count: number;
  created_at: number;
  edited_at: number | null;
  last_activity_at: number;
  last_activity_user_id: number | null;
  last_activity_kind: string | null;
  deleted_at: number | null;
}

/** Tags are stored space-separated on the post (they never contain spaces). */
export function splitTags(tags: string): string[] {
  return tags === '' ? [] : tags.split(' ');
}

export function mapPost(row: PostRow): Post {
  const base = {
    id: String(row.id),
    communityId: String(row.community_id),
    authorId: String(row.author_id),
    bodyMd: row.body_md,
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    score: row.score,
    upVotes: row.up_votes,
    downVotes: row.down_votes,
    commentCount: row.comment_count,
    revisionCount: row.revision_count,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
  if (row.type === 'question') {
    const q: Question = {
      ...base,
      type: 'question',
      title: row.title ?? '',
      slug: row.slug ?? '',
      tags: splitTags(row.tags),
      answerCount: row.answer_count,
      acceptedAnswerId: row.accepted_answer_id === null ? null : String(row.accepted_answer_id),
      viewCount: row.view_count,
      lastActivityAt: row.last_activity_at,
      lastActivityUserId: row.last_activity_user_id === null ? null : String(row.last_activity_user_id),
      lastActivityKind: (ACTIVITY_KINDS as readonly string[]).includes(row.last_activity_kind ?? '') ? (row.last_activity_kind as ActivityKind) : 'ask',
    };
    return q;
  }
  const a: Answer = { ...base, type: 'answer', questionId: String(row.question_id), isAccepted: row.is_accepted === 1 };
  return a;
}
