import type { Storage } from '../db/ports.js';
import type { Services } from '../services/index.js';
import type { User } from '../domain/types.js';
import { demoCommunities, demoUsers, DEMO_PASSWORD } from './demo-data.js';

const SEEDED_KEY = 'demo_seeded_at';

/**
 * Fills an empty database with demo content in Chinese and English. Runs once: a marker
 * in the meta table (and any existing user) stops a second run, so restarts keep data.
 */
export async function seedIfEmpty(storage: Storage, services: Services): Promise<boolean> {
  if ((await storage.meta.get(SEEDED_KEY)) !== null) return false;
  if ((await storage.users.count()) > 0) return false;
  await seedDemo(storage, services);
  await storage.meta.set(SEEDED_KEY, new Date().toISOString());
  return true;
}

export async function seedDemo(storage: Storage, services: Services): Promise<void> {
  const users = new Map<string, User>();
  for (const u of demoUsers) {
    const user = await services.auth.register(
      { username: u.username, email: u.email, password: DEMO_PASSWORD },
      { isAdmin: u.isAdmin, allowReserved: true },
    );
    users.set(u.username, user);
  }
  const admin = users.get('admin')!;
  for (const c of demoCommunities) {
    const community = await services.communities.create(admin, {
      slug: c.slug,
      name: c.name,
      kind: c.kind,
      description: c.description,
      defaultLocale: c.defaultLocale,
      promotionThreshold: '5',
    });
    for (const [username, role] of Object.entries(c.members)) {
      await storage.memberships.upsert(community.id, users.get(username)!.id, role);
    }
  }
}
