import { Schema, Types } from 'mongoose';
import { idField, schemaOptions, timeField } from './common.js';

/*
 * Data-dump imports (issue 14), as SQLite migration 013: the dump id of every imported row
 * (so a re-run skips it), the CC BY-SA attribution of imported posts, and the dump's links
 * between posts (duplicate, related).
 */

export interface ImportSourceDoc {
  _id: Types.ObjectId;
  communityId: number;
  kind: 'user' | 'post' | 'comment' | 'link';
  sourceId: string;
  localId: number;
}
export const IMPORT_SOURCE_MODEL = 'ImportSource';
export const importSourceSchema = new Schema<ImportSourceDoc>(
  {
    communityId: idField,
    kind: { type: String, required: true, enum: ['user', 'post', 'comment', 'link'] },
    sourceId: { type: String, required: true },
    localId: idField,
  },
  { ...schemaOptions('import_sources'), _id: true },
);
importSourceSchema.index({ communityId: 1, kind: 1, sourceId: 1 }, { unique: true, name: 'import_sources_unique' });

export interface PostAttributionDoc {
  _id: number;
  sourceUrl: string;
  authorName: string;
  authorUrl: string | null;
  licence: string;
}
export const POST_ATTRIBUTION_MODEL = 'PostAttribution';
export const postAttributionSchema = new Schema<PostAttributionDoc>(
  {
    _id: idField,
    sourceUrl: { type: String, required: true },
    authorName: { type: String, required: true },
    authorUrl: { type: String, default: null },
    licence: { type: String, required: true },
  },
  schemaOptions('post_attributions'),
);

export interface ImportedPostLinkDoc {
  _id: Types.ObjectId;
  postId: number;
  targetId: number;
  kind: 'duplicate' | 'related';
  createdAt: number;
}
export const IMPORTED_POST_LINK_MODEL = 'ImportedPostLink';
export const importedPostLinkSchema = new Schema<ImportedPostLinkDoc>(
  {
    postId: idField,
    targetId: idField,
    kind: { type: String, required: true, enum: ['duplicate', 'related'] },
    createdAt: timeField,
  },
  { ...schemaOptions('imported_post_links'), _id: true },
);
importedPostLinkSchema.index({ postId: 1, targetId: 1, kind: 1 }, { unique: true, name: 'imported_post_links_unique' });
importedPostLinkSchema.index({ targetId: 1, kind: 1 }, { name: 'imported_post_links_target' });
