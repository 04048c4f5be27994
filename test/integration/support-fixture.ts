import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { makeAdmin, TestClient } from '../helpers/app.js';
import type { SupportNotifier } from '../../src/services/support/escalation-job.js';
import { recentMonday10 } from './support-clock.js';

/*
 * A business community "Lumen Support" with a customer (cathy), two staff (sam, sue), a
 * moderator (mona) and another customer (bob), plus an interest community where sam is
 * staff too (no badge there). Everything goes through the real routes but the app clock,
 * which the tests move (business hours depend on it). It starts near the real date because
 * the test clients drop cookies by the real clock (see support-clock.ts).
 */
export interface SupportWorld {
  app: FastifyInstance;
  clock: { now: number };
  admin: TestClient;
  cathy: TestClient;
  bob: TestClient;
  sam: TestClient;
  sue: TestClient;
  mona: TestClient;
  ask(client: TestClient, title: string, extra?: Record<string, string>): Promise<{ id: string; url: string }>;
}

const form = { slug: '', name: '', kind: 'business', description: 'Support.', defaultLocale: 'en', promotionThreshold: '5' };

export async function supportWorld(startAt = recentMonday10(), options: { notifier?: SupportNotifier } = {}): Promise<SupportWorld> {
  const clock = { now: startAt };
  const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
  const app = await buildApp(config, { services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now: () => clock.now, ...(options.notifier ? { supportNotifier: options.notifier } : {}) } });
  await app.ready();
  const admin = new TestClient(app);
  await admin.register('root_admin');
  await makeAdmin(app, 'root_admin');
  await admin.post('/admin/communities', { ...form, slug: 'lumen', name: 'Lumen Support' });
  await admin.post('/admin/communities', { ...form, slug: 'hobby', name: 'Hobby', kind: 'interest' });
  const clients: Record<string, TestClient> = {};
  for (const name of ['cathy', 'bob', 'sam', 'sue', 'mona']) {
    const c = new TestClient(app);
    await c.register(name);
    await c.post('/c/lumen/join');
    await c.post('/c/hobby/join');
    clients[name] = c;
  }
  for (const [username, role] of [['sam', 'staff'], ['sue', 'staff'], ['mona', 'moderator']] as const) {
    const res = await admin.post('/admin/communities/lumen/roles', { username, role });
    if (res.status !== 303) throw new Error(`appoint ${username}: ${res.status}`);
  }
  await admin.post('/admin/communities/hobby/roles', { username: 'sam', role: 'staff' });
  return {
    app,
    clock,
    admin,
    cathy: clients.cathy!,
    bob: clients.bob!,
    sam: clients.sam!,
    sue: clients.sue!,
    mona: clients.mona!,
    async ask(client, title, extra = {}) {
      const community = extra.community ?? 'lumen';
      const res = await client.post(`/c/${community}/ask`, { title, body: 'The camera will not turn on after the update.', tags: 'firmware', ...extra });
      if (res.status !== 303) throw new Error(`ask failed: ${res.status} ${res.text.slice(0, 300)}`);
      const url = res.headers.location as string;
      return { id: /\/q\/(\d+)\//.exec(url)![1]!, url };
    },
  };
}
