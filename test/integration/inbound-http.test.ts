import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Community, User } from '../../src/domain/types.js';
import { createTestApp } from '../helpers/app.js';
import { createCommunity, storageUser } from '../helpers/qa.js';

/*
 * POST /inbound/email, as a hosted mail provider calls it: the raw MIME message as the body,
 * the shared secret in a header. Off without INBOUND_SECRET; refuses a wrong secret, an
 * oversized or malformed message; drops machine mail; makes a question of a member's mail.
 */

const SECRET = 'inbound-secret-for-tests';
let app: FastifyInstance;
afterEach(async () => {
  await app.close();
});

function mime(from: string, headers: Record<string, string> = {}, body = 'My kettle switches off before the water boils. Is it broken?', subject = 'Kettle switches off early'): string {
  return [
    `From: ${from}`,
    'To: support+tea@forum.test',
    `Subject: ${subject}`,
    'Message-ID: <m1@example.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    body,
    '',
  ].join('\r\n');
}

const post = (body: string | Buffer, secret: string | null = SECRET, type = 'message/rfc822') => {
  const req = request(app.server).post('/inbound/email').set('Content-Type', type);
  if (secret !== null) req.set('X-Inbound-Secret', secret);
  return req.send(body);
};

async function setup(env: Record<string, string> = { INBOUND_SECRET: SECRET }): Promise<{ tea: Community; member: User }> {
  app = await createTestApp({}, { BASE_URL: 'http://forum.test', ...env });
  const tea = await createCommunity(app.storage, 'tea', { name: 'Tea lovers' });
  const member = await storageUser(app.storage, 'kettle', [{ community: tea }]);
  const hash = 'e'.repeat(64);
  await app.storage.mail.accounts.issueToken({ hash, userId: member.id, purpose: 'verify', email: member.email, now: Date.now(), expiresAt: Date.now() + 60_000 }, { idempotencyKey: `v:${hash}`, to: member.email, userId: member.id, kind: 'verify', locale: 'en', subject: 'v', html: '', text: 'x', headers: {}, now: Date.now() });
  await app.storage.mail.accounts.consumeVerify(hash, Date.now());
  return { tea, member };
}

const questionCount = async (tea: Community) => (await app.storage.posts.listQuestions({ communityId: tea.id, sort: 'newest', offset: 0, limit: 50, summary: true })).length;

describe('POST /inbound/email', () => {
  it('is not there without INBOUND_SECRET (404), and refuses a missing or wrong secret (403) before reading the message', async () => {
    await setup({});
    expect((await post(mime('a@example.test'))).status).toBe(404);
    await app.close();
    const { tea } = await setup();
    expect((await post(mime('a@example.test'), null)).status).toBe(403);
    expect((await post(mime('a@example.test'), 'inbound-secret-for-test')).status).toBe(403);
    expect((await post(mime('a@example.test'), `${SECRET}x`)).status).toBe(403);
    expect(await questionCount(tea)).toBe(0);
  });

  it('notification mails carry a signed Reply-To only when inbound mail is on', async () => {
    for (const env of <Array<Record<string, string>>>[{}, { INBOUND_SECRET: SECRET }]) {
      const { tea, member } = await setup(env);
      const other = await storageUser(app.storage, 'answerer', [{ community: tea }]);
      const q = await app.services.questions.ask(member, 'tea', { title: 'Kettle switches off early', body: 'My kettle switches off before the water boils.', tags: 'kettle' });
      await app.services.questions.answer(other, q.question.id, 'Descale it: lime makes the sensor trip early.');
      // The answer's notification is made by the event worker the answer kicked.
      await app.services.background.events.idle();
      const note = (await app.storage.mail.queue.list(0, 10)).find((m) => m.kind === 'answer' && m.to === member.email)!;
      if ('INBOUND_SECRET' in env) expect(note.headers['Reply-To']).toMatch(new RegExp(`^reply\\+${member.id}-${q.question.id}-[0-9a-f]{20}@forum\\.test$`));
      else expect(note.headers['Reply-To']).toBeUndefined();
      await app.close();
    }
    app = await createTestApp();
  });

  it('a verified member’s message becomes their question (202), whatever content type the provider sends', async () => {
    const { tea, member } = await setup();
    const res = await post(mime(`Kettle Owner <${member.email}>`), SECRET, 'application/octet-stream');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'question' });
    const [q] = await app.storage.posts.listQuestions({ communityId: tea.id, sort: 'newest', offset: 0, limit: 5, summary: false });
    expect(q).toMatchObject({ authorId: member.id, title: 'Kettle switches off early', tags: ['email'] });
    const queued = await app.storage.mail.queue.list(0, 10);
    expect(queued.some((m) => m.kind === 'inbound-ack' && m.to === member.email)).toBe(true);
  });

  it('an unknown sender is held (202), nothing published, a confirmation queued', async () => {
    const { tea } = await setup();
    const res = await post(mime('stranger@example.test'), SECRET, 'text/plain');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'held' });
    expect(await questionCount(tea)).toBe(0);
    expect((await app.storage.mail.queue.list(0, 10)).filter((m) => m.kind === 'inbound-confirm').map((m) => m.to)).toEqual(['stranger@example.test']);
  });

  it('loop headers: accepted and dropped, never posted or answered', async () => {
    const { tea, member } = await setup();
    for (const headers of <Array<Record<string, string>>>[{ 'Auto-Submitted': 'auto-replied' }, { Precedence: 'bulk' }, { Precedence: 'list' }, { Precedence: 'junk' }, { 'List-Id': '<weekly.example.test>' }]) {
      const res = await post(mime(member.email, headers));
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('dropped');
    }
    expect((await post(mime('Mail Delivery System <MAILER-DAEMON@mx.example.test>'))).body.status).toBe('dropped');
    expect((await post(mime('postmaster@example.test'))).body.status).toBe('dropped');
    // "Auto-Submitted: no" is a person's mail.
    expect((await post(mime(member.email, { 'Auto-Submitted': 'no' }))).body).toEqual({ status: 'question' });
    expect(await questionCount(tea)).toBe(1);
    expect((await app.storage.mail.queue.list(0, 20)).filter((m) => m.kind === 'inbound-ack')).toHaveLength(1);
  });

  it('too large: 413; malformed: 400; unknown mailbox or too little text: 422; nothing stored', async () => {
    const { tea, member } = await setup({ INBOUND_SECRET: SECRET, INBOUND_MAX_BYTES: '2048' });
    expect((await post(mime(member.email, {}, 'tea '.repeat(1000)))).status).toBe(413);
    for (const bad of ['', '{"from":"a@example.test"}', 'Subject: no sender\r\n\r\nhello there, is anyone here?', Buffer.from([0, 1, 2, 3, 255, 254])]) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('malformed');
    }
    const elsewhere = mime(member.email).replace('support+tea@forum.test', 'support+nosuch@forum.test');
    expect((await post(elsewhere)).status).toBe(422);
    expect((await post(mime(member.email, {}, 'hi'))).status).toBe(422);
    expect(await questionCount(tea)).toBe(0);
    expect((await app.storage.mail.queue.list(0, 10)).filter((m) => m.kind.startsWith('inbound'))).toEqual([]);
  });

  it('per-sender limit: 429 after INBOUND_MAX_PER_HOUR messages', async () => {
    const { tea, member } = await setup({ INBOUND_SECRET: SECRET, INBOUND_MAX_PER_HOUR: '1' });
    expect((await post(mime(member.email))).status).toBe(202);
    const second = await post(mime(member.email, {}, 'Another question about kettles and water.', 'Second kettle question'));
    expect(second.status).toBe(429);
    expect(await questionCount(tea)).toBe(1);
  });
});
