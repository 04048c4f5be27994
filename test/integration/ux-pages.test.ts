/*
 * What a newcomer reads on every page (issue 16): counts in the right plural form for 0, 1
 * and 2 in both languages, relative times with the absolute date beside them, vote buttons
 * that say why they are disabled, unique landmark names (axe landmark-unique), and FAQ
 * categories without published entries hidden from the public.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Parser } from 'htmlparser2';
import type { Community, User } from '../../src/domain/types.js';
import { clientFor, createCommunity, createQaApp, member, askQuestion, postAnswer, steppingClock, storageUser, vote } from '../helpers/qa.js';
import { TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';

const HOUR = 3_600_000;

/** The text a reader sees (tags removed, entities decoded, whitespace collapsed). */
function visibleText(html: string): string {
  const body = html.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<script[\s\S]*?<\/script>/g, '');
  return decodeHtml(body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

/** English count phrases with a singular number and a plural noun: "1 answers", "1 votes". */
const WRONG_SINGULAR = /(?:^|[^\d.,])1 (answers|votes|views|members|questions|entries|categories|results|comments|groups|candidates|revisions|seconds|days)\b/;

interface Landmark {
  role: string;
  name: string;
}

const IMPLICIT: Record<string, string> = { nav: 'navigation', main: 'main', aside: 'complementary' };
const LANDMARK_ROLES = new Set(['banner', 'navigation', 'main', 'complementary', 'contentinfo', 'search', 'region', 'form']);

/** The landmarks of a page with their accessible names, as axe's landmark-unique sees them. */
function landmarks(html: string): Landmark[] {
  const ids = new Map<string, string>();
  const found: Array<{ role: string; label: string; labelledby: string }> = [];
  const stack: Array<{ name: string; id: string | null; text: string }> = [];
  // header and footer are banner / contentinfo only outside sectioning content and main.
  const sectioning = new Set(['main', 'article', 'aside', 'nav', 'section']);
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const top = !stack.some((el) => sectioning.has(el.name));
        stack.push({ name, id: attrs.id ?? null, text: '' });
        let role = attrs.role ?? IMPLICIT[name] ?? '';
        if (!attrs.role && name === 'section' && (attrs['aria-label'] || attrs['aria-labelledby'])) role = 'region';
        if (!attrs.role && name === 'header' && top) role = 'banner';
        if (!attrs.role && name === 'footer' && top) role = 'contentinfo';
        if (LANDMARK_ROLES.has(role)) found.push({ role, label: attrs['aria-label'] ?? '', labelledby: attrs['aria-labelledby'] ?? '' });
      },
      ontext(text) {
        for (const el of stack) el.text += text;
      },
      onclosetag() {
        const el = stack.pop();
        if (el?.id) ids.set(el.id, el.text.replace(/\s+/g, ' ').trim());
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return found.map((l) => ({ role: l.role, name: l.labelledby ? l.labelledby.split(' ').map((id) => ids.get(id) ?? '').join(' ') : l.label }));
}

function duplicateLandmarks(html: string): string[] {
  const seen = new Map<string, number>();
  for (const l of landmarks(html)) seen.set(`${l.role}|${l.name}`, (seen.get(`${l.role}|${l.name}`) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

describe('pages a newcomer reads', () => {
  let app: FastifyInstance;
  let community: Community;
  let empty: Community;
  let admin: User;
  const pages: string[] = [];
  const questions: Array<{ id: string; url: string }> = [];
  let asker: { user: User; client: TestClient };
  let voterA: { user: User; client: TestClient };

  beforeAll(async () => {
    const clock = steppingClock();
    // Everything is posted "three hours ago", so relative times have something to say.
    clock.advance(-3 * HOUR - 10 * 60_000);
    app = await createQaApp({ now: clock.now });
    community = await createCommunity(app.storage, 'counts', { name: 'Counting club' });
    empty = await createCommunity(app.storage, 'empty', { name: 'Empty club' });
    await createCommunity(app.storage, 'single', { name: 'Single club' });
    admin = await storageUser(app.storage, 'ux_admin', [], { isAdmin: true });
    asker = await member(app, community, 'ux_asker');
    voterA = await member(app, community, 'ux_voter_a');
    const voterB = await member(app, community, 'ux_voter_b');
    const single = (await app.storage.communities.findBySlug('single'))!;
    await storageUser(app.storage, 'ux_single', [{ community: single }]);

    // Questions with 0, 1 and 2 answers and scores 0, 1 and 2; one tag with 1 question, one with 2.
    for (let n = 0; n < 3; n++) {
      const q = await askQuestion(asker.client, 'counts', { title: `Counting question number ${n}`, body: `Body of question ${n}, long enough.`, tags: n === 0 ? 'solo' : 'pair' });
      questions.push(q);
      for (let a = 0; a < n; a++) await postAnswer(a === 0 ? voterA.client : voterB.client, q.id, `Answer ${a} to question ${n}, long enough to post.`);
      if (n >= 1) await vote(voterA.client, q.id, '1');
      if (n >= 2) await vote(voterB.client, q.id, '1');
    }
    // One comment, on the question with one answer.
    await voterA.client.post(`/posts/${questions[1]!.id}/comments`, { comment: 'A comment on this question.' });

    // FAQ: one category with one entry, one with two, one empty (with an empty child).
    const cat = async (name: string, parentId = '') => app.services.faq.createCategory('counts', admin, { name, parentId });
    const one = await cat('One entry');
    const two = await cat('Two entries');
    const none = await cat('Nothing yet');
    await cat('Nothing below', none.id);
    const entry = (title: string, categoryId: string) => app.services.faq.createEntry('counts', admin, { title, body: `${title}: the answer.`, categoryId, relatedIds: [] });
    await entry('First single entry', one.id);
    await entry('First of two', two.id);
    await entry('Second of two', two.id);
    void empty;
  });

  afterAll(async () => {
    await app?.close();
  });

  async function walk(client: TestClient, locale: 'en' | 'zh-CN', options: { member: boolean }): Promise<Array<{ path: string; html: string }>> {
    const paths = [
      '/',
      '/c/counts',
      '/c/counts?sort=unanswered',
      '/c/counts/tags/solo',
      '/c/counts/tags/pair',
      '/c/empty',
      '/c/single',
      ...questions.map((q) => q.url),
      '/u/ux_asker',
      '/u/ux_voter_a',
      '/search?q=question',
      '/search?q=nothing-matches-this',
      '/c/counts/faq',
      '/c/counts/faq/one-entry',
      '/c/counts/faq/two-entries',
      // The ask form (with its tag suggestions) is for members; visitors are sent to log in.
      ...(options.member ? ['/c/counts/ask'] : []),
    ];
    const out: Array<{ path: string; html: string }> = [];
    for (const path of paths) {
      const res = await client.get(path, { 'accept-language': locale === 'en' ? 'en' : 'zh-CN' });
      expect(res.status, path).toBe(200);
      out.push({ path, html: res.text });
    }
    pages.push(...out.map((p) => p.path));
    return out;
  }

  it.each(['en', 'zh-CN'] as const)('shows no "1 answers"-type count on any page (%s, visitor and member)', async (locale) => {
    for (const [client, isMember] of [[new TestClient(app), false], [asker.client, true]] as const) {
      for (const { path, html } of await walk(client, locale, { member: isMember })) {
        const text = visibleText(html);
        expect(WRONG_SINGULAR.exec(text)?.[0] ?? null, `${path}`).toBeNull();
      }
    }
  });

  it('says "1 answer", "1 vote" and "2 answers" where the counts are 1 and 2 (English)', async () => {
    const list = visibleText((await new TestClient(app).get('/c/counts?sort=newest', { 'accept-language': 'en' })).text);
    expect(list).toContain('1 vote 1 answer');
    expect(list).toContain('2 votes 2 answers');
    expect(list).toContain('0 votes 0 answers');
    const thread = visibleText((await new TestClient(app).get(questions[1]!.url, { 'accept-language': 'en' })).text);
    expect(thread).toContain('1 answer ');
    const home = visibleText((await new TestClient(app).get('/', { 'accept-language': 'en' })).text);
    expect(home).toContain('1 member');
    expect(home).toContain('0 members');
    expect(home).toContain('3 members');
  });

  it.each(['en', 'zh-CN'] as const)('has unique landmark names on every page (%s)', async (locale) => {
    for (const { path, html } of await walk(asker.client, locale, { member: true })) {
      expect(duplicateLandmarks(html), path).toEqual([]);
    }
    const search = (await new TestClient(app).get('/search?q=question', { 'accept-language': locale })).text;
    expect(landmarks(search).filter((l) => l.role === 'search')).toHaveLength(2);
  });

  it.each([
    ['en', 'Asked 3 hours ago', '3 hours ago'],
    ['zh-CN', '提问于 3小时前', '3小时前'],
  ] as const)('shows relative times with the absolute date on hover, focus and for screen readers (%s)', async (locale, asked, rel) => {
    const html = (await new TestClient(app).get(questions[2]!.url, { 'accept-language': locale })).text;
    expect(visibleText(html.replace(/<span class="visually-hidden">[^<]*<\/span>/g, ''))).toContain(asked);
    const times = [...html.matchAll(/<time datetime="([^"]+)" class="reltime[^"]*" title="([^"]+)"(?: tabindex="0")?>([^<]*)<span class="visually-hidden"> \(([^)]*)\)<\/span><\/time>/g)];
    expect(times.length).toBeGreaterThanOrEqual(3);
    for (const [, iso, title, text, hidden] of times) {
      expect(Date.parse(iso!)).toBeLessThan(Date.now() - 2 * HOUR);
      expect(decodeHtml(title!)).toBe(decodeHtml(hidden!));
      expect(title).toMatch(/\d{4}/);
      expect(text).toBe(rel);
    }
    // Lists, profiles and the home page use the same element.
    for (const path of ['/c/counts', '/u/ux_asker', '/']) {
      const page = (await new TestClient(app).get(path, { 'accept-language': locale })).text;
      expect(page, path).toMatch(new RegExp(`<time datetime="[^"]+" class="reltime[^"]*" title="[^"]+"[^>]*>${rel}<`));
    }
  });

  it('shows visitors disabled vote buttons with a link to log in and come back', async () => {
    const q = questions[1]!;
    const html = (await new TestClient(app).get(q.url, { 'accept-language': 'en' })).text;
    expect(html).not.toContain(`action="/posts/${q.id}/vote"`);
    const box = html.slice(html.indexOf(`data-post="${q.id}"`), html.indexOf('</div>', html.indexOf(`data-post="${q.id}"`)));
    // Two disabled buttons that still say what they are for, and the link that says why they are off.
    expect(box.match(/<button class="vote-button vote-(up|down)" disabled aria-label="Vote (up|down): this is (not )?useful">/g)).toHaveLength(2);
    expect(box).toContain(`<a class="vote-hint" href="/login?next=${encodeURIComponent(q.url)}">Log in to vote</a>`);
    const zh = (await new TestClient(app).get(q.url, { 'accept-language': 'zh-CN' })).text;
    expect(zh).toContain('>登录后投票</a>');
  });

  it('shows members working vote forms, and authors disabled buttons on their own post', async () => {
    const q = questions[1]!;
    const voterPage = (await voterA.client.get(q.url)).text;
    expect(voterPage).toContain(`action="/posts/${q.id}/vote"`);
    expect(voterPage).not.toContain('class="vote-hint"');
    const own = (await asker.client.get(q.url, { 'accept-language': 'en' })).text;
    const box = own.slice(own.indexOf(`data-post="${q.id}"`), own.indexOf('</div>', own.indexOf(`data-post="${q.id}"`)));
    expect(box).toContain('disabled');
    expect(box).toContain('title="You cannot vote on your own post"');
  });

  it('asks non-members to join before voting', async () => {
    const outsider = await storageUser(app.storage, 'ux_outsider');
    const client = await clientFor(app, outsider);
    const html = (await client.get(questions[1]!.url, { 'accept-language': 'en' })).text;
    expect(html).toContain('<span class="vote-hint">Join to vote</span>');
  });

  it('hides FAQ categories without published entries from the public, not from moderators', async () => {
    const visitor = visibleText((await new TestClient(app).get('/c/counts/faq', { 'accept-language': 'en' })).text);
    expect(visitor).toContain('One entry');
    expect(visitor).toContain('Two entries');
    expect(visitor).not.toContain('Nothing yet');
    expect(visitor).not.toContain('Nothing below');
    expect(visitor).toContain('2 categories');
    expect((await new TestClient(app).get('/c/counts/faq/nothing-yet')).status).toBe(404);
    const mod = await clientFor(app, admin);
    const modView = visibleText((await mod.get('/c/counts/faq', { 'accept-language': 'en' })).text);
    expect(modView).toContain('Nothing yet');
    expect(modView).toContain('Nothing below');
    expect((await mod.get('/c/counts/faq/nothing-yet')).status).toBe(200);
  });

  it('shows a generated avatar beside authors, served from a cached route on this site', async () => {
    const visitor = new TestClient(app);
    const thread = (await visitor.get(questions[2]!.url)).text;
    expect(thread).toContain('<img class="avatar" src="/avatars/ux_asker.svg" alt="" width="24" height="24">');
    expect(thread).toContain('<img class="avatar" src="/avatars/ux_voter_b.svg"');
    const list = (await visitor.get('/c/counts')).text;
    expect(list).toContain('<img class="avatar" src="/avatars/ux_asker.svg" alt="" width="20" height="20">');
    expect((await visitor.get('/u/ux_asker')).text).toContain('width="48"');
    for (const html of [thread, list]) expect(html).not.toMatch(/<img[^>]+src="(https?:)?\/\//);

    const svg = await visitor.get('/avatars/ux_asker.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.headers['cache-control']).toContain('immutable');
    const body = svg.text || String(svg.body);
    expect(body).toMatch(/^<svg [^>]*viewBox/);
    const again = await visitor.get('/avatars/ux_asker.svg');
    expect(again.text || String(again.body)).toBe(body);
    const other = await visitor.get('/avatars/ux_voter_a.svg');
    expect(other.text || String(other.body)).not.toBe(body);
    const chinese = await visitor.get(`/avatars/${encodeURIComponent('韩梅梅')}.svg`);
    expect(chinese.status).toBe(200);
    expect((await visitor.get('/avatars/ux_asker.png')).status).toBe(404);
    expect((await visitor.get(`/avatars/${'x'.repeat(61)}.svg`)).status).toBe(404);
  });
});
