import type { Locale } from '../../../domain/types.js';
import type { HeldMessage, InboundRepository, NewHeldMessage, NewMail } from '../../ports.js';
import { parseId } from '../ids.js';
import type { InboundHeldDoc } from '../models/inbound-held.js';
import { foldKey, type UserDoc } from '../models/user.js';
import { claimHeldQuery, heldDoc, heldQuery, verifyClaimerQuery } from '../queries/inbound.js';
import { findOne, findOneAndUpdate, insert, updateOne, type MongoContext } from './context.js';
import { enqueueMongoMail } from './mail-repositories.js';

const toHeld = (d: InboundHeldDoc): HeldMessage => ({
  tokenHash: d._id,
  communityId: String(d.communityId),
  email: d.email,
  senderName: d.senderName ?? '',
  locale: d.locale as Locale,
  title: d.title,
  bodyMd: d.bodyMd,
  tags: [...(d.tags ?? [])],
  createdAt: d.createdAt,
  expiresAt: d.expiresAt,
  claimedAt: d.claimedAt ?? null,
  claimedBy: d.claimedBy === null || d.claimedBy === undefined ? null : String(d.claimedBy),
});

export class MongoInboundRepository implements InboundRepository {
  constructor(private readonly ctx: MongoContext) {}

  async hold(m: NewHeldMessage, mail: NewMail): Promise<void> {
    const communityId = parseId(m.communityId);
    if (communityId === null) throw new Error('hold: bad community id');
    await this.ctx.tx(async (session) => {
      await insert(this.ctx.models.inboundHeld, [heldDoc(m, communityId, foldKey(m.email))], session);
      await enqueueMongoMail(this.ctx, mail, session);
    });
  }

  async findHeld(tokenHash: string): Promise<HeldMessage | null> {
    const d = await findOne<InboundHeldDoc>(this.ctx.models.inboundHeld, heldQuery(tokenHash));
    return d ? toHeld(d) : null;
  }

  async claim(tokenHash: string, userId: string, now: number): Promise<HeldMessage | null> {
    const uid = parseId(userId);
    if (uid === null) return null;
    return this.ctx.tx(async (session) => {
      const user = await findOne<UserDoc>(this.ctx.models.users, { filter: { _id: uid } }, session);
      if (!user) return null;
      const d = await findOneAndUpdate<InboundHeldDoc>(this.ctx.models.inboundHeld, claimHeldQuery(tokenHash, foldKey(user.email), uid, now), session);
      if (!d) return null;
      await updateOne(this.ctx.models.mailProfiles, verifyClaimerQuery(uid, user.email, d.locale, now), session);
      return toHeld(d);
    });
  }
}
