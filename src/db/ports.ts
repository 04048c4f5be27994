import type { Community, CommunityKind, CommunityRole, Locale, Membership, Session, User } from '../domain/types.js';

/*
 * Storage ports. Services depend on these interfaces only; each backend (src/db/sqlite,
 * later src/db/mongo) implements all of them. Every method is async so that a
 * network-backed store fits the same shape. A method is the unit of atomicity: when an
 * operation must change several records together it is one method here.
 */

export interface NewUser {
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
  isAdmin?: boolean;
  createdAt?: number;
}

export interface UserRepository {
  create(input: NewUser): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  findManyByIds(ids: string[]): Promise<User[]>;
  /** Replaces the hash and deletes every session of the user in one step. */
  updatePasswordAndRevokeSessions(userId: string, passwordHash: string): Promise<void>;
  setAdmin(userId: string, isAdmin: boolean): Promise<void>;
  count(): Promise<number>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  findWithUser(sessionId: string): Promise<{ session: Session; user: User } | null>;
  updateExpiry(sessionId: string, expiresAt: number): Promise<void>;
  delete(sessionId: string): Promise<void>;
  deleteAllForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface NewCommunity {
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  descriptionHtml: string;
  defaultLocale: Locale;
  promotionThreshold?: number;
}

export type CommunityUpdate = Partial<Omit<NewCommunity, 'slug'>>;

export interface CommunityRepository {
  create(input: NewCommunity): Promise<Community>;
  update(id: string, changes: CommunityUpdate): Promise<Community>;
  findBySlug(slug: string): Promise<Community | null>;
  findById(id: string): Promise<Community | null>;
  list(): Promise<Community[]>;
}

export interface MemberWithUser {
  membership: Membership;
  user: User;
}

export interface MembershipRepository {
  /** Joins (or changes the role of an existing member) and keeps the member count right. */
  upsert(communityId: string, userId: string, role: CommunityRole): Promise<Membership>;
  /** Leaves; returns false when the user was not a member. */
  remove(communityId: string, userId: string): Promise<boolean>;
  find(communityId: string, userId: string): Promise<Membership | null>;
  listForUser(userId: string): Promise<Array<{ membership: Membership; community: Community }>>;
  listStaff(communityId: string): Promise<MemberWithUser[]>;
}

export interface RateLimitRepository {
  /** Counts one hit for key in a fixed window; returns the count so far and when the window ends. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  peek(key: string, now: number): Promise<{ count: number; resetAt: number } | null>;
  reset(key: string): Promise<void>;
}

export interface MetaRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface Storage {
  readonly backend: 'sqlite' | 'mongo';
  users: UserRepository;
  sessions: SessionRepository;
  communities: CommunityRepository;
  memberships: MembershipRepository;
  rateLimits: RateLimitRepository;
  meta: MetaRepository;
  close(): Promise<void>;
}
