import { Schema } from 'mongoose';
import { idField, schemaOptions, timeField } from './common.js';

/** Sessions keep the id chosen by the session service (a hash of the token) as `_id`. */
export interface SessionDoc {
  _id: string;
  userId: number;
  expiresAt: number;
  createdAt: number;
}

export const SESSION_MODEL = 'Session';

export const sessionSchema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true, maxlength: 256 },
    userId: idField,
    expiresAt: timeField,
    createdAt: timeField,
  },
  schemaOptions('sessions'),
);

sessionSchema.index({ userId: 1 }, { name: 'sessions_user' });
// Expiry is a number (ms), not a Date, so no TTL index: SessionRepository.deleteExpired sweeps.
sessionSchema.index({ expiresAt: 1 }, { name: 'sessions_expiry' });
