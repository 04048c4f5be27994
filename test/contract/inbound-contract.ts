import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewHeldMessage, NewMail, Storage } from '../../src/db/ports.js';

/*
 * Held inbound messages (src/db/ports.ts, "Inbound support mail"): held together with the
 * confirmation mail, claimed once, only by an account that has the sender's address, never
 * after the link expired; claiming verifies the address. makeStorage returns a fresh store.
 */

const T = 1_700_000_000_000;
const HASH = 'c'.repeat(64);

export function runInboundContract(name: string, makeStorage: () => Promise<Storage>): void {
  describe(`inbound held-message contract: ${name}`, () => {
    let storage: Storage;
    let communityId: string;
    beforeEach(async () => {
      storage = await makeStorage();
      communityId = (await storage.communities.create({ slug: 'coffee', name: 'Coffee', kind: 'business', descriptionMd: '', descriptionHtml: '', defaultLocale: 'zh-CN' })).id;
    });
    afterEach(async () => {
      await storage.close();
    });

    const held = (extra: Partial<NewHeldMessage> = {}): NewHeldMessage => ({
      tokenHash: HASH,
      communityId,
      email: 'Li.Lei@Example.test',
      senderName: '李雷',
      locale: 'zh-CN',
      title: '咖啡机不出水怎么办',
      bodyMd: '按下开关后没有水流出来。',
      tags: ['espresso', 'repair'],
      now: T,
      expiresAt: T + 1000,
      ...extra,
    });
    const mail = (key: string): NewMail => ({ idempotencyKey: key, to: 'Li.Lei@Example.test', userId: null, kind: 'inbound-confirm', locale: 'zh-CN', subject: '请确认', html: '<p>x</p>', text: 'x', headers: {}, now: T });

    it('holds the message and queues its confirmation mail together', async () => {
      await storage.mail.inbound.hold(held(), mail('inbound-confirm:1'));
      expect(await storage.mail.inbound.findHeld(HASH)).toEqual({
        tokenHash: HASH, communityId, email: 'Li.Lei@Example.test', senderName: '李雷', locale: 'zh-CN', title: '咖啡机不出水怎么办', bodyMd: '按下开关后没有水流出来。',
        tags: ['espresso', 'repair'], createdAt: T, expiresAt: T + 1000, claimedAt: null, claimedBy: null,
      });
      const queued = await storage.mail.queue.list(0, 10);
      expect(queued.map((m) => m.idempotencyKey)).toEqual(['inbound-confirm:1']);
      expect(await storage.mail.inbound.findHeld('d'.repeat(64))).toBeNull();
    });

    it('a second hold with the same token stores nothing more and queues no mail', async () => {
      await storage.mail.inbound.hold(held(), mail('inbound-confirm:1'));
      await expect(storage.mail.inbound.hold(held({ title: 'another title here' }), mail('inbound-confirm:2'))).rejects.toThrow();
      expect((await storage.mail.inbound.findHeld(HASH))?.title).toBe('咖啡机不出水怎么办');
      expect((await storage.mail.queue.list(0, 10)).map((m) => m.idempotencyKey)).toEqual(['inbound-confirm:1']);
    });

    it('is claimed once, by the account with the sender address (any case), which becomes verified', async () => {
      await storage.mail.inbound.hold(held(), mail('inbound-confirm:1'));
      const other = await storage.users.create({ username: 'other', email: 'other@example.test', displayName: 'Other', passwordHash: 'x' });
      expect(await storage.mail.inbound.claim(HASH, other.id, T + 10)).toBeNull();
      const li = await storage.users.create({ username: 'lilei', email: 'li.lei@example.test', displayName: 'Li', passwordHash: 'x' });
      const claimed = await storage.mail.inbound.claim(HASH, li.id, T + 20);
      expect(claimed).toMatchObject({ tokenHash: HASH, claimedAt: T + 20, claimedBy: li.id, title: '咖啡机不出水怎么办' });
      expect(await storage.mail.accounts.profile(li.id)).toMatchObject({ verifiedEmail: 'li.lei@example.test', verifiedAt: T + 20 });
      expect(await storage.mail.inbound.claim(HASH, li.id, T + 30)).toBeNull();
      expect((await storage.mail.inbound.findHeld(HASH))?.claimedBy).toBe(li.id);
      expect(await storage.mail.accounts.profile(other.id)).toBeNull();
    });

    it('an expired link claims nothing and verifies nothing', async () => {
      await storage.mail.inbound.hold(held(), mail('inbound-confirm:1'));
      const li = await storage.users.create({ username: 'lilei', email: 'li.lei@example.test', displayName: 'Li', passwordHash: 'x' });
      expect(await storage.mail.inbound.claim(HASH, li.id, T + 1000)).toBeNull();
      expect(await storage.mail.accounts.profile(li.id)).toBeNull();
      expect((await storage.mail.inbound.findHeld(HASH))?.claimedAt).toBeNull();
    });
  });
}
