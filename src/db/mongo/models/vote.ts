import { Schema, Types } from 'mongoose';
import { idField, schemaOptions, timeField } from './common.js';

/** A vote row exists only for +1 or -1; withdrawing a vote deletes it (as in SQLite). */
export interface VoteDoc {
  _id: Types.ObjectId;
  postId: number;
  userId: number;
  value: 1 | -1;
  createdAt: number;
}

export const VOTE_MODEL = 'Vote';

export const voteSchema = new Schema<VoteDoc>(
  {
    postId: idField,
    userId: idField,
    value: { type: Number, required: true, enum: [1, -1] },
    createdAt: timeField,
  },
  { ...schemaOptions('votes'), _id: true },
);

// One vote per user and post.
voteSchema.index({ postId: 1, userId: 1 }, { unique: true, name: 'votes_post_user_unique' });
voteSchema.index({ userId: 1 }, { name: 'votes_user' });
