import { Schema } from 'mongoose';
import { schemaOptions, timeField } from './common.js';

export interface RateLimitDoc {
  _id: string;
  count: number;
  resetAt: number;
  /** Whether the last reserve took an attempt (written by rateLimitReserveQuery). */
  granted?: boolean;
}

export const RATE_LIMIT_MODEL = 'RateLimit';

export const rateLimitSchema = new Schema<RateLimitDoc>(
  {
    _id: { type: String, required: true, maxlength: 512 },
    count: { type: Number, required: true, min: 0 },
    resetAt: timeField,
    granted: { type: Boolean },
  },
  schemaOptions('rateLimits'),
);
