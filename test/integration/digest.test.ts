import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../../src/domain/notification-kinds.js';
import type { Community, User } from '../../src/domain/types.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { buildMailApp } from '../helpers/mail-app.js';
import { prepareMailMember } from '../helpers/mail-member.js';
import type { TestClient } from '../helpers/app.js';

/*
 * The e-mail digest end to end: members choose it on /settings/notifications and watch a
 * community, others post through the routes, the leased job composes the digest, and it
 * arrives over a real SMTP connection. Daily versus weekly, nothing new means no mail, a rerun
 * in the same period sends nothing, the member's language, unverified addresses, one-click
 * unsubscribe.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const smtp = useTestSmtp();

let app: FastifyInstance;
let clock: number;
let community: Community;
beforeEach(async () => {
  // Tuesday 1 December 2026, 09:00 UTC
  clock = Date.UTC(2026, 11, 1, 9);
  app = await buildMailApp(smtp, () => (clock += 1));
  community = await createCommunity(app.storage, 'coffee', { name: 'Coffee' });
});
afterEach(async () => {
  await app.services.background.mail.stop();
  await app.close();
});

async function person(name: string, options: { verified?: boolean; locale?: 'en' | 'zh-CN' } = {}): Promise<{ user: User; client: TestClient }> {
  const user = await storageUser(app.storage, name, [{ community }]);
  await prepareMailMember(app.storage, user, { verified: options.verified, locale: options.locale, now: clock });
  return { user, client: await clientFor(app, user) };
}

/** Saves the settings form as a member would: every kind's current choice, with changes. */
async function settings(client: TestClient, changes: Record<string, string>) {
  await client.get('/settings/notifications');
  const form: Record<string, string> = { digest: 'off' };
  for (const k of NOTIFICATION_KINDS) form[k] = k === 'answer' || k === 'accepted' || k === 'mention' || k === 'staff_answer' || k === 'faq_promoted' ? 'email' : 'inbox';
  return client.post('/settings/notifications', { ...form, ...changes });
}

async function subscribe(client: TestClient, digest: 'daily' | 'weekly') {
  expect((await client.post('/watch', { type: 'community', target: community.id, on: '1', back: '/c/coffee' })).status).toBe(303);
  expect((await settings(client, { digest, watched: 'digest' })).status).toBe(303);
}

async function ask(client: TestClient, title: string): Promise<string> {
  const res = await client.post('/c/coffee/ask', { title, body: 'How should I roast beans at home for a good espresso?', tags: 'roasting' });
  expect(res.status).toBe(303);
  return /\/q\/(\d+)\//.exec(res.headers.location!)![1]!;
}

async function digests(): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  // Only digests: an answer to one's question is mailed at once, outside the digest.
  return smtp.received.filter((m) => /digest|摘要/.test(m.subject ?? ''));
}
const to = (m: ParsedMail) => (m.to as { text: string }).text;
/** A header exactly as it arrived (mailparser folds List-* headers into a structure). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).trim();
}

describe('e-mail digest', () => {
  it('a daily digest: notifications, top and unanswered new questions, new FAQ entries; once per day; nothing new, no mail', async () => {
    const bob = await person('bob');
    await subscribe(bob.client, 'daily');
    expect((await settings(bob.client, { digest: 'daily', watched: 'digest', comment: 'digest' })).status).toBe(303);
    const alice = await person('alice');
    const carol = await person('carol');
    const answered = await ask(alice.client, 'Which grinder for espresso?');
    await ask(alice.client, 'Is a scale necessary?');
    const own = await ask(bob.client, 'My own question about milk');
    expect((await carol.client.post(`/posts/${own}/comments`, { comment: 'Whole milk steams best.' })).status).toBe(303);
    expect((await carol.client.post(`/q/${answered}/answers`, { body: 'A burr grinder, always a burr grinder.' })).status).toBe(303);
    const top = await app.storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Machines', slug: 'machines', depth: 1, now: clock });
    await app.storage.faq.createEntry({ communityId: community.id, categoryId: top.id, title: 'How to descale', slug: 'how-to-descale', bodyMd: 'Use citric acid.', bodyHtml: '<p>Use citric acid.</p>', bodyText: 'Use citric acid.', sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: alice.user.id, now: clock });

    // later the same day: the day's digest is not due before tomorrow
    clock += 2 * HOUR;
    expect(await app.services.digests.runDue()).toEqual({ sent: 0, skipped: 0 });
    expect(await digests()).toHaveLength(0);

    clock = Date.UTC(2026, 11, 2, 0, 10);
    // through the leased job, as in production
    expect(await app.services.background.jobs.runIfLeader('mail-digests')).toBe(true);
    const mails = await digests();
    expect(mails.map(to)).toEqual([bob.user.email]);
    const mail = mails[0]!;
    expect(mail.subject).toBe('[Community Help] Your daily digest');
    // the comment chosen for the digest is in it (and was not mailed at once); the new
    // questions are listed once, under the questions, not again as notifications
    expect(mail.text).toMatch(/Your notifications\n- carol commented on your post \(My own question about milk\)\n {2}http:\/\/forum\.test\/c\/coffee\/q\/\d+\/\S+\n\nTop new questions/);
    expect(smtp.received.filter((m) => to(m) === bob.user.email && /comment/i.test(m.subject ?? ''))).toEqual([]);
    const topPart = mail.text!.split('Top new questions')[1]!.split('New questions waiting for an answer')[0]!;
    expect(topPart).toContain('Which grinder for espresso? (Coffee · 1 answer · 0 votes)');
    expect(topPart).toContain(`http://forum.test/c/coffee/q/${answered}/`);
    const unanswered = mail.text!.split('New questions waiting for an answer')[1]!.split('New FAQ entries')[0]!;
    expect(unanswered).toContain('Is a scale necessary?');
    expect(unanswered).not.toContain('Which grinder');
    expect(topPart + unanswered).not.toContain('My own question about milk'); // one's own question is no news
    expect(mail.text).toMatch(/New FAQ entries\n- How to descale \(Coffee\)\n {2}http:\/\/forum\.test\/c\/coffee\/faq\/e\/\d+\/how-to-descale/);
    expect(mail.html).toContain('<h2 style="font-size:16px;margin:20px 0 8px;">Top new questions</h2>');
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    // a rerun the same day sends nothing more
    expect(await app.services.digests.runDue()).toEqual({ sent: 0, skipped: 0 });
    expect(await digests()).toHaveLength(1);

    // the next day: nothing new, so no mail, and the period counts as done
    clock = Date.UTC(2026, 11, 3, 0, 10);
    expect(await app.services.digests.runDue()).toEqual({ sent: 0, skipped: 1 });
    expect(await digests()).toHaveLength(1);

    // a new question the day after shows in the next digest, the old ones do not come again
    await ask(alice.client, 'Dark or light roast?');
    clock = Date.UTC(2026, 11, 4, 0, 10);
    await app.services.digests.runDue();
    const next = (await digests())[1]!;
    expect(next.text).toContain('Dark or light roast?');
    expect(next.text).not.toContain('Is a scale necessary?');
  });

  it('weekly digests wait for Monday; daily ones do not', async () => {
    const daily = await person('daisy');
    const weekly = await person('wes');
    await subscribe(daily.client, 'daily');
    await subscribe(weekly.client, 'weekly');
    const alice = await person('alice');
    await ask(alice.client, 'Pour-over ratio?');
    clock = Date.UTC(2026, 11, 2, 6); // Wednesday
    await app.services.digests.runDue();
    expect((await digests()).map(to)).toEqual([daily.user.email]);
    clock = Date.UTC(2026, 11, 6, 23); // Sunday
    await app.services.digests.runDue();
    expect(await digests()).toHaveLength(1);
    clock = Date.UTC(2026, 11, 7, 0, 15); // Monday
    await app.services.digests.runDue();
    const mails = await digests();
    expect(mails.map(to)).toEqual([daily.user.email, weekly.user.email]);
    expect(mails[1]!.subject).toBe('[Community Help] Your weekly digest');
    expect(mails[1]!.text).toContain('Pour-over ratio?');
  });

  it('in the member\u2019s language; unverified addresses get none', async () => {
    const lilei = await person('lilei', { locale: 'zh-CN' });
    const frank = await person('frank', { verified: false });
    await subscribe(lilei.client, 'daily');
    await subscribe(frank.client, 'daily');
    await ask((await person('alice')).client, 'Espresso channeling?');
    clock = Date.UTC(2026, 11, 2, 1);
    expect(await app.services.digests.runDue()).toEqual({ sent: 1, skipped: 1 });
    const mails = await digests();
    expect(mails.map(to)).toEqual([lilei.user.email]);
    expect(mails[0]!.subject).toBe('[社区互助] 你的每日摘要');
    expect(mails[0]!.text).toContain('等待回答的新问题');
    expect(mails[0]!.text).toContain('Espresso channeling? (Coffee · 0 个回答 · 0 票)');
  });

  it('one click on List-Unsubscribe stops the digest; the settings page shows it off', async () => {
    const bob = await person('bob');
    await subscribe(bob.client, 'weekly');
    await ask((await person('alice')).client, 'Cold brew time?');
    clock = Date.UTC(2026, 11, 7, 1);
    await app.services.digests.runDue();
    const [mail] = await digests();
    const url = /^<(.+)>$/.exec(rawHeader(mail!, 'List-Unsubscribe') ?? '')![1]!;
    const path = new URL(url).pathname;
    const confirm = await bob.client.get(path);
    expect(confirm.text).toContain('Stop e-mails to bob about: the e-mail digest?');
    const res = await bob.client.agent.post(path).type('form').send({ 'List-Unsubscribe': 'One-Click' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Done: bob gets no more e-mail about: the e-mail digest.');
    const page = await bob.client.get('/settings/notifications');
    expect(page.text).toMatch(/<option value="off" selected>Never<\/option>/);
    await ask((await person('carol')).client, 'Another week, another question');
    clock = Date.UTC(2026, 11, 14, 1);
    await app.services.digests.runDue();
    expect(await digests()).toHaveLength(1);
  });

  it('the settings form refuses a digest delivery without a digest, and nonsense, with the form back', async () => {
    const bob = await person('bob');
    const refused = await settings(bob.client, { digest: 'off', comment: 'digest' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Some events above go to the digest: choose daily or weekly, or pick another way for them.');
    expect(refused.text).toMatch(/<select id="pref-comment" name="comment"[^>]*>[\s\S]*?<option value="digest" selected>/);
    expect((await app.services.notifications.preferences(bob.user)).comment).toBe('inbox'); // nothing saved
    const bad = await settings(bob.client, { digest: 'hourly' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('aria-invalid="true"');
    expect((await bob.client.agent.post('/settings/notifications').type('form').send({ digest: ['daily', 'weekly'], _csrf: await bob.client.csrf() })).status).toBe(400);
    expect((await settings(bob.client, { digest: 'weekly', comment: 'digest' })).status).toBe(303);
    expect((await bob.client.get('/settings/notifications')).text).toMatch(/<option value="weekly" selected>Weekly \(Mondays\)<\/option>/);
  });
});
