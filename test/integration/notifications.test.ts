import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Community, User } from '../../src/domain/types.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { buildMailApp } from '../helpers/mail-app.js';
import { prepareMailMember } from '../helpers/mail-member.js';
import type { TestClient } from '../helpers/app.js';

/*
 * Notifications from real posting through the routes: who hears of what, the bell and the
 * inbox, mail over a real SMTP connection per the member's preferences and verification,
 * batching per thread, no mail for one's own actions.
 */

const smtp = useTestSmtp();

let app: FastifyInstance;
let clock: number;
let community: Community;
beforeEach(async () => {
  clock = Date.now();
  app = await buildMailApp(smtp, () => (clock += 1000));
  community = await createCommunity(app.storage, 'coffee', { name: 'Coffee' });
});
afterEach(async () => {
  await app.services.background.mail.stop();
  await app.close();
});

/** A member of the community, logged in, with a verified address unless told otherwise, mail in `locale`. */
async function person(name: string, options: { verified?: boolean; locale?: 'en' | 'zh-CN' } = {}): Promise<{ user: User; client: TestClient }> {
  const user = await storageUser(app.storage, name, [{ community }]);
  await prepareMailMember(app.storage, user, { verified: options.verified, locale: options.locale });
  return { user, client: await clientFor(app, user) };
}

async function ask(client: TestClient, title: string, body = 'How should I roast beans at home for a good espresso?'): Promise<string> {
  const res = await client.post('/c/coffee/ask', { title, body, tags: 'roasting' });
  expect(res.status).toBe(303);
  return /\/q\/(\d+)\//.exec(res.headers.location!)![1]!;
}

async function answer(client: TestClient, questionId: string, body: string): Promise<void> {
  expect((await client.post(`/q/${questionId}/answers`, { body })).status).toBe(303);
}

/** Sends the queue and returns the notification mails that arrived (the test's verify mails aside). */
async function delivered(): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  return smtp.received.filter((m) => m.subject !== 'test verify');
}
const to = (m: ParsedMail) => (m.to as { text: string }).text;
const bell = (html: string) => /class="notification-bell[^"]*" aria-label="([^"]+)"/.exec(html)?.[1];

describe('notifications', () => {
  it('an answer to my question: the bell, the inbox, a mail in my language; nothing for the answerer', async () => {
    const asker = await person('lilei', { locale: 'zh-CN' });
    const helper = await person('bob');
    const q = await ask(asker.client, 'How do I roast coffee beans?');
    await answer(helper.client, q, 'Slowly, and watch the colour change; @lilei try 12 minutes.');

    const page = await asker.client.get('/');
    expect(bell(page.text)).toBe('1 unread notification');
    expect(page.text).toContain('<span class="bell-count">1</span>');
    const inbox = await asker.client.get('/notifications');
    expect(inbox.text).toContain('bob answered your question: <strong>How do I roast coffee beans?</strong>');
    expect(bell((await helper.client.get('/')).text)).toBe('Notifications'); // no notification of one's own action

    const mails = await delivered();
    expect(mails.map(to)).toEqual([asker.user.email]); // one mail, though the answer also mentions the asker
    expect(mails[0]!.subject).toBe('[社区互助] 新回答：How do I roast coffee beans?');
    expect(mails[0]!.text).toContain('bob 回答了你的问题');
    expect(mails[0]!.text).toContain(`http://forum.test/c/coffee/q/${q}/`);
    expect(mails[0]!.text).toContain('> Slowly, and watch the colour change');

    // opening it marks it read and leads to the answer
    const id = /action="\/notifications\/(\d+)\/open"/.exec(inbox.text)![1];
    const open = await asker.client.post(`/notifications/${id}/open`);
    expect(open.status).toBe(303);
    expect(open.headers.location).toMatch(new RegExp(`^/c/coffee/q/${q}/.+\\?a=\\d+$`));
    expect(bell((await asker.client.get('/')).text)).toBe('Notifications');
    const other = await person('eve');
    expect((await other.client.post(`/notifications/${id}/open`)).status).toBe(404);
  });

  it('several answers on one thread within 10 minutes give one mail; the inbox has each', async () => {
    const asker = await person('alice');
    const q = await ask(asker.client, 'Which grinder should I buy?');
    for (const name of ['bob', 'carol', 'dave']) await answer((await person(name)).client, q, `${name} says: a burr grinder, really.`);
    expect((await delivered()).map(to)).toEqual([asker.user.email]);
    expect((await asker.client.get('/notifications')).text.match(/answered your question/g)).toHaveLength(3);
    clock += 11 * 60_000;
    await answer((await person('erin')).client, q, 'erin says: hand grinders are fine too.');
    const mails = await delivered();
    expect(mails.map(to)).toEqual([asker.user.email, asker.user.email]);
    expect(mails[1]!.text).toContain('3 earlier updates on this thread are waiting in your notifications.');
  });

  it('an unverified address gets the notification in the site but no mail', async () => {
    const asker = await person('frank', { verified: false });
    const q = await ask(asker.client, 'Is a scale necessary?');
    await answer((await person('gina')).client, q, 'Yes, weigh your beans every time.');
    expect(bell((await asker.client.get('/')).text)).toBe('1 unread notification');
    expect(await delivered()).toEqual([]);
  });

  it('comments, mentions and acceptance reach the right people by their default ways', async () => {
    const asker = await person('hana');
    const helper = await person('ivan');
    const third = await person('judy');
    const q = await ask(asker.client, 'Why is my espresso sour?');
    await answer(helper.client, q, 'Grind finer; @judy knows more about this.');
    await delivered();
    smtp.received.length = 0;
    const answerId = (await app.storage.posts.listAnswers(q))[0]!.id;
    // a comment on ivan's answer: in the site only by default
    expect((await asker.client.post(`/posts/${answerId}/comments`, { comment: 'Thanks, I will try that tomorrow.' })).status).toBe(303);
    expect((await helper.client.get('/notifications')).text).toContain('hana commented on your post');
    // hana accepts: ivan hears by mail
    expect((await asker.client.post(`/q/${q}/accept`, { answerId })).status).toBe(303);
    const mails = await delivered();
    expect(mails.map((m) => [to(m), m.subject])).toEqual([[helper.user.email, '[Community Help] Your answer was accepted: Why is my espresso sour?']]);
    // judy was mentioned in the answer
    expect((await third.client.get('/notifications')).text).toContain('ivan mentioned you');
  });

  it('preferences: off means nothing, in-site means no mail; watching a community tells of new questions', async () => {
    const asker = await person('kate');
    const watcher = await person('leo');
    expect((await asker.client.post('/settings/notifications', { answer: 'off', comment: 'inbox', accepted: 'email', mention: 'email', staff_answer: 'email', faq_promoted: 'email', watched: 'inbox', moderation: 'inbox', support_escalation: 'email', support_low_rating: 'email' })).status).toBe(303);
    expect((await asker.client.get('/settings/notifications?saved=1')).text).toContain('Your notification settings were saved.');
    expect((await asker.client.post('/settings/notifications', { answer: 'loud' })).status).toBe(400);
    // A form from before a kind existed (it lacks that field) saves what it has and keeps the rest.
    expect((await asker.client.post('/settings/notifications', { comment: 'email' })).status).toBe(303);
    const settings = (await asker.client.get('/settings/notifications')).text;
    const chosen = (kind: string) => /<option value="(\w+)" selected/.exec(new RegExp(`<select[^>]*name="${kind}"[^>]*>([\\s\\S]*?)</select>`).exec(settings)![1]!)![1];
    expect([chosen('answer'), chosen('comment')]).toEqual(['off', 'email']);
    expect((await asker.client.post('/settings/notifications', { answer: 'off', comment: 'inbox' })).status).toBe(303);
    expect((await watcher.client.post('/watch', { type: 'community', target: community.id, on: '1', back: '/c/coffee' })).status).toBe(303);

    const q = await ask(asker.client, 'Does water hardness matter?');
    expect((await watcher.client.get('/notifications')).text).toContain('kate asked a new question');
    await answer(watcher.client, q, 'Yes: very hard water makes flat coffee.');
    expect(bell((await asker.client.get('/')).text)).toBe('Notifications');
    expect(await delivered()).toEqual([]);
    expect((await watcher.client.post('/watch', { type: 'planet', target: 'x' })).status).toBe(404);
  });
});
