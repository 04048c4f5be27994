import type { MembershipRepository } from '../../db/ports.js';
import type { Membership, User } from '../../domain/types.js';

/**
 * The memberships of the member behind a request, read once per request in one statement
 * (the page's community role, the home page's joined communities and whether the moderation
 * menu applies each read them apart before). Keyed by the User object, as ViewerSuspensions:
 * the session plugin hands every request its own copy of the user, so an entry lives as long
 * as that request. A membership written through the community service forgets everything, so
 * a request that joins and then renders sees the new state.
 */
export class ViewerMemberships {
  private memo = new WeakMap<User, Promise<Map<string, Membership>>>();

  constructor(private readonly repo: Pick<MembershipRepository, 'membershipsOf'>) {}

  /** Community id -> membership. */
  of(user: User): Promise<Map<string, Membership>> {
    let found = this.memo.get(user);
    if (!found) {
      found = this.repo.membershipsOf(user.id).then((list) => new Map(list.map((m) => [m.communityId, m])));
      this.memo.set(user, found);
      // A failed read is not remembered: the next question reads again.
      found.catch(() => this.memo.delete(user));
    }
    return found;
  }

  async find(communityId: string, user: User): Promise<Membership | null> {
    return (await this.of(user)).get(communityId) ?? null;
  }

  /** After a membership is added, removed or changes role. */
  forget(): void {
    this.memo = new WeakMap();
  }
}
