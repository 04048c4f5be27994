import type { NewHeldMessage } from '../../ports.js';
import type { InboundHeldDoc } from '../models/inbound-held.js';
import { text, type FindSpec, type UpdateSpec } from './spec.js';

export function heldDoc(m: NewHeldMessage, communityId: number, emailKey: string): InboundHeldDoc {
  return {
    _id: text(m.tokenHash),
    communityId,
    email: text(m.email),
    emailKey,
    senderName: text(m.senderName),
    locale: m.locale,
    title: text(m.title),
    bodyMd: text(m.bodyMd),
    tags: m.tags.map(text),
    createdAt: m.now,
    expiresAt: m.expiresAt,
    claimedAt: null,
    claimedBy: null,
  };
}

export const heldQuery = (hash: string): FindSpec => ({ filter: { _id: text(hash) } });

/** Claims the message once: unclaimed, unexpired and sent from the claiming account's address. */
export const claimHeldQuery = (hash: string, emailKey: string, userId: number, now: number): UpdateSpec => ({
  filter: { _id: text(hash), claimedAt: null, expiresAt: { $gt: now }, emailKey: text(emailKey) },
  update: { $set: { claimedAt: now, claimedBy: userId } },
  options: { returnDocument: 'after' },
});

/** The claim proves the mailbox: the address is verified; a new profile takes the message's language. */
export const verifyClaimerQuery = (userId: number, email: string, locale: string, now: number): UpdateSpec => ({
  filter: { _id: userId },
  update: { $set: { verifiedEmail: text(email), verifiedAt: now }, $setOnInsert: { locale } },
  options: { upsert: true },
});
