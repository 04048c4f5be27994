import type { CommunityUpdate, NewCommunity, NewUser } from '../../ports.js';
import type { CommunityRole, Session } from '../../../domain/types.js';
import type { CommunityDoc } from '../models/community.js';
import type { SessionDoc } from '../models/session.js';
import { foldKey, type UserDoc } from '../models/user.js';
import { text, type FindSpec, type UpdateSpec } from './spec.js';
import { usernameSkeleton } from '../../../domain/username-skeleton.js';

/* ---------- users ---------- */

export function newUserDoc(id: number, input: NewUser, now: number): UserDoc {
  return {
    _id: id,
    username: input.username,
    usernameKey: foldKey(input.username),
    usernameSkeleton: usernameSkeleton(input.username),
    email: input.email,
    emailKey: foldKey(input.email),
    displayName: input.displayName,
    passwordHash: input.passwordHash,
    isAdmin: input.isAdmin === true,
    reputation: 0,
    createdAt: input.createdAt ?? now,
  };
}

/** Usernames and emails are matched case-insensitively through their folded key fields. */
export const userByUsernameQuery = (username: string): FindSpec => ({ filter: { usernameKey: foldKey(text(username)) } });
export const userBySkeletonQuery = (username: string): FindSpec => ({ filter: { usernameSkeleton: usernameSkeleton(text(username)) } });
export const userByEmailQuery = (email: string): FindSpec => ({ filter: { emailKey: foldKey(text(email)) } });
export const usersByIdsQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids } }, sort: { _id: 1 } });
/** Only what pages show of an author (no e-mail, no password hash). */
export const authorsByIdsQuery = (ids: number[]): FindSpec => ({ ...usersByIdsQuery(ids), projection: { _id: 1, username: 1, displayName: 1, reputation: 1 } });

export const setPasswordQuery = (userId: number, passwordHash: string): UpdateSpec => ({
  filter: { _id: userId },
  update: { $set: { passwordHash } },
});

export const setAdminQuery = (userId: number, isAdmin: boolean): UpdateSpec => ({ filter: { _id: userId }, update: { $set: { isAdmin } } });

/** Applies a reputation change (no-op updates are skipped by the caller). */
export const addReputationQuery = (userId: number, delta: number): UpdateSpec => ({ filter: { _id: userId }, update: { $inc: { reputation: delta } } });

/* ---------- sessions ---------- */

export function newSessionDoc(session: Session, userId: number): SessionDoc {
  return { _id: text(session.id), userId, expiresAt: session.expiresAt, createdAt: session.createdAt };
}

export const sessionByIdQuery = (sessionId: string): FindSpec => ({ filter: { _id: text(sessionId) } });
export const sessionsOfUserQuery = (userId: number): FindSpec => ({ filter: { userId } });
export const expiredSessionsQuery = (now: number): FindSpec => ({ filter: { expiresAt: { $lte: now } } });
export const touchSessionQuery = (sessionId: string, expiresAt: number): UpdateSpec => ({
  filter: { _id: text(sessionId) },
  update: { $set: { expiresAt } },
});

/* ---------- communities ---------- */

export function newCommunityDoc(id: number, input: NewCommunity, now: number): CommunityDoc {
  return {
    _id: id,
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    descriptionMd: input.descriptionMd,
    descriptionHtml: input.descriptionHtml,
    defaultLocale: input.defaultLocale,
    memberCount: 0,
    questionCount: 0,
    promotionThreshold: input.promotionThreshold ?? 5,
    faqAutoPublishScore: null,
    faqAutoPublishCategoryId: null,
    createdAt: now,
    updatedAt: now,
  };
}

const COMMUNITY_UPDATABLE: ReadonlyArray<keyof CommunityUpdate> = ['name', 'kind', 'descriptionMd', 'descriptionHtml', 'defaultLocale', 'promotionThreshold'];

/** Sets only the given fields (never the slug) and moves updatedAt. */
export function updateCommunityQuery(id: number, changes: CommunityUpdate, now: number): UpdateSpec {
  const $set: Record<string, unknown> = {};
  for (const key of COMMUNITY_UPDATABLE) {
    const value = changes[key];
    if (value !== undefined) $set[key] = value;
  }
  $set.updatedAt = now;
  return { filter: { _id: id }, update: { $set }, options: { returnDocument: 'after' } };
}

export const communityBySlugQuery = (slug: string): FindSpec => ({ filter: { slug: text(slug) } });
export const communitiesByIdsQuery = (ids: number[]): FindSpec => ({ filter: { _id: { $in: ids } } });
export const addCommunityCountQuery = (id: number, field: 'memberCount' | 'questionCount', delta: number): UpdateSpec => ({
  filter: { _id: id },
  update: { $inc: { [field]: delta } },
});

/**
 * Case-insensitive name order, as SQLite's COLLATE NOCASE: ASCII letters fold, everything
 * else compares by code point. Communities are few, so lists are sorted in memory.
 */
export function compareNoCase(a: string, b: string): number {
  const fa = a.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const fb = b.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

/* ---------- memberships ---------- */

export const membershipQuery = (communityId: number, userId: number): FindSpec => ({ filter: { communityId, userId } });

/**
 * Joins or changes the role. $setOnInsert keeps the first join date when the role changes;
 * the caller learns from upsertedCount whether this was a join (and the member count moves).
 */
export function upsertMembershipQuery(communityId: number, userId: number, role: CommunityRole, now: number): UpdateSpec {
  return {
    filter: { communityId, userId },
    update: { $set: { role }, $setOnInsert: { joinedAt: now } },
    options: { upsert: true },
  };
}

/** staffOnly: only roles above member (the moderation menu). */
export const membershipsOfUserQuery = (userId: number, staffOnly = false): FindSpec => ({ filter: staffOnly ? { userId, role: { $ne: 'member' } } : { userId } });
export const staffOfCommunityQuery = (communityId: number): FindSpec => ({ filter: { communityId, role: { $in: ['staff', 'moderator'] } } });

/* ---------- rate limits ---------- */

/**
 * One fixed-window hit as a single atomic document update (an update pipeline): when the
 * window has ended (or the key is new: a missing resetAt compares below any number) the
 * count restarts at 1 with a new window, otherwise it goes up by one. Because it is one
 * findOneAndUpdate, concurrent hits never read a stale count; no transaction needed.
 */
export function rateLimitHitQuery(key: string, windowMs: number, now: number): UpdateSpec {
  const expired = { $lte: [{ $ifNull: ['$resetAt', 0] }, now] };
  return {
    filter: { _id: text(key) },
    update: [
      {
        $set: {
          count: { $cond: [expired, 1, { $add: ['$count', 1] }] },
          resetAt: { $cond: [expired, now + windowMs, '$resetAt'] },
        },
      },
    ],
    options: { upsert: true, returnDocument: 'after' },
  };
}

/**
 * One conditional reservation as a single atomic document update (an update pipeline): in a
 * running window the count goes up only while it is below the limit, and `granted` records
 * whether this update took an attempt. Every expression in one $set stage reads the document
 * as it was before the update, so `granted` and `count` agree. A new key or an ended window
 * starts again at 1.
 */
export function rateLimitReserveQuery(key: string, limit: number, windowMs: number, now: number): UpdateSpec {
  const expired = { $lte: [{ $ifNull: ['$resetAt', 0] }, now] };
  const below = { $lt: [{ $ifNull: ['$count', 0] }, limit] };
  return {
    filter: { _id: text(key) },
    update: [
      {
        $set: {
          granted: { $or: [expired, below] },
          count: { $cond: [expired, 1, { $cond: [below, { $add: ['$count', 1] }, '$count'] }] },
          resetAt: { $cond: [expired, now + windowMs, '$resetAt'] },
        },
      },
    ],
    options: { upsert: true, returnDocument: 'after' },
  };
}

/** Gives one reserved attempt back, only within the running window and never below zero. */
export const rateLimitReleaseQuery = (key: string, now: number): UpdateSpec => ({
  filter: { _id: text(key), resetAt: { $gt: now }, count: { $gt: 0 } },
  update: { $inc: { count: -1 } },
});

export const rateLimitKeyQuery = (key: string): FindSpec => ({ filter: { _id: text(key) } });

/* ---------- meta ---------- */

export const metaKeyQuery = (key: string): FindSpec => ({ filter: { _id: text(key) } });
export const setMetaQuery = (key: string, value: string): UpdateSpec => ({
  filter: { _id: text(key) },
  update: { $set: { value: text(value) } },
  options: { upsert: true },
});
