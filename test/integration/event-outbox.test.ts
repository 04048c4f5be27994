import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import type { User } from '../../src/domain/types.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { prepareMailMember } from '../helpers/mail-member.js';
import { makeAdmin } from '../helpers/app.js';

/*
 * The event outbox as a member relies on it: an answer that was saved reaches the asker (bell,
 * inbox, one mail over real SMTP) even when the process that saved it died before telling
 * anyone; a worker that died half-way never makes a second notification or mail; a post that
 * was not saved leaves no event behind; an event that cannot be delivered is retried and then
 * given up with a log line. The app runs on a real SQLite file in a DATA_DIR, as a server does.
 */

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp.close();
});

let dir: string;
const apps: FastifyInstance[] = [];
const logged: Array<{ msg: string; obj: object }> = [];
const log = {
  info: () => undefined,
  warn: () => undefined,
  error: (obj: object, msg: string) => void logged.push({ obj, msg }),
};
beforeEach(() => {
  smtp.received.length = 0;
  logged.length = 0;
  dir = mkdtempSync(path.join(tmpdir(), 'forum-events-'));
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A forum process on DATA_DIR (a new one on the same directory is a restart). */
async function start(now?: () => number): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, SMTP_URL: smtp.url }, { seedDemo: false, baseUrl: 'http://forum.test', postRateLimitPerMinute: 100000 });
  const app = await buildApp(config, { logger: false, services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), viewFlushMs: 0, log, ...(now ? { now } : {}) } });
  await app.ready();
  apps.push(app);
  return app;
}

async function stop(app: FastifyInstance): Promise<void> {
  apps.splice(apps.indexOf(app), 1);
  await app.close();
}

async function forum(app: FastifyInstance): Promise<{ asker: User; helper: User; questionId: string }> {
  const community = await createCommunity(app.storage, 'coffee', { name: 'Coffee' });
  const asker = await storageUser(app.storage, 'lilei', [{ community }]);
  const helper = await storageUser(app.storage, 'bob', [{ community }]);
  await prepareMailMember(app.storage, asker, { locale: 'zh-CN' });
  await prepareMailMember(app.storage, helper);
  const res = await (await clientFor(app, asker)).post('/c/coffee/ask', { title: 'How do I roast coffee beans?', body: 'What temperature and how long for a medium roast?', tags: 'roasting' });
  expect(res.status).toBe(303);
  return { asker, helper, questionId: /\/q\/(\d+)\//.exec(res.headers.location!)![1]! };
}

async function postAnswer(app: FastifyInstance, helper: User, questionId: string, body = 'Around 220 °C for 12 minutes, until the first crack ends.'): Promise<number> {
  return (await (await clientFor(app, helper)).post(`/q/${questionId}/answers`, { body })).status;
}

const bell = (html: string) => /class="notification-bell[^"]*" aria-label="([^"]+)"/.exec(html)?.[1];
const mailsTo = (user: User): ParsedMail[] => smtp.received.filter((m) => m.subject !== 'test verify' && (m.to as { text: string }).text.includes(user.email));

async function sendMail(app: FastifyInstance): Promise<void> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
}

describe('event outbox', () => {
  it('a process killed after the answer was saved: the next process delivers the notification and exactly one mail', async () => {
    const first = await start();
    const { asker, helper, questionId } = await forum(first);
    // The process is "killed" between the answer's commit and its notifications: its event
    // worker is gone, so nothing is delivered after the answer is saved.
    await first.services.background.events.stop();
    expect(await postAnswer(first, helper, questionId)).toBe(303);
    expect(bell((await (await clientFor(first, asker)).get('/')).text)).toBe('Notifications');
    expect(await first.storage.events.counts()).toMatchObject({ pending: 1 });
    await stop(first);

    // A new process on the same DATA_DIR: its background worker finds the event.
    const second = await start();
    second.services.background.start();
    // The two members' verification mails (queued by the first process) and the notification.
    await smtp.waitFor(3);
    await second.services.background.events.idle();
    const page = await (await clientFor(second, asker)).get('/notifications');
    expect(bell(page.text)).toBe('1 unread notification');
    expect(page.text).toContain('bob');
    expect(page.text).toContain('How do I roast coffee beans?');
    await sendMail(second);
    const mails = mailsTo(asker);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('How do I roast coffee beans?');
    expect(mails[0]!.text).toContain(`/c/coffee/q/${questionId}/`);
    expect(await second.storage.events.counts()).toEqual({ pending: 0, done: 2, failed: 0 });
    await stop(second);

    // And a third start delivers nothing again.
    const third = await start();
    expect(await third.services.background.events.drain()).toEqual({ done: 0, retried: 0, failed: 0 });
    await sendMail(third);
    expect(mailsTo(asker)).toHaveLength(1);
  });

  it('a worker that died after notifying, before marking the event done: handled again, still one notification and one mail', async () => {
    const app = await start();
    const { asker, helper, questionId } = await forum(app);
    await app.services.background.events.stop();
    expect(await postAnswer(app, helper, questionId)).toBe(303);
    // The dying worker: claims with a short lease, notifies, never marks done.
    const claimed = await app.storage.events.claim('dying-worker', 10, Date.now(), 1);
    expect(claimed.map((e) => e.kind)).toEqual(['answered']);
    await app.services.background.events.handle(claimed[0]!);
    await new Promise((r) => setTimeout(r, 10));
    // The next worker finds the event (the lease expired) and handles it again.
    expect(await app.services.background.events.drain()).toEqual({ done: 1, retried: 0, failed: 0 });
    expect(await app.services.notifications.unreadCount(asker)).toBe(1);
    await sendMail(app);
    expect(mailsTo(asker)).toHaveLength(1);
  });

  it('an answer that was not saved leaves no event: nobody is notified', async () => {
    const app = await start();
    const { asker, helper, questionId } = await forum(app);
    const db = (app.storage as SqliteStorage).db;
    // The answer's insert (and its event) succeed, then the next statement of the same
    // transaction fails, as a full disk or a lost connection would make it.
    db.exec("CREATE TEMP TRIGGER fail_answer_count BEFORE UPDATE OF answer_count ON posts BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
    const before = await app.storage.events.counts();
    expect(await postAnswer(app, helper, questionId)).toBe(500);
    expect(await app.storage.events.counts()).toEqual(before);
    expect(await app.storage.posts.listAnswers(questionId)).toEqual([]);
    expect(await app.services.notifications.unreadCount(asker)).toBe(0);

    db.exec('DROP TRIGGER fail_answer_count');
    expect(await postAnswer(app, helper, questionId)).toBe(303);
    await app.services.background.events.idle();
    expect(await app.services.notifications.unreadCount(asker)).toBe(1);
  });

  it('an event that cannot be delivered is retried with growing waits, then marked failed with a log line; the post stays', async () => {
    let clock = Date.now();
    const app = await start(() => clock);
    const { asker, helper, questionId } = await forum(app);
    const db = (app.storage as SqliteStorage).db;
    db.exec("CREATE TEMP TRIGGER fail_notifications BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'notifications unavailable'); END;");
    expect(await postAnswer(app, helper, questionId)).toBe(303);
    await app.services.background.events.idle();
    expect(await app.storage.posts.listAnswers(questionId)).toHaveLength(1);
    expect(await app.storage.events.counts()).toEqual({ pending: 1, done: 1, failed: 0 });
    // Not due again at once: the first retry waits 30 s, later ones longer.
    expect(await app.services.background.events.drain()).toEqual({ done: 0, retried: 0, failed: 0 });
    clock += 30_000;
    expect(await app.services.background.events.drain()).toEqual({ done: 0, retried: 1, failed: 0 });
    clock += 30_000;
    expect(await app.services.background.events.drain()).toEqual({ done: 0, retried: 0, failed: 0 });
    let outcome = { done: 0, retried: 0, failed: 0 };
    for (let i = 0; i < 10 && outcome.failed === 0; i++) {
      clock += 3_600_000;
      outcome = await app.services.background.events.drain();
    }
    expect(outcome).toEqual({ done: 0, retried: 0, failed: 1 });
    expect(await app.storage.events.counts()).toEqual({ pending: 0, done: 1, failed: 1 });
    const [failed] = await app.storage.events.listFailed(5);
    expect(failed).toMatchObject({ kind: 'answered', attempts: 8, lastError: 'notifications unavailable' });
    expect(logged.filter((l) => l.msg === 'event failed for good, nobody was notified')).toHaveLength(1);
    expect(logged.filter((l) => l.msg === 'event not delivered, will retry')).toHaveLength(7);
    expect(await app.services.notifications.unreadCount(asker)).toBe(0);
    // Admins see it on /admin/mail, in their language.
    await makeAdmin(app, 'bob');
    const admin = await clientFor(app, helper);
    const en = await admin.get('/admin/mail');
    expect(en.status).toBe(200);
    expect(en.text).toContain('0 waiting · 1 failed for good');
    expect(en.text).toContain('1 failed for good');
    expect(en.text).toContain('Events that failed for good (nobody was notified)');
    expect(en.text).toContain(`<code>${failed!.key}</code>`);
    expect(en.text).toContain('notifications unavailable');
    const zh = await admin.get('/admin/mail', { 'Accept-Language': 'zh-CN' });
    expect(zh.text).toContain('等待 0 · 最终失败 1');
    expect(zh.text).toContain('最终失败的事件（没有通知任何人）');
  });
});
