import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommunityRole } from '../../src/domain/types.js';
import type { Community, User } from '../../src/domain/types.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { buildMailApp } from '../helpers/mail-app.js';
import { prepareMailMember } from '../helpers/mail-member.js';
import type { TestClient } from '../helpers/app.js';

/*
 * Community newsletters through the routes, delivered over a real SMTP connection: only
 * staff and moderators of a business community write them; a test goes to the writer only;
 * "send now" and a scheduled time reach the members who opted in (on join or in the
 * settings) with verified addresses, once each; one-click unsubscribe stops that community's
 * news; sent newsletters are public in the archive, with Markdown sanitized like posts.
 */

const smtp = useTestSmtp();

let app: FastifyInstance;
let clock: number;
let biz: Community;
beforeEach(async () => {
  clock = Date.UTC(2026, 11, 1, 9);
  app = await buildMailApp(smtp, () => (clock += 1));
  biz = await createCommunity(app.storage, 'acme', { name: 'Acme Support', kind: 'business' });
  await createCommunity(app.storage, 'coffee', { name: 'Coffee' });
});
afterEach(async () => {
  await app.services.background.jobs.stop();
  await app.services.background.mail.stop();
  await app.close();
});

async function person(name: string, options: { role?: CommunityRole | null; verified?: boolean; locale?: 'en' | 'zh-CN' } = {}): Promise<{ user: User; client: TestClient }> {
  const role = options.role === undefined ? 'member' : options.role;
  const user = await storageUser(app.storage, name, role ? [{ community: biz, role }] : []);
  await prepareMailMember(app.storage, user, { verified: options.verified, locale: options.locale, now: clock });
  return { user, client: await clientFor(app, user) };
}

async function received(): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  return smtp.received.filter((m) => m.subject !== 'test verify');
}
const to = (m: ParsedMail) => (m.to as { text: string }).text;
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}

const XSS = 'Hello **members**!\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3))';

/** Writes a newsletter through the editor and returns its id. */
async function write(client: TestClient, subject: string, body = 'New **release** is out.', action = 'preview'): Promise<string> {
  const res = await client.post('/c/acme/news', { subject, body, action, sendAt: '' });
  expect(res.status).toBe(303);
  return /\/c\/acme\/news\/(\d+)\?done=/.exec(res.headers.location!)![1]!;
}

describe('community newsletters', () => {
  it('only staff and moderators write them: a member gets 403, a visitor the login, an interest community has none', async () => {
    const member = await person('mia');
    expect((await member.client.get('/c/acme/news/new')).status).toBe(403);
    expect((await member.client.post('/c/acme/news', { subject: 'x', body: 'y', action: 'send' })).status).toBe(403);
    const visitor = request(app.server);
    const login = await visitor.get('/c/acme/news/new');
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/login?next=%2Fc%2Facme%2Fnews%2Fnew');
    expect((await visitor.get('/c/coffee/news')).status).toBe(404);
    expect((await visitor.get('/c/acme/news/abc')).status).toBe(404);

    const staff = await person('stan', { role: 'staff' });
    const mod = await person('moe', { role: 'moderator' });
    expect((await staff.client.get('/c/acme/news/new')).status).toBe(200);
    // bad input is a 400, never a 500
    expect((await staff.client.post('/c/acme/news', { subject: 'x', body: 'y', action: 'explode' })).status).toBe(400);
    expect((await staff.client.post('/c/acme/news', { subject: ['x', 'y'], body: 'y', action: 'preview' })).status).toBe(400);
    const empty = await staff.client.post('/c/acme/news', { subject: ' ', body: '', action: 'preview' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Give the newsletter a subject.');
    expect((await staff.client.post('/c/acme/news/99999', { subject: 'x', body: 'y', action: 'preview' })).status).toBe(404);
    const id = await write(mod.client, 'From the moderators');
    // a member cannot act on an existing draft either, nor see it
    expect((await member.client.post(`/c/acme/news/${id}`, { subject: 'x', body: 'y', action: 'send' })).status).toBe(403);
    expect((await member.client.get(`/c/acme/news/${id}`)).status).toBe(404);

    // the community page shows "Newsletter" to its writers only
    expect((await staff.client.get('/c/acme')).text).toContain('href="/c/acme/news">Newsletter</a>');
    expect((await member.client.get('/c/acme')).text).not.toContain('>Newsletter</a>');
    expect((await member.client.get('/c/acme')).text).toContain('href="/c/acme/news">Past newsletters</a>');
  });

  it('preview sanitizes the Markdown; a test goes to the writer only; drafts stay private', async () => {
    const staff = await person('stan', { role: 'staff' });
    const ann = await person('ann');
    await app.services.newsletters.setOptIn(ann.user, biz, true);
    const id = await write(staff.client, 'December news', XSS);
    const editor = await staff.client.get(`/c/acme/news/${id}?done=saved`);
    expect(editor.text).toContain('Draft saved.');
    const preview = editor.text.split('id="news-preview-heading"')[1]!;
    expect(preview).toContain('Hello <strong>members</strong>!');
    expect(preview).not.toMatch(/<script|onerror|javascript:/i);

    const test = await staff.client.post(`/c/acme/news/${id}`, { subject: 'December news', body: XSS, action: 'test', sendAt: '' });
    expect(test.status).toBe(303);
    expect((await staff.client.get(test.headers.location!)).text).toContain(`A test was sent to ${staff.user.email}.`);
    const mails = await received();
    expect(mails.map(to)).toEqual([staff.user.email]);
    expect(mails[0]!.subject).toBe('[Community Help] [TEST] Acme Support: December news');
    expect(mails[0]!.html).toContain('Hello <strong>members</strong>!');
    expect(mails[0]!.html).not.toMatch(/<script|onerror|javascript:/i);

    // not sent: not in the archive, and its page is a 404 for others
    const visitor = request(app.server);
    expect((await visitor.get('/c/acme/news')).text).not.toContain('December news');
    expect((await visitor.get(`/c/acme/news/${id}`)).status).toBe(404);
    expect((await ann.client.get(`/c/acme/news/${id}`)).status).toBe(404);
  });

  it('send now reaches opted-in members with verified addresses only, once, in their language; the archive is public', async () => {
    const staff = await person('stan', { role: 'staff' });
    // asked on join: ann ticks the box, ben does not
    const ann = await person('ann', { role: null });
    const ben = await person('ben', { role: null });
    await ann.client.get('/c/acme');
    expect((await ann.client.get('/c/acme')).text).toContain('Also send me this community’s news by e-mail');
    expect((await ann.client.post('/c/acme/join', { news: '1' })).status).toBe(303);
    expect((await ben.client.post('/c/acme/join', {})).status).toBe(303);
    // the Join button on the ask form asks too
    const eve = await person('eve', { role: null });
    expect((await eve.client.get('/c/acme/ask')).text).toMatch(/<input type="checkbox" id="join-news" name="news" value="1" form="ask-form">/);
    expect((await eve.client.post('/c/acme/ask', { title: 'Draft', body: 'kept', tags: '', action: 'join', news: '1' })).status).toBe(200);
    // changed in the settings: li opts in there (and reads Chinese); dan opts in but is unverified
    const li = await person('lilei', { locale: 'zh-CN' });
    const settings = await li.client.get('/settings/notifications');
    expect(settings.text).toContain(`name="news_${biz.id}"`);
    const form: Record<string, string> = { digest: 'off', [`news_${biz.id}`]: '1' };
    for (const k of ['answer', 'accepted', 'mention', 'staff_answer', 'faq_promoted']) form[k] = 'email';
    for (const k of ['comment', 'watched', 'moderation']) form[k] = 'inbox';
    expect((await li.client.post('/settings/notifications', form)).status).toBe(303);
    expect((await li.client.get('/settings/notifications')).text).toMatch(new RegExp(`name="news_${biz.id}" value="1" checked`));
    const dan = await person('dan', { verified: false });
    await app.services.newsletters.setOptIn(dan.user, biz, true);
    // an opted-in member of another community only is no recipient
    const other = await person('otto', { role: null });
    await app.storage.newsletters.setOptIn(other.user.id, biz.id, true, clock);

    const id = await write(staff.client, 'Version 2 is here', XSS, 'send');
    await app.services.newsletters.deliverDue();
    await app.services.newsletters.deliverDue();
    const mails = await received();
    expect(mails.map(to).sort()).toEqual([ann.user.email, eve.user.email, li.user.email].sort());
    const zh = mails.find((m) => to(m) === li.user.email)!;
    expect(zh.subject).toBe('[社区互助] Acme Support: Version 2 is here');
    // A list's mail: clients can file it by its List-Id, and auto-responders do not answer bulk mail.
    expect(zh.headerLines.find((h) => h.key === 'list-id')?.line).toMatch(/^List-Id: <news-\d+\.forum\.test>$/i);
    expect(zh.headers.get('precedence')).toBe('bulk');
    expect(zh.text).toContain('来自Acme Support的新闻邮件。');
    expect(zh.text).toContain(`http://forum.test/c/acme/news/${id}`);

    // public archive, sanitized
    const visitor = request(app.server);
    const archive = await visitor.get('/c/acme/news');
    expect(archive.status).toBe(200);
    expect(archive.text).toContain(`<a class="news-title" href="/c/acme/news/${id}">Version 2 is here</a>`);
    const page = await visitor.get(`/c/acme/news/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hello <strong>members</strong>!');
    expect(page.text.split('class="prose news-body"')[1]).not.toMatch(/<script|onerror|javascript:/i);

    // sent once: it cannot be changed or sent again
    const again = await staff.client.post(`/c/acme/news/${id}`, { subject: 'Version 2 is here', body: 'again', action: 'send', sendAt: '' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('This newsletter was already sent.');
    await app.services.newsletters.deliverDue();
    expect(await received()).toHaveLength(3);
  });

  it('one click on List-Unsubscribe stops this community\u2019s news only', async () => {
    const staff = await person('stan', { role: 'staff' });
    const ann = await person('ann');
    const cat = await person('cat');
    await app.services.newsletters.setOptIn(ann.user, biz, true);
    await app.services.newsletters.setOptIn(cat.user, biz, true);
    await write(staff.client, 'First', 'One', 'send');
    await app.services.newsletters.deliverDue();
    const annMail = (await received()).find((m) => to(m) === ann.user.email)!;
    expect(rawHeader(annMail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = new URL(/^<(.+)>$/.exec(rawHeader(annMail, 'List-Unsubscribe')!)![1]!);
    const visitor = request(app.server);
    expect((await visitor.get(url.pathname)).text).toContain('Stop newsletters from Acme Support to ann?');
    const done = await visitor.post(url.pathname).type('form').send({ 'List-Unsubscribe': 'One-Click' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Done: ann gets no more newsletters from Acme Support.');
    await write(staff.client, 'Second', 'Two', 'send');
    await app.services.newsletters.deliverDue();
    const mails = await received();
    expect(mails.filter((m) => /Second/.test(m.subject ?? '')).map(to)).toEqual([cat.user.email]);
  });

  it('a scheduled newsletter goes out when its time comes, not before; a past time is refused', async () => {
    const staff = await person('stan', { role: 'staff' });
    const ann = await person('ann');
    await app.services.newsletters.setOptIn(ann.user, biz, true);
    const id = await write(staff.client, 'Maintenance on Friday');
    const past = await staff.client.post(`/c/acme/news/${id}`, { subject: 'Maintenance on Friday', body: 'Down 2-3am.', action: 'schedule', sendAt: '2026-11-30T10:00' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('Choose a time in the future (within a year).');
    expect((await staff.client.post(`/c/acme/news/${id}`, { subject: 'Maintenance on Friday', body: 'Down 2-3am.', action: 'schedule', sendAt: 'tomorrow' })).status).toBe(400);
    const ok = await staff.client.post(`/c/acme/news/${id}`, { subject: 'Maintenance on Friday', body: 'Down 2-3am.', action: 'schedule', sendAt: '2026-12-03T08:30' });
    expect(ok.status).toBe(303);
    expect((await staff.client.get(ok.headers.location!)).text).toContain('Scheduled: it will be sent 2026-12-03 08:30 UTC.');
    expect((await staff.client.get('/c/acme/news')).text).toContain('Scheduled for 2026-12-03 08:30 UTC');

    clock = Date.UTC(2026, 11, 3, 8, 29);
    expect(await app.services.background.jobs.runIfLeader('newsletters')).toBe(true);
    expect(await received()).toHaveLength(0);
    clock = Date.UTC(2026, 11, 3, 8, 31);
    await app.services.newsletters.deliverDue();
    const mails = await received();
    expect(mails.map(to)).toEqual([ann.user.email]);
    expect(mails[0]!.text).toContain('Down 2-3am.');
    expect((await request(app.server).get('/c/acme/news')).text).toContain('Maintenance on Friday');
  });
});
