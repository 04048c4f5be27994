import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, makeAdmin, TestClient } from '../helpers/app.js';
import { cookieNamed, decodeHtml, loggedInAs, looksLikeStackTrace, textOfId } from './support.js';

/*
 * The bad inputs every state-changing form must survive (issue 2): the admin community forms
 * and the password change. Each refused request is checked for what the user sees (status,
 * an HTML page in their language) and for what it must not have done.
 */

const PASSWORD = 'correct-horse-battery';
const ZH = { 'accept-language': 'zh-CN,zh;q=0.9' };
const EN = { 'accept-language': 'en-US,en;q=0.9' };
const OVERSIZED = 'x'.repeat(300 * 1024);

const communityForm = { slug: 'kettles', name: 'Kettles', kind: 'interest', description: 'All about kettles.', defaultLocale: 'en', promotionThreshold: '5' };

function htmlLang(html: string): string | undefined {
  return /<html[^>]*\blang="([^"]+)"/.exec(html)?.[1];
}

/** An HTML error page, as a browser shows it: status, language, heading and message. */
function expectErrorPage(res: { status: number; headers: Record<string, unknown>; text: string }, status: number, lang: 'en' | 'zh-CN', heading: string, message: string) {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^text\/html/);
  expect(htmlLang(res.text)).toBe(lang);
  const text = decodeHtml(res.text);
  expect(text).toContain(`<h1 id="error-heading">${heading}</h1>`);
  expect(text).toContain(message);
  expect(looksLikeStackTrace(res.text)).toBe(false);
}

const CSRF_EN = ['Not allowed', 'Your form expired or came from another site.'] as const;
const CSRF_ZH = ['没有权限', '表单已过期或来自其他网站'] as const;

/** A CSRF token that is well formed but belongs to another browser's secret. */
async function foreignToken(app: FastifyInstance): Promise<string> {
  return new TestClient(app).csrf();
}

/** The same token with its tail altered, as a tampered form would send it. */
function tampered(token: string): string {
  return token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
}

describe('admin community forms refuse bad requests', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let adminZh: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    admin = new TestClient(app);
    await admin.register('boss', PASSWORD);
    await makeAdmin(app, 'boss');
    adminZh = new TestClient(app);
    await adminZh.login('boss', PASSWORD);
    await adminZh.post('/prefs/language', { locale: 'zh-CN', next: '/' });
    const created = await admin.post('/admin/communities', { ...communityForm, slug: 'teapots', name: 'Teapots' });
    if (created.status !== 303) throw new Error(`seeding teapots failed: ${created.status}`);
    await new TestClient(app).register('staffer', PASSWORD);
  });

  afterAll(async () => {
    await app.close();
  });

  async function teapots() {
    const c = await app.storage.communities.findBySlug('teapots');
    if (!c) throw new Error('teapots vanished');
    return { name: c.name, staff: (await app.storage.memberships.listStaff(c.id)).map((s) => s.user.username) };
  }

  const routes = [
    { name: 'create', path: '/admin/communities', form: { ...communityForm } },
    { name: 'edit', path: '/admin/communities/teapots', form: { ...communityForm, slug: 'teapots', name: 'Renamed teapots' } },
    { name: 'appoint', path: '/admin/communities/teapots/roles', form: { username: 'staffer', role: 'staff' } },
  ] as const;

  /** Nothing the refused requests asked for happened. */
  async function expectUnchanged() {
    expect(await app.storage.communities.findBySlug('kettles')).toBeNull();
    expect(await teapots()).toEqual({ name: 'Teapots', staff: [] });
  }

  describe.each(routes)('POST $path ($name)', ({ path, form }) => {
    it('without a CSRF token: 403 page, in English and in Chinese', async () => {
      await admin.get('/admin', EN);
      expectErrorPage(await admin.post(path, form, { csrf: false, headers: EN }), 403, 'en', ...CSRF_EN);
      await adminZh.get('/admin');
      expectErrorPage(await adminZh.post(path, form, { csrf: false }), 403, 'zh-CN', ...CSRF_ZH);
      await expectUnchanged();
    });

    it("with another browser's CSRF token: 403 page in the user's language", async () => {
      const token = await foreignToken(app);
      expectErrorPage(await admin.post(path, { ...form, _csrf: token }, { headers: EN }), 403, 'en', ...CSRF_EN);
      expectErrorPage(await adminZh.post(path, { ...form, _csrf: token }), 403, 'zh-CN', ...CSRF_ZH);
      await expectUnchanged();
    });

    it('with a tampered CSRF token: 403 page', async () => {
      const own = await adminZh.csrf();
      expectErrorPage(await adminZh.post(path, { ...form, _csrf: tampered(own) }), 403, 'zh-CN', ...CSRF_ZH);
      await expectUnchanged();
    });

    it('with an oversized body: 413 page in the user\'s language', async () => {
      expectErrorPage(await admin.post(path, { ...form, filler: OVERSIZED }, { headers: EN }), 413, 'en', 'Too large', 'What you sent is too large.');
      expectErrorPage(await adminZh.post(path, { ...form, filler: OVERSIZED }), 413, 'zh-CN', '内容过大', '提交的内容过大。');
      await expectUnchanged();
      // the admin is still logged in and can go on
      expect(loggedInAs((await admin.get('/admin')).text)).toBe('boss');
    });
  });

  const addressed: Array<{ name: string; suffix: string; form: Record<string, string> }> = [
    { name: 'edit', suffix: '', form: { ...communityForm, name: 'Nope' } },
    { name: 'appoint', suffix: '/roles', form: { username: 'staffer', role: 'staff' } },
  ];
  describe.each(addressed)('POST /admin/communities/:community$suffix ($name) with a bad address', ({ suffix, form }) => {
    it.each(['no-such-community', 'NOT..OK', 'UPPER', '-dash', 'a%2Fb', '%E2%80%AEteapots', 'x'.repeat(120)])('answers %s with a 404 page', async (slug) => {
      const res = await admin.post(`/admin/communities/${slug}${suffix}`, form, { headers: EN });
      expectErrorPage(res, 404, 'en', 'Page not found', 'There is no community at this address.');
      await expectUnchanged();
    });

    it('answers an unknown community with 404 even when the form is invalid too', async () => {
      const res = await admin.post(`/admin/communities/nowhere${suffix}`, { name: '', kind: 'bogus', username: '', role: 'owner' });
      expect(res.status).toBe(404);
    });

    it('answers in Chinese for a Chinese reader', async () => {
      const res = await adminZh.post(`/admin/communities/nowhere${suffix}`, form);
      expect(res.status).toBe(404);
      expect(htmlLang(res.text)).toBe('zh-CN');
      expect(decodeHtml(res.text)).toContain('<h1 id="error-heading">页面不存在</h1>');
    });
  });

  describe('invalid forms come back with the values and messages', () => {
    it('create: 400, the form, a summary and one message per field, in Chinese', async () => {
      const res = await adminZh.post('/admin/communities', { slug: 'Bad Slug', name: '', kind: 'secret', description: '说明', defaultLocale: 'xx', promotionThreshold: '-1' });
      expect(res.status).toBe(400);
      expect(htmlLang(res.text)).toBe('zh-CN');
      expect(res.text).toContain('<form action="/admin/communities" method="post"');
      expect(decodeHtml(res.text)).toContain('请修改标出的字段。');
      for (const field of ['slug', 'name', 'kind', 'defaultLocale', 'promotionThreshold']) expect(textOfId(res.text, `${field}-error`)).toBeTruthy();
      expect(textOfId(res.text, 'description-error')).toBeUndefined();
      expect(res.text).toContain('value="Bad Slug"');
      expect(res.text).toContain('>说明</textarea>');
      expect(await app.storage.communities.findBySlug('bad-slug')).toBeNull();
    });

    it('edit: 400, the edit form for the same community with the typed values', async () => {
      const res = await admin.post('/admin/communities/teapots', { ...communityForm, slug: 'teapots', name: ' ', description: 'Kept text', promotionThreshold: 'many' }, { headers: EN });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<form action="/admin/communities/teapots" method="post"');
      expect(decodeHtml(res.text)).toContain('Please correct the highlighted fields.');
      expect(textOfId(res.text, 'name-error')).toBe('This field is required.');
      expect(textOfId(res.text, 'promotionThreshold-error')).toBe('Enter a whole number of 1 or more.');
      expect(res.text).toContain('>Kept text</textarea>');
      expect(res.text).toContain('value="many"');
      await expectUnchanged();
    });

    it('appoint: 400, the edit page with the appoint form and its messages', async () => {
      const res = await admin.post('/admin/communities/teapots/roles', { username: 'nobody-here', role: 'owner' }, { headers: EN });
      expect(res.status).toBe(400);
      expect(res.text).toContain('<form action="/admin/communities/teapots/roles" method="post"');
      expect(textOfId(res.text, 'appoint-role-error')).toBe('Choose one of the options.');
      const unknown = await admin.post('/admin/communities/teapots/roles', { username: 'nobody-here', role: 'staff' }, { headers: EN });
      expect(unknown.status).toBe(400);
      expect(textOfId(unknown.text, 'appoint-username-error')).toBe('No user is called "nobody-here".');
      expect(unknown.text).toContain('value="nobody-here"');
      await expectUnchanged();
    });

    it.each(routes)('$name: a JSON object where a string belongs is a 400 page, never a 500', async ({ path, form }) => {
      const _csrf = await admin.csrf();
      const res = await admin.agent
        .post(path)
        .set('content-type', 'application/json')
        .set('accept', 'text/html')
        .send(JSON.stringify({ ...form, _csrf, name: { $gt: '' }, username: { $ne: null } }));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(looksLikeStackTrace(res.text)).toBe(false);
      await expectUnchanged();
    });
  });

  it('still accepts the same requests when they are well formed', async () => {
    for (const { path, form } of routes) expect((await admin.post(path, form)).status).toBe(303);
    expect((await app.storage.communities.findBySlug('kettles'))?.name).toBe('Kettles');
    expect(await teapots()).toEqual({ name: 'Renamed teapots', staff: ['staffer'] });
  });
});

describe('POST /account/password refuses bad requests', () => {
  let app: FastifyInstance;
  let user: TestClient;
  let userZh: TestClient;
  const NEW_PASSWORD = 'a-brand-new-secret';

  beforeAll(async () => {
    app = await createTestApp();
    user = new TestClient(app);
    await user.register('petra', PASSWORD);
    userZh = new TestClient(app);
    await userZh.login('petra', PASSWORD);
    await userZh.post('/prefs/language', { locale: 'zh-CN', next: '/' });
  });

  afterAll(async () => {
    await app.close();
  });

  const form = { currentPassword: PASSWORD, newPassword: NEW_PASSWORD };

  /** The password did not change and both browsers are still logged in. */
  async function expectUnchanged() {
    expect((await new TestClient(app).login('petra', NEW_PASSWORD)).status).toBe(401);
    expect((await new TestClient(app).login('petra', PASSWORD)).status).toBe(303);
    expect(loggedInAs((await user.get('/')).text)).toBe('petra');
    expect(loggedInAs((await userZh.get('/')).text)).toBe('petra');
  }

  it('without a CSRF token: 403 page, in English and in Chinese', async () => {
    await user.get('/account/password', EN);
    const res = await user.post('/account/password', form, { csrf: false, headers: EN });
    expectErrorPage(res, 403, 'en', ...CSRF_EN);
    expect(cookieNamed(res, 'session')).toBeUndefined();
    expectErrorPage(await userZh.post('/account/password', form, { csrf: false }), 403, 'zh-CN', ...CSRF_ZH);
    await expectUnchanged();
  });

  it("with another browser's CSRF token: 403 page in the user's language", async () => {
    const token = await foreignToken(app);
    expectErrorPage(await user.post('/account/password', { ...form, _csrf: token }, { headers: EN }), 403, 'en', ...CSRF_EN);
    expectErrorPage(await userZh.post('/account/password', { ...form, _csrf: token }), 403, 'zh-CN', ...CSRF_ZH);
    await expectUnchanged();
  });

  it('with a tampered CSRF token: 403 page', async () => {
    const own = await userZh.csrf();
    expectErrorPage(await userZh.post('/account/password', { ...form, _csrf: tampered(own) }), 403, 'zh-CN', ...CSRF_ZH);
    await expectUnchanged();
  });

  it('with an oversized body: 413 page in the user\'s language', async () => {
    expectErrorPage(await user.post('/account/password', { currentPassword: PASSWORD, newPassword: OVERSIZED }, { headers: EN }), 413, 'en', 'Too large', 'What you sent is too large.');
    expectErrorPage(await userZh.post('/account/password', { currentPassword: PASSWORD, newPassword: OVERSIZED }), 413, 'zh-CN', '内容过大', '提交的内容过大。');
    await expectUnchanged();
  });

  it('an invalid form: 400 with the form and a message per field, in Chinese', async () => {
    const res = await userZh.post('/account/password', { currentPassword: '', newPassword: 'short' });
    expect(res.status).toBe(400);
    expect(htmlLang(res.text)).toBe('zh-CN');
    expect(res.text).toContain('<form action="/account/password" method="post"');
    expect(textOfId(res.text, 'currentPassword-error')).toBeTruthy();
    expect(textOfId(res.text, 'newPassword-error')).toBeTruthy();
    expect(res.text).toContain('aria-describedby="newPassword-error"');
    // a password is never echoed back into the page
    expect(res.text).not.toContain('value="short"');
    await expectUnchanged();
  });

  it('a JSON object where a string belongs is a 400 page, never a 500', async () => {
    const _csrf = await user.csrf();
    const res = await user.agent
      .post('/account/password')
      .set('content-type', 'application/json')
      .set('accept', 'text/html')
      .send(JSON.stringify({ _csrf, currentPassword: { $ne: null }, newPassword: NEW_PASSWORD }));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(looksLikeStackTrace(res.text)).toBe(false);
    await expectUnchanged();
  });
});
