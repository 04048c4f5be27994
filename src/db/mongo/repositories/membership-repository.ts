import type { MemberWithUser, MembershipRepository } from '../../ports.js';
import type { Community, CommunityRole, Membership } from '../../../domain/types.js';
import { parseId } from '../ids.js';
import { mapCommunity, mapMembership, mapUser } from '../mappers.js';
import type { CommunityDoc, MembershipDoc, UserDoc } from '../models/index.js';
import {
  addCommunityCountQuery,
  communitiesByIdsQuery,
  compareNoCase,
  membershipQuery,
  membershipsOfUserQuery,
  staffOfCommunityQuery,
  upsertMembershipQuery,
  usersByIdsQuery,
} from '../queries/accounts.js';
import { deleteOne, findMany, findOne, updateOne, type MongoContext } from './context.js';

export class MongoMembershipRepository implements MembershipRepository {
  constructor(private readonly ctx: MongoContext) {}

  /** Transaction: the membership and the community's member count change together. */
  async upsert(communityId: string, userId: string, role: CommunityRole): Promise<Membership> {
    const c = parseId(communityId);
    const u = parseId(userId);
    if (c === null || u === null) throw new Error('Invalid id');
    return this.ctx.tx(async (session) => {
      const result = await updateOne(this.ctx.models.memberships, upsertMembershipQuery(c, u, role, Date.now()), session);
      if (result.upsertedCount > 0) await updateOne(this.ctx.models.communities, addCommunityCountQuery(c, 'memberCount', 1), session);
      const doc = await findOne<MembershipDoc>(this.ctx.models.memberships, membershipQuery(c, u), session);
      return mapMembership(doc!);
    });
  }

  /** Transaction: leaving and the member count change together. */
  async remove(communityId: string, userId: string): Promise<boolean> {
    const c = parseId(communityId);
    const u = parseId(userId);
    if (c === null || u === null) return false;
    return this.ctx.tx(async (session) => {
      const { deletedCount } = await deleteOne(this.ctx.models.memberships, membershipQuery(c, u), session);
      if (deletedCount > 0) await updateOne(this.ctx.models.communities, addCommunityCountQuery(c, 'memberCount', -1), session);
      return deletedCount > 0;
    });
  }

  async find(communityId: string, userId: string): Promise<Membership | null> {
    const c = parseId(communityId);
    const u = parseId(userId);
    if (c === null || u === null) return null;
    const doc = await findOne<MembershipDoc>(this.ctx.models.memberships, membershipQuery(c, u));
    return doc ? mapMembership(doc) : null;
  }

  async listForUser(userId: string, options: { staffOnly?: boolean } = {}): Promise<Array<{ membership: Membership; community: Community }>> {
    const u = parseId(userId);
    if (u === null) return [];
    const memberships = await findMany<MembershipDoc>(this.ctx.models.memberships, membershipsOfUserQuery(u, options.staffOnly === true));
    if (memberships.length === 0) return [];
    const communities = await findMany<CommunityDoc>(this.ctx.models.communities, communitiesByIdsQuery(memberships.map((m) => m.communityId)));
    const byId = new Map(communities.map((c) => [c._id, mapCommunity(c)]));
    return memberships
      .filter((m) => byId.has(m.communityId))
      .map((m) => ({ membership: mapMembership(m), community: byId.get(m.communityId)! }))
      .sort((a, b) => compareNoCase(a.community.name, b.community.name));
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const u = parseId(userId);
    if (u === null) return [];
    return (await findMany<MembershipDoc>(this.ctx.models.memberships, membershipsOfUserQuery(u))).map(mapMembership);
  }

  async listStaff(communityId: string): Promise<MemberWithUser[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    const memberships = await findMany<MembershipDoc>(this.ctx.models.memberships, staffOfCommunityQuery(c));
    if (memberships.length === 0) return [];
    const users = await findMany<UserDoc>(this.ctx.models.users, usersByIdsQuery(memberships.map((m) => m.userId)));
    // Staff lists never carry password hashes.
    const byId = new Map(users.map((u) => [u._id, { ...mapUser(u), passwordHash: '' }]));
    return memberships
      .filter((m) => byId.has(m.userId))
      .map((m) => ({ membership: mapMembership(m), user: byId.get(m.userId)! }))
      .sort((a, b) => (a.membership.role < b.membership.role ? -1 : a.membership.role > b.membership.role ? 1 : compareNoCase(a.user.username, b.user.username)));
  }
}
