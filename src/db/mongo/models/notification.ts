import { Schema } from 'mongoose';
import { idField, nullableIdField, nullableTimeField, schemaOptions, timeField } from './common.js';

/** One in-site notification; (userId, eventKey) is unique so an event notifies a member once. */
export interface NotificationDoc {
  _id: number;
  userId: number;
  eventKey: string;
  kind: string;
  actorId: number | null;
  threadId: number | null;
  title: string;
  link: string;
  createdAt: number;
  readAt: number | null;
}

export const NOTIFICATION_MODEL = 'Notification';

export const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: idField,
    userId: idField,
    eventKey: { type: String, required: true, maxlength: 200 },
    kind: { type: String, required: true, maxlength: 50 },
    actorId: nullableIdField,
    threadId: nullableIdField,
    title: { type: String, required: true, maxlength: 500 },
    link: { type: String, required: true, maxlength: 1000 },
    createdAt: timeField,
    readAt: nullableTimeField,
  },
  schemaOptions('notifications'),
);

notificationSchema.index({ userId: 1, eventKey: 1 }, { unique: true, name: 'notifications_event_unique' });
notificationSchema.index({ userId: 1, createdAt: -1, _id: -1 }, { name: 'notifications_inbox' });
notificationSchema.index({ userId: 1, readAt: 1, threadId: 1 }, { name: 'notifications_unread' });

/** A member watching a community, a tag ("<communityId>:<tag>") or a question; `_id` is "<user>:<type>:<target>". */
export interface WatchDoc {
  _id: string;
  userId: number;
  targetType: 'community' | 'tag' | 'question';
  targetId: string;
  createdAt: number;
}

export const WATCH_MODEL = 'Watch';

export const watchSchema = new Schema<WatchDoc>(
  {
    _id: { type: String, required: true, maxlength: 300 },
    userId: idField,
    targetType: { type: String, required: true, enum: ['community', 'tag', 'question'] },
    targetId: { type: String, required: true, maxlength: 200 },
    createdAt: timeField,
  },
  schemaOptions('watches'),
);

watchSchema.index({ targetType: 1, targetId: 1 }, { name: 'watches_target' });
