import type { CommunityRole, Membership, User } from './types.js';

/** Pure permission rules; services call these so that pages and API agree. */

export function isModerator(user: User | null, membership: Membership | null): boolean {
  if (!user) return false;
  return user.isAdmin || membership?.role === 'moderator';
}

export function isStaff(membership: Membership | null): boolean {
  return membership?.role === 'staff';
}

export function canPostIn(user: User | null, membership: Membership | null): boolean {
  return Boolean(user && (membership || user.isAdmin));
}

export function roleRank(role: CommunityRole): number {
  return role === 'moderator' ? 2 : role === 'staff' ? 1 : 0;
}
