import type { ActivityKind } from '../../domain/qa-types.js';
import type { MembershipRepository, CommunityRepository } from '../../db/ports.js';
import type { Community, User } from '../../domain/types.js';
import type { GenerationCache } from '../generation-cache.js';
import type { ViewerMemberships } from '../communities/viewer-memberships.js';

export interface RecentActivityItem {
  kind: ActivityKind;
  title: string;
  url: string;
  communityName: string;
  communityUrl: string;
  authorName: string;
  at: number;
}

/** Anything that can list the latest activity across communities (the Q&A service). */
export interface RecentActivitySource {
  recentActivity(limit: number): Promise<RecentActivityItem[]>;
}

export interface HomeOverview {
  communities: Community[];
  joined: Set<string>;
  recent: RecentActivityItem[];
}

const RECENT_ITEMS = 15;

export class HomeService {
  constructor(
    /** The community list (the community service, which reuses it between changes). */
    private readonly communities: Pick<CommunityRepository, 'list'>,
    private readonly memberships: MembershipRepository,
    private readonly activity: RecentActivitySource | null,
    /**
     * The latest activity is the same for every reader: kept until the next write (a member's
     * home page then reads only their memberships). Times stay timestamps, formatted per request.
     */
    private readonly recentCache: GenerationCache<RecentActivityItem[]> | null = null,
    /**
     * The page's content as HTML bytes, the same for every member who joined the same
     * communities and reads in the same language (the header around it is theirs alone):
     * kept until the next write, and for the cache's TTL at most (its relative times age).
     */
    private readonly bodyCache: GenerationCache<Buffer[]> | null = null,
    /** The member's memberships in one small read (the home page needs only which communities). */
    private readonly viewerMemberships: ViewerMemberships | null = null,
  ) {}

  /** The content rendered for `key` (which must name everything it shows), rendered once for all who share it. */
  async rendered(key: string, render: () => Promise<string[]>): Promise<Buffer[]> {
    const bytes = async () => (await render()).map((part) => Buffer.from(part, 'utf8'));
    return this.bodyCache ? this.bodyCache.load(key, bytes) : bytes();
  }

  async overview(user: User | null): Promise<HomeOverview> {
    const [communities, joined, recent] = await Promise.all([
      this.communities.list(),
      this.joinedBy(user),
      this.recent(),
    ]);
    return { communities, joined, recent };
  }

  private async joinedBy(user: User | null): Promise<Set<string>> {
    if (!user) return new Set();
    if (this.viewerMemberships) return new Set((await this.viewerMemberships.of(user)).keys());
    return new Set((await this.memberships.listForUser(user.id)).map((m) => m.community.id));
  }

  private recent(): Promise<RecentActivityItem[]> {
    const activity = this.activity;
    if (!activity) return Promise.resolve([]);
    return this.recentCache ? this.recentCache.load('recent', () => activity.recentActivity(RECENT_ITEMS)) : activity.recentActivity(RECENT_ITEMS);
  }
}
