import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestClient } from '../helpers/app.js';
import { askQuestion, createCommunity, createQaApp, member, postAnswer, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

/** The "Joined" fact of a profile: the <time> element's datetime and the text a reader sees. */
function joined(html: string, label: string): { datetime: string; text: string } {
  const m = new RegExp(`<dt>${label}</dt><dd><time datetime="([^"]+)">([^<]*)</time></dd>`).exec(html);
  if (!m) throw new Error(`no joined date labelled ${label}`);
  return { datetime: m[1]!, text: decodeHtml(m[2]!) };
}

describe('profile joined date', () => {
  let app: FastifyInstance;
  // Late in the evening UTC, so a page that used the server's local zone in Asia would show May 2.
  const JOINED = Date.UTC(2024, 4, 1, 23, 30);

  beforeAll(async () => {
    app = await createTestApp();
    await app.storage.users.create({ username: 'mei', email: 'mei@example.test', displayName: 'mei', passwordHash: 'x', isAdmin: false, createdAt: JOINED });
  });

  afterAll(async () => {
    await app.close();
  });

  it('shows the date in English words with a machine-readable datetime', async () => {
    const res = await new TestClient(app).get('/u/mei', { 'accept-language': 'en' });
    expect(res.status).toBe(200);
    expect(joined(res.text, 'Joined')).toEqual({ datetime: '2024-05-01T23:30:00.000Z', text: 'May 1, 2024' });
    expect(res.text).not.toContain('>2024-05-01<');
  });

  it('shows the date the Chinese way for a Chinese reader, by header or by the language switch', async () => {
    const byHeader = await new TestClient(app).get('/u/mei', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(joined(byHeader.text, '加入时间')).toEqual({ datetime: '2024-05-01T23:30:00.000Z', text: '2024年5月1日' });

    const client = new TestClient(app);
    await client.post('/prefs/language', { locale: 'zh-CN', next: '/u/mei' });
    const bySwitch = await client.get('/u/mei', { 'accept-language': 'en' });
    expect(joined(bySwitch.text, '加入时间').text).toBe('2024年5月1日');
  });
});

describe('profile post links', () => {
  it('an answer links to its thread page that holds it, even when it is not on the first page', async () => {
    const app = await createQaApp();
    try {
      const c = await createCommunity(app.storage, 'long');
      const asker = await member(app, c, 'asker');
      const q = await askQuestion(asker.client, 'long', { title: 'A thread with many answers' });
      // 31 earlier answers with a vote each rank ahead of the new one, so it lands on page 2.
      for (let i = 0; i < 31; i++) {
        const a = await app.storage.posts.createAnswer({ questionId: q.id, authorId: asker.user.id, bodyMd: `answer ${i}`, bodyHtml: `<p>answer ${i}</p>`, bodyText: `answer ${i}`, now: Date.now() });
        const voter = await storageUser(app.storage, undefined, [{ community: c }]);
        await app.storage.votes.castVote(a.id, voter.id, 1, Date.now());
      }
      const late = await member(app, c, 'late_answerer');
      await postAnswer(late.client, q.id, 'The latest answer, long enough to post.');
      const profile = await new TestClient(app).get('/u/late_answerer');
      const link = /<a href="([^"]*\?a=\d+)"/.exec(profile.text)?.[1];
      expect(link).toBeDefined();
      const hop = await new TestClient(app).get(decodeHtml(link!));
      expect(hop.status).toBe(302);
      expect(String(hop.headers.location)).toMatch(/\?page=2#a\d+$/);
    } finally {
      await app.close();
    }
  });
});
