import { Schema } from 'mongoose';
import { idField, schemaOptions, textField, timeField } from './common.js';

/** A moderator's "not FAQ material" for one answer; `_id` is the answer id, so at most one per answer. */
export interface FaqDismissalDoc {
  _id: number;
  communityId: number;
  dismissedBy: number;
  reason: string;
  scoreAtDismissal: number;
  createdAt: number;
}

export const FAQ_DISMISSAL_MODEL = 'FaqDismissal';

export const faqDismissalSchema = new Schema<FaqDismissalDoc>(
  {
    _id: idField,
    communityId: idField,
    dismissedBy: idField,
    reason: textField,
    scoreAtDismissal: { type: Number, required: true },
    createdAt: timeField,
  },
  schemaOptions('faqDismissals'),
);

faqDismissalSchema.index({ communityId: 1 }, { name: 'faq_dismissals_community' });
