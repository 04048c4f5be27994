import type { FaqRepository, MembershipRepository, ModerationRepository, SupportRepository } from '../../db/ports.js';
import { isCandidate } from '../../domain/faq-rules.js';
import type { Suspension } from '../../domain/moderation-types.js';
import type { Community, User } from '../../domain/types.js';
import type { CommunityService } from '../communities/community-service.js';
import { ViewerSuspensions } from './viewer-suspensions.js';
import type { ViewerMemberships } from '../communities/viewer-memberships.js';

/** Communities listed in the header menu at most; a site admin of a large forum uses the site-wide queue. */
const MAX_COMMUNITIES = 12;
/** Candidates counted per community: the menu says "100+" beyond. */
const COUNT_CAP = 100;

export interface ModerationNavCommunity {
  slug: string;
  name: string;
  canAct: boolean;
  flags: number;
  faqCandidates: number;
  faqReview: number;
  /** Support questions past their response target; null outside business communities. */
  overdue: number | null;
}

export interface ModerationNav {
  /** Total of the counts, shown on the header entry. */
  total: number;
  siteFlags: number | null;
  communities: ModerationNavCommunity[];
}

/**
 * The "Moderation" entry in the header (issue 13): for moderators, staff and admins, the
 * queues waiting in each community they look after, and the viewer's own suspension notice.
 */
export class ModerationNavService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly faq: FaqRepository,
    private readonly memberships: MembershipRepository,
    private readonly communities: CommunityService,
    private readonly now: () => number = Date.now,
    private readonly support: SupportRepository | null = null,
    /** Shared with the moderation service, so a page reads a member's suspensions once. */
    private readonly viewerSuspensions: ViewerSuspensions = new ViewerSuspensions(repo, now),
    /** The member's memberships read once per request: most members have no staff role, and then nothing more is read. */
    private readonly viewerMemberships: ViewerMemberships | null = null,
  ) {}

  async suspensions(user: User): Promise<Suspension[]> {
    return this.viewerSuspensions.of(user);
  }

  async nav(user: User): Promise<ModerationNav | null> {
    // Read on every page a member sees: only the memberships the menu is about.
    if (!user.isAdmin && this.viewerMemberships && ![...(await this.viewerMemberships.of(user)).values()].some((m) => m.role !== 'member')) return null;
    const mine = await this.memberships.listForUser(user.id, { staffOnly: true });
    if (!user.isAdmin && mine.length === 0) return null;
    const flags = await this.repo.openFlagCounts();
    const looked: Array<{ community: Community; canAct: boolean }> = mine.map((m) => ({ community: m.community, canAct: m.membership.role === 'moderator' || user.isAdmin }));
    if (user.isAdmin) {
      // Admins see every community that has flags waiting, besides their own.
      const listed = new Set(looked.map((l) => l.community.id));
      for (const c of await this.communities.list()) if (!listed.has(c.id) && (flags.get(c.id) ?? 0) > 0) looked.push({ community: c, canAct: true });
    }
    const communities = await Promise.all(
      looked.slice(0, MAX_COMMUNITIES).map(async ({ community, canAct }) => {
        const [rows, review, overdue] = await Promise.all([
          this.faq.candidateRows(community.id, community.promotionThreshold, COUNT_CAP),
          this.faq.listEntries(community.id, { needsReview: true, status: 'published' }),
          community.kind === 'business' && this.support ? this.support.countOverdue(community.id, this.now()) : Promise.resolve(null),
        ]);
        return {
          slug: community.slug,
          name: community.name,
          canAct,
          flags: flags.get(community.id) ?? 0,
          faqCandidates: rows.filter((r) => isCandidate(r, community.promotionThreshold)).length,
          faqReview: review.length,
          overdue,
        };
      }),
    );
    const siteFlags = user.isAdmin ? [...flags.values()].reduce((a, b) => a + b, 0) : null;
    const total = communities.reduce((n, c) => n + c.flags + c.faqCandidates + c.faqReview + (c.overdue ?? 0), 0);
    return { total, siteFlags, communities };
  }
}
