import { Schema } from 'mongoose';
import { ACTIVITY_KINDS, type ActivityKind } from '../../../domain/qa-types.js';
import { countField, idField, nullableIdField, nullableTimeField, schemaOptions, textField, timeField } from './common.js';

/*
 * Questions and answers share one `posts` collection (as in SQLite) so that votes, comments
 * and revisions point at any post by one id. Question-only fields are absent on answers and
 * vice versa; `type` says which is which.
 *
 * Tags are embedded in the question document. SQLite needs a question_tags table that
 * repeats each question's sort keys so tag-filtered lists use an index; MongoDB indexes an
 * array field directly (a multikey index), so { communityId, tags, lastActivityAt } serves
 * "questions with this tag, most active first" and a vote or a new answer that changes the
 * question's score or activity updates that index entry in the same single-document write.
 */
export interface PostDoc {
  _id: number;
  type: 'question' | 'answer';
  communityId: number;
  authorId: number;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  score: number;
  upVotes: number;
  downVotes: number;
  commentCount: number;
  revisionCount: number;
  /** Questions closed as duplicates of this one (FAQ evidence). */
  duplicateCount: number;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  // question only
  title?: string;
  slug?: string;
  tags?: string[];
  answerCount?: number;
  acceptedAnswerId?: number | null;
  viewCount?: number;
  lastActivityAt?: number;
  lastActivityUserId?: number | null;
  lastActivityKind?: ActivityKind;
  // answer only
  questionId?: number;
  isAccepted?: boolean;
}

export const POST_MODEL = 'Post';

function isQuestion(this: PostDoc): boolean {
  return this.type === 'question';
}
function isAnswer(this: PostDoc): boolean {
  return this.type === 'answer';
}

export const postSchema = new Schema<PostDoc>(
  {
    _id: idField,
    type: { type: String, required: true, enum: ['question', 'answer'] },
    communityId: idField,
    authorId: idField,
    bodyMd: textField,
    bodyHtml: textField,
    bodyText: textField,
    score: countField,
    upVotes: countField,
    downVotes: countField,
    commentCount: countField,
    revisionCount: { ...countField, default: 1 },
    duplicateCount: countField,
    createdAt: timeField,
    editedAt: nullableTimeField,
    deletedAt: nullableTimeField,
    title: { type: String, required: isQuestion },
    slug: { type: String, required: isQuestion },
    tags: { type: [String], default: undefined },
    answerCount: { type: Number, default: undefined },
    acceptedAnswerId: { ...nullableIdField, default: undefined },
    viewCount: { type: Number, default: undefined },
    lastActivityAt: { type: Number, required: isQuestion },
    lastActivityUserId: { ...nullableIdField, default: undefined },
    lastActivityKind: { type: String, enum: ACTIVITY_KINDS, default: undefined },
    questionId: { type: Number, required: isAnswer },
    isAccepted: { type: Boolean, default: undefined },
  },
  schemaOptions('posts'),
);

postSchema.path('tags').validate((tags: string[] | undefined) => tags === undefined || tags.every((t) => t.length > 0 && !/\s/.test(t)), 'tags must be non-empty words');
postSchema.path('questionId').validate(function (this: PostDoc, v: number | undefined) {
  return this.type === 'answer' ? Number.isSafeInteger(v) && (v as number) > 0 : v === undefined;
}, 'only answers have a questionId');

// Every list index ends with the query's whole sort, `_id` tie-break included: an index that
// stops before `_id` cannot give that order, and MongoDB would then sort every matching
// document in memory (test/unit/mongo-index-sorts.test.ts compares each list query with these).
// The names end in `_id` because an index cannot be changed in place: the earlier indexes
// without the tie-break (posts_q_active, ...) stay on older deployments, unused, until dropped.
// Question lists, one index per tab (every filter also says type: 'question', deletedAt: null).
postSchema.index({ communityId: 1, type: 1, lastActivityAt: -1, _id: 1 }, { name: 'posts_q_active_id' });
postSchema.index({ communityId: 1, type: 1, createdAt: -1, _id: 1 }, { name: 'posts_q_newest_id' });
postSchema.index({ communityId: 1, type: 1, score: -1, createdAt: -1, _id: 1 }, { name: 'posts_q_top_id' });
postSchema.index({ communityId: 1, type: 1, answerCount: 1, createdAt: -1, _id: 1 }, { name: 'posts_q_unanswered_id' });
// The same tabs filtered by a tag: compound multikey indexes on the embedded tags array.
postSchema.index({ communityId: 1, tags: 1, lastActivityAt: -1, _id: 1 }, { name: 'posts_tag_active_id' });
postSchema.index({ communityId: 1, tags: 1, createdAt: -1, _id: 1 }, { name: 'posts_tag_newest_id' });
postSchema.index({ communityId: 1, tags: 1, score: -1, createdAt: -1, _id: 1 }, { name: 'posts_tag_top_id' });
postSchema.index({ communityId: 1, tags: 1, answerCount: 1, createdAt: -1, _id: 1 }, { name: 'posts_tag_unanswered_id' });
// Home page: latest activity across communities.
postSchema.index({ type: 1, lastActivityAt: -1, _id: 1 }, { name: 'posts_q_global_active_id' });
// A question's answers in display order: accepted first, then score, then oldest, then id
// (the tie-break that keeps answer pages from overlapping). A new name, because an index
// cannot be changed in place; an older deployment's `posts_answers` stays, unused.
postSchema.index(
  { questionId: 1, isAccepted: -1, score: -1, createdAt: 1, _id: 1 },
  { name: 'posts_answers_ordered', partialFilterExpression: { type: 'answer' } },
);
// FAQ candidates: a community's answers by score.
postSchema.index({ communityId: 1, type: 1, score: -1 }, { name: 'posts_answers_by_score' });
postSchema.index({ authorId: 1, createdAt: -1, _id: 1 }, { name: 'posts_author_id' });
// A community's deleted questions (the support queue leaves them out): only deleted posts are indexed.
postSchema.index({ communityId: 1, type: 1, deletedAt: 1 }, { name: 'posts_deleted', partialFilterExpression: { deletedAt: { $gt: 0 } } });
// The support dashboard's daily job reads a day's posts (active members, askers).
postSchema.index({ createdAt: 1 }, { name: 'posts_created' });
