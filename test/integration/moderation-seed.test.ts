/*
 * The demo data (issue 13, step 9): on a fresh install the review queue has a flagged post and
 * a question is closed as a duplicate, whose original counts it in the FAQ evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedIfEmpty } from '../../src/seed/demo-content.js';
import { clientFor, createQaApp } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await createQaApp({ config: { trustLimits: true } });
  await seedIfEmpty(app.storage, app.services);
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('demo moderation data', () => {
  it('has a flagged answer in the Lumen review queue and a duplicate closed into a Home Coffee question', async () => {
    const mod = await clientFor(app, (await app.storage.users.findByUsername('陈版主'))!);
    const queue = decodeHtml((await mod.get('/c/lumen-support/review')).text);
    expect(queue).toContain('Cheap batteries and chargers');
    expect(queue).toContain('2 flags');
    const coffee = (await app.storage.communities.findBySlug('home-coffee'))!;
    const top = (await app.storage.posts.listQuestions({ communityId: coffee.id, sort: 'newest', offset: 0, limit: 1 }))[0]!;
    const page = decodeHtml((await mod.get(`/c/home-coffee/q/${top.id}/${encodeURIComponent(top.slug)}`)).text);
    expect(page).toContain('This question already has an answer here:');
    const candidates = await app.storage.faq.candidateRows(coffee.id, 1, 100);
    expect(candidates.some((r) => r.duplicateCount === 1)).toBe(true);
  });
});
