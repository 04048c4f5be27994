import type { MembershipRepository, PostRepository } from '../../db/ports.js';
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
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly posts: Pick<PostRepository, 'listAnswers'> | null = null,
  ) {}

  async badges(community: Pick<Community, 'id' | 'kind' | 'name'>): Promise<StaffBadges> {
    if (community.kind !== 'business') return NO_BADGES;
    const staff = await this.memberships.listStaff(community.id);
    return new Map(staff.filter((s) => s.membership.role === 'staff').map((s) => [s.user.id, { community: community.name }]));
  }

  /**
   * Badges for the answers among search hits, by community and the answer author's user id
   * (not the name a hit shows: an imported member's display name is not their username, and
   * two members may share one): one staff read per business community on the page.
   */
  async badgesForAnswerHits(
    hits: ReadonlyArray<{ kind: string; communityId: string; answerAuthorId?: string }>,
    communities: ReadonlyMap<string, Pick<Community, 'id' | 'kind' | 'name'>>,
  ): Promise<(communityId: string, userId: string) => StaffBadge | null> {
    const byCommunity = new Map<string, StaffBadges>();
    for (const id of new Set(hits.filter((h) => h.kind === 'answer' && h.answerAuthorId).map((h) => h.communityId))) {
      const community = communities.get(id);
      if (community) byCommunity.set(id, await this.badges(community));
    }
    return (communityId, userId) => byCommunity.get(communityId)?.get(userId) ?? null;
  }

  /**
   * The badge for each listed question of a business community that has a live answer by its
   * staff (the similar-questions box of the ask page: an official reply is already there).
   * One staff read, then one answer read per question; the box lists at most a handful.
   */
  async questionsAnsweredByStaff(community: Pick<Community, 'id' | 'kind' | 'name'>, questionIds: readonly string[]): Promise<Map<string, StaffBadge>> {
    const out = new Map<string, StaffBadge>();
    if (community.kind !== 'business' || questionIds.length === 0 || !this.posts) return out;
    const staff = await this.badges(community);
    if (staff.size === 0) return out;
    for (const id of new Set(questionIds)) {
      const answers = await this.posts.listAnswers(id);
      if (answers.some((a) => staff.has(a.authorId))) out.set(id, { community: community.name });
    }
    return out;
  }

  async isStaff(community: Pick<Community, 'id' | 'kind'>, userId: string): Promise<boolean> {
    if (community.kind !== 'business') return false;
    return (await this.memberships.find(community.id, userId))?.role === 'staff';
  }
}
