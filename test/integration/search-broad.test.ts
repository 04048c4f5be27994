import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../helpers/app.js';
import { decodeHtml } from './support.js';
import { SearchSeeder } from './search-fixtures.js';

/*
 * A word so common that the embedded engine answers from a sample of its matches (more
 * than 3,000 of them): the curated FAQ entry must still be found and come first, and the
 * count and the facets must describe all the matches, not the sample.
 */

let app: FastifyInstance;
const QUESTIONS = 3200;
const OTHERS = 400;

function hitTitles(html: string): string[] {
  return [...html.matchAll(/<h2 class="hit-title"><a [^>]*>([\s\S]*?)<\/a><\/h2>/g)].map((m) => decodeHtml(m[1]!.replace(/<\/?mark>/g, '')));
}

function facetCount(html: string, label: string): number | null {
  const m = new RegExp(`>${label}</a> <span class="facet-count">(\\d+)</span>`).exec(html);
  return m ? Number(m[1]) : null;
}

/** The number in "About 3,250 results" / "3,201 results". */
function shownTotal(html: string): number {
  const m = /<p class="search-count" role="status">(?:About )?([\d,]+) results?/.exec(html);
  if (!m) throw new Error('no result count on the page');
  return Number(m[1]!.replace(/,/g, ''));
}

beforeAll(async () => {
  app = await createTestApp();
  const seed = new SearchSeeder(app.storage);
  const user = await seed.user('netadmin');
  const net = await seed.community('net', 'Home networking');
  let source = '';
  // Matching questions spread evenly among others, as in a real forum.
  for (let i = 1; i <= QUESTIONS; i++) {
    const q = await seed.question(net, user, `Router question ${i}: the connection is slow`, `My router is slow, attempt ${i}.`, ['wifi']);
    if (i === 1) source = q.id;
    if (i % 8 === 0) await seed.question(net, user, `Printer question ${i}`, 'The printer jams.', ['printer']);
  }
  for (let i = 1; i <= OTHERS - QUESTIONS / 8; i++) await seed.question(net, user, `Cable question ${i}`, 'Which cable?', ['cable']);
  const top = await app.storage.faq.createCategory({ communityId: net.id, parentId: null, name: 'Setup', slug: 'setup', depth: 1, now: 1 });
  await app.storage.faq.createEntry({
    communityId: net.id, categoryId: top.id, title: 'Restarting a slow router', slug: 'restarting-a-slow-router',
    bodyMd: 'Unplug the router for ten seconds.', bodyHtml: '<p>Unplug the router for ten seconds.</p>', bodyText: 'Unplug the router for ten seconds.',
    sourceQuestionId: source, sourceAnswerId: null, relatedIds: [], createdBy: user.id, now: 2,
  });
});

afterAll(async () => {
  await app.close();
});

describe('a search for a very common word', () => {
  it('still finds the curated FAQ entry and shows it first', async () => {
    const html = (await app.inject({ url: '/search?q=router' })).body;
    expect(hitTitles(html)[0]).toBe('Restarting a slow router');
    expect(hitTitles(html)).toHaveLength(20);
    // Only FAQ entries: answered from the entries themselves, whatever the breadth of the word.
    expect(hitTitles((await app.inject({ url: '/search?q=router&kind=faq' })).body)).toEqual(['Restarting a slow router']);
  });

  it('shows a total and kind counts in line with all the matches, not only the ones sampled', async () => {
    const html = (await app.inject({ url: '/search?q=router' })).body;
    const matches = QUESTIONS + 1;
    const total = shownTotal(html);
    expect(total).toBeGreaterThanOrEqual(matches * 0.9);
    expect(total).toBeLessThanOrEqual(matches * 1.2);
    const questions = facetCount(html, 'Questions')!;
    expect(questions).toBeGreaterThanOrEqual(QUESTIONS * 0.9);
    expect(questions).toBeLessThanOrEqual(QUESTIONS * 1.2);
    expect(facetCount(html, 'FAQ entries')).toBe(1);
    expect(facetCount(html, 'Home networking')).toBe(total);
    expect(facetCount(html, 'wifi')).toBeGreaterThanOrEqual(QUESTIONS * 0.9);
  });
});
