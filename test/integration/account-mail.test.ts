import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { buildMailApp } from '../helpers/mail-app.js';

/*
 * Account e-mail over a real SMTP connection: sign-up verification, password reset and
 * change of address, each link followed as the member would (GET the page, press the button).
 */

const smtp = useTestSmtp();

let app: FastifyInstance;
let clock: number;
beforeEach(async () => {
  clock = Date.now();
  app = await buildMailApp(smtp, () => clock);
});
afterEach(async () => {
  await app.services.background.mail.stop();
  await app.close();
});

/** Sends what is queued and returns the mails that arrived since `before`. */
async function deliver(before: number): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  return smtp.received.slice(before);
}

/** The site path of the mail's main link (the first link to the forum that is not a footer link). */
function linkIn(mail: ParsedMail, prefix: string): string {
  const m = new RegExp(`http://forum\\.test(${prefix}/[A-Za-z0-9_-]+)`).exec(mail.text ?? '');
  if (!m) throw new Error(`no ${prefix} link in: ${mail.text}`);
  return m[1]!;
}

const toOf = (mail: ParsedMail) => (mail.to as { text: string }).text;

describe('e-mail verification', () => {
  it('sign-up sends a verification link in the member\'s language; it works once, by a button press', async () => {
    const client = new TestClient(app);
    await client.get('/', { Cookie: 'lang=zh-CN' });
    await client.agent.post('/register').set('Cookie', 'lang=zh-CN').type('form').send({ username: '韩梅梅', email: 'meimei@example.test', password: 'correct-horse-battery', _csrf: await client.csrf() });
    const [mail] = await deliver(0);
    expect(toOf(mail!)).toBe('meimei@example.test');
    expect(mail!.subject).toBe('[社区互助] 验证你的电子邮箱');
    expect(mail!.text).toContain('欢迎你，韩梅梅');
    expect(mail!.html).toContain('验证我的邮箱</a>');
    const link = linkIn(mail!, '/verify-email');

    const settings = await client.get('/settings/account', { Cookie: 'lang=en' });
    expect(settings.text).toContain('Not verified');

    // Opening the link (as a mail scanner would) changes nothing.
    const page = await client.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Verify my address');
    expect((await client.get('/settings/account')).text).toContain('Not verified');

    const done = await client.post(link);
    expect(done.status).toBe(200);
    expect(done.text).toContain('your address is verified');
    expect((await client.get('/settings/account')).text).toContain('Verified');
    const user = (await app.storage.users.findByUsername('韩梅梅'))!;
    expect(await app.services.accountMail.isVerified(user)).toBe(true);

    const again = await client.post(link);
    expect(again.status).toBe(410);
    expect(again.text).toContain('This link has expired or was already used.');
    expect((await client.post('/verify-email/forged-token')).status).toBe(410);
  });

  it('resending is throttled: the fourth request within an hour is refused with 429', async () => {
    const client = new TestClient(app);
    await client.register('lucy');
    for (let i = 0; i < 3; i++) expect((await client.post('/settings/account/verify')).status).toBe(303);
    expect((await client.post('/settings/account/verify')).status).toBe(429);
    expect(await deliver(0)).toHaveLength(4); // the sign-up mail and three resends
  });
});

describe('password reset', () => {
  it('answers the same for a known and an unknown address, and mails only the known one', async () => {
    const member = new TestClient(app);
    await member.register('nina', 'correct-horse-battery', 'nina@example.test');
    await deliver(0);
    const before = smtp.received.length;
    const anon = new TestClient(app);
    const strip = (html: string) => html.replace(/name="csrf-token" content="[^"]+"/, '').replace(/name="_csrf" value="[^"]+"/g, '');
    const known = await anon.post('/forgot-password', { email: 'NINA@example.test' });
    const unknown = await anon.post('/forgot-password', { email: 'nobody@example.test' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(strip(known.text)).toBe(strip(unknown.text));
    expect(known.text).toContain('If an account uses that address, we have sent it a link');
    const mails = await deliver(before);
    expect(mails.map(toOf)).toEqual(['nina@example.test']);
    expect(mails[0]!.subject).toBe('[Community Help] Reset your password');
    expect((await anon.post('/forgot-password', { email: 'not an address' })).status).toBe(400);
  });

  it('a reset link sets the password once, ends every session, and expires after an hour', async () => {
    const member = new TestClient(app);
    await member.register('omar', 'correct-horse-battery', 'omar@example.test');
    expect((await member.get('/settings/account')).status).toBe(200);
    const anon = new TestClient(app);
    await anon.post('/forgot-password', { email: 'omar@example.test' });
    const [mail] = (await deliver(0)).filter((m) => m.subject!.includes('Reset'));
    const link = linkIn(mail!, '/reset-password');

    expect((await anon.get(link)).text).toContain('Choose a new password');
    const short = await anon.post(link, { newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('8');
    const done = await anon.post(link, { newPassword: 'a-brand-new-secret' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('every session was logged out');

    // the member's open session has ended
    expect((await member.get('/settings/account')).status).toBe(303);
    expect((await new TestClient(app).login('omar', 'correct-horse-battery')).status).toBe(401);
    expect((await new TestClient(app).login('omar', 'a-brand-new-secret')).status).toBe(303);
    expect((await anon.get(link)).status).toBe(410);
    expect((await anon.post(link, { newPassword: 'yet-another-secret' })).status).toBe(410);

    // a fresh link stops working an hour later
    await anon.post('/forgot-password', { email: 'omar@example.test' });
    const [late] = (await deliver(smtp.received.length)).filter((m) => m.subject!.includes('Reset'));
    const lateLink = linkIn(late!, '/reset-password');
    clock += 60 * 60 * 1000;
    expect((await anon.get(lateLink)).status).toBe(410);
    expect((await anon.post(lateLink, { newPassword: 'too-late-secret' })).status).toBe(410);
  });
});

describe('change of address', () => {
  it('needs the password, mails the new address, and changes it only when that link is used', async () => {
    const client = new TestClient(app);
    await client.register('pia', 'correct-horse-battery', 'pia@example.test');
    const other = new TestClient(app);
    await other.register('quinn', 'correct-horse-battery', 'quinn@example.test');
    await deliver(0);
    const before = smtp.received.length;

    const wrong = await client.post('/settings/account/email', { email: 'pia@new.example', currentPassword: 'nope-nope-nope' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Your current password is not right.');
    const taken = await client.post('/settings/account/email', { email: 'quinn@example.test', currentPassword: 'correct-horse-battery' });
    expect(taken.status).toBe(400);
    const ok = await client.post('/settings/account/email', { email: 'Pia@New.example', currentPassword: 'correct-horse-battery' });
    expect(ok.status).toBe(303);
    expect((await client.get(ok.headers.location!)).text).toContain('We sent a link to pia@new.example.');
    expect((await app.storage.users.findByUsername('pia'))!.email).toBe('pia@example.test');

    const [mail] = await deliver(before);
    expect(toOf(mail!)).toBe('pia@new.example');
    expect(mail!.subject).toBe('[Community Help] Confirm your new e-mail address');
    const link = linkIn(mail!, '/confirm-email');
    expect((await client.get(link)).text).toContain('Use this address');
    const done = await client.post(link);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your account now uses pia@new.example.');
    const pia = (await app.storage.users.findByUsername('pia'))!;
    expect(pia.email).toBe('pia@new.example');
    expect(await app.services.accountMail.isVerified(pia)).toBe(true);
    expect((await client.post(link)).status).toBe(410);
  });

  it('visitors are sent to log in; a malformed form is a 400, never a 500', async () => {
    expect((await request(app.server).get('/settings/account')).status).toBe(303);
    const client = new TestClient(app);
    await client.register('rita');
    const res = await client.agent.post('/settings/account/email').type('form').send(`_csrf=${encodeURIComponent(await client.csrf())}&email[$gt]=x&currentPassword=y`);
    expect(res.status).toBe(400);
  });
});
