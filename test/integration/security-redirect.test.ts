import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestClient } from '../helpers/app.js';
import { HOSTILE_REDIRECT_TARGETS, LOCAL_REDIRECT_TARGETS } from '../fixtures/redirect-targets.js';

/*
 * Every route that redirects to a target taken from input (issue 10, open redirect): each
 * hostile variant falls back to the route's safe default, each local one is followed.
 */

const PASSWORD = 'correct-horse-battery';
let app: FastifyInstance;
let member: TestClient;

beforeAll(async () => {
  // Many logins from one test address: lift the per-IP limits, which are not under test here.
  app = await createTestApp({ loginMaxAttemptsPerIp: 10000 });
  member = new TestClient(app);
  await member.register('redir_user', PASSWORD);
});
afterAll(async () => {
  await app.close();
});

describe('GET /search/click?to=', () => {
  it.each(HOSTILE_REDIRECT_TARGETS)('sends %j to /search', async (to) => {
    const res = await app.inject({ url: `/search/click?sid=1&d=question-1&pos=1&to=${encodeURIComponent(to)}` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/search');
  });

  it.each(LOCAL_REDIRECT_TARGETS)('follows the local %j', async (to, expected) => {
    const res = await app.inject({ url: `/search/click?to=${encodeURIComponent(to)}` });
    expect(res.headers.location).toBe(expected);
  });
});

describe('GET /login?next= when logged in', () => {
  it.each(HOSTILE_REDIRECT_TARGETS)('sends %j to /', async (next) => {
    const res = await member.get(`/login?next=${encodeURIComponent(next)}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it.each(LOCAL_REDIRECT_TARGETS)('follows the local %j', async (next, expected) => {
    expect((await member.get(`/login?next=${encodeURIComponent(next)}`)).headers.location).toBe(expected);
  });

  it('puts only a safe next into the anonymous login form', async () => {
    const form = await new TestClient(app).get(`/login?next=${encodeURIComponent('/.//evil.example/x')}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="next" value="/"');
  });
});

describe('POST /login next', () => {
  it.each(HOSTILE_REDIRECT_TARGETS)('logs in and sends %j to /', async (next) => {
    const res = await new TestClient(app).post('/login', { identifier: 'redir_user', password: PASSWORD, next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it.each(LOCAL_REDIRECT_TARGETS)('logs in and follows the local %j', async (next, expected) => {
    const res = await new TestClient(app).post('/login', { identifier: 'redir_user', password: PASSWORD, next });
    expect(res.headers.location).toBe(expected);
  });
});

describe('POST /prefs/language next', () => {
  it.each(HOSTILE_REDIRECT_TARGETS)('switches the language and sends %j to /', async (next) => {
    const res = await new TestClient(app).post('/prefs/language', { locale: 'en', next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it.each(LOCAL_REDIRECT_TARGETS)('follows the local %j', async (next, expected) => {
    expect((await new TestClient(app).post('/prefs/language', { locale: 'zh-CN', next })).headers.location).toBe(expected);
  });
});
