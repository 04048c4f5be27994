import { Schema } from 'mongoose';
import { idField, schemaOptions, timeField } from './common.js';

/** A member's choice for one kind of event; `_id` is "<userId>:<kind>" so a choice is an upsert by key. */
export interface NotificationPrefDoc {
  _id: string;
  userId: number;
  kind: string;
  delivery: 'off' | 'inbox' | 'email' | 'digest';
  updatedAt: number;
}

export const NOTIFICATION_PREF_MODEL = 'NotificationPref';

export const notificationPrefSchema = new Schema<NotificationPrefDoc>(
  {
    _id: { type: String, required: true, maxlength: 100 },
    userId: idField,
    kind: { type: String, required: true, maxlength: 50 },
    delivery: { type: String, required: true, enum: ['off', 'inbox', 'email', 'digest'] },
    updatedAt: timeField,
  },
  schemaOptions('notificationPrefs'),
);

notificationPrefSchema.index({ userId: 1 }, { name: 'notification_prefs_user' });
