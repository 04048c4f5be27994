import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { minimalErrorPage, sendMinimalErrorPage } from '../../src/plugins/errors.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { createTestApp, makeAdmin, TestClient } from '../helpers/app.js';
import { cookieNamed, decodeHtml, looksLikeStackTrace } from './support.js';

const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' };
const EN = { 'accept-language': 'en-US,en;q=0.9' };

function htmlLang(html: string): string | undefined {
  return /<html[^>]*\blang="([^"]+)"/.exec(html)?.[1];
}

function count(html: string, pattern: RegExp): number {
  return (html.match(pattern) ?? []).length;
}

/** What every HTML page must satisfy, error pages included. */
function expectWellFormedPage(html: string, lang: 'en' | 'zh-CN'): void {
  expect(htmlLang(html)).toBe(lang);
  expect(count(html, /<main[\s>]/g)).toBe(1);
  expect(count(html, /<\/main>/g)).toBe(1);
  // the CSP forbids inline script, so every script must come from a file
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  for (const tag of scripts) expect(tag).toMatch(/\ssrc="\/static\//);
  expect(html).not.toMatch(/\son(click|load|error|submit|change)=/i);
  expect(looksLikeStackTrace(html)).toBe(false);
}

function expectErrorPage(res: { status: number; headers: Record<string, unknown>; text: string }, status: number, lang: 'en' | 'zh-CN', heading: string, message: string): void {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
  expectWellFormedPage(res.text, lang);
  const text = decodeHtml(res.text);
  expect(text).toContain(`<h1 id="error-heading">${heading}</h1>`);
  expect(text).toContain(message);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

describe('language', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves Chinese to a browser that prefers it', async () => {
    const res = await new TestClient(app).get('/', ZH);
    expect(res.status).toBe(200);
    expect(htmlLang(res.text)).toBe('zh-CN');
    expect(res.text).toContain('>登录</a>');
    expect(res.text).toContain('>注册</a>');
    expect(res.text).toContain('产品支持');
    expect(res.text).not.toContain('>Log in</a>');
  });

  it('serves English to a browser that prefers it, and by default', async () => {
    for (const headers of [EN, {}, { 'accept-language': 'fr-FR,de;q=0.8' }]) {
      const res = await new TestClient(app).get('/', headers);
      expect(htmlLang(res.text)).toBe('en');
      expect(res.text).toContain('>Log in</a>');
      expect(res.text).not.toContain('>登录</a>');
    }
  });

  it('respects q-values in Accept-Language', async () => {
    const res = await new TestClient(app).get('/login', { 'accept-language': 'en;q=0.3, zh-CN;q=0.9' });
    expect(htmlLang(res.text)).toBe('zh-CN');
    expect(res.text).toContain('用户名或邮箱');
  });

  it('switches language with the footer form, remembers it in a cookie, and goes back to the page', async () => {
    const client = new TestClient(app);
    const page = await client.get('/register', EN);
    expect(page.text).toContain('action="/prefs/language"');
    expect(page.text).toContain('name="next" value="/register"');
    const res = await client.post('/prefs/language', { locale: 'zh-CN', next: '/register' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/register');
    const cookie = cookieNamed(res, 'lang');
    expect(cookie).toMatch(/^lang=zh-CN;/);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=\d{6,}/i);
    // the choice wins over the browser's header from now on
    const after = await client.get('/register', EN);
    expect(htmlLang(after.text)).toBe('zh-CN');
    expect(after.text).toContain('注册账户');
    expect(after.text).toMatch(/<option value="zh-CN" selected/);

    await client.post('/prefs/language', { locale: 'en', next: '/' });
    const back = await client.get('/', ZH);
    expect(htmlLang(back.text)).toBe('en');
    expect(back.text).toContain('>Log in</a>');
  });

  it.each([
    ['https://evil.example', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
    ['/c/coffee?sort=top', '/c/coffee?sort=top'],
    ['/u/张伟', '/u/%E5%BC%A0%E4%BC%9F'],
  ])('redirects back only to local paths: next=%j -> %s', async (next, expected) => {
    const client = new TestClient(app);
    const res = await client.post('/prefs/language', { locale: 'en', next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(expected);
  });

  it('refuses an unsupported language with 400 and sets no cookie', async () => {
    const client = new TestClient(app);
    const res = await client.post('/prefs/language', { locale: 'fr', next: '/' });
    expect(res.status).toBe(400);
    expect(cookieNamed(res, 'lang')).toBeUndefined();
  });

  it('refuses a language switch without CSRF token', async () => {
    const client = new TestClient(app);
    const res = await client.post('/prefs/language', { locale: 'zh-CN', next: '/' }, { csrf: false });
    expect(res.status).toBe(403);
    expect(cookieNamed(res, 'lang')).toBeUndefined();
  });

  it('ignores a lang cookie with an unsupported value', async () => {
    const res = await app.inject({ url: '/', headers: { cookie: 'lang=xx', ...ZH } });
    expect(htmlLang(res.body)).toBe('zh-CN');
  });
});

describe('error pages', () => {
  let app: FastifyInstance;
  let member: TestClient;
  let memberZh: TestClient;

  beforeAll(async () => {
    app = await createTestApp({ loginMaxAttemptsPerAccount: 2 });
    member = new TestClient(app);
    await member.register('uma');
    memberZh = new TestClient(app);
    await memberZh.register('王芳');
    await memberZh.post('/prefs/language', { locale: 'zh-CN', next: '/' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('404 in English and in Chinese', async () => {
    expectErrorPage(await new TestClient(app).get('/no/such/page', EN), 404, 'en', 'Page not found', 'We could not find that page.');
    expectErrorPage(await new TestClient(app).get('/no/such/page', ZH), 404, 'zh-CN', '页面不存在', '找不到这个页面');
    expectErrorPage(await new TestClient(app).get('/u/nobody-at-all', ZH), 404, 'zh-CN', '页面不存在', '没有这个用户。');
  });

  it('403 for a member on an admin page, in the language chosen by cookie', async () => {
    expectErrorPage(await member.get('/admin', EN), 403, 'en', 'Not allowed', 'You do not have permission to do that.');
    expectErrorPage(await memberZh.get('/admin', EN), 403, 'zh-CN', '没有权限', '你没有权限执行此操作。');
  });

  it('403 for a missing CSRF token, in Chinese', async () => {
    expectErrorPage(await memberZh.post('/logout', {}, { csrf: false }), 403, 'zh-CN', '没有权限', '表单已过期或来自其他网站');
  });

  it('401 for a visitor who posts, with a link to log in', async () => {
    const visitor = new TestClient(app);
    await visitor.get('/', ZH);
    const res = await visitor.post('/c/anything/join', {}, { headers: ZH });
    expectErrorPage(res, 401, 'zh-CN', '请先登录', '需要登录才能执行此操作。');
    expect(res.text).toContain('href="/login"');
    const en = new TestClient(app);
    expectErrorPage(await en.post('/c/anything/join', {}, { headers: EN }), 401, 'en', 'Please log in', 'You need to log in to do that.');
  });

  it('413 for an oversized body', async () => {
    const client = new TestClient(app);
    await client.get('/', ZH);
    const res = await client.post('/login', { identifier: 'x'.repeat(300 * 1024), password: 'x' }, { headers: ZH });
    expectErrorPage(res, 413, 'zh-CN', '内容过大', '提交的内容过大。');
    const en = await new TestClient(app).post('/login', { identifier: 'x'.repeat(300 * 1024), password: 'x' }, { headers: EN });
    expectErrorPage(en, 413, 'en', 'Too large', 'What you sent is too large.');
  });

  it('429 for too many failed logins, with Retry-After', async () => {
    const client = new TestClient(app);
    await client.get('/', ZH);
    for (let i = 0; i < 2; i++) expect((await client.login('uma', `wrong-pass-${i}`)).status).toBe(401);
    const res = await client.post('/login', { identifier: 'uma', password: 'wrong-again' }, { headers: ZH });
    expectErrorPage(res, 429, 'zh-CN', '请慢一点', '失败次数过多，请等待');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const en = await new TestClient(app).post('/login', { identifier: 'uma', password: 'wrong-again' }, { headers: EN });
    expectErrorPage(en, 429, 'en', 'Slow down', 'Too many failed attempts.');
  });

  it('429 from the per-route request limit is an HTML page too', async () => {
    const limited = await createTestApp({ postRateLimitPerMinute: 2 });
    try {
      const client = new TestClient(limited);
      await client.get('/', ZH);
      for (let i = 0; i < 2; i++) expect((await client.post('/register', { username: '', email: '', password: '' })).status).toBe(400);
      const res = await client.post('/register', { username: '', email: '', password: '' }, { headers: ZH });
      expectErrorPage(res, 429, 'zh-CN', '请慢一点', '请求过于频繁');
    } finally {
      await limited.close();
    }
  });

  it('429 from the per-route request limit quotes the wait the limiter really has left', async () => {
    const limited = await createTestApp({ postRateLimitPerMinute: 2 });
    // The limiter's window is measured with Date.now, so a fixed clock makes the wait exact.
    const start = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(start);
    try {
      const client = new TestClient(limited);
      await client.get('/', EN);
      for (let i = 0; i < 2; i++) expect((await client.post('/register', { username: '', email: '', password: '' })).status).toBe(400);

      clock.mockReturnValue(start + 35_000);
      const en = await client.post('/register', { username: '', email: '', password: '' }, { headers: EN });
      expectErrorPage(en, 429, 'en', 'Slow down', 'Too many requests. Please wait 25 seconds and try again.');
      expect(en.headers['retry-after']).toBe('25');

      clock.mockReturnValue(start + 59_500);
      const oneLeft = await client.post('/register', { username: '', email: '', password: '' }, { headers: EN });
      expectErrorPage(oneLeft, 429, 'en', 'Slow down', 'Too many requests. Please wait 1 second and try again.');
      expect(oneLeft.headers['retry-after']).toBe('1');

      clock.mockReturnValue(start + 50_000);
      const zh = await client.post('/register', { username: '', email: '', password: '' }, { headers: ZH });
      expectErrorPage(zh, 429, 'zh-CN', '请慢一点', '请求过于频繁，请等待 10 秒后再试。');
      expect(zh.headers['retry-after']).toBe('10');
      const json = await limited.inject({ method: 'POST', url: '/register', headers: { accept: 'application/json', ...EN }, payload: {} });
      expect(json.statusCode).toBe(429);
      expect(json.json().error).toBe('Too many requests. Please wait 10 seconds and try again.');
      expect(json.headers['retry-after']).toBe('10');
    } finally {
      clock.mockRestore();
      await limited.close();
    }
  });

  it('400 for a value of the wrong type', async () => {
    const client = new TestClient(app);
    const res = await client.post('/prefs/language', { locale: ['en', 'zh-CN'], next: '/' }, { headers: EN });
    expectErrorPage(res, 400, 'en', 'Bad request', 'The request could not be understood.');
  });

  it('answers JSON errors to a client that asks for JSON', async () => {
    const res = await app.inject({ url: '/no/such/page', headers: { accept: 'application/json', ...ZH } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({ error: '找不到这个页面，它可能已被移动或删除。', status: 404 });
  });

  it('a failure inside the app is a 500 page that reveals nothing internal', async () => {
    const storage = createSqliteStorage(':memory:');
    storage.communities.list = async () => {
      throw new Error('boom: secret detail from /src/db/sqlite/community-repository.ts');
    };
    const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
    const broken = await buildApp(config, { storage, services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }) } });
    try {
      await broken.ready();
      const res = await new TestClient(broken).get('/', ZH);
      expectErrorPage(res, 500, 'zh-CN', '出错了', '服务器发生意外错误');
      expect(res.text).not.toContain('boom');
      expect(res.text).not.toContain('secret detail');
    } finally {
      await broken.close();
    }
  });
});

describe('error pages for addresses refused before routing', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const badUrls = [
    { url: `/c/${'a'.repeat(300)}`, status: 414, en: 'This address is too long.', zh: '这个网址太长了。' },
    { url: '/c/%E0%A4%A', status: 400, en: 'The request could not be understood.', zh: '无法理解这个请求' },
  ];

  /** The policy a browser would enforce, whether it came as a header or in a <meta>. */
  function policyOf(res: { headers: Record<string, unknown>; body: string }): string {
    const header = res.headers['content-security-policy'];
    if (typeof header === 'string') return header;
    return decodeHtml(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(res.body)?.[1] ?? '');
  }

  it.each(badUrls)('$url is an HTML page ($status) in the browser\'s language with a locked-down policy', async ({ url, status, en, zh }) => {
    const english = await app.inject({ url, headers: EN });
    expect(english.statusCode).toBe(status);
    expect(english.headers['content-type']).toMatch(/^text\/html/);
    expectWellFormedPage(english.body, 'en');
    expect(decodeHtml(english.body)).toContain(en);
    const chinese = await app.inject({ url, headers: ZH });
    expect(chinese.statusCode).toBe(status);
    expectWellFormedPage(chinese.body, 'zh-CN');
    expect(decodeHtml(chinese.body)).toContain(zh);
    const policy = policyOf(chinese);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/script-src|unsafe-inline/);
  });

  // sendMinimalErrorPage wired as src/app.ts should wire it (the call site there still passes
  // only Accept-Language, so the real app cannot see the cookie yet).
  async function appRefusingBeforeRouting(): Promise<FastifyInstance> {
    const mini = Fastify({
      routerOptions: { maxParamLength: 200 },
      frameworkErrors: (error, request, reply) => {
        sendMinimalErrorPage(request, reply, error.statusCode === 414 ? 414 : 400);
      },
    });
    mini.get('/c/:community', async () => 'ok');
    await mini.ready();
    return mini;
  }

  it.each(badUrls)('$url: the lang cookie wins over Accept-Language, with security headers', async ({ url, status, en, zh }) => {
    const mini = await appRefusingBeforeRouting();
    try {
      const chinese = await mini.inject({ url, headers: { ...EN, cookie: 'session=abc; lang=zh-CN' } });
      expect(chinese.statusCode).toBe(status);
      expect(chinese.headers['content-type']).toMatch(/^text\/html/);
      expectWellFormedPage(chinese.body, 'zh-CN');
      expect(decodeHtml(chinese.body)).toContain(zh);
      expect(chinese.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(chinese.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src|unsafe-inline/);

      const english = await mini.inject({ url, headers: { ...ZH, cookie: 'lang=en' } });
      expectWellFormedPage(english.body, 'en');
      expect(decodeHtml(english.body)).toContain(en);
      // an unsupported or garbled cookie falls back to the browser's language
      for (const cookie of ['lang=fr', 'lang=%E0%A4%A', ';;=;lang', 'lang=zh-CN%00']) {
        const fallback = await mini.inject({ url, headers: { ...ZH, cookie } });
        expect(fallback.statusCode).toBe(status);
        expectWellFormedPage(fallback.body, 'zh-CN');
      }
    } finally {
      await mini.close();
    }
  });

  it('keeps the old two-argument form working', () => {
    expect(htmlLang(minimalErrorPage('zh-CN,zh;q=0.9', 400))).toBe('zh-CN');
    expect(htmlLang(minimalErrorPage('zh-CN,zh;q=0.9', 414, 'lang=en'))).toBe('en');
    expect(htmlLang(minimalErrorPage(undefined, 400))).toBe('en');
  });

  it.each(badUrls)('$url in the real app: the lang cookie is read and the security headers are sent', async ({ url, status, zh }) => {
    const app = await createTestApp();
    try {
      const res = await app.inject({ url, headers: { ...EN, cookie: 'lang=zh-CN' } });
      expect(res.statusCode).toBe(status);
      expectWellFormedPage(res.body, 'zh-CN');
      expect(decodeHtml(res.body)).toContain(zh);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    } finally {
      await app.close();
    }
  });
});

describe('health check', () => {
  it('answers the liveness probe without touching the database', async () => {
    const storage = createSqliteStorage(':memory:');
    storage.meta.get = async () => {
      throw new Error('database is locked');
    };
    const app = await buildApp(loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false }), { storage });
    try {
      const live = await app.inject({ url: '/livez' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'ok' });
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('reports status and which storage and search backends run', async () => {
    const app = await createTestApp();
    try {
      const res = await app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const body = res.json();
      expect(body).toMatchObject({ status: 'ok', storage: { backend: 'sqlite', status: 'ok' }, search: { backend: 'sqlite-fts' } });
    } finally {
      await app.close();
    }
  });

  it('reports degraded with 503 when the database fails', async () => {
    const storage = createSqliteStorage(':memory:');
    storage.meta.get = async () => {
      throw new Error('database is locked');
    };
    const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
    const app = await buildApp(config, { storage });
    try {
      const res = await app.inject({ url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', storage: { backend: 'sqlite', status: 'error' } });
      expect(res.body).not.toContain('locked');
    } finally {
      await app.close();
    }
  });
});

describe('security headers and page structure', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let member: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    admin = new TestClient(app);
    await admin.register('vera');
    await makeAdmin(app, 'vera');
    await admin.post('/admin/communities', { slug: 'tea', name: 'Tea', kind: 'interest', description: 'Tea talk', defaultLocale: 'en', promotionThreshold: '5' });
    member = new TestClient(app);
    await member.register('walt');
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends a strict Content-Security-Policy without inline script', async () => {
    const res = await app.inject({ url: '/' });
    const csp = String(res.headers['content-security-policy']);
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const [name, ...values] = d.split(/\s+/);
          return [name!, values];
        }),
    );
    expect(directives['script-src']).toBeDefined();
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'self'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBeDefined();
  });

  it('sends the same headers on error pages and JSON', async () => {
    for (const url of ['/no/such/page', '/healthz']) {
      const res = await app.inject({ url });
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('sets the browser id (a visitor\'s CSRF secret comes from it) httpOnly', async () => {
    const res = await app.inject({ url: '/login' });
    expect(cookieNamed(res, 'fid')).toMatch(/HttpOnly/i);
    expect(cookieNamed(res, 'fid')).toMatch(/SameSite=Lax/i);
    expect(cookieNamed(res, 'fid')).not.toMatch(/Secure/i);
  });

  const visitorPages = ['/', '/login', '/register', '/c/tea', '/u/walt', '/no-such-page', '/c/NOPE'];
  const memberPages = ['/', '/c/tea', '/u/walt', '/account/password'];
  const adminPages = ['/admin', '/admin/communities/new', '/admin/communities/tea/edit', '/c/tea', '/u/vera'];

  it.each(visitorPages)('visitor page %s has one <main>, a lang attribute and no inline script', async (path) => {
    const res = await new TestClient(app).get(path, EN);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expectWellFormedPage(res.text, 'en');
    const zh = await new TestClient(app).get(path, ZH);
    expectWellFormedPage(zh.text, 'zh-CN');
  });

  it.each(memberPages)('member page %s has one <main> and a lang attribute', async (path) => {
    const res = await member.get(path, EN);
    expect(res.status).toBe(200);
    expectWellFormedPage(res.text, 'en');
  });

  it.each(adminPages)('admin page %s has one <main> and a lang attribute', async (path) => {
    const res = await admin.get(path, EN);
    expect(res.status).toBe(200);
    expectWellFormedPage(res.text, 'en');
  });

  it('re-rendered forms are well-formed pages too', async () => {
    const reg = await new TestClient(app).post('/register', { username: '', email: '', password: '' }, { headers: ZH });
    expect(reg.status).toBe(400);
    expectWellFormedPage(reg.text, 'zh-CN');
    const login = await new TestClient(app).post('/login', { identifier: 'walt', password: 'not-the-password' });
    expect(login.status).toBe(401);
    expectWellFormedPage(login.text, 'en');
    const admin400 = await admin.post('/admin/communities', { slug: '', name: '', kind: '', description: '', defaultLocale: '', promotionThreshold: '' });
    expect(admin400.status).toBe(400);
    expectWellFormedPage(admin400.text, 'en');
  });
});
