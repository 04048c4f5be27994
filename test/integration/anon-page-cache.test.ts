/*
 * The anonymous page cache (issue 15) through real HTTP: logged-out readers share rendered
 * pages, but never each other's CSRF token or cookies; writes show at once; members bypass it;
 * ETag/304; one render for many simultaneous misses; one-time messages and languages kept apart.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { csrfFrom, TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer, shownScore, vote } from '../helpers/qa.js';
import type { Community } from '../../src/domain/types.js';

/** The cookies a response sets, as name=value. */
function cookiesSet(res: request.Response): string[] {
  const raw = res.headers['set-cookie'] as unknown;
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return lines.map((l) => l.split(';')[0]!);
}

/** The page without its CSRF token (the only part that differs per browser). */
function withoutToken(html: string): string {
  return html.split(csrfFrom(html)).join('TOKEN');
}

describe('anonymous page cache', () => {
  let app: FastifyInstance;
  let community: Community;
  let asker: Awaited<ReturnType<typeof member>>;
  let question: { id: string; url: string };

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, 'cameras', { name: 'Cameras' });
    asker = await member(app, community, 'asker');
    question = await askQuestion(asker.client, 'cameras', { title: 'Why does my lens fog up in winter?', body: 'It happens every morning.' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves two browsers the same page, each with its own CSRF token and cookies, and each token works for its own browser only', async () => {
    const a = new TestClient(app);
    const b = new TestClient(app);
    const first = await a.get(question.url);
    const second = await b.get(question.url);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers['x-page-cache']).toBe('hit');
    expect(second.text).toContain('Why does my lens fog up in winter?');

    const tokenA = csrfFrom(first.text);
    const tokenB = csrfFrom(second.text);
    expect(tokenA).not.toBe(tokenB);
    expect(second.text).not.toContain(tokenA);
    expect(first.text).not.toContain(tokenB);
    // Every form on the page carries the browser's own token, none the placeholder.
    expect(second.text.split(tokenB).length - 1).toBeGreaterThan(1);
    expect(second.text).not.toContain(app.pageCache.placeholder);
    // Each browser got cookies of its own; no value of one shows up in the other's response.
    const cookiesA = cookiesSet(first);
    const cookiesB = cookiesSet(second);
    // One cookie, the browser id: a visitor's CSRF secret is derived from it (http/csrf.ts).
    expect(cookiesA.map((c) => c.split('=')[0])).toEqual(['fid']);
    expect(cookiesB.map((c) => c.split('=')[0])).toEqual(['fid']);
    for (const c of cookiesA) expect(cookiesB).not.toContain(c);
    for (const c of cookiesA) expect(second.text).not.toContain(c.split('=')[1]);

    // Each token works with its own browser's cookies (a form post of a visitor: the language switch) ...
    expect((await a.post('/prefs/language', { locale: 'en', next: question.url, _csrf: tokenA })).status).toBe(303);
    expect((await b.post('/prefs/language', { locale: 'en', next: question.url, _csrf: tokenB })).status).toBe(303);
    // ... and not with the other browser's.
    expect((await a.post('/prefs/language', { locale: 'en', next: question.url, _csrf: tokenB })).status).toBe(403);
  });

  it('shows an answer, a vote and an edit to anonymous readers at once', async () => {
    const reader = new TestClient(app);
    await reader.get(question.url);
    expect((await reader.get(question.url)).headers['x-page-cache']).toBe('hit');

    const answerer = await member(app, community, 'answerer');
    const answerId = await postAnswer(answerer.client, question.id, 'Keep the camera in its bag while it warms up.');
    const afterAnswer = await reader.get(question.url);
    expect(afterAnswer.headers['x-page-cache']).toBe('miss');
    expect(afterAnswer.text).toContain('Keep the camera in its bag while it warms up.');

    expect(shownScore(afterAnswer.text, answerId)).toBe(0);
    expect((await vote(asker.client, answerId, '1')).status).toBeLessThan(400);
    expect(shownScore((await reader.get(question.url)).text, answerId)).toBe(1);

    const edit = await answerer.client.post(`/posts/${answerId}/edit`, { body: 'Keep the camera in a sealed bag while it warms up.', summary: 'clearer' });
    expect(edit.status).toBe(303);
    expect((await reader.get(question.url)).text).toContain('Keep the camera in a sealed bag while it warms up.');
  });

  it('lets logged-in members bypass the cache and see their own state', async () => {
    const visitor = new TestClient(app);
    await visitor.get(question.url);
    expect((await visitor.get(question.url)).headers['x-page-cache']).toBe('hit');
    const res = await asker.client.get(question.url);
    expect(res.status).toBe(200);
    expect(res.headers['x-page-cache']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers.etag).toBeUndefined();
    // The member's own header (their name, the log-out form), never the visitor's page.
    expect(res.text).toContain('asker');
    expect(res.text).toContain('action="/logout"');
    expect((await visitor.get(question.url)).text).not.toContain('action="/logout"');
  });

  it('answers 304 to If-None-Match while the page and the browser cookies are the same, and 200 after a change', async () => {
    const browser = new TestClient(app);
    // The first visit sets the cookies the token is bound to; from then on the page has an ETag.
    expect((await browser.get(question.url)).headers.etag).toBeUndefined();
    const full = await browser.get(question.url);
    // The browser keeps its id and CSRF secret: no new secret or cookie on a later visit.
    expect(cookiesSet(full)).toEqual([]);
    const etag = String(full.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(full.headers['cache-control']).toBe('private, no-cache');
    expect(String(full.headers.vary)).toContain('Cookie');

    const revalidated = await browser.get(question.url, { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text ?? '').toBe('');
    expect(cookiesSet(revalidated)).toEqual([]);

    // Another browser's copy (other cookies, so another token binding) is not this one's.
    const other = new TestClient(app);
    await other.get(question.url);
    expect((await other.get(question.url, { 'if-none-match': etag })).status).toBe(200);

    // New content: the old copy is not valid any more.
    await postAnswer((await member(app, community)).client, question.id, 'Silica gel packs in the bag help too.');
    const changed = await browser.get(question.url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('Silica gel packs in the bag help too.');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('sends gzip to browsers that accept it: the same page with the browser\'s own token, much smaller', async () => {
    const browser = new TestClient(app);
    const cookie = cookiesSet(await browser.get(question.url)).join('; ');
    // The raw bytes (supertest would inflate them), with this browser's cookies.
    const raw = await app.inject({ url: question.url, headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['x-page-cache']).toBe('hit');
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(String(raw.headers.vary)).toContain('Accept-Encoding');
    const zipped = raw.rawPayload;
    const html = gunzipSync(zipped).toString('utf8');
    expect(Number(raw.headers['content-length'])).toBe(zipped.length);
    expect(zipped.length).toBeLessThan(Buffer.byteLength(html) / 3);
    // The browser's own token, and the same page as without compression.
    const token = csrfFrom(html);
    expect(html).not.toContain(app.pageCache.placeholder);
    expect((await browser.post('/prefs/language', { locale: 'en', next: question.url, _csrf: token })).status).toBe(303);
    const plain = await browser.get(question.url, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(withoutToken(html)).toBe(withoutToken(plain.text));
    // gzip;q=0 refuses gzip.
    expect((await browser.get(question.url, { 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
  });

  it('renders a page once when many requests miss it at the same time', async () => {
    const q = await askQuestion(asker.client, 'cameras', { title: 'Which strap is best for long hikes?', body: 'Mine digs into my neck.' });
    // The embedded database answers without waiting on I/O, so a render would finish before the
    // next request is even read: a slow read (as over a network to MongoDB) makes the misses overlap.
    const attributions = app.services.attributions;
    const original = attributions.forPosts.bind(attributions);
    const slow = vi.spyOn(attributions, 'forPosts').mockImplementation(async (ids) => {
      await new Promise((r) => setTimeout(r, 100));
      return original(ids);
    });
    const rendersBefore = app.pageCache.store.stats.renders;
    let responses: request.Response[];
    let slowReads: number;
    try {
      responses = await Promise.all(Array.from({ length: 20 }, () => request(app.server).get(q.url)));
      slowReads = slow.mock.calls.length;
    } finally {
      slow.mockRestore();
    }
    expect(slowReads).toBe(1);
    expect(app.pageCache.store.stats.renders - rendersBefore).toBe(1);
    for (const res of responses) expect(res.status).toBe(200);
    const bodies = new Set(responses.map((r) => withoutToken(r.text)));
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('Which strap is best for long hikes?');
    // Twenty browsers, twenty different tokens.
    expect(new Set(responses.map((r) => csrfFrom(r.text))).size).toBe(20);
    expect(responses.filter((r) => r.headers['x-page-cache'] === 'miss')).toHaveLength(1);
    expect(responses.filter((r) => r.headers['x-page-cache'] === 'shared').length).toBeGreaterThan(0);
  });

  it('never caches a page with a one-time message or an unknown query parameter', async () => {
    const rendersBefore = app.pageCache.store.stats.renders;
    const joined = await asker.client.get('/c/cameras?joined=1');
    expect(joined.text).toContain('Cameras');
    const visitor = new TestClient(app);
    for (const url of ['/c/cameras?joined=1', '/c/cameras?utm_source=x', `${question.url}?ref=mail`]) {
      const one = await visitor.get(url);
      const two = await visitor.get(url);
      expect(one.status).toBe(200);
      expect(one.headers['x-page-cache']).toBeUndefined();
      expect(two.headers['x-page-cache']).toBeUndefined();
    }
    expect(app.pageCache.store.stats.renders).toBe(rendersBefore);
    // Parameters that are part of the page are cached, per value.
    await visitor.get('/c/cameras?sort=newest');
    expect((await visitor.get('/c/cameras?sort=newest')).headers['x-page-cache']).toBe('hit');
    expect((await visitor.get('/c/cameras?sort=top')).headers['x-page-cache']).toBe('miss');
  });

  it('keeps the Chinese and English pages apart (Accept-Language and the language cookie)', async () => {
    const zh = new TestClient(app);
    const en = new TestClient(app);
    const zhFirst = await zh.get('/', { 'accept-language': 'zh-CN,zh;q=0.9' });
    const enFirst = await en.get('/', { 'accept-language': 'en-US,en;q=0.9' });
    expect(zhFirst.text).toContain('<html lang="zh-CN"');
    expect(enFirst.text).toContain('<html lang="en"');
    const zhAgain = await zh.get('/', { 'accept-language': 'zh-CN' });
    const enAgain = await en.get('/', { 'accept-language': 'en' });
    expect(zhAgain.headers['x-page-cache']).toBe('hit');
    expect(enAgain.headers['x-page-cache']).toBe('hit');
    expect(zhAgain.text).toContain('<html lang="zh-CN"');
    expect(enAgain.text).toContain('<html lang="en"');
    expect(zhAgain.text).toContain('登录');
    expect(enAgain.text).not.toContain('登录');
    // The language cookie wins over the header: an English header with the Chinese cookie is the Chinese page.
    const switched = new TestClient(app);
    await switched.post('/prefs/language', { locale: 'zh-CN', next: '/' });
    const page = await switched.get('/', { 'accept-language': 'en' });
    expect(page.text).toContain('<html lang="zh-CN"');
  });

  it('counts a view for every page served from the cache', async () => {
    const views = async () => {
      await app.services.viewCounter.flush();
      return (await app.storage.posts.findQuestion(question.id))!.viewCount;
    };
    const before = await views();
    const visitors = [new TestClient(app), new TestClient(app), new TestClient(app)];
    const served = [];
    for (const v of visitors) served.push((await v.get(question.url)).headers['x-page-cache']);
    expect(served.filter((s) => s === 'hit').length).toBeGreaterThanOrEqual(2);
    expect(await views()).toBe(before + 3);
  });
});

describe('PAGE_CACHE=off', () => {
  it('renders every page and sends no cache header', async () => {
    const app = await createQaApp({ config: { pageCache: { enabled: false, ttlMs: 5000, maxBytes: 1024 * 1024 } } });
    try {
      await createCommunity(app.storage, 'plain');
      const one = await request(app.server).get('/c/plain');
      const two = await request(app.server).get('/c/plain');
      expect(two.status).toBe(200);
      expect(one.headers['x-page-cache']).toBeUndefined();
      expect(two.headers['x-page-cache']).toBeUndefined();
      expect(app.pageCache.store.stats.renders).toBe(0);
    } finally {
      await app.close();
    }
  });
});
