import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { createTestApp, csrfFrom, TestClient } from '../helpers/app.js';
import { cookieNamed, cookieValue, decodeHtml, isClearing, loggedInAs, looksLikeStackTrace, showsLoggedOutHeader, textOfId } from './support.js';

const PASSWORD = 'correct-horse-battery';

describe('registration', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the form to a visitor', async () => {
    const res = await new TestClient(app).get('/register');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<form action="/register" method="post"');
    expect(res.text).toContain('name="_csrf"');
  });

  it('creates the account, logs in with an httpOnly SameSite=Lax cookie and shows the profile', async () => {
    const client = new TestClient(app);
    const res = await client.post('/register', { username: 'alice', email: 'Alice@Example.test', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/u/alice?welcome=1');
    const cookie = cookieNamed(res, 'session');
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    // a persistent cookie lasting about the session lifetime (30 days)
    const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie!)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    const profile = await client.get(res.headers.location!);
    expect(profile.status).toBe(200);
    expect(textOfId(profile.text, 'profile-heading')).toBe('alice');
    expect(decodeHtml(profile.text)).toContain('Welcome, alice!');
    expect(loggedInAs(profile.text)).toBe('alice');
    // the email is normalised and is not shown publicly
    expect((await app.storage.users.findByUsername('alice'))?.email).toBe('alice@example.test');
    expect(profile.text).not.toContain('alice@example.test');
  });

  it('works with a Chinese username, in the URL and on the page', async () => {
    const client = new TestClient(app);
    const res = await client.post('/register', { username: '张伟', email: 'zhang@example.test', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/u/${encodeURIComponent('张伟')}?welcome=1`);
    const profile = await client.get(res.headers.location!);
    expect(profile.status).toBe(200);
    expect(textOfId(profile.text, 'profile-heading')).toBe('张伟');
    expect(loggedInAs(profile.text)).toBe('张伟');
    // and a visitor can open the same profile
    const visitor = await new TestClient(app).get(`/u/${encodeURIComponent('张伟')}`);
    expect(visitor.status).toBe(200);
    expect(textOfId(visitor.text, 'profile-heading')).toBe('张伟');
  });

  it('sets a Secure session cookie when the site is served over https', async () => {
    const httpsApp = await createTestApp({}, { BASE_URL: 'https://forum.example' });
    try {
      const form = await httpsApp.inject({ url: '/register' });
      // Over https the browser id (the visitor's CSRF secret comes from it) is Secure too.
      expect(cookieNamed(form, 'fid')).toMatch(/;\s*Secure/i);
      const res = await httpsApp.inject({
        method: 'POST',
        url: '/register',
        // the token is bound to the browser id the form came with
        headers: { cookie: `fid=${cookieValue(cookieNamed(form, 'fid')!)}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(form.body), username: 'secure', email: 'secure@example.test', password: PASSWORD }).toString(),
      });
      expect(res.statusCode).toBe(303);
      expect(cookieNamed(res, 'session')).toMatch(/;\s*Secure/i);
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await httpsApp.close();
    }
  });

  async function registerFails(form: Record<string, string>) {
    const client = new TestClient(app);
    const res = await client.post('/register', form);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<form action="/register" method="post"');
    expect(decodeHtml(res.text)).toContain('Please correct the highlighted fields.');
    expect(cookieNamed(res, 'session')).toBeUndefined();
    return res;
  }

  it('re-renders the form with a message on every empty field', async () => {
    const res = await registerFails({ username: '', email: '', password: '' });
    expect(textOfId(res.text, 'username-error')).toBe('This field is required.');
    expect(textOfId(res.text, 'email-error')).toBe('This field is required.');
    expect(textOfId(res.text, 'password-error')).toBe('This field is required.');
    expect(res.text).toContain('aria-invalid="true" aria-describedby="username-error"');
  });

  it('refuses a short password and keeps what the user typed, except the password', async () => {
    const res = await registerFails({ username: 'shorty', email: 'shorty@example.test', password: 'abc1234' });
    expect(textOfId(res.text, 'password-error')).toBe('Use 8 to 200 characters.');
    expect(textOfId(res.text, 'username-error')).toBeUndefined();
    expect(res.text).toContain('value="shorty"');
    expect(res.text).toContain('value="shorty@example.test"');
    expect(res.text).not.toContain('abc1234');
    expect(await app.storage.users.findByUsername('shorty')).toBeNull();
  });

  it('refuses a bad email', async () => {
    const res = await registerFails({ username: 'bademail', email: 'not-an-email', password: PASSWORD });
    expect(textOfId(res.text, 'email-error')).toBe('Enter a valid email address.');
  });

  it('refuses a username taken in another letter case', async () => {
    await new TestClient(app).register('Bob', PASSWORD, 'bob@example.test');
    const res = await registerFails({ username: 'bob', email: 'other-bob@example.test', password: PASSWORD });
    expect(textOfId(res.text, 'username-error')).toBe('This username is taken.');
    const upper = await registerFails({ username: 'BOB', email: 'third-bob@example.test', password: PASSWORD });
    expect(textOfId(upper.text, 'username-error')).toBe('This username is taken.');
  });

  it('refuses an email that already has an account, in any letter case', async () => {
    await new TestClient(app).register('carol', PASSWORD, 'carol@example.test');
    const res = await registerFails({ username: 'carol2', email: 'CAROL@example.test', password: PASSWORD });
    expect(textOfId(res.text, 'email-error')).toBe('An account with this email already exists.');
    expect(await app.storage.users.findByUsername('carol2')).toBeNull();
  });

  it('refuses reserved names', async () => {
    for (const username of ['admin', 'Admin', 'root']) {
      const res = await registerFails({ username, email: `${username}-x@example.test`, password: PASSWORD });
      expect(textOfId(res.text, 'username-error')).toBe('This name is reserved. Please choose another.');
    }
  });

  it('escapes what the user typed when re-rendering', async () => {
    const res = await registerFails({ username: '"><script>alert(1)</script>', email: 'x@example.test', password: PASSWORD });
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(textOfId(res.text, 'username-error')).toBe('Use only letters, digits, _ and -.');
  });

  it('redirects a logged-in user away from the form', async () => {
    const client = new TestClient(app);
    await client.register('dora');
    const res = await client.get('/register');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

describe('login and logout', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
    await new TestClient(app).register('erin', PASSWORD, 'erin@example.test');
  });
  afterAll(async () => {
    await app.close();
  });

  it('logs in by username', async () => {
    const client = new TestClient(app);
    const res = await client.login('erin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(cookieNamed(res, 'session')).toMatch(/HttpOnly/i);
    expect(loggedInAs((await client.get('/')).text)).toBe('erin');
  });

  it('logs in by email, in any letter case', async () => {
    const client = new TestClient(app);
    const res = await client.login('ERIN@example.test');
    expect(res.status).toBe(303);
    expect(loggedInAs((await client.get('/')).text)).toBe('erin');
  });

  it('logs in by username in another letter case', async () => {
    const client = new TestClient(app);
    expect((await client.login('Erin')).status).toBe(303);
    expect(loggedInAs((await client.get('/')).text)).toBe('erin');
  });

  it('goes back to the local page named in next, but never to another site', async () => {
    const client = new TestClient(app);
    const form = await client.get('/login?next=%2Fu%2Ferin');
    expect(form.text).toContain('name="next" value="/u/erin"');
    const res = await client.post('/login', { identifier: 'erin', password: PASSWORD, next: '/u/erin' });
    expect(res.headers.location).toBe('/u/erin');

    const other = new TestClient(app);
    const evil = await other.post('/login', { identifier: 'erin', password: PASSWORD, next: 'https://evil.example/phish' });
    expect(evil.status).toBe(303);
    expect(evil.headers.location).toBe('/');
    // a logged-in user opening /login is sent straight on, also only locally
    expect((await other.get('/login?next=//evil.example')).headers.location).toBe('/');
    expect((await other.get('/login?next=/%09/evil.example')).headers.location).toBe('/');
  });

  it('refuses a wrong password with 401, the message, the form again and no session', async () => {
    const client = new TestClient(app);
    const res = await client.login('erin', 'wrong-password-123');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<form action="/login" method="post"');
    expect(decodeHtml(res.text)).toContain('The username or password is not right.');
    expect(res.text).toContain('value="erin"');
    expect(res.text).not.toContain('wrong-password-123');
    expect(cookieNamed(res, 'session')).toBeUndefined();
    expect(showsLoggedOutHeader((await client.get('/')).text)).toBe(true);
  });

  it('gives an unknown user the same 401 answer, so accounts cannot be discovered', async () => {
    const client = new TestClient(app);
    const res = await client.login('nobody-here', PASSWORD);
    expect(res.status).toBe(401);
    expect(decodeHtml(res.text)).toContain('The username or password is not right.');
    expect(cookieNamed(res, 'session')).toBeUndefined();
  });

  it('re-renders the form with messages when fields are empty', async () => {
    const client = new TestClient(app);
    const res = await client.post('/login', { identifier: '', password: '' });
    expect(res.status).toBe(400);
    expect(textOfId(res.text, 'identifier-error')).toBe('This field is required.');
    expect(textOfId(res.text, 'password-error')).toBe('This field is required.');
  });

  it('logout ends the session on the server and clears the cookie', async () => {
    const client = new TestClient(app);
    const login = await client.login('erin');
    const token = cookieValue(cookieNamed(login, 'session')!);
    expect(loggedInAs((await client.get('/')).text)).toBe('erin');

    const out = await client.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/');
    expect(isClearing(cookieNamed(out, 'session')!)).toBe(true);
    expect(showsLoggedOutHeader((await client.get('/')).text)).toBe(true);

    // the old cookie, replayed, is no longer a session
    const replay = await app.inject({ url: '/', headers: { cookie: `session=${token}` } });
    expect(showsLoggedOutHeader(replay.body)).toBe(true);
  });

  it('refuses logout without a CSRF token and stays logged in', async () => {
    const client = new TestClient(app);
    await client.login('erin');
    const res = await client.post('/logout', {}, { csrf: false });
    expect(res.status).toBe(403);
    expect(decodeHtml(res.text)).toContain('Your form expired or came from another site.');
    expect(loggedInAs((await client.get('/')).text)).toBe('erin');
  });

  it('clears a cookie that carries no valid session', async () => {
    const res = await app.inject({ url: '/', headers: { cookie: `session=${'a'.repeat(32)}` } });
    expect(res.statusCode).toBe(200);
    expect(showsLoggedOutHeader(res.body)).toBe(true);
    expect(isClearing(cookieNamed(res, 'session')!)).toBe(true);
  });
});

describe('CSRF and hostile input', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
    await new TestClient(app).register('frank', PASSWORD, 'frank@example.test');
  });
  afterAll(async () => {
    await app.close();
  });

  for (const path of ['/register', '/login']) {
    it(`refuses ${path} without a CSRF token`, async () => {
      const client = new TestClient(app);
      await client.get(path);
      const res = await client.post(path, { username: 'mallory', email: 'mallory@example.test', password: PASSWORD, identifier: 'frank' }, { csrf: false });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(decodeHtml(res.text)).toContain('Your form expired or came from another site.');
      expect(cookieNamed(res, 'session')).toBeUndefined();
    });

    it(`refuses ${path} with a wrong CSRF token`, async () => {
      const client = new TestClient(app);
      const page = await client.get(path);
      const token = csrfFrom(page.text);
      const wrong = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const res = await client.post(path, { _csrf: wrong, username: 'mallory', email: 'mallory@example.test', password: PASSWORD, identifier: 'frank' });
      expect(res.status).toBe(403);
      expect(cookieNamed(res, 'session')).toBeUndefined();
    });

    it(`refuses ${path} from a browser that never had the CSRF cookie (a cross-site form)`, async () => {
      const victim = new TestClient(app);
      const token = await victim.csrf();
      // the attacker's page posts the token it somehow saw, but cannot send the victim's cookie
      const res = await app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, username: 'mallory', email: 'mallory@example.test', password: PASSWORD, identifier: 'frank' }).toString(),
      });
      expect(res.statusCode).toBe(403);
    });
  }

  it('created no account through the refused requests', async () => {
    expect(await app.storage.users.findByUsername('mallory')).toBeNull();
  });

  it('refuses an operator object where a string belongs with 400, never 500', async () => {
    const client = new TestClient(app);
    const _csrf = await client.csrf();
    const login = await client.agent
      .post('/login')
      .set('content-type', 'application/json')
      .set('accept', 'text/html')
      .send(JSON.stringify({ _csrf, identifier: { $gt: '' }, password: { $ne: null } }));
    expect(login.status).toBe(400);
    expect(login.headers['content-type']).toMatch(/text\/html/);
    expect(cookieNamed(login, 'session')).toBeUndefined();
    expect(looksLikeStackTrace(login.text)).toBe(false);

    const register = await client.agent
      .post('/register')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ _csrf, username: { $gt: '' }, email: 'x@example.test', password: PASSWORD }));
    expect(register.status).toBe(400);
    expect(await app.storage.users.count()).toBe(1);
  });

  it('refuses a repeated form field (an array) with 400', async () => {
    const client = new TestClient(app);
    const res = await client.post('/register', { username: ['a1', 'b1'], email: 'arr@example.test', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(await app.storage.users.findByEmail('arr@example.test')).toBeNull();
  });

  it('refuses malformed JSON with 400, never 500', async () => {
    const client = new TestClient(app);
    await client.csrf();
    const res = await client.agent.post('/login').set('content-type', 'application/json').send('{"identifier": ');
    expect(res.status).toBe(400);
    expect(looksLikeStackTrace(res.text)).toBe(false);
  });

  it('refuses a body over the limit with a 413 HTML page', async () => {
    const client = new TestClient(app);
    const _csrf = await client.csrf();
    const res = await client.post('/register', { _csrf, username: 'big', email: 'big@example.test', password: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<main');
    expect(decodeHtml(res.text)).toContain('What you sent is too large.');
    expect(await app.storage.users.findByUsername('big')).toBeNull();
  });

  it('accepts a body just under the limit (the limit is not lower than configured)', async () => {
    const client = new TestClient(app);
    // a 200 KiB field is parsed (no 413) and then refused by validation as a normal 400
    const res = await client.post('/register', { username: 'almost', email: 'almost@example.test', password: 'x'.repeat(200 * 1024) });
    expect(res.status).toBe(400);
    expect(textOfId(res.text, 'password-error')).toBe('Use 8 to 200 characters.');
  });
});

describe('login throttling', () => {
  it('blocks an account after too many failures with a 429 page, even for the right password', async () => {
    const app = await createTestApp({ loginMaxAttemptsPerAccount: 3 });
    try {
      await new TestClient(app).register('gina', PASSWORD, 'gina@example.test');
      const attacker = new TestClient(app);
      for (let i = 0; i < 3; i++) expect((await attacker.login('gina', `guess-${i}-xxxx`)).status).toBe(401);
      const blocked = await attacker.login('gina', PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/text\/html/);
      expect(decodeHtml(blocked.text)).toMatch(/Too many failed attempts\. Please wait \d+ seconds and try again\./);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(cookieNamed(blocked, 'session')).toBeUndefined();

      // the account owner, from another browser (same IP here), is blocked too, by email as well
      const owner = new TestClient(app);
      expect((await owner.login('gina@example.test', PASSWORD)).status).toBe(429);
      // other accounts are not affected
      await new TestClient(app).register('hank', PASSWORD, 'hank@example.test');
      expect((await new TestClient(app).login('hank', PASSWORD)).status).toBe(303);
    } finally {
      await app.close();
    }
  });

  it('counts failures by username and by email against the same account', async () => {
    const app = await createTestApp({ loginMaxAttemptsPerAccount: 3 });
    try {
      await new TestClient(app).register('ivan', PASSWORD, 'ivan@example.test');
      const attacker = new TestClient(app);
      expect((await attacker.login('ivan', 'guess-one-xx')).status).toBe(401);
      expect((await attacker.login('IVAN@example.test', 'guess-two-xx')).status).toBe(401);
      expect((await attacker.login('Ivan', 'guess-three-xx')).status).toBe(401);
      expect((await attacker.login('ivan@example.test', PASSWORD)).status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('a successful login clears the account counter', async () => {
    const app = await createTestApp({ loginMaxAttemptsPerAccount: 3 });
    try {
      await new TestClient(app).register('jane', PASSWORD, 'jane@example.test');
      const client = new TestClient(app);
      expect((await client.login('jane', 'typo-password-1')).status).toBe(401);
      expect((await client.login('jane', 'typo-password-2')).status).toBe(401);
      expect((await client.login('jane', PASSWORD)).status).toBe(303);
      const again = new TestClient(app);
      expect((await again.login('jane', 'typo-password-3')).status).toBe(401);
      expect((await again.login('jane', 'typo-password-4')).status).toBe(401);
      expect((await again.login('jane', PASSWORD)).status).toBe(303);
    } finally {
      await app.close();
    }
  });

  it('blocks an IP that fails on many accounts', async () => {
    const app = await createTestApp({ loginMaxAttemptsPerIp: 3, loginMaxAttemptsPerAccount: 100 });
    try {
      await new TestClient(app).register('kate', PASSWORD, 'kate@example.test');
      const sprayer = new TestClient(app);
      for (const name of ['u1', 'u2', 'u3']) expect((await sprayer.login(name, 'spray-password')).status).toBe(401);
      const res = await sprayer.login('kate', PASSWORD);
      expect(res.status).toBe(429);
      expect(decodeHtml(res.text)).toContain('Too many failed attempts.');
    } finally {
      await app.close();
    }
  });
});

describe('changing the password', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
    await new TestClient(app).register('lena', PASSWORD, 'lena@example.test');
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends a visitor to the login form', async () => {
    const res = await new TestClient(app).get('/account/password');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount%2Fpassword');
  });

  it('refuses a visitor POST with 401', async () => {
    const res = await new TestClient(app).post('/account/password', { currentPassword: PASSWORD, newPassword: 'whatever-new-1' });
    expect(res.status).toBe(401);
  });

  it('refuses a wrong current password with a message and keeps the old password', async () => {
    const client = new TestClient(app);
    await client.login('lena');
    const res = await client.post('/account/password', { currentPassword: 'not-my-password', newPassword: 'brand-new-password' });
    expect(res.status).toBe(400);
    expect(textOfId(res.text, 'currentPassword-error')).toBe('Your current password is not right.');
    expect(loggedInAs(res.text)).toBe('lena');
    expect((await new TestClient(app).login('lena', PASSWORD)).status).toBe(303);
    expect((await new TestClient(app).login('lena', 'brand-new-password')).status).toBe(401);
  });

  it('refuses a too short new password', async () => {
    const client = new TestClient(app);
    await client.login('lena');
    const res = await client.post('/account/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(res.status).toBe(400);
    expect(textOfId(res.text, 'newPassword-error')).toBe('Use 8 to 200 characters.');
  });

  it('logs out every other session but keeps this browser logged in', async () => {
    const here = new TestClient(app);
    const elsewhere = new TestClient(app);
    await here.login('lena');
    await elsewhere.login('lena');
    expect(loggedInAs((await elsewhere.get('/')).text)).toBe('lena');

    const res = await here.post('/account/password', { currentPassword: PASSWORD, newPassword: 'a-new-secret-42' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account/password?done=1');
    expect(cookieNamed(res, 'session')).toMatch(/HttpOnly/i);

    const done = await here.get(res.headers.location!);
    expect(done.status).toBe(200);
    expect(loggedInAs(done.text)).toBe('lena');
    expect(decodeHtml(done.text)).toContain('Your password was changed. Other sessions have been logged out.');

    expect(showsLoggedOutHeader((await elsewhere.get('/')).text)).toBe(true);
    expect((await new TestClient(app).login('lena', PASSWORD)).status).toBe(401);
    expect((await new TestClient(app).login('lena', 'a-new-secret-42')).status).toBe(303);
  });
});

describe('sliding session expiry through the app', () => {
  const DAY = 24 * 60 * 60 * 1000;
  let now = Date.UTC(2030, 5, 1);
  let app: FastifyInstance;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
    app = await buildApp(config, { services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now: () => now } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('re-sends the cookie with a later expiry when an old session is used, and ends an unused one', async () => {
    const client = new TestClient(app);
    const reg = await client.register('mona');
    const firstExpiry = Date.parse(/Expires=([^;]+)/i.exec(cookieNamed(reg, 'session')!)![1]!);
    expect(firstExpiry).toBe(now + 30 * DAY - ((now + 30 * DAY) % 1000));

    now += 5 * DAY;
    const early = await client.get('/');
    expect(loggedInAs(early.text)).toBe('mona');
    expect(cookieNamed(early, 'session')).toBeUndefined();

    now += 15 * DAY; // 20 days after login: inside the renewal period
    const renewed = await client.get('/');
    expect(loggedInAs(renewed.text)).toBe('mona');
    const renewedCookie = cookieNamed(renewed, 'session');
    expect(renewedCookie).toBeDefined();
    expect(Date.parse(/Expires=([^;]+)/i.exec(renewedCookie!)![1]!)).toBeGreaterThan(firstExpiry);

    now += 25 * DAY; // 45 days after login, 25 after the renewal: still valid
    expect(loggedInAs((await client.get('/')).text)).toBe('mona');

    now += 31 * DAY; // unused for longer than the lifetime
    const expired = await client.get('/');
    expect(showsLoggedOutHeader(expired.text)).toBe(true);
  });
});
