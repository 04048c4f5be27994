import type { MembershipRepository, UserRepository } from '../../db/ports.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Community, Membership, User } from '../../domain/types.js';

export interface Profile {
  user: User;
  communities: Array<{ community: Community; membership: Membership }>;
}

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  async profile(username: string): Promise<Profile> {
    if (username.length === 0 || username.length > 60) throw new NotFoundError('user.notFound');
    const user = await this.users.findByUsername(username.normalize('NFC'));
    if (!user) throw new NotFoundError('user.notFound');
    const communities = (await this.memberships.listForUser(user.id)).map(({ membership, community }) => ({ community, membership }));
    return { user, communities };
  }
}
