import type { FastifyInstance } from 'fastify';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Community, CommunityRole, User } from '../../src/domain/types.js';
import { clientFor, createCommunity, storageUser } from '../helpers/qa.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { buildMailApp } from '../helpers/mail-app.js';
import { prepareMailMember } from '../helpers/mail-member.js';
import { TestClient } from '../helpers/app.js';

/*
 * Watch buttons on the community, tag and question pages (no JavaScript: form POSTs), and the
 * two events that were not sent before: a staff answer in a business community, and an answer
 * promoted into the FAQ. Through the routes, with mail over a real SMTP connection.
 */

const smtp = useTestSmtp();

let app: FastifyInstance;
let clock: number;
let coffee: Community;
let shop: Community;
beforeEach(async () => {
  clock = Date.now();
  app = await buildMailApp(smtp, () => (clock += 1000));
  coffee = await createCommunity(app.storage, 'coffee', { name: 'Coffee' });
  shop = await createCommunity(app.storage, 'acme', { name: 'Acme Support', kind: 'business' });
});
afterEach(async () => {
  await app.services.background.mail.stop();
  await app.close();
});

let n = 0;
/** A logged-in member of both communities with a verified address and mail in `locale`. */
async function person(name: string, options: { role?: CommunityRole; locale?: 'en' | 'zh-CN' } = {}): Promise<{ user: User; client: TestClient }> {
  const user = await storageUser(app.storage, name, [{ community: coffee, role: options.role }, { community: shop, role: options.role }]);
  await prepareMailMember(app.storage, user, { locale: options.locale });
  return { user, client: await clientFor(app, user) };
}

async function ask(client: TestClient, slug: string, title: string, tags = 'roasting'): Promise<string> {
  const res = await client.post(`/c/${slug}/ask`, { title, body: 'How should I go about this? I tried twice and it failed.', tags });
  expect(res.status, res.text?.slice(0, 300)).toBe(303);
  return /\/q\/(\d+)\//.exec(res.headers.location!)![1]!;
}

async function answer(client: TestClient, questionId: string, body: string): Promise<string> {
  const res = await client.post(`/q/${questionId}/answers`, { body });
  expect(res.status).toBe(303);
  return /#a(\d+)$/.exec(res.headers.location!)![1]!;
}

/** Sends the queue; the notification mails that arrived (the test's verify mails aside). */
async function delivered(): Promise<ParsedMail[]> {
  await app.services.background.mail.drain();
  await new Promise((r) => setTimeout(r, 50));
  return smtp.received.filter((m) => m.subject !== 'test verify');
}
const to = (m: ParsedMail) => (m.to as { text: string }).text;

/** The inbox lines (text of each notification), newest first. */
async function inbox(client: TestClient, locale: 'en' | 'zh-CN' = 'en'): Promise<string[]> {
  const html = (await client.get('/notifications', { 'Accept-Language': locale })).text;
  return [...html.matchAll(/<li class="(?:unread|read)">[\s\S]*?<\/li>/g)].map((m) => m[0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The watch form of a page section: its hidden fields and visible text, or null when there is none. */
function watchForm(html: string, type: string): { fields: Record<string, string>; text: string } | null {
  const m = new RegExp(`<form action="/watch" method="post" class="watch-form" data-watch="${type}">([\\s\\S]*?)</form>`).exec(html);
  if (!m) return null;
  const fields = Object.fromEntries([...m[1]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [f[1]!, f[2]!]));
  return { fields, text: m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() };
}

/** Presses the watch button found on the page, as a browser without JavaScript would. */
async function press(client: TestClient, page: string, type: string): Promise<void> {
  const form = watchForm((await client.get(page)).text, type);
  expect(form, `no ${type} watch button on ${page}`).not.toBeNull();
  const res = await client.post('/watch', form!.fields);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe(form!.fields.back);
}

describe('watch buttons', () => {
  it('community and tag pages: a member watches, sees the state, hears of new questions, and stops', async () => {
    const watcher = await person('wendy');
    const asker = await person('adam');
    await ask(asker.client, 'coffee', 'Which roast suits a moka pot?', 'roasting');

    // Not watching yet: the buttons say so, with the target named for screen readers.
    const before = watchForm((await watcher.client.get('/c/coffee')).text, 'community')!;
    expect(before.text).toBe('☆ Watch the community Coffee Watch to hear of every new question here.');
    expect(before.fields).toMatchObject({ type: 'community', target: coffee.id, on: '1', back: '/c/coffee' });
    expect(watchForm((await watcher.client.get('/c/coffee')).text, 'tag')).toBeNull();

    await press(watcher.client, '/c/coffee', 'community');
    const after = watchForm((await watcher.client.get('/c/coffee')).text, 'community')!;
    expect(after.text).toBe('★ Stop watching the community Coffee You watch this community: new questions appear in your notifications.');
    expect(after.fields.on).toBe('0');

    await ask(asker.client, 'coffee', 'How long should beans rest after roasting?', 'resting');
    expect(await inbox(watcher.client)).toEqual([expect.stringContaining('adam asked a new question where you watch')]);

    // The tag page has its own button (and the community's).
    await press(watcher.client, '/c/coffee', 'community'); // stop watching the community
    expect(watchForm((await watcher.client.get('/c/coffee')).text, 'community')!.fields.on).toBe('1');
    const tagPage = (await watcher.client.get('/c/coffee/tags/roasting')).text;
    expect(watchForm(tagPage, 'tag')!.text).toBe('☆ Watch the tag roasting Watch to hear of every new question with this tag.');
    await press(watcher.client, '/c/coffee/tags/roasting', 'tag');
    expect(watchForm((await watcher.client.get('/c/coffee/tags/roasting')).text, 'tag')!.text).toContain('You watch this tag');

    await ask(asker.client, 'coffee', 'Is a popcorn popper good for roasting?', 'roasting');
    await ask(asker.client, 'coffee', 'Where do I buy green beans?', 'buying');
    const lines = await inbox(watcher.client);
    expect(lines).toHaveLength(2); // the tagged question, not the untagged one, and the earlier community one
    expect(lines[0]).toContain('Is a popcorn popper good for roasting?');
    expect(lines[1]).toContain('How long should beans rest after roasting?');
  });

  it('question page: askers and answerers watch automatically; a reader watches and unwatches in Chinese', async () => {
    const asker = await person('alice');
    const helper = await person('bob');
    const reader = await person('lilei', { locale: 'zh-CN' });
    const q = await ask(asker.client, 'coffee', 'Why does my grinder clog?');
    const url = `/c/coffee/q/${q}/why-does-my-grinder-clog`;

    expect(watchForm((await asker.client.get(url)).text, 'question')!.text).toContain('Stop watching this question');
    expect(watchForm((await helper.client.get(url)).text, 'question')!.text).toContain('☆ Watch this question');
    await answer(helper.client, q, 'Clean the burrs, oily beans clog them.');
    expect(watchForm((await helper.client.get(url)).text, 'question')!.fields.on).toBe('0');

    const zh = (await reader.client.get(url, { 'Accept-Language': 'zh-CN' })).text;
    expect(watchForm(zh, 'question')!.text).toBe('☆ 关注 这个问题 关注后，有新回答时会通知你。');
    await press(reader.client, url, 'question');
    expect(watchForm((await reader.client.get(url, { 'Accept-Language': 'zh-CN' })).text, 'question')!.text).toContain('你已关注这个问题');

    // A third person answers: the asker hears "answered your question", the first answerer and
    // the reader "a question you follow", each once.
    const carol = await person('carol');
    await answer(carol.client, q, 'Use a brush after every use.');
    expect(await inbox(asker.client)).toHaveLength(2);
    expect((await inbox(helper.client))[0]).toContain('carol answered a question you follow');
    expect(await inbox(reader.client, 'zh-CN')).toEqual([expect.stringContaining('carol 回答了你关注的问题')]);

    // Unwatching stops it.
    await press(reader.client, url, 'question');
    await answer((await person('dave')).client, q, 'Freeze the beans first.');
    expect(await inbox(reader.client)).toHaveLength(1);
    expect(await inbox(helper.client)).toHaveLength(2);
  });

  it('visitors get no button; made-up targets and missing CSRF are refused', async () => {
    const asker = await person('erin');
    const q = await ask(asker.client, 'coffee', 'Does a scale help with espresso?');
    const visitor = new TestClient(app);
    for (const page of ['/c/coffee', '/c/coffee/tags/roasting', `/c/coffee/q/${q}/does-a-scale-help-with-espresso`]) {
      const res = await visitor.get(page);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('action="/watch"');
    }
    expect((await visitor.post('/watch', { type: 'community', target: coffee.id, on: '1', back: '/c/coffee' })).status).toBe(401);
    for (const [type, target] of [['community', '999'], ['question', '999'], ['tag', `${coffee.id}:nosuchtag`], ['tag', 'roasting'], ['question', coffee.id === q ? '0' : coffee.id]] as const) {
      expect((await asker.client.post('/watch', { type, target, on: '1', back: '/' })).status, `${type} ${target}`).toBe(404);
    }
    expect((await asker.client.post('/watch', { type: 'community', target: coffee.id, on: '1', back: '/' }, { csrf: false })).status).toBe(403);
    expect(await app.storage.mail.watches.isWatching(asker.user.id, 'community', coffee.id)).toBe(false);
  });
});

describe('staff answers', () => {
  it('a staff answer in a business community: one "staff answered" notification and one mail, not also "answered"', async () => {
    const customer = await person('carl', { locale: 'zh-CN' });
    const staffer = await person('sam', { role: 'staff' });
    const q = await ask(customer.client, 'acme', 'My router keeps rebooting', 'router');
    await answer(staffer.client, q, 'Please update the firmware to 2.1; it fixes the reboot loop.');

    expect(await inbox(customer.client, 'zh-CN')).toEqual([expect.stringContaining('官方人员 sam 回答了你的问题')]);
    const mails = await delivered();
    expect(mails.map(to)).toEqual([customer.user.email]);
    expect(mails[0]!.subject).toBe('[社区互助] 官方回答：My router keeps rebooting');
    expect(mails[0]!.text).toContain('官方人员 sam 回答了你的问题');
    expect(mails[0]!.text).toContain('> Please update the firmware to 2.1');
    expect(await inbox(staffer.client)).toEqual([]);

    // A fellow customer's answer is a plain answer.
    await answer((await person('dora')).client, q, 'I had the same problem; the update helped me too.');
    expect((await inbox(customer.client))[0]).toContain('dora answered your question');
  });

  it('the staff kind follows its own preference, and staff in an interest community answer as anyone', async () => {
    const customer = await person('cathy');
    const staffer = await person('stan', { role: 'staff' });
    expect((await customer.client.post('/settings/notifications', { answer: 'email', comment: 'inbox', accepted: 'email', mention: 'email', staff_answer: 'inbox', faq_promoted: 'email', watched: 'inbox', moderation: 'inbox' })).status).toBe(303);
    const q = await ask(customer.client, 'acme', 'How do I reset my password on the router?', 'router');
    await answer(staffer.client, q, 'Hold the reset button for ten seconds.');
    expect(await inbox(customer.client)).toEqual([expect.stringContaining('stan from the staff answered your question')]);
    expect(await delivered()).toEqual([]); // staff answers: in the site only, by her choice

    const q2 = await ask(customer.client, 'coffee', 'Is decaf roasted differently?');
    await answer(staffer.client, q2, 'Slightly lighter, since decaf beans brown faster.');
    expect((await inbox(customer.client))[0]).toContain('stan answered your question');
    expect((await delivered()).map((m) => m.subject)).toEqual(['[Community Help] New answer: Is decaf roasted differently?']);
  });

  it('staff answering their own question hear nothing', async () => {
    const staffer = await person('steve', { role: 'staff' });
    const q = await ask(staffer.client, 'acme', 'Known issue: slow Wi-Fi after update', 'router');
    await answer(staffer.client, q, 'Workaround: switch the channel to 6 until 2.2 is out.');
    expect(await inbox(staffer.client)).toEqual([]);
    expect(await delivered()).toEqual([]);
  });
});

describe('answers promoted into the FAQ', () => {
  /** A question with an answer by `author` voted up to the promotion threshold (5). */
  async function candidate(author: { client: TestClient }, title: string): Promise<{ questionId: string; answerId: string }> {
    const asker = await person(`asker${++n}`);
    const questionId = await ask(asker.client, 'coffee', title);
    const answerId = await answer(author.client, questionId, 'Let them rest for 12 to 24 hours, then brew.');
    for (let i = 0; i < 5; i++) expect((await (await person(`voter${++n}`)).client.post(`/posts/${answerId}/vote`, { value: '1' })).status).toBe(303);
    return { questionId, answerId };
  }

  async function promote(moderator: TestClient, answerId: string, title: string) {
    const res = await moderator.post(`/mod/c/coffee/faq/candidates/${answerId}/promote`, { title, body: 'Rest them **12 to 24 hours**.', categoryId: '', newCategoryName: 'Roasting', newCategoryParentId: '', action: 'save' });
    expect(res.status, res.text?.slice(0, 300)).toBe(303);
    return res.headers.location as string;
  }

  it('the answer’s author hears once, in the site and by mail, with a link to the entry', async () => {
    const author = await person('ruth');
    const moderator = await person('mona', { role: 'moderator' });
    const { answerId } = await candidate(author, 'How long should beans rest?');
    await delivered();
    smtp.received.length = 0;
    const before = (await inbox(author.client)).length;

    const entryUrl = await promote(moderator.client, answerId, 'How long do roasted beans need to rest?');
    const lines = await inbox(author.client);
    expect(lines).toHaveLength(before + 1);
    expect(lines[0]).toContain('Your answer was added to the FAQ');
    expect(lines[0]).toContain('How long do roasted beans need to rest?');
    const mails = await delivered();
    expect(mails.map((m) => [to(m), m.subject])).toEqual([[author.user.email, '[Community Help] Your answer is in the FAQ: How long do roasted beans need to rest?']]);
    expect(mails[0]!.text).toContain(`http://forum.test${entryUrl.split('#')[0]}`);

    // Opening the notification leads to the entry.
    const id = /action="\/notifications\/(\d+)\/open"/.exec((await author.client.get('/notifications')).text)![1];
    expect((await author.client.post(`/notifications/${id}/open`)).headers.location).toBe(entryUrl.split('#')[0]);
    expect(await inbox(moderator.client)).toEqual([]);
  });

  it('auto-publish by score: the answer’s author hears once, in the site and by mail', async () => {
    const moderator = await person('mia', { role: 'moderator' });
    const created = await moderator.client.post('/mod/c/coffee/faq/categories', { name: 'Storage', parentId: '' });
    const categoryId = /#cat-(\d+)$/.exec(String(created.headers.location))![1]!;
    expect((await moderator.client.post('/mod/c/coffee/faq/settings', { score: '3', categoryId })).status).toBe(303);
    const author = await person('uma');
    const asker = await person('otto');
    const q = await ask(asker.client, 'coffee', 'How do I keep beans fresh for a month?');
    const answerId = await answer(author.client, q, 'Use an airtight jar with a one-way valve, away from light.');
    await delivered();
    smtp.received.length = 0;
    for (let i = 0; i < 3; i++) expect((await (await person(`fan${i}`)).client.post(`/posts/${answerId}/vote`, { value: '1' })).status).toBe(303);

    const lines = await inbox(author.client);
    expect(lines.filter((l) => l.includes('Your answer was added to the FAQ'))).toHaveLength(1);
    expect(lines[0]).toContain('How do I keep beans fresh for a month?');
    const mails = await delivered();
    expect(mails.map((m) => [to(m), m.subject])).toEqual([[author.user.email, '[Community Help] Your answer is in the FAQ: How do I keep beans fresh for a month?']]);
    expect(mails[0]!.text).toMatch(/http:\/\/forum\.test\/c\/coffee\/faq\/e\/\d+\//);
    // A further vote publishes nothing new and tells nobody again.
    expect((await (await person('fan9')).client.post(`/posts/${answerId}/vote`, { value: '1' })).status).toBe(303);
    expect((await inbox(author.client)).filter((l) => l.includes('Your answer was added to the FAQ'))).toHaveLength(1);
    expect(await delivered()).toHaveLength(1);
  });

  it('a moderator promoting their own answer hears nothing', async () => {
    const moderator = await person('max', { role: 'moderator' });
    const { answerId } = await candidate(moderator, 'Should I store beans in the freezer?');
    await delivered();
    smtp.received.length = 0;
    await promote(moderator.client, answerId, 'Can coffee beans be frozen?');
    expect(await inbox(moderator.client)).toEqual([]);
    expect(await delivered()).toEqual([]);
  });
});
