import { Schema } from 'mongoose';
import { idField, nullableTimeField, schemaOptions, timeField } from './common.js';

/** A member's digest choice; `_id` is the user id. lastDigestAt: how far the last digest reached. */
export interface DigestSubscriptionDoc {
  _id: number;
  frequency: 'off' | 'daily' | 'weekly';
  lastDigestAt: number | null;
  updatedAt: number;
}

export const DIGEST_SUBSCRIPTION_MODEL = 'DigestSubscription';

export const digestSubscriptionSchema = new Schema<DigestSubscriptionDoc>(
  {
    _id: idField,
    frequency: { type: String, required: true, enum: ['off', 'daily', 'weekly'] },
    lastDigestAt: nullableTimeField,
    updatedAt: timeField,
  },
  schemaOptions('digestSubscriptions'),
);

digestSubscriptionSchema.index({ frequency: 1, lastDigestAt: 1, _id: 1 }, { name: 'digest_subscriptions_due' });

/** A business community's newsletter; only 'sent' ones are public. */
export interface NewsletterDoc {
  _id: number;
  communityId: number;
  authorId: number;
  subject: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  status: 'draft' | 'scheduled' | 'sent';
  scheduledAt: number | null;
  sentAt: number | null;
  recipientCount: number;
  createdAt: number;
  updatedAt: number;
}

export const NEWSLETTER_MODEL = 'Newsletter';

export const newsletterSchema = new Schema<NewsletterDoc>(
  {
    _id: idField,
    communityId: idField,
    authorId: idField,
    subject: { type: String, required: true, maxlength: 300 },
    bodyMd: { type: String, required: true },
    bodyHtml: { type: String, default: '' },
    bodyText: { type: String, default: '' },
    status: { type: String, required: true, enum: ['draft', 'scheduled', 'sent'] },
    scheduledAt: nullableTimeField,
    sentAt: nullableTimeField,
    recipientCount: { type: Number, default: 0 },
    createdAt: timeField,
    updatedAt: timeField,
  },
  schemaOptions('newsletters'),
);

newsletterSchema.index({ communityId: 1, status: 1, sentAt: -1, _id: -1 }, { name: 'newsletters_archive' });
newsletterSchema.index({ status: 1, scheduledAt: 1 }, { name: 'newsletters_due' });

/** A member opted in to a community's news; `_id` is "<communityId>:<userId>". */
export interface CommunityNewsDoc {
  _id: string;
  communityId: number;
  userId: number;
  createdAt: number;
}

export const COMMUNITY_NEWS_MODEL = 'CommunityNews';

export const communityNewsSchema = new Schema<CommunityNewsDoc>(
  {
    _id: { type: String, required: true, maxlength: 50 },
    communityId: idField,
    userId: idField,
    createdAt: timeField,
  },
  schemaOptions('communityNews'),
);

communityNewsSchema.index({ communityId: 1, userId: 1 }, { name: 'community_news_community' });
communityNewsSchema.index({ userId: 1 }, { name: 'community_news_user' });
