import { Schema } from 'mongoose';
import { idField, nullableIdField, nullableTimeField, schemaOptions, textField, timeField } from './common.js';

/**
 * An inbound support message held until its sender confirms (issue 11); `_id` is the SHA-256
 * of the confirmation link's token. emailKey is the folded sender address the claiming
 * account must have.
 */
export interface InboundHeldDoc {
  _id: string;
  communityId: number;
  email: string;
  emailKey: string;
  senderName: string;
  locale: string;
  title: string;
  bodyMd: string;
  tags: string[];
  createdAt: number;
  expiresAt: number;
  claimedAt: number | null;
  claimedBy: number | null;
}

export const INBOUND_HELD_MODEL = 'InboundHeld';

export const inboundHeldSchema = new Schema<InboundHeldDoc>(
  {
    _id: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    communityId: idField,
    email: { type: String, required: true, maxlength: 320 },
    emailKey: { type: String, required: true, maxlength: 320 },
    senderName: textField,
    locale: { type: String, required: true, enum: ['en', 'zh-CN'] },
    title: { type: String, required: true },
    bodyMd: { type: String, required: true },
    tags: { type: [String], default: [] },
    createdAt: timeField,
    expiresAt: timeField,
    claimedAt: nullableTimeField,
    claimedBy: nullableIdField,
  },
  schemaOptions('inboundHeld'),
);
