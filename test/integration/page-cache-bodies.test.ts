/*
 * Cached pages are sent from reused buffers (http/body-pool.ts): over real HTTP, every
 * response, one after another and many at once, carries the whole page with its own
 * browser's token and nothing of another response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { csrfFrom, TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer } from '../helpers/qa.js';

describe('page cache response buffers', () => {
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'cameras', { name: 'Cameras' });
    const asker = await member(app, community, 'asker');
    const question = await askQuestion(asker.client, 'cameras', { title: 'Why does my lens fog up in winter?', body: 'It happens every morning.' });
    // A page large enough for a pooled buffer (more than 16 KB).
    for (let i = 0; i < 6; i++) await postAnswer(asker.client, question.id, `Answer ${i}: ${'Keep the camera in its bag while it warms up. '.repeat(60)}`);
    url = question.url;
  });

  afterAll(async () => {
    await app.close();
  });

  // Uncompressed, as the benchmark asks (a gzip response is spliced from deflated parts instead).
  const identity = { 'accept-encoding': 'identity' };

  it('each of many responses, in turn and at once, is the whole page with its own token', async () => {
    const first = await new TestClient(app).get(url, identity);
    expect(first.status).toBe(200);
    const page = first.text.split(csrfFrom(first.text)).join('TOKEN');
    expect(Buffer.byteLength(first.text)).toBeGreaterThan(16 * 1024);
    const check = (res: Awaited<ReturnType<TestClient['get']>>, seen: Set<string>) => {
      expect(res.status).toBe(200);
      expect(res.headers['x-page-cache']).not.toBe('miss');
      const token = csrfFrom(res.text);
      expect(seen.has(token)).toBe(false);
      seen.add(token);
      expect(res.text.split(token).join('TOKEN')).toBe(page);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    };
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) check(await new TestClient(app).get(url, identity), seen);
    const together = await Promise.all(Array.from({ length: 16 }, () => new TestClient(app).get(url, identity)));
    for (const res of together) check(res, seen);
    // The buffers of finished responses were used again.
    expect(app.pageCache.bodies.stats.reused).toBeGreaterThan(0);
  });

  it('a token from a reused buffer works for its own browser only', async () => {
    const a = new TestClient(app);
    const b = new TestClient(app);
    const tokenA = csrfFrom((await a.get(url, identity)).text);
    const tokenB = csrfFrom((await b.get(url, identity)).text);
    expect((await a.post('/prefs/language', { locale: 'en', next: url, _csrf: tokenA })).status).toBe(303);
    expect((await b.post('/prefs/language', { locale: 'en', next: url, _csrf: tokenA })).status).toBe(403);
    expect((await b.post('/prefs/language', { locale: 'en', next: url, _csrf: tokenB })).status).toBe(303);
  });
});
