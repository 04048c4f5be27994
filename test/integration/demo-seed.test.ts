/*
 * The demo content a fresh install starts with: every community has answers waiting in the
 * moderators' FAQ candidate queue (so the main FAQ feature can be tried at once), and the
 * threads are spread over the past weeks rather than sharing one timestamp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../helpers/app.js';
import { seedIfEmpty } from '../../src/seed/demo-content.js';
import { demoCommunities } from '../../src/seed/demo-data.js';
import { loadConfig } from '../../src/config.js';
import { TestClient } from '../helpers/app.js';

const DAY = 86_400_000;

describe('demo content on a fresh install', () => {
  let app: FastifyInstance;
  const started = Date.now();

  beforeAll(async () => {
    app = await createTestApp();
    const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: true });
    expect(await seedIfEmpty(app.storage, app.services, config)).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each(demoCommunities.map((c) => c.slug))('leaves FAQ candidates in the queue of %s', async (slug) => {
    const moderator = (await app.storage.users.findByUsername('admin'))!;
    const { candidates } = await app.services.faq.candidates(slug, moderator);
    expect(candidates.length).toBeGreaterThan(0);
    // ...and the demo FAQ still has its promoted entries.
    const home = await app.services.faq.home(slug, null);
    expect(home.entryTotal).toBeGreaterThan(0);
  });

  it('shows the candidates on the moderator page', async () => {
    const admin = new TestClient(app);
    const login = await admin.login('admin', 'demo-password');
    expect(login.status).toBe(303);
    const res = await admin.get('/mod/c/home-coffee/faq/candidates');
    expect(res.status).toBe(200);
    expect(res.text).toContain('First crack is hard to hear in my drum roaster');
  });

  it('spreads the threads over the past weeks, all in the past', async () => {
    const times: number[] = [];
    for (const c of demoCommunities) {
      const res = await new TestClient(app).get(`/c/${c.slug}?sort=newest`);
      for (const m of res.text.matchAll(/<time datetime="([^"]+)"/g)) times.push(Date.parse(m[1]!));
    }
    expect(times.length).toBeGreaterThan(5);
    expect(new Set(times).size).toBe(times.length);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    expect(Math.min(...times)).toBeLessThan(started - 21 * DAY);
    // Days that have a thread: spread out, not bunched into one afternoon.
    expect(new Set(times.map((t) => Math.floor(t / DAY))).size).toBeGreaterThan(5);
  });

  it('gives each support question its own staff answer, in the asker\'s language, and rolls up the dashboard months', async () => {
    const amy = (await app.storage.users.findByUsername('amy_support'))!;
    const answers = (await app.storage.posts.listByAuthor(amy.id, 50)).filter((p) => p.type === 'answer');
    expect(answers.length).toBeGreaterThanOrEqual(6);
    expect(new Set(answers.map((a) => a.bodyMd)).size).toBe(answers.length);
    // The Chinese askers' answers are written in Chinese (with the steps in English too).
    expect(answers.filter((a) => /[\u4e00-\u9fff]/.test(a.bodyMd)).length).toBeGreaterThanOrEqual(3);
    const lumen = (await app.storage.communities.findBySlug('lumen-support'))!;
    // The month of the latest demo question (asked 1.1 days ago).
    const month = new Date(started - 1.2 * DAY).toISOString().slice(0, 7);
    expect((await app.storage.supportMetrics.readDaily(lumen.id, `${month}-00`, `${month}-00`, ['active_by_m']))[0]?.value).toBeGreaterThan(0);
  });
});
