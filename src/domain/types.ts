export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

export type CommunityKind = 'interest' | 'business';
export const COMMUNITY_KINDS: readonly CommunityKind[] = ['interest', 'business'];

export type CommunityRole = 'member' | 'staff' | 'moderator';
export const COMMUNITY_ROLES: readonly CommunityRole[] = ['member', 'staff', 'moderator'];

export interface User {
  id: string;
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
  isAdmin: boolean;
  reputation: number;
  createdAt: number;
}

/**
 * What pages show of a post's author: read by question pages and lists instead of the whole
 * user, so no page loads e-mail addresses or password hashes it never shows.
 */
export type AuthorProfile = Pick<User, 'id' | 'username' | 'displayName' | 'reputation'>;

export interface Session {
  id: string;
  userId: string;
  expiresAt: number;
  createdAt: number;
}

export interface Community {
  id: string;
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  descriptionHtml: string;
  defaultLocale: Locale;
  memberCount: number;
  questionCount: number;
  /** Score at which an answer becomes an FAQ candidate (DESIGN.md section 7). */
  promotionThreshold: number;
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  communityId: string;
  userId: string;
  role: CommunityRole;
  joinedAt: number;
}

/**
 * Words and short phrases that mean the same in site search ("wifi", "wi fi", "wlan"). Site-wide
 * because Meilisearch synonyms are index-wide. Terms are stored folded as search sees them
 * (src/search/text.ts tokenize, tokens joined by one space), and a term is in one group at most.
 */
export interface SynonymGroup {
  id: string;
  terms: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}
