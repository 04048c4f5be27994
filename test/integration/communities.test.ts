import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import { createTestApp, makeAdmin, TestClient } from '../helpers/app.js';
import { decodeHtml, looksLikeStackTrace, textOfId } from './support.js';

/** The inner HTML of the <section> labelled by the heading with this id. */
function section(html: string, headingId: string): string {
  const start = html.indexOf(`aria-labelledby="${headingId}"`);
  if (start < 0) throw new Error(`no section ${headingId}`);
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

/** The card of one community on the home page, by its link. */
function card(html: string, slug: string): string {
  const at = html.indexOf(`<a href="/c/${slug}">`);
  if (at < 0) throw new Error(`no card for ${slug}`);
  const start = html.lastIndexOf('<li class="card community-card">', at);
  return html.slice(start, html.indexOf('</li>', at));
}

function statsLine(html: string): string {
  const m = /<p class="stats">([\s\S]*?)<\/p>/.exec(html);
  return m ? decodeHtml(m[1]!.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim() : '';
}

const communityForm = {
  slug: '',
  name: '',
  kind: 'interest',
  description: '',
  defaultLocale: 'en',
  promotionThreshold: '5',
};

describe('communities', () => {
  let app: FastifyInstance;
  let admin: TestClient;

  beforeAll(async () => {
    app = await createTestApp();
    admin = new TestClient(app);
    await admin.register('root-admin');
    await makeAdmin(app, 'root-admin');
    const created = [
      { slug: 'coffee', name: 'Home coffee roasting', kind: 'interest', description: 'Roast **beans** at home.' },
      { slug: 'camera', name: 'Camera support', kind: 'business', description: 'Official help for our cameras.' },
      { slug: 'photo', name: '摄影爱好者', kind: 'interest', description: '用我们的相机拍照。' },
    ];
    for (const c of created) {
      const res = await admin.post('/admin/communities', { ...communityForm, ...c });
      if (res.status !== 303) throw new Error(`creating ${c.slug} failed: ${res.status}`);
    }
  });

  afterAll(async () => {
    await app.close();
  });

  describe('home page', () => {
    it('lists communities grouped by kind', async () => {
      const res = await new TestClient(app).get('/');
      expect(res.status).toBe(200);
      const business = section(res.text, 'group-business');
      const interest = section(res.text, 'group-interest');
      expect(business).toContain('Product support');
      expect(business).toContain('href="/c/camera"');
      expect(business).not.toContain('href="/c/coffee"');
      expect(interest).toContain('Interest communities');
      expect(interest).toContain('href="/c/coffee"');
      expect(interest).toContain('href="/c/photo"');
      expect(interest).toContain('摄影爱好者');
      expect(interest).not.toContain('href="/c/camera"');
      // the description is shown as rendered Markdown
      expect(card(res.text, 'coffee')).toContain('<strong>beans</strong>');
    });

    it('shows member and question counts on each card', async () => {
      const storage = app.storage as SqliteStorage;
      storage.db.prepare("UPDATE communities SET question_count = 7 WHERE slug = 'camera'").run();
      // Written behind the app's back (no request, no job): the anonymous page cache is told so.
      app.services.contentGeneration.bump();
      try {
        const res = await new TestClient(app).get('/');
        expect(statsLine(card(res.text, 'camera'))).toBe('0 members · 7 questions');
        expect(statsLine(card(res.text, 'coffee'))).toBe('0 members · 0 questions');
      } finally {
        storage.db.prepare("UPDATE communities SET question_count = 0 WHERE slug = 'camera'").run();
        app.services.contentGeneration.bump();
      }
    });

    it('says so when a kind has no communities yet', async () => {
      const empty = await createTestApp();
      try {
        const res = await new TestClient(empty).get('/');
        expect(res.status).toBe(200);
        expect(section(res.text, 'group-business')).toContain('No communities of this kind yet.');
        expect(section(res.text, 'group-interest')).toContain('No communities of this kind yet.');
      } finally {
        await empty.close();
      }
    });
  });

  describe('community page', () => {
    it('shows the community to a visitor with a way to log in and join', async () => {
      const res = await new TestClient(app).get('/c/camera');
      expect(res.status).toBe(200);
      expect(textOfId(res.text, 'community-heading')).toBe('Camera support');
      expect(res.text).toContain('Business community');
      expect(res.text).toContain('Official help for our cameras.');
      expect(res.text).toContain('href="/login?next=%2Fc%2Fcamera"');
      expect(res.text).toContain('Log in to join');
      expect(res.text).toContain('No moderators or staff appointed yet.');
    });

    it('shows a Chinese community', async () => {
      const res = await new TestClient(app).get('/c/photo');
      expect(res.status).toBe(200);
      expect(textOfId(res.text, 'community-heading')).toBe('摄影爱好者');
    });

    it('answers an unknown community with a 404 HTML page', async () => {
      const res = await new TestClient(app).get('/c/no-such-community');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('There is no community at this address.');
      expect(res.text).toContain('<main');
    });

    it.each(['/c/%00', '/c/UPPER', '/c/a..b', '/c/a%2Fb', '/c/%3Cscript%3E', '/c/-coffee', '/c/coffee%20', '/c/%E2%80%AEcoffee', '/c/coffee/../admin'])(
      'answers the malformed address %s with 404, never 500',
      async (path) => {
        const res = await app.inject({ url: path });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(looksLikeStackTrace(res.body)).toBe(false);
      },
    );

    it('answers an over-long community address with 404 or 414, never 500', async () => {
      const res = await app.inject({ url: `/c/${'a'.repeat(300)}` });
      expect([404, 414]).toContain(res.statusCode);
      expect(looksLikeStackTrace(res.body)).toBe(false);
    });

    // Fastify refuses these before any hook runs; frameworkErrors (src/app.ts) turns them
    // into the HTML error page rather than Fastify's JSON.
    it.each([
      [`/c/${'a'.repeat(300)}`, 414, 'This address is too long.'],
      ['/c/%E0%A4%A', 400, 'The request could not be understood.'],
    ])('answers the address %s with the HTML error page (%i)', async (url, status, message) => {
      const res = await app.inject({ url, headers: { 'accept-language': 'en' } });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<main');
      expect(decodeHtml(res.body)).toContain(message);
      expect(res.body).toContain('href="/"');
      expect(looksLikeStackTrace(res.body)).toBe(false);
    });

    it('answers a broken percent-encoding with a 4xx, never 500', async () => {
      const res = await app.inject({ url: '/c/%E0%A4%A' });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(looksLikeStackTrace(res.body)).toBe(false);
    });
  });

  describe('joining and leaving', () => {
    it('joins and leaves, with the member count and badge following', async () => {
      const client = new TestClient(app);
      await client.register('nina');
      const before = await client.get('/c/coffee');
      expect(statsLine(before.text)).toBe('0 members · 0 questions');
      expect(before.text).toContain('action="/c/coffee/join"');
      expect(before.text).not.toContain('You are a member');

      const join = await client.post('/c/coffee/join');
      expect(join.status).toBe(303);
      expect(join.headers.location).toBe('/c/coffee?joined=1');
      const joined = await client.get('/c/coffee');
      expect(joined.text).toContain('You are a member');
      expect(statsLine(joined.text)).toBe('1 member · 0 questions');
      expect(joined.text).toContain('action="/c/coffee/leave"');
      expect(joined.text).not.toContain('action="/c/coffee/join"');

      // joining twice does not count twice
      expect((await client.post('/c/coffee/join')).status).toBe(303);
      expect(statsLine((await client.get('/c/coffee')).text)).toBe('1 member · 0 questions');

      // the home page marks it, and the profile lists it
      expect(card((await client.get('/')).text, 'coffee')).toContain('Joined');
      expect(card((await client.get('/')).text, 'camera')).not.toContain('Joined');
      const profile = await client.get('/u/nina');
      expect(profile.text).toContain('<a href="/c/coffee">Home coffee roasting</a>');

      // someone else sees the count, not the badge
      const other = new TestClient(app);
      await other.register('omar');
      const seen = await other.get('/c/coffee');
      expect(statsLine(seen.text)).toBe('1 member · 0 questions');
      expect(seen.text).not.toContain('You are a member');

      const leave = await client.post('/c/coffee/leave');
      expect(leave.status).toBe(303);
      expect(leave.headers.location).toBe('/c/coffee');
      const left = await client.get('/c/coffee');
      expect(left.text).not.toContain('You are a member');
      expect(statsLine(left.text)).toBe('0 members · 0 questions');
      // leaving again is harmless
      expect((await client.post('/c/coffee/leave')).status).toBe(303);
      expect(statsLine((await client.get('/c/coffee')).text)).toBe('0 members · 0 questions');
      expect((await client.get('/u/nina')).text).toContain('Not a member of any community yet.');
    });

    it('answers JSON when asked for it', async () => {
      const client = new TestClient(app);
      await client.register('pia');
      const res = await client.post('/c/photo/join', {}, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ joined: true, community: 'photo' });
      const out = await client.post('/c/photo/leave', {}, { headers: { accept: 'application/json' } });
      expect(out.body).toEqual({ joined: false, community: 'photo' });
    });

    it('requires a login to join (401 page)', async () => {
      const visitor = new TestClient(app);
      await visitor.get('/c/coffee');
      const res = await visitor.post('/c/coffee/join');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('You need to log in to do that.');
      expect(res.text).toContain('href="/login"');
      expect(statsLine((await visitor.get('/c/coffee')).text)).toBe('0 members · 0 questions');
    });

    it('requires a CSRF token to join or leave (403)', async () => {
      const client = new TestClient(app);
      await client.register('quinn');
      const res = await client.post('/c/coffee/join', {}, { csrf: false });
      expect(res.status).toBe(403);
      expect(statsLine((await client.get('/c/coffee')).text)).toBe('0 members · 0 questions');
      await client.post('/c/coffee/join');
      expect((await client.post('/c/coffee/leave', {}, { csrf: false })).status).toBe(403);
      expect((await client.get('/c/coffee')).text).toContain('You are a member');
      await client.post('/c/coffee/leave');
    });

    it('answers joining an unknown or malformed community with 404', async () => {
      const client = new TestClient(app);
      await client.register('rosa');
      expect((await client.post('/c/nowhere/join')).status).toBe(404);
      expect((await client.post('/c/NOT..OK/join')).status).toBe(404);
    });
  });

  describe('administration', () => {
    it('sends a visitor to the login form and back', async () => {
      const res = await new TestClient(app).get('/admin');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fadmin');
      const edit = await new TestClient(app).get('/admin/communities/coffee/edit');
      expect(edit.headers.location).toBe('/login?next=%2Fadmin%2Fcommunities%2Fcoffee%2Fedit');
    });

    it('refuses a member who is not an admin with a 403 page', async () => {
      const client = new TestClient(app);
      await client.register('sam');
      for (const path of ['/admin', '/admin/communities/new', '/admin/communities/coffee/edit']) {
        const res = await client.get(path);
        expect(res.status).toBe(403);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.text).toContain('You do not have permission to do that.');
      }
      const post = await client.post('/admin/communities', { ...communityForm, slug: 'sneaky', name: 'Sneaky' });
      expect(post.status).toBe(403);
      const roles = await client.post('/admin/communities/coffee/roles', { username: 'sam', role: 'moderator' });
      expect(roles.status).toBe(403);
      const edit = await client.post('/admin/communities/coffee', { ...communityForm, name: 'Hacked' });
      expect(edit.status).toBe(403);
      expect(await app.storage.communities.findBySlug('sneaky')).toBeNull();
      expect((await app.storage.communities.findBySlug('coffee'))?.name).toBe('Home coffee roasting');
      expect((await client.get('/u/sam')).text).not.toContain('badge-moderator');
    });

    it('refuses a visitor POST with 401', async () => {
      const visitor = new TestClient(app);
      const res = await visitor.post('/admin/communities', { ...communityForm, slug: 'anon', name: 'Anon' });
      expect(res.status).toBe(401);
      expect(await app.storage.communities.findBySlug('anon')).toBeNull();
    });

    it('shows the admin page with every community', async () => {
      const res = await admin.get('/admin');
      expect(res.status).toBe(200);
      for (const slug of ['coffee', 'camera', 'photo']) expect(res.text).toContain(`href="/admin/communities/${slug}/edit"`);
      expect((await admin.get('/admin/communities/new')).status).toBe(200);
    });

    it('creates a community, which then appears on the home page', async () => {
      const res = await admin.post('/admin/communities', {
        ...communityForm,
        slug: 'Tea-Time',
        name: 'Tea time',
        kind: 'business',
        description: 'Tea <script>alert(1)</script> [link](javascript:alert(2)) [ok](https://tea.example)',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/communities/tea-time/edit?saved=1');
      const saved = await admin.get(res.headers.location!);
      expect(saved.text).toContain('Saved.');

      const home = await new TestClient(app).get('/');
      expect(section(home.text, 'group-business')).toContain('<a href="/c/tea-time">Tea time</a>');
      const page = await new TestClient(app).get('/c/tea-time');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<script>alert(1)');
      expect(page.text).not.toContain('javascript:');
      expect(page.text).toContain('href="https://tea.example"');
      expect(page.text).toContain('rel="nofollow ugc noopener"');
    });

    async function createFails(fields: Partial<typeof communityForm>) {
      const res = await admin.post('/admin/communities', { ...communityForm, ...fields });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain('<form action="/admin/communities" method="post"');
      expect(res.text).toContain('Please correct the highlighted fields.');
      return res;
    }

    it('re-renders the form with a message for a bad slug, keeping the other values', async () => {
      const res = await createFails({ slug: 'Bad Slug!', name: 'Kept name' });
      expect(textOfId(res.text, 'slug-error')).toBe('Use lower-case letters, digits and hyphens (not at the start or end).');
      expect(res.text).toContain('value="Kept name"');
      expect(textOfId(res.text, 'name-error')).toBeUndefined();
    });

    it('refuses a duplicate slug', async () => {
      const res = await createFails({ slug: 'coffee', name: 'Another coffee' });
      expect(textOfId(res.text, 'slug-error')).toBe('A community with this address already exists.');
      expect((await app.storage.communities.findBySlug('coffee'))?.name).toBe('Home coffee roasting');
    });

    it('requires a name', async () => {
      const res = await createFails({ slug: 'nameless', name: '  ' });
      expect(textOfId(res.text, 'name-error')).toBe('This field is required.');
      expect(await app.storage.communities.findBySlug('nameless')).toBeNull();
    });

    it('refuses a kind that is not offered', async () => {
      const res = await createFails({ slug: 'oddkind', name: 'Odd', kind: 'secret' });
      expect(textOfId(res.text, 'kind-error')).toBe('Choose one of the options.');
    });

    it('refuses a bad promotion threshold and a bad language', async () => {
      const res = await createFails({ slug: 'odd2', name: 'Odd', promotionThreshold: '0', defaultLocale: 'xx' });
      expect(textOfId(res.text, 'promotionThreshold-error')).toBe('Enter a whole number of 1 or more.');
      expect(textOfId(res.text, 'defaultLocale-error')).toBe('Choose one of the options.');
    });

    it('edits a community but never its address', async () => {
      const res = await admin.post('/admin/communities/photo', {
        ...communityForm,
        slug: 'hijacked',
        name: '摄影与旅行',
        kind: 'business',
        description: 'Updated *text*',
        defaultLocale: 'zh-CN',
        promotionThreshold: '8',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/communities/photo/edit?saved=1');
      const page = await new TestClient(app).get('/c/photo');
      expect(textOfId(page.text, 'community-heading')).toBe('摄影与旅行');
      expect(page.text).toContain('Business community');
      expect(page.text).toContain('<em>text</em>');
      expect((await new TestClient(app).get('/c/hijacked')).status).toBe(404);
      const form = await admin.get('/admin/communities/photo/edit');
      expect(form.text).toContain('value="8"');
      expect(form.text).toMatch(/<option value="zh-CN" selected>/);
    });

    it('re-renders the edit form with messages for invalid changes', async () => {
      const res = await admin.post('/admin/communities/coffee', { ...communityForm, name: '', kind: 'nope' });
      expect(res.status).toBe(400);
      expect(textOfId(res.text, 'name-error')).toBe('This field is required.');
      expect(textOfId(res.text, 'kind-error')).toBe('Choose one of the options.');
      expect((await app.storage.communities.findBySlug('coffee'))?.name).toBe('Home coffee roasting');
    });

    it('answers editing an unknown community with 404', async () => {
      expect((await admin.get('/admin/communities/nowhere/edit')).status).toBe(404);
      expect((await admin.post('/admin/communities/nowhere', { ...communityForm, name: 'X' })).status).toBe(404);
      expect((await admin.post('/admin/communities/nowhere/roles', { username: 'sam', role: 'staff' })).status).toBe(404);
    });

    it('appoints a moderator and staff by username; profile and community page show it', async () => {
      const mod = new TestClient(app);
      await mod.register('tara');
      const staffer = new TestClient(app);
      await staffer.register('张客服');

      const appointMod = await admin.post('/admin/communities/camera/roles', { username: 'Tara', role: 'moderator' });
      expect(appointMod.status).toBe(303);
      expect(appointMod.headers.location).toBe('/admin/communities/camera/edit?saved=1');
      expect((await admin.post('/admin/communities/camera/roles', { username: '张客服', role: 'staff' })).status).toBe(303);

      const profile = await new TestClient(app).get('/u/tara');
      expect(profile.text).toContain('<span class="badge badge-moderator">Moderator</span> in Camera support');
      const staffProfile = await new TestClient(app).get(`/u/${encodeURIComponent('张客服')}`);
      expect(staffProfile.text).toContain('<span class="badge badge-staff">Staff</span> in Camera support');

      const page = await new TestClient(app).get('/c/camera');
      const aside = section(page.text, 'staff-heading');
      expect(aside).toContain('Staff and moderators');
      expect(aside).toContain('<a href="/u/tara">tara</a> <span class="badge badge-moderator">Moderator</span>');
      expect(aside).toContain(`<a href="/u/${encodeURIComponent('张客服')}">张客服</a> <span class="badge badge-staff">Staff</span>`);
      // appointed users become members, counted once
      expect(statsLine(page.text)).toBe('2 members · 0 questions');
      expect((await mod.get('/c/camera')).text).toContain('You are a moderator');
      expect((await staffer.get('/c/camera')).text).toContain('You are staff');

      // the edit page lists them
      const edit = await admin.get('/admin/communities/camera/edit');
      expect(section(edit.text, 'roles-heading')).toContain('<a href="/u/tara">tara</a>');

      // changing the role does not add a member; demoting to member removes the badge
      expect((await admin.post('/admin/communities/camera/roles', { username: 'tara', role: 'staff' })).status).toBe(303);
      expect((await admin.post('/admin/communities/camera/roles', { username: 'tara', role: 'member' })).status).toBe(303);
      const after = await new TestClient(app).get('/c/camera');
      expect(statsLine(after.text)).toBe('2 members · 0 questions');
      expect(section(after.text, 'staff-heading')).not.toContain('tara');
      expect((await new TestClient(app).get('/u/tara')).text).not.toContain('badge-moderator');
      expect((await mod.get('/c/camera')).text).toContain('You are a member');
    });

    it('shows a site admin badge on the admin profile', async () => {
      const res = await new TestClient(app).get('/u/root-admin');
      expect(res.text).toContain('<span class="badge badge-admin">Site admin</span>');
    });

    it('refuses to appoint an unknown user, with a message', async () => {
      const res = await admin.post('/admin/communities/camera/roles', { username: 'ghost', role: 'moderator' });
      expect(res.status).toBe(400);
      expect(textOfId(res.text, 'appoint-username-error')).toBe('No user is called "ghost".');
      expect(res.text).toContain('value="ghost"');
    });

    it('refuses an empty username or an unknown role', async () => {
      const empty = await admin.post('/admin/communities/camera/roles', { username: ' ', role: 'moderator' });
      expect(empty.status).toBe(400);
      expect(textOfId(empty.text, 'appoint-username-error')).toBe('This field is required.');
      const role = await admin.post('/admin/communities/camera/roles', { username: 'tara', role: 'owner' });
      expect(role.status).toBe(400);
      expect(textOfId(role.text, 'appoint-role-error')).toBe('Choose one of the options.');
    });
  });
});
