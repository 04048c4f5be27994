import type { MembershipRepository } from '../../db/ports.js';
import type { Community } from '../../domain/types.js';

/** What a page needs to show a "Staff" badge: the company (community) the person speaks for. */
export interface StaffBadge {
  community: string;
}

export type StaffBadges = ReadonlyMap<string, StaffBadge>;

export const NO_BADGES: StaffBadges = new Map();

/**
 * Who is staff where. Only business communities have staff in the customer-service sense
 * (DESIGN.md §1): there the company's people answer next to customers, and customers must
 * be able to tell an official reply from a fellow customer's.
 */
export class StaffDirectory {
  constructor(private readonly memberships: MembershipRepository) {}

  async badges(community: Pick<Community, 'id' | 'kind' | 'name'>): Promise<StaffBadges> {
    if (community.kind !== 'business') return NO_BADGES;
    const staff = await this.memberships.listStaff(community.id);
    return new Map(staff.filter((s) => s.membership.role === 'staff').map((s) => [s.user.id, { community: community.name }]));
  }

  /**
   * Badges for the answers among search hits, by community and author name (a hit names its
   * answer's author, not the id): one staff read per business community on the page.
   */
  async badgesForAnswerHits(
    hits: ReadonlyArray<{ kind: string; communityId: string; answerAuthor?: string }>,
    communities: ReadonlyMap<string, Pick<Community, 'id' | 'kind' | 'name'>>,
  ): Promise<(communityId: string, username: string) => StaffBadge | null> {
    const byCommunity = new Map<string, Map<string, StaffBadge>>();
    for (const id of new Set(hits.filter((h) => h.kind === 'answer' && h.answerAuthor).map((h) => h.communityId))) {
      const community = communities.get(id);
      if (!community || community.kind !== 'business') continue;
      const staff = await this.memberships.listStaff(community.id);
      byCommunity.set(id, new Map(staff.filter((s) => s.membership.role === 'staff').map((s) => [s.user.username, { community: community.name }])));
    }
    return (communityId, username) => byCommunity.get(communityId)?.get(username) ?? null;
  }

  async isStaff(community: Pick<Community, 'id' | 'kind'>, userId: string): Promise<boolean> {
    if (community.kind !== 'business') return false;
    return (await this.memberships.find(community.id, userId))?.role === 'staff';
  }
}
