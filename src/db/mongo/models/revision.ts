import { Schema } from 'mongoose';
import { idField, schemaOptions, textField, timeField } from './common.js';

export interface RevisionDoc {
  _id: number;
  postId: number;
  revision: number;
  authorId: number;
  title: string | null;
  bodyMd: string;
  tags: string[];
  reason: string;
  createdAt: number;
}

export const REVISION_MODEL = 'Revision';

export const revisionSchema = new Schema<RevisionDoc>(
  {
    _id: idField,
    postId: idField,
    revision: { type: Number, required: true, min: 1 },
    authorId: idField,
    title: { type: String, default: null },
    bodyMd: textField,
    tags: { type: [String], default: [] },
    reason: textField,
    createdAt: timeField,
  },
  schemaOptions('revisions'),
);

revisionSchema.index({ postId: 1, revision: 1 }, { unique: true, name: 'revisions_post_revision_unique' });
