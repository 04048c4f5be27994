import { Schema } from 'mongoose';
import { countField, idField, schemaOptions } from './common.js';

/** Per-community tag with its question count (kept on write by the post repository). */
export interface TagDoc {
  _id: number;
  communityId: number;
  name: string;
  questionCount: number;
}

export const TAG_MODEL = 'Tag';

export const tagSchema = new Schema<TagDoc>(
  {
    _id: idField,
    communityId: idField,
    name: { type: String, required: true, maxlength: 100 },
    questionCount: countField,
  },
  schemaOptions('tags'),
);

tagSchema.index({ communityId: 1, name: 1 }, { unique: true, name: 'tags_community_name_unique' });
tagSchema.index({ communityId: 1, questionCount: -1, name: 1 }, { name: 'tags_popular_name' });
