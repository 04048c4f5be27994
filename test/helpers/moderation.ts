/*
 * Helpers for the moderation suites: a community with a moderator, members, staff, a
 * moderator of another community and an admin, each with a logged-in client.
 */
import type { FastifyInstance } from 'fastify';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import type { Community, User } from '../../src/domain/types.js';
import type { TestClient } from './app.js';
import { clientFor, createCommunity, member, storageUser } from './qa.js';

export interface Cast {
  community: Community;
  other: Community;
  mod: { user: User; client: TestClient };
  author: { user: User; client: TestClient };
  alice: { user: User; client: TestClient };
  staff: { user: User; client: TestClient };
  otherMod: { user: User; client: TestClient };
  admin: { user: User; client: TestClient };
}

export async function cast(app: FastifyInstance, slug: string): Promise<Cast> {
  const community = await createCommunity(app.storage, slug);
  const other = await createCommunity(app.storage, `${slug}-other`);
  const adminUser = await storageUser(app.storage, undefined, [], { isAdmin: true });
  return {
    community,
    other,
    mod: await member(app, community, undefined, 'moderator'),
    author: await member(app, community),
    alice: await member(app, community),
    staff: await member(app, community, undefined, 'staff'),
    otherMod: await member(app, other, undefined, 'moderator'),
    admin: { user: adminUser, client: await clientFor(app, adminUser) },
  };
}

/** Sets a member's reputation straight in the embedded store (earning 250 by votes would take 25 answers). */
export function setReputation(app: FastifyInstance, user: User, reputation: number): void {
  (app.storage as SqliteStorage).db.prepare('UPDATE users SET reputation = ? WHERE id = ?').run(reputation, Number(user.id));
  // Behind the app's back: the remembered sessions (and pages) would show it within their TTL.
  app.services.contentGeneration.bump();
}

export function reputationOf(app: FastifyInstance, user: User): number {
  return ((app.storage as SqliteStorage).db.prepare('SELECT reputation FROM users WHERE id = ?').get(Number(user.id)) as { reputation: number }).reputation;
}

/** The audit rows a log page shows: action data attribute and reason cell. */
export function auditRows(html: string): Array<{ action: string; reason: string }> {
  return [...html.matchAll(/<tr class="audit-row" data-action="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    action: m[1]!,
    reason: (/<td class="audit-reason">([\s\S]*?)<\/td>/.exec(m[2]!)?.[1] ?? '').trim(),
  }));
}
