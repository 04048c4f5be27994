/*
 * Background jobs, the language switch, signing in and out, and the anonymous page cache (issue 15): a job run or
 * a write moves the content generation only when it may have changed what a page shows. The timers fire every minute
 * (escalations, newsletters) or every few minutes (support aggregates, digests), and nearly
 * every tick finds nothing to do; each move used to have every cached page rendered again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member } from '../helpers/qa.js';

describe('page cache and background jobs', () => {
  let app: FastifyInstance;
  let asker: Awaited<ReturnType<typeof member>>;

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'acme', { name: 'Acme Support', kind: 'business' });
    asker = await member(app, community, 'asker');
    await askQuestion(asker.client, 'acme', { title: 'The router drops the connection every evening', body: 'Since the last update, around 8pm.' });
    // A fresh install's first support-daily run builds the aggregates (a change); then every
    // job has had its first run, as after a server's start-up.
    for (const name of app.services.background.jobs.jobNames) await app.services.background.jobs.runIfLeader(name);
  });

  afterAll(async () => {
    await app.close();
  });

  it('every job ticking with nothing to do leaves the cached community page served from the cache', async () => {
    const reader = new TestClient(app);
    expect((await reader.get('/c/acme')).status).toBe(200);
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    const generation = app.services.contentGeneration.value;
    const names = app.services.background.jobs.jobNames;
    expect(names).toEqual(expect.arrayContaining(['sessions-sweep', 'event-outbox-prune', 'support-escalation', 'support-daily', 'mail-digests', 'newsletters']));
    for (const name of names) {
      expect(await app.services.background.jobs.runIfLeader(name)).toBe(true);
      const res = await reader.get('/c/acme');
      expect(res.headers['x-page-cache'], `after ${name}`).toBe('hit');
      expect(res.text).toContain('The router drops the connection every evening');
    }
    expect(app.services.contentGeneration.value).toBe(generation);
  });

  it('a job run that changed something still has the pages rendered again', async () => {
    const reader = new TestClient(app);
    // A new question: today's support aggregates (questions opened) are out of date.
    await askQuestion(asker.client, 'acme', { title: 'Which firmware fixes the evening drops?', body: 'Looking for the version number.' });
    await reader.get('/c/acme');
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    expect(await app.services.background.jobs.runIfLeader('support-daily')).toBe(true);
    const after = await reader.get('/c/acme');
    expect(after.headers['x-page-cache']).toBe('miss');
    expect(after.text).toContain('Which firmware fixes the evening drops?');
  });

  it('a visitor switching the language leaves the pages cached for everyone else', async () => {
    const reader = new TestClient(app);
    const switcher = new TestClient(app);
    await reader.get('/c/acme');
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    await switcher.get('/c/acme');
    expect((await switcher.post('/prefs/language', { locale: 'zh-CN', next: '/c/acme' })).status).toBe(303);
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    // The switcher gets the page in Chinese (its own cache key), not the English copy.
    const chinese = await switcher.get('/c/acme');
    expect(chinese.text).toContain('<html lang="zh-CN">');
    expect(chinese.text).toContain('The router drops the connection every evening');
  });

  it('a member signing in and out (and a failed sign-in) leaves the pages cached for everyone else', async () => {
    const reader = new TestClient(app);
    await reader.get('/c/acme');
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    // Registering adds a member (a change: pages may count members); signing in and out do not.
    const browser = new TestClient(app);
    await browser.get('/register');
    expect((await browser.register('signer')).status).toBe(303);
    expect((await browser.post('/logout', {})).status).toBe(303);
    await reader.get('/c/acme');
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    await browser.get('/login');
    expect((await browser.login('signer', 'not the password')).status).toBe(401);
    expect((await browser.login('signer')).status).toBe(303);
    // Signed in, the member gets their own page (no cache), and every anonymous reader still the cached one.
    expect((await browser.get('/c/acme')).headers['x-page-cache']).toBeUndefined();
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    expect((await browser.post('/logout', {})).status).toBe(303);
    expect((await reader.get('/c/acme')).headers['x-page-cache']).toBe('hit');
    // Signed out, the browser is an anonymous reader again.
    expect((await browser.get('/c/acme')).headers['x-page-cache']).toBe('hit');
  });
});
