import { Schema } from 'mongoose';
import { idField, schemaOptions, textField, timeField } from './common.js';

export interface FaqEntryRevisionDoc {
  _id: number;
  entryId: number;
  revision: number;
  authorId: number;
  title: string;
  bodyMd: string;
  categoryId: number;
  reason: string;
  createdAt: number;
}

export const FAQ_ENTRY_REVISION_MODEL = 'FaqEntryRevision';

export const faqEntryRevisionSchema = new Schema<FaqEntryRevisionDoc>(
  {
    _id: idField,
    entryId: idField,
    revision: { type: Number, required: true, min: 1 },
    authorId: idField,
    title: { type: String, required: true },
    bodyMd: textField,
    categoryId: idField,
    reason: textField,
    createdAt: timeField,
  },
  schemaOptions('faqEntryRevisions'),
);

faqEntryRevisionSchema.index({ entryId: 1, revision: 1 }, { unique: true, name: 'faq_entry_revisions_unique' });
