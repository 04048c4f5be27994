import { Schema, Types } from 'mongoose';
import { idField, schemaOptions, timeField } from './common.js';

export interface FaqHelpfulVoteDoc {
  _id: Types.ObjectId;
  entryId: number;
  /** A user id or a salted hash of a visitor: one vote per voter and entry. */
  voterKey: string;
  helpful: boolean;
  createdAt: number;
}

export const FAQ_HELPFUL_VOTE_MODEL = 'FaqHelpfulVote';

export const faqHelpfulVoteSchema = new Schema<FaqHelpfulVoteDoc>(
  {
    entryId: idField,
    voterKey: { type: String, required: true, maxlength: 256 },
    helpful: { type: Boolean, required: true },
    createdAt: timeField,
  },
  { ...schemaOptions('faqHelpfulVotes'), _id: true },
);

faqHelpfulVoteSchema.index({ entryId: 1, voterKey: 1 }, { unique: true, name: 'faq_helpful_votes_unique' });
// The support dashboard's daily job reads a day's votes (the FAQ "helpful" share).
faqHelpfulVoteSchema.index({ createdAt: 1 }, { name: 'faq_helpful_votes_created' });
