import { COMMUNITY_SLUG_PATTERN } from '../../domain/community-rules.js';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where an inbound message goes: a community's support address, or a member's reply address for one thread. */
export type InboundRoute = { kind: 'community'; slug: string } | { kind: 'reply'; userId: string; questionId: string };

const MAC_HEX = 20;

/*
 * The addresses inbound mail arrives at. A community's support address comes from one template
 * (INBOUND_ADDRESS_TEMPLATE, default support+{community}@{domain}). A reply address,
 * reply+<user>-<thread>-<mac>@{domain}, is put in the Reply-To of notification mails: the mac
 * (HMAC-SHA256 with the site's secret, 80 bits in hex) proves the forum made it for this member
 * and thread. Hex because mail servers may change the case of a local part; short because a
 * local part may be at most 64 characters.
 */
export class InboundAddresses {
  private readonly prefix: string;
  private readonly suffix: string;

  constructor(
    private readonly template: string,
    private readonly domain: string,
    private readonly secret: string,
  ) {
    const full = template.replace('{domain}', domain).toLowerCase();
    [this.prefix, this.suffix] = full.split('{community}') as [string, string];
  }

  communityAddress(slug: string): string {
    return `${this.prefix}${slug}${this.suffix}`;
  }

  replyAddress(userId: string, questionId: string): string {
    return `reply+${userId}-${questionId}-${this.mac(userId, questionId)}@${this.domain}`;
  }

  /** What an address names, or null when it is none of ours (or a forged reply address). */
  route(address: string): InboundRoute | null {
    const a = address.trim().toLowerCase();
    const reply = /^reply\+([1-9]\d{0,15})-([1-9]\d{0,15})-([0-9a-f]{20})@(.+)$/.exec(a);
    if (reply && reply[4] === this.domain) {
      const expected = Buffer.from(this.mac(reply[1]!, reply[2]!));
      const given = Buffer.from(reply[3]!);
      return timingSafeEqual(expected, given) ? { kind: 'reply', userId: reply[1]!, questionId: reply[2]! } : null;
    }
    if (a.startsWith(this.prefix) && a.endsWith(this.suffix) && a.length > this.prefix.length + this.suffix.length) {
      const slug = a.slice(this.prefix.length, a.length - this.suffix.length);
      if (COMMUNITY_SLUG_PATTERN.test(slug)) return { kind: 'community', slug };
    }
    return null;
  }

  private mac(userId: string, questionId: string): string {
    return createHmac('sha256', this.secret).update(`inbound-reply\n${userId}-${questionId}`).digest('hex').slice(0, MAC_HEX);
  }
}
