import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { askQuestion, createCommunity, createQaApp, member } from '../helpers/qa.js';
import { TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';

/*
 * The forum configured for Meilisearch while no Meilisearch answers (nothing listens on the
 * port): the real client, the real outbox. Search says it is unavailable with a clear page,
 * never a 500; asking and answering keep working and wait in the outbox; /healthz tells.
 */
describe('with Meilisearch configured but down', () => {
  let app: FastifyInstance;
  let asker: TestClient;

  beforeAll(async () => {
    app = await createQaApp({ config: { search: 'meili', meiliUrl: 'http://127.0.0.1:9', meiliIndex: 'forum' } });
    const c = await createCommunity(app.storage, 'cams');
    asker = (await member(app, c, 'asker')).client;
  });
  afterAll(async () => {
    await app.close();
  });

  it('search answers 503 with a page in the user\'s language', async () => {
    for (const [lang, text] of [['en', 'Search is temporarily unavailable'], ['zh-CN', '搜索暂时不可用']] as const) {
      const res = await new TestClient(app).get('/search?q=battery', { cookie: `lang=${lang}` });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(decodeHtml(res.text)).toContain(text);
      expect(res.text).not.toMatch(/ECONNREFUSED|at \w+ \(/);
    }
  });

  it('asking still works (similar questions simply empty), and the change waits in the outbox', async () => {
    const check = await asker.post('/c/cams/ask', { title: 'Battery drains overnight', body: '', tags: '', action: 'check' });
    expect(check.status).toBe(200);
    const q = await askQuestion(asker, 'cams', { title: 'Battery drains overnight in standby' });
    const page = await new TestClient(app).get(q.url);
    expect(page.status).toBe(200);
    const backlog = await app.storage.outbox.backlog();
    expect(backlog.pending).toBeGreaterThanOrEqual(1);
  });

  it('/healthz stays 200 (the database serves) but reports search as degraded with the backlog', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', storage: { status: 'ok' }, search: { backend: 'meili', status: 'error', outbox: { failed: 0 } } });
    expect(res.json().search.outbox.pending).toBeGreaterThanOrEqual(1);
  });
});
