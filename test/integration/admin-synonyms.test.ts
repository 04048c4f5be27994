/*
 * Site admins manage the search synonym groups at /admin/search/synonyms: list, add, edit and
 * delete through the real routes with cookies and CSRF tokens, in both languages, and every
 * kind of bad input gets the form back (400) or a 404/403, never a 500.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { translate } from '../../src/i18n/index.js';
import type { User } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import { clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml, textOfId } from './support.js';

const URL = '/admin/search/synonyms';
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key, params);

/** The groups as the list shows them: each row's terms, in order. */
function listedGroups(html: string): string[][] {
  return [...html.matchAll(/<ul class="synonym-term-list">([\s\S]*?)<\/ul>/g)].map((m) => [...m[1]!.matchAll(/<li>([^<]*)<\/li>/g)].map((t) => decodeHtml(t[1]!)));
}

function termsValue(html: string): string | undefined {
  const m = /<input type="text" id="terms" name="terms" value="([^"]*)"/.exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

describe('admin: search synonyms', () => {
  let app: FastifyInstance;
  let adminUser: User;
  let admin: TestClient;
  let member: TestClient;
  let moderator: TestClient;

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, 'synos');
    adminUser = await storageUser(app.storage, 'synadmin', [], { isAdmin: true });
    admin = await clientFor(app, adminUser);
    member = await clientFor(app, await storageUser(app.storage, 'synmember', [{ community }]));
    moderator = await clientFor(app, await storageUser(app.storage, 'synmod', [{ community, role: 'moderator' }]));
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    for (const g of await app.storage.synonyms.list()) await app.storage.synonyms.delete(g.id);
  });

  const add = (terms: string, client = admin) => client.post(URL, { terms });
  const groups = async () => (await app.storage.synonyms.list()).map((g) => g.terms);

  describe('who may use it', () => {
    it('sends a visitor to the login page and shows members and moderators a 403 page', async () => {
      const visitor = new TestClient(app);
      const res = await visitor.get(URL);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(URL)}`);
      expect((await member.get(URL)).status).toBe(403);
      expect((await moderator.get(URL)).status).toBe(403);
      expect((await member.get(`${URL}/1/edit`)).status).toBe(403);
    });

    it('refuses changes from anyone but a site admin (visitor 401, others 403) and keeps nothing', async () => {
      expect((await add('wifi, wireless', member)).status).toBe(403);
      expect((await add('wifi, wireless', moderator)).status).toBe(403);
      expect((await new TestClient(app).post(URL, { terms: 'wifi, wireless' })).status).toBe(401);
      const g = await app.storage.synonyms.create({ terms: ['wifi', 'wireless'], createdBy: adminUser.id, now: 1 });
      expect((await member.post(`${URL}/${g.id}`, { terms: 'a1, a2' })).status).toBe(403);
      expect((await member.post(`${URL}/${g.id}/delete`)).status).toBe(403);
      expect(await groups()).toEqual([['wifi', 'wireless']]);
    });

    it('needs the CSRF token on every form (403 without it)', async () => {
      expect((await admin.post(URL, { terms: 'wifi, wireless' }, { csrf: false })).status).toBe(403);
      const g = await app.storage.synonyms.create({ terms: ['wifi', 'wireless'], createdBy: adminUser.id, now: 1 });
      expect((await admin.post(`${URL}/${g.id}`, { terms: 'wifi, wlan' }, { csrf: false })).status).toBe(403);
      expect((await admin.post(`${URL}/${g.id}/delete`, {}, { csrf: false })).status).toBe(403);
      expect((await admin.post(`${URL}/${g.id}/delete`, { _csrf: 'forged' })).status).toBe(403);
      expect(await groups()).toEqual([['wifi', 'wireless']]);
    });
  });

  describe('the pages', () => {
    it('is linked from the admin section navigation, and links back to the communities', async () => {
      const home = await admin.get('/admin');
      expect(home.text).toContain(`<a href="${URL}">${en('admin.nav.synonyms')}</a>`);
      const page = await admin.get(URL);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<a href="${URL}" aria-current="page">${en('admin.nav.synonyms')}</a>`);
      expect(page.text).toContain(`<a href="/admin">${en('admin.nav.communities')}</a>`);
      expect(page.text).toContain(en('synonyms.none'));
      const newCommunity = await admin.get('/admin/communities/new');
      expect(newCommunity.text).toContain(`<a href="${URL}">${en('admin.nav.synonyms')}</a>`);
    });

    it('says when the search engine will get a saved change only later', async () => {
      const page = await admin.get(`${URL}?done=created&pending=1`);
      expect(page.text).toContain(en('synonyms.done.created'));
      expect(page.text).toContain(en('synonyms.pending'));
      expect((await admin.get(`${URL}?done=bogus`)).text).not.toContain('alert-success');
    });

    it('speaks Chinese to a Chinese reader', async () => {
      const page = await admin.get(URL, { 'accept-language': 'zh-CN' });
      expect(page.text).toContain(zh('synonyms.title'));
      expect(page.text).toContain(zh('synonyms.add'));
      const bad = await admin.post(URL, { terms: 'wifi' }, { headers: { 'accept-language': 'zh-CN' } });
      expect(textOfId(bad.text, 'terms-error')).toBe(zh('synonyms.terms.tooFew', { min: 2 }));
    });

    it('starts the add form with the query it was opened with from the gaps report', async () => {
      const page = await admin.get(`${URL}?term=${encodeURIComponent('wlan  router')}`);
      expect(termsValue(page.text)).toBe('wlan router, ');
      expect(decodeHtml(page.text)).toContain(en('synonyms.fromGap', { term: 'wlan router' }));
      expect(termsValue((await admin.get(URL)).text)).toBe('');
      // The prefill is echoed escaped, and cut when absurdly long.
      const xss = await admin.get(`${URL}?term=${encodeURIComponent('"><script>alert(1)</script>')}`);
      expect(xss.text).not.toContain('<script>alert(1)</script>');
      expect(termsValue((await admin.get(`${URL}?term=${'x'.repeat(5000)}`)).text)!.length).toBeLessThan(300);
    });
  });

  describe('adding', () => {
    it('stores the terms folded as search sees them and lists the group with its author', async () => {
      const res = await add('WiFi, Wi-Fi, WLAN，无线网');
      expect(res.status).toBe(303);
      const [group] = await app.storage.synonyms.list();
      expect(res.headers.location).toBe(`${URL}?done=created#synonym-${group!.id}`);
      expect(group!.terms).toEqual(['wifi', 'wi fi', 'wlan', '无线 网']);
      expect(group!.createdBy).toBe(adminUser.id);
      const page = await admin.get(res.headers.location as string);
      expect(page.text).toContain(en('synonyms.done.created'));
      // Shown as written: Chinese without the spaces word segmentation put in.
      expect(listedGroups(page.text)).toEqual([['wifi', 'wi fi', 'wlan', '无线网']]);
      expect(page.text).toContain('<a href="/u/synadmin">synadmin</a>');
      expect(page.text).toContain(`action="${URL}/${group!.id}/delete"`);
    });

    it.each([
      ['nothing', '', en('synonyms.terms.required')],
      ['only separators', ' , ，、 ', en('synonyms.terms.required')],
      ['one term', 'wifi', en('synonyms.terms.tooFew', { min: 2 })],
      ['two spellings of one term', 'WiFi, wifi, WIFI', en('synonyms.terms.tooFew', { min: 2 })],
      ['eleven terms', Array.from({ length: 11 }, (_, i) => `term${i}`).join(', '), en('synonyms.terms.tooMany', { max: 10 })],
      ['a term of 41 characters', `wifi, ${'a'.repeat(41)}`, en('synonyms.terms.tooLong', { max: 40, term: `${'a'.repeat(20)}…` })],
      ['a term without letters or digits', 'wifi, !!!', en('synonyms.terms.noWords', { term: '!!!' })],
    ])('refuses %s with the form and its message (400)', async (_name, terms, message) => {
      const res = await add(terms);
      expect(res.status).toBe(400);
      expect(textOfId(res.text, 'terms-error')).toBe(message);
      expect(res.text).toContain('aria-invalid="true"');
      expect(termsValue(res.text)).toBe(terms);
      expect(await groups()).toEqual([]);
    });

    it('accepts exactly ten terms of forty characters', async () => {
      const terms = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(1)}${'b'.repeat(39)}`);
      expect((await add(terms.join(', '))).status).toBe(303);
      expect((await groups())[0]).toHaveLength(10);
    });

    it('refuses a term that is already in another group, naming that group', async () => {
      expect((await add('wifi, wireless')).status).toBe(303);
      const res = await add('WLAN, Wireless');
      expect(res.status).toBe(400);
      expect(textOfId(res.text, 'terms-error')).toBe(en('synonyms.terms.taken', { term: 'wireless', group: 'wifi, wireless' }));
      expect(await groups()).toEqual([['wifi', 'wireless']]);
    });

    it('refuses an object or an array where the terms belong (400), keeping nothing', async () => {
      const _csrf = await admin.csrf();
      const json = await admin.agent.post(URL).set('content-type', 'application/json').set('accept', 'text/html').send(JSON.stringify({ _csrf, terms: { $gt: '' } }));
      expect(json.status).toBe(400);
      expect(json.headers['content-type']).toMatch(/text\/html/);
      const array = await admin.post(URL, { terms: ['wifi', 'wireless'] });
      expect(array.status).toBe(400);
      expect(await groups()).toEqual([]);
    });
  });

  describe('editing and deleting', () => {
    it('edits a group in place, keeping its own terms', async () => {
      const g = await app.storage.synonyms.create({ terms: ['router', '路 由 器'], createdBy: adminUser.id, now: 1 });
      const form = await admin.get(`${URL}/${g.id}/edit`);
      expect(form.status).toBe(200);
      expect(termsValue(form.text)).toBe('router, 路由器');
      const res = await admin.post(`${URL}/${g.id}`, { terms: 'router, 路由器, gateway' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${URL}?done=updated#synonym-${g.id}`);
      expect(await app.storage.synonyms.findById(g.id)).toMatchObject({ id: g.id, terms: ['router', '路 由 器', 'gateway'] });
    });

    it('gives the edit form back with the message for a bad edit, and the group stays', async () => {
      await app.storage.synonyms.create({ terms: ['wifi', 'wireless'], createdBy: adminUser.id, now: 1 });
      const g = await app.storage.synonyms.create({ terms: ['router', 'gateway'], createdBy: adminUser.id, now: 2 });
      const taken = await admin.post(`${URL}/${g.id}`, { terms: 'router, wifi' });
      expect(taken.status).toBe(400);
      expect(textOfId(taken.text, 'terms-error')).toBe(en('synonyms.terms.taken', { term: 'wifi', group: 'wifi, wireless' }));
      expect(taken.text).toContain(`action="${URL}/${g.id}"`);
      const few = await admin.post(`${URL}/${g.id}`, { terms: 'router' });
      expect(few.status).toBe(400);
      expect(textOfId(few.text, 'terms-error')).toBe(en('synonyms.terms.tooFew', { min: 2 }));
      const array = await admin.post(`${URL}/${g.id}`, { terms: ['a1', 'a2'] });
      expect(array.status).toBe(400);
      expect((await app.storage.synonyms.findById(g.id))!.terms).toEqual(['router', 'gateway']);
    });

    it('deletes a group, which then leaves the list', async () => {
      const g = await app.storage.synonyms.create({ terms: ['wifi', 'wireless'], createdBy: adminUser.id, now: 1 });
      const res = await admin.post(`${URL}/${g.id}/delete`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${URL}?done=deleted`);
      const page = await admin.get(res.headers.location as string);
      expect(page.text).toContain(en('synonyms.done.deleted'));
      expect(listedGroups(page.text)).toEqual([]);
      expect(await groups()).toEqual([]);
    });

    it('answers malformed and unknown ids with 404', async () => {
      const g = await app.storage.synonyms.create({ terms: ['wifi', 'wireless'], createdBy: adminUser.id, now: 1 });
      const unknown = String(Number(g.id) + 100);
      for (const id of [unknown, '0', 'abc', '-1', '1.5', '01', `${'9'.repeat(17)}`]) {
        expect((await admin.get(`${URL}/${encodeURIComponent(id)}/edit`)).status, `edit ${id}`).toBe(404);
        expect((await admin.post(`${URL}/${encodeURIComponent(id)}`, { terms: 'a1, a2' })).status, `update ${id}`).toBe(404);
        expect((await admin.post(`${URL}/${encodeURIComponent(id)}/delete`)).status, `delete ${id}`).toBe(404);
      }
      expect(await groups()).toEqual([['wifi', 'wireless']]);
    });
  });
});
