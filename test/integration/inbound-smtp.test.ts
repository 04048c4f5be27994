import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Community, User } from '../../src/domain/types.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { startInboundSmtp, type InboundSmtp } from '../../src/services/inbound/smtp-listener.js';
import { TestClient } from '../helpers/app.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

/*
 * Support e-mail in over real SMTP: messages are sent with nodemailer to the forum's inbound
 * listener on an ephemeral port; what the forum mails back (acknowledgements, confirmations,
 * notifications) arrives at a real in-process SMTP server and is parsed with mailparser.
 */

let out: TestSmtp;
beforeAll(async () => {
  out = await startSmtp();
});
afterAll(async () => {
  await out.close();
});

let app: FastifyInstance;
let inbound: InboundSmtp;
let coffee: Community;
let tea: Community;
let staffer: User;

async function boot(env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: out.url, INBOUND_SECRET: 'inbound-secret-for-tests', BASE_URL: 'http://forum.test', ...env }, { sqlitePath: ':memory:', seedDemo: false, baseUrl: 'http://forum.test', postRateLimitPerMinute: 100000 });
  app = await buildApp(config, { services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), viewFlushMs: 0 } });
  await app.ready();
  inbound = await startInboundSmtp(app.services.inbound, { host: '127.0.0.1', port: 0 });
  coffee = await createCommunity(app.storage, 'coffee', { name: 'Example Coffee', kind: 'business', defaultLocale: 'zh-CN' });
  tea = await createCommunity(app.storage, 'tea', { name: 'Tea lovers' });
  // An answered, accepted thread: the source of tag suggestions and of "this may already answer you".
  staffer = await person('barista', { communities: [coffee, tea] });
  const helper = await person('helper', { communities: [coffee, tea] });
  const q = await app.services.questions.ask(staffer, 'coffee', { title: 'Grinder makes a loud clicking noise', body: 'My burr grinder clicks loudly when grinding espresso beans.', tags: 'grinder burrs' });
  const a = await app.services.questions.answer(helper, q.question.id, 'Clean the burrs; a stone in the beans makes the grinder click.');
  await app.services.questions.accept(staffer, q.question.id, a.answer.id);
  const t = await app.services.questions.ask(staffer, 'tea', { title: 'Green tea tastes bitter when brewed', body: 'My green tea tastes bitter when I brew it with boiling water.', tags: 'green-tea brewing' });
  const ta = await app.services.questions.answer(helper, t.question.id, 'Use water at 80 degrees for green tea and steep two minutes.');
  await app.services.questions.accept(staffer, t.question.id, ta.answer.id);
  await app.services.background.mail.drain();
  out.received.length = 0;
}

beforeEach(async () => {
  out.received.length = 0;
});
afterEach(async () => {
  await inbound.close();
  await app.services.background.mail.stop();
  await app.close();
});

let n = 0;
async function person(name: string, options: { verified?: boolean; locale?: 'en' | 'zh-CN'; communities?: Community[] } = {}): Promise<User> {
  const user = await storageUser(app.storage, name, (options.communities ?? []).map((community) => ({ community })));
  await app.storage.mail.accounts.setLocale(user.id, options.locale ?? 'en');
  if (options.verified !== false) {
    const hash = (++n).toString(16).padStart(64, 'a');
    await app.storage.mail.accounts.issueToken({ hash, userId: user.id, purpose: 'verify', email: user.email, now: Date.now(), expiresAt: Date.now() + 60_000 }, { idempotencyKey: `test-verify:${hash}`, to: user.email, userId: user.id, kind: 'verify', locale: 'en', subject: 'test verify', html: '', text: 'x', headers: {}, now: Date.now() });
    await app.storage.mail.accounts.consumeVerify(hash, Date.now());
  }
  return user;
}

async function send(mail: { from: string; to: string; subject: string; text?: string; html?: string; headers?: Record<string, string> }): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** Sends the queue and returns what arrived (test verification mails aside). */
async function delivered(): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  return out.received.filter((m) => m.subject !== 'test verify');
}

async function questionsOf(community: Community) {
  return app.storage.posts.listQuestions({ communityId: community.id, sort: 'newest', offset: 0, limit: 50, summary: false });
}

describe('support e-mail in over SMTP', () => {
  it('a verified member: a question in the community, tagged from similar threads, acknowledged in Chinese with the promise and the best answer', async () => {
    await boot();
    const li = await person('lilei', { locale: 'zh-CN' });
    await send({ from: `李雷 <${li.email}>`, to: 'support+coffee@forum.test', subject: 'Grinder clicking noise when grinding', text: 'Since yesterday my grinder makes a clicking noise with espresso beans.\n\n-- \n李雷\n北京' });
    const questions = await questionsOf(coffee);
    const asked = questions.find((q) => q.authorId === li.id)!;
    expect(asked.title).toBe('Grinder clicking noise when grinding');
    expect(asked.bodyText).toContain('clicking noise');
    expect(asked.bodyText).not.toContain('北京');
    expect(asked.tags).toContain('grinder');
    // Writing to the support address made the member part of the community, and opened a ticket.
    expect(await app.storage.memberships.find(coffee.id, li.id)).not.toBeNull();
    expect(await app.storage.support.findTicket(asked.id)).toMatchObject({ status: 'open', askerId: li.id });

    const mails = await delivered();
    const ack = mails.find((m) => m.to && (m.to as { text: string }).text.includes(li.email))!;
    expect(ack.subject).toContain('我们已收到你的问题：Grinder clicking noise when grinding');
    expect(ack.text).toContain('我们已收到你的问题');
    expect(ack.text).toContain('24 个工作小时内回复');
    expect(ack.text).toContain(`http://forum.test/c/coffee/q/${asked.id}/`);
    expect(ack.text).toContain('Grinder makes a loud clicking noise');
    // The best match is a link in the HTML part, under the "may already answer you" heading.
    expect(ack.html).toMatch(/以下内容也许已经能解答你的问题：<\/h2><ul[^>]*><li[^>]*><a href="http:\/\/forum\.test\/c\/coffee\/[^"]+"[^>]*>Grinder makes a loud clicking noise/);
    expect(ack.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('English, in an interest community: no service promise, members will see it', async () => {
    await boot();
    const sam = await person('sam', { locale: 'en' });
    await send({ from: sam.email, to: 'support+tea@forum.test', subject: 'Why is my green tea bitter?', text: 'I brew green tea with boiling water and it tastes bitter. What am I doing wrong?' });
    const asked = (await questionsOf(tea)).find((q) => q.authorId === sam.id)!;
    expect(asked.tags).toContain('green-tea');
    const ack = (await delivered()).find((m) => (m.to as { text: string }).text.includes(sam.email))!;
    expect(ack.subject).toContain('We received your question: Why is my green tea bitter?');
    expect(ack.text).toContain('Members of Tea lovers can see it now');
    expect(ack.text).toContain('Green tea tastes bitter when brewed');
    expect(ack.text).not.toContain('business hours');
  });

  it('an unknown sender: nothing published; the confirmation link creates the account, then publishes and acknowledges', async () => {
    await boot();
    const before = (await questionsOf(coffee)).length;
    await send({ from: 'Wang Fang <wang.fang@example.test>', to: 'support+coffee@forum.test', subject: '咖啡机不出水怎么办', text: '按下开关后咖啡机没有水流出来，指示灯一直闪。' });
    expect((await questionsOf(coffee)).length).toBe(before);
    const [confirmMail] = await delivered();
    expect(confirmMail!.subject).toContain('请确认你发给「Example Coffee」的问题');
    const link = /http:\/\/forum\.test(\/inbound\/confirm\/[A-Za-z0-9_-]{43})/.exec(confirmMail!.text!)![1]!;

    const browser = new TestClient(app);
    const page = await browser.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain('咖啡机不出水怎么办');
    expect((await questionsOf(coffee)).length).toBe(before);
    const bad = await browser.post(link, { username: 'x', password: 'short' });
    expect(bad.status).toBe(400);
    const res = await browser.post(link, { username: 'wangfang', password: 'correct-horse-battery' });
    expect(res.status).toBe(303);
    const user = (await app.storage.users.findByUsername('wangfang'))!;
    expect(user.email).toBe('wang.fang@example.test');
    expect(await app.services.accountMail.isVerified(user)).toBe(true);
    const asked = (await questionsOf(coffee)).find((q) => q.authorId === user.id)!;
    expect(res.headers.location).toContain(`/c/coffee/q/${asked.id}/`);
    const ack = (await delivered()).find((m) => m.subject!.includes('我们已收到你的问题'))!;
    expect((ack.to as { text: string }).text).toContain('wang.fang@example.test');
    // The link is single use.
    expect((await browser.get(link)).status).toBe(404);
    expect((await new TestClient(app).post(link, { username: 'other', password: 'correct-horse-battery' })).status).toBe(404);
  });

  it('an existing account with an unverified address: the link claims it and publishes as that member', async () => {
    await boot();
    const kim = await person('kim', { verified: false });
    await send({ from: kim.email, to: 'support+tea@forum.test', subject: 'Which teapot for oolong tea?', text: 'Is a clay teapot better than glass for oolong tea?' });
    expect((await questionsOf(tea)).some((q) => q.authorId === kim.id)).toBe(false);
    const [confirmMail] = await delivered();
    expect(confirmMail!.subject).toContain('Confirm your question to Tea lovers');
    const link = /(\/inbound\/confirm\/[A-Za-z0-9_-]{43})/.exec(confirmMail!.text!)![1]!;
    const browser = new TestClient(app);
    expect((await browser.get(link)).text).toContain('This address belongs to the account kim');
    expect((await browser.post(link)).status).toBe(303);
    expect((await questionsOf(tea)).some((q) => q.authorId === kim.id && q.title === 'Which teapot for oolong tea?')).toBe(true);
    expect(await app.services.accountMail.isVerified(kim)).toBe(true);
  });

  it('a reply to a notification mail posts an answer by that member, without the quoted history; a forged or borrowed reply address posts nothing', async () => {
    await boot();
    const asker = await person('asker', { communities: [tea] });
    const q = await app.services.questions.ask(asker, 'tea', { title: 'How long to steep black tea?', body: 'How many minutes should black tea steep?', tags: 'brewing' });
    const answerer = await person('answerer', { communities: [tea] });
    const client = await clientFor(app, answerer);
    expect((await client.post(`/q/${q.question.id}/answers`, { body: 'Three to five minutes, then taste.' })).status).toBe(303);
    const note = (await delivered()).find((m) => (m.to as { text: string }).text.includes(asker.email))!;
    const replyTo = (note.replyTo as { value: Array<{ address: string }> }).value[0]!.address;
    expect(replyTo).toMatch(/^reply\+\d+-\d+-[0-9a-f]{20}@forum\.test$/);

    await send({ from: asker.email, to: replyTo, subject: `Re: ${note.subject}`, text: `Thanks, four minutes is perfect.\n\nOn Fri, Dec 4, 2026 at 10:02 AM Community Help <no-reply@forum.test> wrote:\n> answerer answered your question\n> Three to five minutes` });
    const answers = await app.storage.posts.listAnswers(q.question.id, { offset: 0, limit: 10 });
    const mine = answers.find((a) => a.authorId === asker.id)!;
    expect(mine.bodyText).toBe('Thanks, four minutes is perfect.');

    // Someone else sending from their own address to the asker's reply address is refused.
    await expect(send({ from: answerer.email, to: replyTo, subject: 'Re: x', text: 'Pretending to be the asker here.' })).rejects.toThrow(/550/);
    // A reply address with a changed thread id is not ours: refused at RCPT TO.
    const forged = replyTo.replace(`-${q.question.id}-`, `-${Number(q.question.id) + 1}-`);
    await expect(send({ from: asker.email, to: forged, subject: 'Re: x', text: 'Posting somewhere else.' })).rejects.toThrow(/550/);
    expect((await app.storage.posts.listAnswers(q.question.id, { offset: 0, limit: 10 })).length).toBe(answers.length);
  });

  it('machine-written mail is neither posted nor acknowledged', async () => {
    await boot();
    const li = await person('li2');
    const before = (await questionsOf(tea)).length;
    await send({ from: li.email, to: 'support+tea@forum.test', subject: 'Out of office: back on Monday', text: 'I am away until Monday and will reply then.', headers: { 'Auto-Submitted': 'auto-replied' } });
    await send({ from: li.email, to: 'support+tea@forum.test', subject: 'Weekly tea newsletter issue', text: 'This week in tea: new harvests arrive.', headers: { 'List-Id': '<news.tea.example>', Precedence: 'bulk' } });
    await send({ from: 'MAILER-DAEMON@mx.example.test', to: 'support+tea@forum.test', subject: 'Undelivered Mail Returned to Sender', text: 'This is the mail system at host mx.example.test.' });
    expect((await questionsOf(tea)).length).toBe(before);
    expect(await delivered()).toEqual([]);
  });

  it('per-sender limit (451, try later), size limit (552), unknown mailbox (550): nothing stored', async () => {
    await boot({ INBOUND_MAX_PER_HOUR: '2', INBOUND_MAX_BYTES: '4096' });
    const li = await person('li3');
    const before = (await questionsOf(tea)).length;
    await send({ from: li.email, to: 'support+tea@forum.test', subject: 'First question about tea', text: 'Is white tea caffeinated at all?' });
    await send({ from: li.email, to: 'support+tea@forum.test', subject: 'Second question about tea', text: 'How should I store pu-erh tea at home?' });
    await expect(send({ from: li.email, to: 'support+tea@forum.test', subject: 'Third question about tea', text: 'Can I reuse tea leaves the next day?' })).rejects.toThrow(/451/);
    expect((await questionsOf(tea)).length).toBe(before + 2);
    const other = await person('li4');
    await expect(send({ from: other.email, to: 'support+tea@forum.test', subject: 'A very long message', text: 'tea '.repeat(3000) })).rejects.toThrow(/552/);
    await expect(send({ from: other.email, to: 'support+nosuch@forum.test', subject: 'Nobody reads this', text: 'Is anyone there at all?' })).rejects.toThrow(/550/);
    expect((await questionsOf(tea)).length).toBe(before + 2);
  });

  it('HTML-only mail is sanitized like any post', async () => {
    await boot();
    const li = await person('li5');
    await send({ from: li.email, to: 'support+tea@forum.test', subject: 'Teapot cracked after pouring', html: '<p>My <b>glass teapot</b> cracked.<script>alert(1)</script><img src=x onerror="alert(2)"></p><a href="javascript:alert(3)">photo</a>' });
    const asked = (await questionsOf(tea)).find((q) => q.authorId === li.id)!;
    expect(asked.bodyHtml).toContain('<strong>glass teapot</strong>');
    expect(asked.bodyHtml).not.toMatch(/<script|onerror|javascript:/i);
  });
});
