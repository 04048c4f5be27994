/*
 * Auto-publish switched on (or changed) when answers already have the score: they are
 * published at once, in batches of a bounded size, and the confirmation says how many. The
 * entry history shows such an entry as published automatically, not as written by the
 * answer's author; an entry a moderator promoted shows the moderator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import type { Community, User } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import { AUTO_PUBLISH_BATCH } from '../../src/services/faq/auto-publish.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, postAnswer, storageUser, vote } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'autocams';
const MOD = `/mod/c/${SLUG}/faq`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

/** The text of the confirmation that says what saving auto-publish published. */
function publishedNotice(html: string): string {
  const m = /<div class="alert alert-success" role="status" id="auto-published">([\s\S]*?)<\/div>/.exec(html);
  return m ? decodeHtml(m[1]!).trim() : '';
}

function revision(html: string, n: number): string {
  const start = html.indexOf(`id="rev-${n}"`);
  if (start < 0) throw new Error(`no revision ${n}`);
  return decodeHtml(html.slice(start, html.indexOf('</article>', start)).replace(/<(?!\/?a[ >])[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

describe('auto-publish of answers that already have the score', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;
  let asker: TestClient;
  let answererClient: TestClient;
  let answerer: User;
  const voters: TestClient[] = [];
  let category: string;
  const a: Record<string, string> = {};

  async function answerWith(key: string, score: number, title: string) {
    const q = await askQuestion(asker, SLUG, { title });
    a[key] = await postAnswer(answererClient, q.id, `The answer to “${title}”.`);
    for (const v of voters.slice(0, score)) expect((await vote(v, a[key]!, '1')).status).toBe(303);
    return q.id;
  }

  async function save(score: string) {
    const res = await moderator.post(`${MOD}/settings`, { score, categoryId: category });
    expect(res.status).toBe(303);
    return String(res.headers.location);
  }

  const entryOf = (key: string) => app.storage.faq.entryForAnswer(a[key]!);

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, SLUG);
    moderator = await clientFor(app, await storageUser(app.storage, 'automod', [{ community, role: 'moderator' }]));
    asker = await clientFor(app, await storageUser(app.storage, 'autoasker', [{ community }]));
    answerer = await storageUser(app.storage, 'autoanswerer', [{ community }]);
    answererClient = await clientFor(app, answerer);
    for (let i = 0; i < 7; i++) voters.push(await clientFor(app, await storageUser(app.storage, `autovoter${i}`, [{ community }])));

    const res = await moderator.post(`${MOD}/categories`, { name: 'Community answers', parentId: '' });
    category = /#cat-(\d+)$/.exec(String(res.headers.location))![1]!;
    await answerWith('six', 6, 'How do I format the memory card?');
    await answerWith('three', 3, 'Where is the strap lug?');
    await answerWith('one', 1, 'Is the hood included?');
    await answerWith('dismissed', 7, 'Can I use the old charger?');
    expect((await moderator.post(`${MOD}/candidates/${a.dismissed}/dismiss`, { reason: 'Model-specific' })).status).toBe(303);
    const acceptedQ = await answerWith('accepted', 2, 'Does it work with the remote?');
    expect((await asker.post(`/q/${acceptedQ}/accept`, { answerId: a.accepted })).status).toBe(303);
    await answerWith('manual', 5, 'How long does a full charge take?');
    const promoted = await moderator.post(`${MOD}/candidates/${a.manual}/promote`, { title: 'How long does a full charge take?', body: 'About two hours.', categoryId: category, newCategoryName: '', newCategoryParentId: '', action: 'save' });
    expect(promoted.status).toBe(303);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('publishes the answers that already have the score when it is switched on, and says how many', async () => {
    const location = await save('3');
    expect(location).toBe(`${MOD}?done=settingsSaved&published=2#settings`);
    const dash = await moderator.get(location.replace(/#.*$/, ''));
    expect(publishedNotice(dash.text)).toBe(en('faqmod.auto.published', { count: 2 }));
    for (const key of ['six', 'three']) expect(await entryOf(key), key).toMatchObject({ categoryId: category, status: 'published' });
    // Not the dismissed one, not one below the score (even accepted).
    for (const key of ['dismissed', 'one', 'accepted']) expect(await entryOf(key), key).toBeNull();
  });

  it('shows an auto-published entry’s first version as automatic, and a promoted one as the moderator’s', async () => {
    // Published on the vote that took it to the score, like those published on saving.
    await answerWith('voted', 3, 'Is there a leash for the lens cap?');
    const auto = (await entryOf('voted'))!;
    expect(auto).toMatchObject({ categoryId: category, revisionCount: 1 });
    const history = await moderator.get(`${MOD}/entries/${auto.id}/revisions`);
    expect(history.status).toBe(200);
    const first = revision(history.text, 1);
    expect(first).toContain(`Revision 1 · ${en('faqmod.revisions.autoBy')}`);
    expect(first).toContain(`${en('faqmod.revisions.auto')} <a href="/u/autoanswerer">autoanswerer</a>`);
    expect(first).not.toContain(en('faqmod.revisions.original'));

    const manual = (await entryOf('manual'))!;
    const manualFirst = revision((await moderator.get(`${MOD}/entries/${manual.id}/revisions`)).text, 1);
    expect(manualFirst).toContain('<a href="/u/automod">automod</a>');
    expect(manualFirst).toContain(en('faqmod.revisions.original'));
    expect(manualFirst).not.toContain(en('faqmod.revisions.autoBy'));
  });

  it('publishes what a lower score admits when the score is changed, and says when there was nothing new', async () => {
    const lowered = await save('2');
    expect(lowered).toBe(`${MOD}?done=settingsSaved&published=1#settings`);
    expect(publishedNotice((await moderator.get(lowered.replace(/#.*$/, ''))).text)).toBe(en('faqmod.auto.published.one'));
    expect(await entryOf('accepted')).toMatchObject({ categoryId: category });
    expect(await entryOf('dismissed')).toBeNull();
    const again = await save('2');
    expect(again).toBe(`${MOD}?done=settingsSaved&published=0#settings`);
    expect(publishedNotice((await moderator.get(again.replace(/#.*$/, ''))).text)).toBe(en('faqmod.auto.publishedNone'));
  });

  it('publishes at most one batch per save and says that more wait', async () => {
    const q = await askQuestion(asker, SLUG, { title: 'Which lens for portraits?' });
    const ids: number[] = [];
    for (let i = 0; i < AUTO_PUBLISH_BATCH + 5; i++) {
      ids.push(Number((await app.storage.posts.createAnswer({ questionId: q.id, authorId: answerer.id, bodyMd: `Lens ${i}`, bodyHtml: `<p>Lens ${i}</p>`, bodyText: `Lens ${i}`, now: Date.now() })).id));
    }
    (app.storage as SqliteStorage).db.prepare(`UPDATE posts SET score = 4, up_votes = 4 WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
    const first = await save('4');
    expect(first).toBe(`${MOD}?done=settingsSaved&published=${AUTO_PUBLISH_BATCH}&more=1#settings`);
    expect(publishedNotice((await moderator.get(first.replace(/#.*$/, ''))).text)).toBe(
      `${en('faqmod.auto.published', { count: AUTO_PUBLISH_BATCH })} ${en('faqmod.auto.publishedMore', { batch: AUTO_PUBLISH_BATCH })}`,
    );
    expect(await save('4')).toBe(`${MOD}?done=settingsSaved&published=5#settings`);
  });
});
