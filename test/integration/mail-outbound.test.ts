import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, makeAdmin, TestClient } from '../helpers/app.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import type { MailContent } from '../../src/services/mail/compose.js';
import { MailWorker } from '../../src/services/mail/mail-worker.js';
import { SmtpMailTransport } from '../../src/services/mail/transport.js';

/*
 * Outbound mail end to end over a real SMTP connection: the queue, the leased worker, the
 * SMTP transport, what arrives (parsed with mailparser), one-click unsubscribe, /admin/mail;
 * and the embedded default writing .eml files.
 */

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

/** A registered member; the sign-up's verification mail is sent and set aside, so tests see only their own mail. */
async function member(app: FastifyInstance, username: string) {
  const client = new TestClient(app);
  await client.register(username);
  const user = (await app.storage.users.findByUsername(username))!;
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  smtp.received.length = 0;
  return { client, user };
}

/** A header exactly as it arrived (mailparser folds List-* headers into a structure). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}
const unsubscribeUrl = (mail: ParsedMail) => /^<(.+)>$/.exec(rawHeader(mail, 'List-Unsubscribe') ?? '')?.[1] ?? '';

const answerMail = (userId: string, to: string, locale: 'en' | 'zh-CN', key = 'answer:1'): MailContent => ({
  to,
  userId,
  locale,
  kind: 'answer',
  idempotencyKey: key,
  subject: locale === 'zh-CN' ? '你的问题有了新回答' : 'Your question has a new answer',
  heading: locale === 'zh-CN' ? '鲍勃回答了：如何烘焙咖啡豆？' : 'bob answered: How do I roast beans?',
  paragraphs: [locale === 'zh-CN' ? '点击下面的链接查看回答。' : 'Follow the link to read the answer.'],
  action: { url: '/c/coffee/q/1/roast?a=2', label: locale === 'zh-CN' ? '查看回答' : 'Read the answer' },
  quote: 'Roast <b>slowly</b> & watch the colour.',
});

describe('outbound mail over SMTP', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    smtp.received.length = 0;
    smtp.reject = null;
    app = await createTestApp({ baseUrl: 'http://forum.test' }, { SMTP_URL: smtp.url, MAIL_FROM: 'Forum Help <help@forum.test>' });
  });
  afterEach(async () => {
    await app.services.background.mail.stop();
    await app.close();
  });

  it('delivers an HTML and a plain-text part in the recipient\'s language, with the site, the link, preferences and RFC 8058 headers', async () => {
    const { user } = await member(app, 'lilei');
    expect(await app.services.mail.queue(answerMail(user.id, user.email, 'zh-CN'))).toBe(true);
    expect(smtp.received).toHaveLength(0); // queuing never sends: the worker does
    expect(await app.services.background.mail.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.from!.text).toBe('"Forum Help" <help@forum.test>');
    expect((mail!.to as { text: string }).text).toBe(user.email);
    expect(mail!.subject).toBe('[社区互助] 你的问题有了新回答');
    expect(mail!.text).toContain('鲍勃回答了：如何烘焙咖啡豆？');
    expect(mail!.text).toContain('查看回答: http://forum.test/c/coffee/q/1/roast?a=2');
    expect(mail!.text).toContain('邮件偏好设置: http://forum.test/settings/notifications');
    expect(mail!.text).toContain('> Roast <b>slowly</b> & watch the colour.');
    expect(mail!.html).toContain('<h1 style="font-size:20px;margin:0 0 16px;">鲍勃回答了：如何烘焙咖啡豆？</h1>');
    expect(mail!.html).toContain('href="http://forum.test/c/coffee/q/1/roast?a=2"');
    expect(mail!.html).toContain('Roast &lt;b&gt;slowly&lt;/b&gt; &amp; watch');
    expect(mail!.html).toContain('此邮件由社区互助发送。');
    const unsubscribe = unsubscribeUrl(mail!);
    expect(unsubscribe).toMatch(/^http:\/\/forum\.test\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(rawHeader(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.html).toContain(`href="${unsubscribe}"`);
    expect(mail!.messageId).toMatch(/^<mail-\d+@forum\.test>$/);
  });

  it('the same event queued twice produces one mail', async () => {
    const { user } = await member(app, 'alice');
    expect(await app.services.mail.queue(answerMail(user.id, user.email, 'en', 'answer:7'))).toBe(true);
    expect(await app.services.mail.queue(answerMail(user.id, user.email, 'en', 'answer:7'))).toBe(false);
    await app.services.background.mail.drain();
    await app.services.mail.queue(answerMail(user.id, user.email, 'en', 'answer:7'));
    await app.services.background.mail.drain();
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.subject).toBe('[Community Help] Your question has a new answer');
  });

  it('one-click unsubscribe works without login: GET only asks, a POST from the mail client unsubscribes that kind', async () => {
    const { user } = await member(app, 'bob');
    await app.services.mail.queue(answerMail(user.id, user.email, 'en'));
    await app.services.background.mail.drain();
    const [mail] = await smtp.waitFor(1);
    const url = new URL(unsubscribeUrl(mail!));

    const page = await request(app.server).get(url.pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Stop e-mails to bob about: answers to my questions?');
    expect(await app.storage.mail.prefs.get(user.id)).toEqual({}); // a link scanner's GET changes nothing

    // What a mail client sends (RFC 8058): no cookie, no CSRF token.
    const oneClick = await request(app.server).post(url.pathname).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(oneClick.text).toContain('Done: bob gets no more e-mail about: answers to my questions.');
    expect(await app.storage.mail.prefs.get(user.id)).toEqual({ answer: 'inbox' });
    // repeating it is harmless
    expect((await request(app.server).post(url.pathname).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);

    const token = url.pathname.split('/').pop()!;
    const forged = token.replace(/^[^.]+/, Buffer.from(`${user.id}:*`).toString('base64url'));
    expect((await request(app.server).post(`/unsubscribe/${forged}`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
    expect((await request(app.server).get('/unsubscribe/not-a-token')).status).toBe(404);
    expect(await app.storage.mail.prefs.get(user.id)).toEqual({ answer: 'inbox' });
  });

  it('retries a refused mail with exponential backoff and marks it failed after the last attempt', async () => {
    const { user } = await member(app, 'carol');
    await app.services.mail.queue(answerMail(user.id, user.email, 'en'));
    smtp.reject = 'mailbox busy, try later';
    let clock = 1_800_000_000_000;
    const worker = new MailWorker(app.storage.mail.queue, new SmtpMailTransport(smtp.url), 'test-worker', { from: 'help@forum.test', messageIdHost: 'forum.test', maxAttempts: 3, baseDelayMs: 1000 }, () => clock);
    try {
      expect(await worker.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
      let [row] = await app.storage.mail.queue.list(0, 1);
      expect(row).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: clock + 1000 });
      expect(row!.lastError).toContain('mailbox busy, try later');
      expect(await worker.drain()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
      clock += 1000;
      expect(await worker.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
      [row] = await app.storage.mail.queue.list(0, 1);
      expect(row).toMatchObject({ attempts: 2, nextAttemptAt: clock + 2000 }); // twice as long
      clock += 2000;
      expect(await worker.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
      [row] = await app.storage.mail.queue.list(0, 1);
      expect(row).toMatchObject({ status: 'failed', attempts: 3 });
      clock += 10 ** 9;
      expect(await worker.drain()).toEqual({ sent: 0, retried: 0, failed: 0 }); // failed for good
    } finally {
      await worker.stop();
    }
    expect(smtp.received).toHaveLength(0);

    // the admin sees the failure and its error
    const admin = await member(app, 'siteadmin');
    await makeAdmin(app, 'siteadmin');
    await admin.client.login('siteadmin');
    const list = await admin.client.get('/admin/mail');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Failed');
    expect(list.text).toContain('mailbox busy, try later');
    expect(list.text).toContain(user.email);
  });
});

describe('/admin/mail', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    smtp.reject = null;
    app = await createTestApp({ baseUrl: 'http://forum.test' }, { SMTP_URL: smtp.url });
  });
  afterEach(async () => {
    await app.services.background.mail.stop();
    await app.close();
  });

  it('lists recipient, subject, time and status for admins only, in both languages', async () => {
    const { user } = await member(app, 'dora');
    const admin = await member(app, 'siteadmin');
    await makeAdmin(app, 'siteadmin');
    await app.services.mail.queue(answerMail(user.id, user.email, 'zh-CN'));
    const visitor = await request(app.server).get('/admin/mail');
    expect(visitor.status).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Fadmin%2Fmail');
    const dora = new TestClient(app);
    await dora.login('dora');
    expect((await dora.get('/admin/mail')).status).toBe(403);

    await admin.client.login('siteadmin');
    const en = await admin.client.get('/admin/mail');
    expect(en.text).toContain('[社区互助] 你的问题有了新回答');
    expect(en.text).toContain(user.email);
    expect(en.text).toContain('Queued');
    expect(en.text).toMatch(/1 queued · \d+ sent · 0 failed/);
    const zh = await admin.client.get('/admin/mail', { Cookie: 'lang=zh-CN' });
    expect(zh.text).toContain('排队中');
    expect((await admin.client.get('/admin/mail?page=0')).status).toBe(404);
    expect((await admin.client.get('/admin/mail/abc')).status).toBe(404);
    expect((await admin.client.get('/admin/mail/999')).status).toBe(404);
  });

  it('previews the HTML part in a sandboxed frame whose own CSP forbids script', async () => {
    const { user } = await member(app, 'eve');
    const { id } = await app.storage.mail.queue.enqueue({
      idempotencyKey: 'evil', to: user.email, userId: user.id, kind: 'answer', locale: 'en', subject: 'Hi <script>alert(1)</script>',
      html: '<p>hello</p><script>alert(document.cookie)</script><img src=x onerror="alert(2)">', text: 'hello', headers: {}, now: Date.now(),
    });
    const admin = await member(app, 'siteadmin');
    await makeAdmin(app, 'siteadmin');
    await admin.client.login('siteadmin');
    const detail = await admin.client.get(`/admin/mail/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain('<script>alert');
    expect(detail.text).not.toContain('onerror="alert(2)"');
    expect(detail.text).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail.text).toMatch(new RegExp(`<iframe class="mail-preview" src="/admin/mail/${id}/preview" sandbox title=`));
    const preview = await admin.client.get(`/admin/mail/${id}/preview`);
    expect(preview.status).toBe(200);
    const csp = preview.headers['content-security-policy'] as string;
    expect(csp.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]));
    expect(csp).not.toContain('script-src');
    expect((await request(app.server).get(`/admin/mail/${id}/preview`)).status).toBe(303);
  });
});

describe('embedded default (no SMTP_URL)', () => {
  it('writes each mail as an .eml file under DATA_DIR/mail that a mail client can read', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'forum-mail-'));
    const app = await createTestApp({ baseUrl: 'http://forum.test' }, { DATA_DIR: dataDir });
    try {
      const { user } = await member(app, 'frank');
      const before = new Set(await fs.readdir(path.join(dataDir, 'mail'))); // the sign-up's verification mail
      await app.services.mail.queue(answerMail(user.id, user.email, 'en'));
      expect(await app.services.background.mail.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
      const files = (await fs.readdir(path.join(dataDir, 'mail'))).filter((f) => !before.has(f));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{8}T\d{6}-\d+\.eml$/);
      const parsed = await simpleParser(await fs.readFile(path.join(dataDir, 'mail', files[0]!)));
      expect(parsed.subject).toBe('[Community Help] Your question has a new answer');
      expect(parsed.text).toContain('Read the answer: http://forum.test/c/coffee/q/1/roast?a=2');
      expect(parsed.html).toContain('Read the answer</a>');
      expect(rawHeader(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(unsubscribeUrl(parsed)).toMatch(/^http:\/\/forum\.test\/unsubscribe\//);
      const [row] = await app.storage.mail.queue.list(0, 1);
      expect(row).toMatchObject({ status: 'sent', subject: '[Community Help] Your question has a new answer' });
    } finally {
      await app.services.background.mail.stop();
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
