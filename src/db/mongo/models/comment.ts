import { Schema } from 'mongoose';
import { idField, nullableTimeField, schemaOptions, timeField } from './common.js';

export interface CommentDoc {
  _id: number;
  postId: number;
  authorId: number;
  body: string;
  bodyHtml: string;
  createdAt: number;
  deletedAt: number | null;
}

export const COMMENT_MODEL = 'Comment';

export const commentSchema = new Schema<CommentDoc>(
  {
    _id: idField,
    postId: idField,
    authorId: idField,
    body: { type: String, required: true },
    bodyHtml: { type: String, required: true },
    createdAt: timeField,
    deletedAt: nullableTimeField,
  },
  schemaOptions('comments'),
);

commentSchema.index({ postId: 1, createdAt: 1, _id: 1 }, { name: 'comments_post_id' });
// The support dashboard's daily job reads a day's comments (active members).
commentSchema.index({ createdAt: 1 }, { name: 'comments_created' });
