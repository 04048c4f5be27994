import { Schema, Types } from 'mongoose';
import { FAQ_ENTRY_ACTIONS, type FaqEntryAction } from '../../../domain/faq-types.js';
import { idField, schemaOptions, timeField } from './common.js';

/* Moderator actions on an entry that are not text revisions (pin, archive, ...): never addressed by id, so ObjectIds. */
export interface FaqEntryEventDoc {
  _id: Types.ObjectId;
  entryId: number;
  actorId: number;
  action: FaqEntryAction;
  createdAt: number;
}

export const FAQ_ENTRY_EVENT_MODEL = 'FaqEntryEvent';

export const faqEntryEventSchema = new Schema<FaqEntryEventDoc>(
  {
    entryId: idField,
    actorId: idField,
    action: { type: String, required: true, enum: FAQ_ENTRY_ACTIONS },
    createdAt: timeField,
  },
  { ...schemaOptions('faqEntryEvents'), _id: true },
);

faqEntryEventSchema.index({ entryId: 1, createdAt: 1, _id: 1 }, { name: 'faq_entry_events_entry_id' });
