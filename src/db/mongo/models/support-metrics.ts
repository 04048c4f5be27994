import { Schema, Types } from 'mongoose';
import { nullableIdField, schemaOptions, timeField } from './common.js';

/* The support dashboard (issue 12): see src/db/sqlite/migrations/022-support-dashboard.ts. */

export interface SupportDailyDoc {
  /** "<community>:<day>:<metric>:<dim>": one aggregate per key, whichever instance writes it. */
  _id: string;
  /** 0 for what belongs to no community (site-wide searches). */
  communityId: number;
  day: string;
  metric: string;
  dim: string;
  value: number;
  detail: number[];
}

export const SUPPORT_DAILY_MODEL = 'SupportDaily';
export const supportDailySchema = new Schema<SupportDailyDoc>(
  {
    _id: { type: String, required: true },
    communityId: { type: Number, required: true, min: 0 },
    day: { type: String, required: true },
    metric: { type: String, required: true },
    dim: { type: String, default: '' },
    value: { type: Number, required: true },
    detail: { type: [Number], default: [] },
  },
  schemaOptions('supportDaily'),
);
supportDailySchema.index({ communityId: 1, day: 1 }, { name: 'support_daily_community_day' });
supportDailySchema.index({ day: 1 }, { name: 'support_daily_day' });

export interface SupportSelfServiceDoc {
  _id: Types.ObjectId;
  kind: string;
  browserId: string;
  communityId: number | null;
  at: number;
}

export const SUPPORT_SELF_SERVICE_MODEL = 'SupportSelfService';
export const supportSelfServiceSchema = new Schema<SupportSelfServiceDoc>(
  {
    kind: { type: String, required: true, enum: ['search', 'faq_view', 'similar_click', 'question_posted'] },
    browserId: { type: String, required: true },
    communityId: nullableIdField,
    at: timeField,
  },
  schemaOptions('supportSelfService'),
);
supportSelfServiceSchema.index({ at: 1 }, { name: 'support_self_service_at' });
