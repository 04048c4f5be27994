/*
 * The candidate queue in a large community: hundreds of answers with a few votes each (below
 * the threshold) must not push true candidates out of it. The queue holds exactly the
 * answers the rule admits (score at the threshold, or accepted with score >= 2), ranked by
 * evidence, and shows the strongest first when there are many.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import type { Community, User } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import { CANDIDATES_SHOWN } from '../../src/services/faq/faq-service.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, postAnswer, storageUser, vote } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'bigcams';
const MOD = `/mod/c/${SLUG}/faq`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

function queueOrder(html: string): string[] {
  return [...html.matchAll(/<li class="modfaq-candidate" id="candidate-(\d+)">/g)].map((m) => m[1]!);
}

describe('the candidate queue of a large community', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;
  let asker: TestClient;
  let answerer: User;
  const voters: TestClient[] = [];
  const bulk: string[] = [];
  let accepted: string;
  let strong: string;

  const db = () => (app.storage as SqliteStorage).db;

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, SLUG);
    expect(community.promotionThreshold).toBe(5);
    moderator = await clientFor(app, await storageUser(app.storage, 'bigmod', [{ community, role: 'moderator' }]));
    asker = await clientFor(app, await storageUser(app.storage, 'bigasker', [{ community }]));
    answerer = await storageUser(app.storage, 'biganswerer', [{ community }]);
    const answererClient = await clientFor(app, answerer);
    for (let i = 0; i < 5; i++) voters.push(await clientFor(app, await storageUser(app.storage, `bigvoter${i}`, [{ community }])));

    // 520 answers with score 3: well below the threshold, but above the accepted rule's 2.
    const q = await askQuestion(asker, SLUG, { title: 'Which settings do you use for night shots?' });
    for (let i = 0; i < 520; i++) {
      const a = await app.storage.posts.createAnswer({ questionId: q.id, authorId: answerer.id, bodyMd: `Setting ${i}`, bodyHtml: `<p>Setting ${i}</p>`, bodyText: `Setting ${i}`, now: Date.now() });
      bulk.push(a.id);
    }
    db().prepare(`UPDATE posts SET score = 3, up_votes = 3 WHERE id IN (${bulk.map(() => '?').join(',')})`).run(...bulk.map(Number));

    // A true candidate by acceptance (score 2), and one by score (5).
    const acceptedQ = await askQuestion(asker, SLUG, { title: 'Does the grip fit the older body?' });
    accepted = await postAnswer(answererClient, acceptedQ.id, 'Yes, with the adapter plate.');
    for (const v of voters.slice(0, 2)) expect((await vote(v, accepted, '1')).status).toBe(303);
    expect((await asker.post(`/q/${acceptedQ.id}/accept`, { answerId: accepted })).status).toBe(303);
    const strongQ = await askQuestion(asker, SLUG, { title: 'How do I clean the viewfinder?' });
    strong = await postAnswer(answererClient, strongQ.id, 'A blower, then a microfibre cloth.');
    for (const v of voters) expect((await vote(v, strong, '1')).status).toBe(303);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists exactly the candidates, however many answers score just below the threshold', async () => {
    const res = await moderator.get(`${MOD}/candidates`);
    expect(res.status).toBe(200);
    expect(queueOrder(res.text).sort()).toEqual([accepted, strong].sort());
    expect(decodeHtml(res.text)).toContain(en('faqmod.candidates.count', { count: 2 }));
    expect((await moderator.get(`${MOD}/candidates/${accepted}/promote`)).status).toBe(200);
    const dash = await moderator.get(MOD);
    expect(dash.text).toMatch(/<p class="modfaq-card-number">2<\/p>\s*<p class="modfaq-card-label">candidates waiting/);
  });

  it('ranks all of them by evidence and shows the strongest when there are many', async () => {
    // 300 of the bulk answers reach the threshold with a few down votes; one of them has none and ranks first.
    const risen = bulk.slice(0, 300);
    db().prepare(`UPDATE posts SET score = 5, up_votes = 8, down_votes = 3 WHERE id IN (${risen.map(() => '?').join(',')})`).run(...risen.map(Number));
    db().prepare('UPDATE posts SET score = 40, up_votes = 40, down_votes = 0 WHERE id = ?').run(Number(risen[299]));
    const res = await moderator.get(`${MOD}/candidates`);
    const order = queueOrder(res.text);
    expect(order).toHaveLength(CANDIDATES_SHOWN);
    expect(order[0]).toBe(risen[299]);
    // The accepted answer's evidence (acceptance, clean votes) beats answers with down votes.
    expect(order).toContain(accepted);
    expect(order).toContain(strong);
    const text = decodeHtml(res.text);
    expect(text).toContain(en('faqmod.candidates.count', { count: 302 }));
    expect(text).toContain(en('faqmod.candidates.shown', { shown: CANDIDATES_SHOWN }));
  });
});
