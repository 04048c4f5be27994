import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { FaqCategory, FaqEntry } from '../../src/domain/faq-types.js';
import type { User } from '../../src/domain/types.js';
import { renderMarkdown } from '../../src/markdown/render.js';
import { faqEntryUrl } from '../../src/services/faq/faq-service.js';
import { questionUrl } from '../../src/services/qa/question-service.js';
import { createTestApp, makeAdmin, TestClient } from '../helpers/app.js';
import { cookieNamed, decodeHtml, looksLikeStackTrace } from './support.js';

/** The inner HTML of the element that starts at the first match of `marker` up to its closing tag. */
function block(html: string, marker: string, closing: string): string {
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker}`);
  return html.slice(start, html.indexOf(closing, start));
}

function text(html: string): string {
  return decodeHtml(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Titles of the entry rows (h3 links) in page order. */
function entryTitles(html: string): string[] {
  return [...html.matchAll(/<li class="faq-entry-row[^"]*">\s*<h3><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => decodeHtml(m[1]!));
}

function jsonLd(html: string): any {
  const m = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no JSON-LD');
  return JSON.parse(m[1]!);
}

function canonicalOf(html: string): string | undefined {
  return /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];
}

describe('public FAQ pages', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let adminUser: User;
  const cats: Record<string, FaqCategory> = {};
  const entries: Record<string, FaqEntry> = {};
  let sourceQuestion: { id: string; slug: string };

  async function category(key: string, name: string, parent: string | null) {
    cats[key] = await app.services.faq.createCategory('gadgets', adminUser, { name, parentId: parent ? cats[parent]!.id : '' });
  }

  async function entry(key: string, title: string, body: string, cat: string, related: string[] = []) {
    const { entry: e } = await app.services.faq.createEntry('gadgets', adminUser, { title, body, categoryId: cats[cat]!.id, relatedIds: related.map((r) => entries[r]!.id) });
    entries[key] = e;
  }

  beforeAll(async () => {
    app = await createTestApp();
    admin = new TestClient(app);
    await admin.register('faq-admin');
    await makeAdmin(app, 'faq-admin');
    adminUser = (await app.storage.users.findByUsername('faq-admin'))!;
    await app.services.communities.create(adminUser, { slug: 'gadgets', name: 'Gadget help', kind: 'business', description: 'Help with gadgets.', defaultLocale: 'en', promotionThreshold: '5' });
    await app.services.communities.create(adminUser, { slug: 'other', name: 'Other place', kind: 'interest', description: 'Elsewhere.', defaultLocale: 'en', promotionThreshold: '5' });

    await category('battery', 'Battery', null);
    await category('charging', 'Charging', 'battery');
    await category('cables', 'Cables', 'charging');
    await category('usbc', 'USB-C', 'cables');
    await category('setup', 'Setup', null);
    await category('firmware', '固件 Firmware', null);

    await entry('slow', 'Why does charging take so long?', 'Use the **original** charger.', 'charging');
    await entry('pinned', 'Which chargers are safe to use?', 'Any USB-PD charger up to 30 W.', 'charging');
    await entry('popular', 'Can I charge while the camera is on?', 'Yes, but it charges more slowly.', 'charging', ['slow']);
    await entry('usbc', 'Which USB-C cable do I need?', 'A USB 2.0 cable is enough for charging.', 'usbc', ['slow', 'popular']);
    await entry('update', '如何升级固件？', '下载固件后复制到 SD 卡根目录。', 'firmware');
    await entry('xss', 'Tricky </script><script>alert(1)</script> title', 'Body with <script>alert(2)</script> and text.', 'setup');
    await entry('archived', 'An old answer that was retired', 'Out of date.', 'setup');

    await app.services.faq.setEntryState('gadgets', adminUser, entries.pinned!.id, 'pin');
    await app.services.faq.setEntryState('gadgets', adminUser, entries.archived!.id, 'archive');
    await app.storage.faq.addViews(new Map([[entries.popular!.id, 40], [entries.slow!.id, 3]]));

    const asked = await app.services.questions.ask(adminUser, 'gadgets', { title: 'My battery drains overnight, why?', body: 'It is empty every morning.', tags: 'battery' });
    sourceQuestion = asked.question;
    const body = 'Turn off **Bluetooth standby** in the settings.';
    const { html, text: bodyText } = renderMarkdown(body);
    entries.sourced = await app.storage.faq.createEntry({
      communityId: asked.community.id,
      categoryId: cats.battery!.id,
      title: 'Battery drains overnight',
      slug: 'battery-drains-overnight',
      bodyMd: body,
      bodyHtml: html,
      bodyText,
      sourceQuestionId: asked.question.id,
      sourceAnswerId: null,
      relatedIds: [entries.slow!.id],
      createdBy: adminUser.id,
      now: Date.now(),
    });
  });

  afterAll(async () => {
    await app.close();
  });

  const url = (key: string) => faqEntryUrl('gadgets', entries[key]!);

  describe('FAQ home', () => {
    it('shows the category tree four levels deep with entry counts that include subcategories', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq');
      expect(res.status).toBe(200);
      const tree = block(res.text, '<ul class="faq-tree faq-tree-root">', '</section>');
      expect(tree).toContain('href="/c/gadgets/faq/battery/charging/cables/usb-c"');
      const item = (href: string) => text(block(tree, `href="${href}"`, '</span>'));
      expect(item('/c/gadgets/faq/battery')).toContain('Battery 5 entries');
      expect(item('/c/gadgets/faq/battery/charging')).toContain('Charging 4 entries');
      expect(item('/c/gadgets/faq/battery/charging/cables')).toContain('Cables 1 entry');
      expect(item('/c/gadgets/faq/battery/charging/cables/usb-c')).toContain('USB-C 1 entry');
      // The archived entry is not counted.
      expect(item('/c/gadgets/faq/setup')).toContain('Setup 1 entry');
      expect(tree).toMatch(/<li class="faq-tree-item depth-4">\s*<a href="\/c\/gadgets\/faq\/battery\/charging\/cables\/usb-c">/);
      // Nesting: USB-C sits inside four nested lists.
      const before = tree.slice(0, tree.indexOf('/usb-c"'));
      expect((before.match(/<ul/g) ?? []).length - (before.match(/<\/ul>/g) ?? []).length).toBe(4);
      expect(tree).toContain(`href="/c/gadgets/faq/${encodeURIComponent('固件-firmware')}"`);
    });

    it('lists the most frequently asked entries: pinned first, then by frequency', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq');
      const titles = entryTitles(block(res.text, 'aria-labelledby="faq-most-asked-heading"', '</section>'));
      expect(titles[0]).toBe('Which chargers are safe to use?');
      expect(titles[1]).toBe('Can I charge while the camera is on?');
      expect(titles.indexOf('Can I charge while the camera is on?')).toBeLessThan(titles.indexOf('Why does charging take so long?'));
      expect(titles).not.toContain('An old answer that was retired');
    });

    it('has a scoped FAQ search form, a link to the questions and a canonical URL', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq');
      const form = block(res.text, '<form class="faq-search"', '</form>');
      expect(form).toContain('action="/search"');
      expect(form).toContain('method="get"');
      expect(form).toContain('name="q"');
      expect(form).toContain('<input type="hidden" name="community" value="gadgets">');
      expect(form).toContain('<input type="hidden" name="kind" value="faq">');
      expect(res.text).toContain('href="/c/gadgets"');
      expect(canonicalOf(res.text)).toMatch(/\/c\/gadgets\/faq$/);
    });

    it('shows "Moderate FAQ" only to moderators', async () => {
      const visitor = await new TestClient(app).get('/c/gadgets/faq');
      expect(visitor.text).not.toContain('href="/mod/c/gadgets/faq"');
      const member = new TestClient(app);
      await member.register('plain-member');
      expect((await member.get('/c/gadgets/faq')).text).not.toContain('/mod/c/gadgets/faq');
      const mod = await admin.get('/c/gadgets/faq');
      expect(mod.text).toContain('href="/mod/c/gadgets/faq"');
      expect(mod.text).toContain('Moderate FAQ');
    });

    it('says so when a community has no FAQ yet, in both languages', async () => {
      const en = await new TestClient(app).get('/c/other/faq');
      expect(en.status).toBe(200);
      expect(en.text).toContain('has no FAQ yet');
      const zh = await new TestClient(app).get('/c/other/faq', { 'accept-language': 'zh-CN' });
      expect(zh.text).toContain('还没有常见问题');
      expect(zh.text).toContain('<html lang="zh-CN">');
    });

    it('is linked from the community page', async () => {
      const res = await new TestClient(app).get('/c/gadgets');
      expect(res.text).toContain('href="/c/gadgets/faq"');
    });

    it('is a 404 for an unknown community', async () => {
      expect((await new TestClient(app).get('/c/nowhere/faq')).status).toBe(404);
    });
  });

  describe('category pages', () => {
    it('shows breadcrumbs, subcategories with counts and ordered entries', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq/battery/charging');
      expect(res.status).toBe(200);
      const crumbs = block(res.text, '<nav class="breadcrumbs"', '</nav>');
      expect(text(crumbs)).toBe('Gadget help FAQ Battery Charging');
      expect(crumbs).toContain('href="/c/gadgets/faq"');
      expect(crumbs).toContain('href="/c/gadgets/faq/battery"');
      expect(crumbs).toContain('<li aria-current="page">Charging</li>');
      const subs = block(res.text, 'aria-labelledby="faq-sub-heading"', '</section>');
      expect(text(block(subs, 'href="/c/gadgets/faq/battery/charging/cables"', '</span>'))).toContain('Cables 1 entry');
      expect(subs).toContain('href="/c/gadgets/faq/battery/charging/cables/usb-c"');
      expect(entryTitles(res.text)).toEqual(['Which chargers are safe to use?', 'Can I charge while the camera is on?', 'Why does charging take so long?']);
      expect(res.text).toContain('<span class="badge badge-pinned">Pinned</span>');
      expect(canonicalOf(res.text)).toMatch(/\/c\/gadgets\/faq\/battery\/charging$/);
    });

    it('reaches the fourth level, with all three ancestors in the breadcrumbs', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq/battery/charging/cables/usb-c');
      expect(res.status).toBe(200);
      expect(text(block(res.text, '<nav class="breadcrumbs"', '</nav>'))).toBe('Gadget help FAQ Battery Charging Cables USB-C');
      expect(entryTitles(res.text)).toEqual(['Which USB-C cable do I need?']);
    });

    it('resolves percent-encoded Chinese slugs', async () => {
      const res = await new TestClient(app).get(`/c/gadgets/faq/${encodeURIComponent('固件-firmware')}`);
      expect(res.status).toBe(200);
      expect(entryTitles(res.text)).toEqual(['如何升级固件？']);
    });

    it('says when a category has no entries of its own', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq/battery/charging/cables');
      expect(res.status).toBe(200);
      expect(res.text).toContain('No entries directly in this category');
    });

    it('is a 404, never a 500, for unknown or odd paths', async () => {
      const client = new TestClient(app);
      const paths = [
        '/c/gadgets/faq/nothing',
        '/c/gadgets/faq/charging',
        '/c/gadgets/faq/battery/nothing',
        '/c/gadgets/faq/a/b/c/d/e',
        '/c/gadgets/faq/battery/charging/cables/usb-c/more',
        '/c/gadgets/faq/e',
        '/c/gadgets/faq/e/1/slug/extra',
        '/c/gadgets/faq/%00',
        '/c/gadgets/faq/battery%00',
        '/c/gadgets/faq/battery//charging',
        '/c/gadgets/faq/battery%2Fcharging%2F..%2F..',
        `/c/gadgets/faq/${'a'.repeat(3000)}`,
        `/c/gadgets/faq/battery/${'x'.repeat(150)}`,
        '/c/other/faq/battery',
      ];
      for (const path of paths) {
        const res = await client.get(path);
        expect(res.status, path).toBe(404);
        expect(looksLikeStackTrace(res.text), path).toBe(false);
      }
      const bad = await client.get('/c/gadgets/faq/%');
      expect(bad.status).toBe(400);
    });
  });

  describe('entry pages', () => {
    it('shows the curated answer, breadcrumbs, the source discussion and related entries', async () => {
      const res = await new TestClient(app).get(url('sourced'));
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1 id="faq-entry-title">Battery drains overnight</h1>');
      expect(res.text).toContain('<strong>Bluetooth standby</strong>');
      expect(text(block(res.text, '<nav class="breadcrumbs"', '</nav>'))).toBe('Gadget help FAQ Battery');
      expect(res.text).toContain(`href="${questionUrl('gadgets', sourceQuestion)}"`);
      const related = block(res.text, 'aria-labelledby="faq-related-heading"', '</section>');
      expect(related).toContain(`href="${url('slow')}"`);
      expect(res.text).toContain('Was this helpful?');
      expect(res.text).toContain(`action="/c/gadgets/faq/e/${entries.sourced!.id}/helpful"`);
      expect(res.text).toContain('<script src="/static/js/faq.js" defer></script>');
      expect(res.text).toContain('<meta property="og:title" content="Battery drains overnight">');
      expect(canonicalOf(res.text)).toMatch(new RegExp(`/c/gadgets/faq/e/${entries.sourced!.id}/battery-drains-overnight$`));
      // Counts appear only after voting.
      expect(res.text).toMatch(/data-helpful-result[^>]* hidden>/);
    });

    it('does not load the FAQ script on other pages', async () => {
      const res = await new TestClient(app).get('/c/gadgets/faq');
      expect(res.text).not.toContain('/static/js/faq.js');
    });

    it('carries FAQPage and BreadcrumbList JSON-LD that parses', async () => {
      const res = await new TestClient(app).get(url('usbc'));
      const data = jsonLd(res.text);
      expect(data['@context']).toBe('https://schema.org');
      const graph = data['@graph'] as any[];
      const faqPage = graph.find((n) => n['@type'] === 'FAQPage');
      expect(faqPage.mainEntity[0]['@type']).toBe('Question');
      expect(faqPage.mainEntity[0].name).toBe('Which USB-C cable do I need?');
      expect(faqPage.mainEntity[0].acceptedAnswer['@type']).toBe('Answer');
      expect(faqPage.mainEntity[0].acceptedAnswer.text).toContain('USB 2.0 cable');
      const crumbs = graph.find((n) => n['@type'] === 'BreadcrumbList');
      expect(crumbs.itemListElement.map((i: any) => i.name)).toEqual(['Gadget help', 'FAQ', 'Battery', 'Charging', 'Cables', 'USB-C', 'Which USB-C cable do I need?']);
      expect(crumbs.itemListElement.map((i: any) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(crumbs.itemListElement[5].item).toMatch(/\/c\/gadgets\/faq\/battery\/charging\/cables\/usb-c$/);
    });

    it('cannot be broken out of the JSON-LD script by an entry title', async () => {
      const res = await new TestClient(app).get(url('xss'));
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('</script><script>alert(1)');
      expect(res.text).not.toContain('<script>alert(2)');
      const raw = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.text)![1]!;
      expect(raw).not.toMatch(/[<>]/);
      const data = jsonLd(res.text);
      expect(data['@graph'][0].name).toBe('Tricky </script><script>alert(1)</script> title');
    });

    it('redirects a missing or wrong slug to the canonical URL with 301, keeping the query', async () => {
      const id = entries.usbc!.id;
      const client = new TestClient(app);
      for (const path of [`/c/gadgets/faq/e/${id}`, `/c/gadgets/faq/e/${id}/wrong-slug`]) {
        const res = await client.get(path);
        expect(res.status, path).toBe(301);
        expect(res.headers.location).toBe(url('usbc'));
      }
      const withQuery = await client.get(`/c/gadgets/faq/e/${id}/x?voted=1`);
      expect(withQuery.headers.location).toBe(`${url('usbc')}?voted=1`);
      // Chinese slugs: the canonical URL is percent-encoded and serves the page directly.
      const zh = await client.get(url('update'));
      expect(zh.status).toBe(200);
      expect(zh.text).toContain('如何升级固件？');
    });

    it('counts one view for a visit through a wrong-slug link (the redirect is not a view)', async () => {
      // The moderators' list shows the views of each entry.
      const shownViews = async (id: string) => {
        await app.services.faqViewCounter.flush();
        const row = new RegExp(`<tr id="entry-${id}"[^>]*>([\\s\\S]*?)</tr>`).exec((await admin.get('/mod/c/gadgets/faq')).text)![1]!;
        return Number(/<td class="modfaq-num"[^>]*>(\d+)<\/td>/.exec(row)![1]);
      };
      const id = entries.usbc!.id;
      const before = await shownViews(id);
      const visitor = new TestClient(app);
      const redirect = await visitor.get(`/c/gadgets/faq/e/${id}/an-old-slug`);
      expect(redirect.status).toBe(301);
      expect((await visitor.get(String(redirect.headers.location))).status).toBe(200);
      expect(await shownViews(id)).toBe(before + 1);
      await visitor.get(url('usbc'));
      expect(await shownViews(id)).toBe(before + 2);
    });

    it('is a 404 for unknown, malformed or foreign ids', async () => {
      const client = new TestClient(app);
      for (const path of ['/c/gadgets/faq/e/999999', '/c/gadgets/faq/e/abc', '/c/gadgets/faq/e/0', '/c/gadgets/faq/e/-1', '/c/gadgets/faq/e/1e3', `/c/gadgets/faq/e/${'9'.repeat(40)}`, `/c/other/faq/e/${entries.usbc!.id}`]) {
        const res = await client.get(path);
        expect(res.status, path).toBe(404);
        expect(looksLikeStackTrace(res.text)).toBe(false);
      }
    });

    it('hides archived entries from visitors and members but shows moderators a notice', async () => {
      const visitor = await new TestClient(app).get(url('archived'));
      expect(visitor.status).toBe(404);
      const mod = await admin.get(url('archived'));
      expect(mod.status).toBe(200);
      expect(mod.text).toContain('Archived: only moderators can see this entry.');
      expect(mod.text).not.toContain('data-helpful');
    });

    it('renders in Chinese', async () => {
      const res = await new TestClient(app).get(url('sourced'), { 'accept-language': 'zh-CN' });
      expect(res.text).toContain('这条解答对你有帮助吗？');
      expect(res.text).toContain('常见问题');
    });
  });

  describe('"Was this helpful?"', () => {
    const helpful = (key: string) => `/c/gadgets/faq/e/${entries[key]!.id}/helpful`;
    const json = { headers: { accept: 'application/json' } };
    async function counts(key: string) {
      const e = await app.storage.faq.findEntry(entries[key]!.id);
      return { yes: e!.helpfulYes, no: e!.helpfulNo };
    }

    it('counts a visitor once per browser, via a signed httpOnly cookie', async () => {
      const browser = new TestClient(app);
      // The browser id comes with the first page (the page's CSRF token is bound to it).
      const cookie = cookieNamed(await browser.get(url('slow')), 'fid');
      const first = await browser.post(helpful('slow'), { value: 'yes' });
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe(`${url('slow')}?voted=1#helpful`);
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(await counts('slow')).toEqual({ yes: 1, no: 0 });

      const again = await browser.post(helpful('slow'), { value: 'yes' }, json);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ yes: 1, no: 0 });
      expect(cookieNamed(again, 'fid')).toBeUndefined();

      const changed = await browser.post(helpful('slow'), { value: 'no' }, json);
      expect(changed.body).toMatchObject({ yes: 0, no: 1 });

      const other = new TestClient(app);
      await other.get(url('slow'));
      const second = await other.post(helpful('slow'), { value: 'yes' }, json);
      expect(second.body).toMatchObject({ yes: 1, no: 1 });
      expect(await counts('slow')).toEqual({ yes: 1, no: 1 });
    });

    it('shows the thanks and the counts after the redirect', async () => {
      const browser = new TestClient(app);
      await browser.get(url('popular'));
      const res = await browser.post(helpful('popular'), { value: 'yes' });
      const page = await browser.get(res.headers.location!.replace(/#.*$/, ''));
      expect(page.status).toBe(200);
      expect(page.text).toContain('Thank you for your feedback!');
      expect(page.text).toMatch(/<span data-helpful-counts>1 found this helpful · 0 did not<\/span>/);
      expect(page.text).not.toMatch(/data-helpful-result[^>]* hidden>/);
    });

    it('does not trust a forged browser cookie', async () => {
      const browser = new TestClient(app);
      await browser.get(url('usbc'));
      await browser.agent.jar.setCookie('fid=someone-elses-id-1234567890; Path=/', '127.0.0.1', '/');
      // An unsigned id is no id: the page's token was bound to the real one, so the vote is refused.
      const res = await browser.post(helpful('usbc'), { value: 'yes' }, json);
      expect(res.status).toBe(403);
      // The next page replaces the forged cookie with a fresh, signed id, and then the vote counts.
      const page = await browser.get(url('usbc'));
      const fresh = cookieNamed(page, 'fid');
      expect(fresh).toBeDefined();
      expect(fresh).not.toContain('someone-elses-id');
      expect((await browser.post(helpful('usbc'), { value: 'yes' }, json)).status).toBe(200);
    });

    it('counts a logged-in person once, whatever browser they use', async () => {
      const laptop = new TestClient(app);
      await laptop.register('helpful-voter');
      await laptop.get(url('update'));
      expect((await laptop.post(helpful('update'), { value: 'yes' }, json)).body).toMatchObject({ yes: 1, no: 0 });
      const phone = new TestClient(app);
      await phone.login('helpful-voter');
      await phone.get(url('update'));
      const res = await phone.post(helpful('update'), { value: 'yes' }, json);
      expect(res.body).toMatchObject({ yes: 1, no: 0 });
      expect(cookieNamed(res, 'fid')).toBeUndefined();
      expect(await counts('update')).toEqual({ yes: 1, no: 0 });
    });

    it('refuses a bad value with 400 and counts nothing', async () => {
      const browser = new TestClient(app);
      await browser.get(url('usbc'));
      const before = await counts('usbc');
      const forms: Array<Record<string, string | string[]>> = [{ value: 'maybe' }, {}, { value: '1' }, { value: ['yes', 'no'] }];
      for (const form of forms) {
        const res = await browser.post(helpful('usbc'), form);
        expect(res.status, JSON.stringify(form)).toBe(400);
        expect(looksLikeStackTrace(res.text)).toBe(false);
      }
      expect(await counts('usbc')).toEqual(before);
    });

    it('refuses a post without a CSRF token with 403', async () => {
      const browser = new TestClient(app);
      await browser.get(url('usbc'));
      const res = await browser.post(helpful('usbc'), { value: 'yes' }, { csrf: false });
      expect(res.status).toBe(403);
    });

    it('is a 404 for archived, unknown, malformed and foreign entries', async () => {
      const browser = new TestClient(app);
      await browser.get(url('usbc'));
      for (const path of [helpful('archived'), '/c/gadgets/faq/e/999999/helpful', '/c/gadgets/faq/e/abc/helpful', `/c/other/faq/e/${entries.usbc!.id}/helpful`]) {
        const res = await browser.post(path, { value: 'yes' });
        expect(res.status, path).toBe(404);
      }
    });
  });
});

describe('"Was this helpful?" rate limit', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('allows 30 votes a minute from one address, then answers 429', async () => {
    const admin = new TestClient(app);
    await admin.register('limit-admin');
    await makeAdmin(app, 'limit-admin');
    const user = (await app.storage.users.findByUsername('limit-admin'))!;
    await app.services.communities.create(user, { slug: 'rl', name: 'Rate limits', kind: 'interest', description: 'x', defaultLocale: 'en', promotionThreshold: '5' });
    const cat = await app.services.faq.createCategory('rl', user, { name: 'General', parentId: '' });
    const { entry } = await app.services.faq.createEntry('rl', user, { title: 'A question to vote on', body: 'An answer.', categoryId: cat.id, relatedIds: [] });
    const browser = new TestClient(app);
    await browser.get(faqEntryUrl('rl', entry));
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await browser.post(`/c/rl/faq/e/${entry.id}/helpful`, { value: i % 2 ? 'yes' : 'no' }, { headers: { accept: 'application/json' } })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
