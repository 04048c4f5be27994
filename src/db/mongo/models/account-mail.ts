import { Schema } from 'mongoose';
import { idField, nullableTimeField, schemaOptions, timeField } from './common.js';

/** The mail side of an account (`_id` is the user id): its mail language and verified address. */
export interface MailProfileDoc {
  _id: number;
  locale: string;
  verifiedEmail: string | null;
  verifiedAt: number | null;
}

export const MAIL_PROFILE_MODEL = 'MailProfile';

export const mailProfileSchema = new Schema<MailProfileDoc>(
  {
    _id: idField,
    locale: { type: String, required: true, enum: ['en', 'zh-CN'] },
    verifiedEmail: { type: String, default: null, maxlength: 320 },
    verifiedAt: nullableTimeField,
  },
  schemaOptions('mailProfiles'),
);

/** A single-use account link, keyed by the SHA-256 of the token (the link itself is never stored). */
export interface AccountTokenDoc {
  _id: string;
  userId: number;
  purpose: 'verify' | 'reset' | 'change-email';
  email: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export const ACCOUNT_TOKEN_MODEL = 'AccountToken';

export const accountTokenSchema = new Schema<AccountTokenDoc>(
  {
    _id: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    userId: idField,
    purpose: { type: String, required: true, enum: ['verify', 'reset', 'change-email'] },
    email: { type: String, required: true, maxlength: 320 },
    createdAt: timeField,
    expiresAt: timeField,
    usedAt: nullableTimeField,
  },
  schemaOptions('accountTokens'),
);

accountTokenSchema.index({ userId: 1, purpose: 1 }, { name: 'account_tokens_user' });
