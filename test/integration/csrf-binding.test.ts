import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, csrfFrom, TestClient } from '../helpers/app.js';
import { cookieNamed, cookieValue, loggedInAs } from './support.js';

/*
 * Issue 10, CSRF token not bound to the session: an attacker who plants their own `_csrf`
 * cookie in a victim's browser (cookie tossing) and submits their own matching token must be
 * refused, logged in or not; the normal flows keep working.
 */

const PASSWORD = 'correct-horse-battery';
let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

/** The cookies a response sets, as name -> raw value. */
function cookiesSet(res: Parameters<typeof cookieNamed>[0]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['_csrf', 'fid', 'session']) {
    const line = cookieNamed(res, name);
    if (line) out[name] = cookieValue(line);
  }
  return out;
}

const cookieHeader = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * What an attacker holds after using the site themselves (as a visitor, or logged in to their
 * own account): a token and the cookies its secret comes from (a visitor's secret is derived
 * from the browser id `fid`; a member's is the `_csrf` cookie).
 */
async function attackerKit(account?: string) {
  const jar: Record<string, string> = {};
  let page = await request(app.server).get('/register');
  Object.assign(jar, cookiesSet(page));
  if (account) {
    const reg = await request(app.server).post('/register').set('Cookie', cookieHeader(jar)).type('form')
      .send({ _csrf: csrfFrom(page.text), username: account, email: `${account}@example.test`, password: PASSWORD });
    expect(reg.status).toBe(303);
    Object.assign(jar, cookiesSet(reg));
    page = await request(app.server).get('/').set('Cookie', cookieHeader(jar));
    Object.assign(jar, cookiesSet(page));
  }
  return { token: csrfFrom(page.text), csrf: jar._csrf ?? '', fid: jar.fid ?? '' };
}

/** A victim with a session; returns the raw session cookie value. */
async function victimSession(name: string) {
  const victim = new TestClient(app);
  const res = await victim.register(name, PASSWORD);
  return { victim, session: cookieValue(cookieNamed(res, 'session')!) };
}

describe('CSRF tokens are bound to the session', () => {
  it('refuses a victim\'s session with an attacker\'s own _csrf cookie and token (403 page), and nothing changes', async () => {
    const { victim, session } = await victimSession('csrf_victim');
    for (const kit of [await attackerKit(), await attackerKit('csrf_attacker')]) {
      expect(kit.fid).not.toBe('');
      const res = await request(app.server)
        .post('/logout')
        .set('Cookie', `session=${session}; fid=${kit.fid}${kit.csrf ? `; _csrf=${kit.csrf}` : ''}`)
        .type('form')
        .send({ _csrf: kit.token });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('Your form expired or came from another site.');
    }
    // The victim is still logged in: the forged logout did nothing.
    expect(loggedInAs((await victim.get('/')).text)).toBe('csrf_victim');
  });

  it('refuses a login forged into a visitor\'s browser with the attacker\'s _csrf cookie and token', async () => {
    await victimSession('csrf_login_target');
    const visitor = new TestClient(app);
    const visitorPage = await visitor.agent.get('/');
    const visitorFid = cookieValue(cookieNamed(visitorPage, 'fid')!);
    const kit = await attackerKit();
    const res = await request(app.server)
      .post('/login')
      .set('Cookie', `fid=${visitorFid}${kit.csrf ? `; _csrf=${kit.csrf}` : ''}`)
      .type('form')
      .send({ _csrf: kit.token, identifier: 'csrf_login_target', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(cookieNamed(res, 'session')).toBeUndefined();
  });

  it('a token from before login stops working once logged in; the next page has a fresh one', async () => {
    const { victim } = await victimSession('csrf_rotation');
    await victim.get('/');
    expect((await victim.post('/logout')).status).toBe(303);
    const loginPage = await victim.get('/login');
    const anonymousToken = csrfFrom(loginPage.text);
    expect((await victim.post('/login', { identifier: 'csrf_rotation', password: PASSWORD })).status).toBe(303);
    expect((await victim.post('/prefs/language', { locale: 'en', next: '/', _csrf: anonymousToken })).status).toBe(403);
    await victim.get('/');
    expect((await victim.post('/prefs/language', { locale: 'en', next: '/' })).status).toBe(303);
  });

  it('normal flows: a visitor logs in with the login form, then posts a form as a member', async () => {
    await victimSession('csrf_normal');
    const client = new TestClient(app);
    const form = await client.get('/login');
    expect(cookieNamed(form, 'fid')).toBeDefined();
    expect((await client.login('csrf_normal', PASSWORD)).status).toBe(303);
    await client.get('/u/csrf_normal');
    const lang = await client.post('/prefs/language', { locale: 'zh-CN', next: '/u/csrf_normal' });
    expect(lang.status).toBe(303);
    const logout = await client.post('/logout');
    expect(logout.status).toBe(303);
    expect(loggedInAs((await client.get('/')).text)).toBeNull();
  });

  it('a visitor\'s token works only with the browser id it was made for', async () => {
    const visitor = new TestClient(app);
    const page = await visitor.agent.get('/');
    const token = csrfFrom(page.text);
    // A visitor gets one cookie, the browser id; the token's secret is derived from it.
    expect(cookieNamed(page, '_csrf')).toBeUndefined();
    const fid = cookieValue(cookieNamed(page, 'fid')!);
    const ok = await request(app.server).post('/prefs/language').set('Cookie', `fid=${fid}`).type('form').send({ _csrf: token, locale: 'en', next: '/' });
    expect(ok.status).toBe(303);
    const without = await request(app.server).post('/prefs/language').type('form').send({ _csrf: token, locale: 'en', next: '/' });
    expect(without.status).toBe(403);
    const otherFid = cookieValue(cookieNamed(await request(app.server).get('/'), 'fid')!);
    const other = await request(app.server).post('/prefs/language').set('Cookie', `fid=${otherFid}`).type('form').send({ _csrf: token, locale: 'en', next: '/' });
    expect(other.status).toBe(403);
    // A forged browser id (not signed by the server) gives no secret either.
    const forged = await request(app.server).post('/prefs/language').set('Cookie', `fid=${fid.split('.')[0]}.AAAA`).type('form').send({ _csrf: token, locale: 'en', next: '/' });
    expect(forged.status).toBe(403);
  });

  it('a member\'s secret is a random value in the _csrf cookie, set with the first page after login', async () => {
    await victimSession('csrf_member_cookie');
    const form = await request(app.server).get('/login');
    const fid = cookieValue(cookieNamed(form, 'fid')!);
    const login = await request(app.server).post('/login').set('Cookie', `fid=${fid}`).type('form')
      .send({ _csrf: csrfFrom(form.text), identifier: 'csrf_member_cookie', password: PASSWORD });
    expect(login.status).toBe(303);
    expect(cookieNamed(login, '_csrf')).toBeUndefined();
    const session = cookieValue(cookieNamed(login, 'session')!);
    const page = await request(app.server).get('/').set('Cookie', `fid=${fid}; session=${session}`);
    // The page asks for its token more than once (header meta and forms): one secret, one cookie.
    const csrfCookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []).filter((c) => c.startsWith('_csrf='));
    expect(csrfCookies).toHaveLength(1);
    const csrf = cookieValue(csrfCookies[0]!);
    const cookies = `fid=${fid}; session=${session}; _csrf=${csrf}`;
    expect((await request(app.server).post('/prefs/language').set('Cookie', cookies).type('form').send({ _csrf: csrfFrom(page.text), locale: 'en', next: '/' })).status).toBe(303);
    // Without the cookie the member's token has no secret to match.
    expect((await request(app.server).post('/prefs/language').set('Cookie', `fid=${fid}; session=${session}`).type('form').send({ _csrf: csrfFrom(page.text), locale: 'en', next: '/' })).status).toBe(403);
  });
});
