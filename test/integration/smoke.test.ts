import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestClient } from '../helpers/app.js';

describe('smoke', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('registers, sees own profile, logs out', async () => {
    const client = new TestClient(app);
    const res = await client.register('测试用户');
    expect(res.headers.location).toBe(`/u/${encodeURIComponent('测试用户')}?welcome=1`);
    const profile = await client.get(res.headers.location!);
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('测试用户');
    const out = await client.post('/logout');
    expect(out.status).toBe(303);
    const home = await client.get('/');
    expect(home.text).toContain('href="/register"');
  });
});
