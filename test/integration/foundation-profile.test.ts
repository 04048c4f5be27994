import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestClient } from '../helpers/app.js';
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
