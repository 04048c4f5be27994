import type { Storage } from '../db/ports.js';
import type { Services } from '../services/index.js';
import type { User } from '../domain/types.js';
import type { AppConfig } from '../config.js';
import { createServices } from '../services/index.js';
import { demoCommunities, demoUsers, demoVoters, DEMO_PASSWORD } from './demo-data.js';
import { demoQuestions } from './demo-questions.js';
import { seedDemoFaq } from './demo-faq.js';
import { seedDemoModeration } from './demo-moderation.js';
import { seedDemoSupport } from './demo-support.js';

const SEEDED_KEY = 'demo_seeded_at';

/**
 * Fills an empty database with demo content in Chinese and English. Runs once: a marker
 * in the meta table (and any existing user) stops a second run, so restarts keep data.
 */
export async function seedIfEmpty(storage: Storage, services: Services, config?: AppConfig): Promise<boolean> {
  if ((await storage.meta.get(SEEDED_KEY)) !== null) return false;
  if ((await storage.users.count()) > 0) return false;
  // With the configuration, the demo is written through services on a clock set in the past,
  // so threads are spread over the last weeks instead of all sharing one timestamp.
  const clock = demoClock();
  await seedDemo(storage, config ? createServices(storage, config, { now: clock.now }) : services, clock);
  await storage.meta.set(SEEDED_KEY, new Date().toISOString());
  return true;
}

const DAY = 86_400_000;

/**
 * The demo's clock: each read moves one minute on (so every post has its own time), and
 * `at(daysAgo)` jumps to that many days before the real now. Everything stays in the past.
 */
export function demoClock(realNow: number = Date.now()) {
  let t = realNow - 60 * DAY;
  return {
    now: () => (t = Math.min(t + 60_000, realNow)),
    at: (daysAgo: number) => {
      t = realNow - daysAgo * DAY;
    },
  };
}

export async function seedDemo(storage: Storage, services: Services, clock: ReturnType<typeof demoClock> = demoClock()): Promise<void> {
  // A year of demo activity by fresh accounts: the new-account trust limits do not apply.
  await services.qaGate.withoutTrustLimits(() => seedDemoContent(storage, services, clock));
}

async function seedDemoContent(storage: Storage, services: Services, clock: ReturnType<typeof demoClock>): Promise<void> {
  const users = new Map<string, User>();
  for (const u of demoUsers) {
    const user = await services.auth.register(
      { username: u.username, email: u.email, password: DEMO_PASSWORD },
      { isAdmin: u.isAdmin, allowReserved: true },
    );
    users.set(u.username, user);
  }
  const user = (name: string) => users.get(name)!;
  const admin = user('admin');
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
      await storage.memberships.upsert(community.id, user(username).id, role);
    }
    for (const voter of demoVoters) {
      if (!(voter in c.members)) await storage.memberships.upsert(community.id, user(voter).id, 'member');
    }
  }

  // Threads go through the same services as the web forms, so counters, revisions and
  // reputation are exactly what real use would produce.
  for (const [i, dq] of demoQuestions.entries()) {
    // Oldest first, about five days apart, the newest a few hours old.
    clock.at((demoQuestions.length - i) * 5 - 4.8);
    const { question } = await services.questions.ask(user(dq.author), dq.community, { title: dq.title, body: dq.body, tags: dq.tags });
    const voters = (n: number, exclude: string, offset = 0) =>
      demoVoters.filter((v) => v !== exclude).slice(offset, offset + n).map(user);
    for (const voter of voters(dq.upvoters, dq.author)) await services.questions.vote(voter, question.id, 1);
    for (const da of dq.answers) {
      clock.at((demoQuestions.length - i) * 5 - 4.8 - 0.05 * (dq.answers.indexOf(da) + 1));
      const { answer } = await services.questions.answer(user(da.author), question.id, da.body);
      for (const voter of voters(da.upvoters, da.author)) await services.questions.vote(voter, answer.id, 1);
      for (const voter of voters(da.downvoters ?? 0, da.author, da.upvoters)) await services.questions.vote(voter, answer.id, -1);
      if (da.accepted) await services.questions.accept(user(dq.author), question.id, answer.id);
    }
  }

  await seedDemoFaq(services, admin);
  await seedDemoModeration(storage, services, user);
  await seedDemoSupport(storage, services, user, clock);
}
