import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BulkLoader } from '../../src/db/sqlite/bulk-load.js';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import { planQuestionPages } from '../../src/services/feeds/sitemap-service.js';
import type { Community } from '../../src/domain/types.js';
import { TestClient } from '../helpers/app.js';
import { askQuestion, assertWellFormedXml, createCommunity, createQaApp, member, xmlTexts } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

/*
 * A crawler's view of the sitemaps: it reads /sitemap.xml, follows every <sitemap> in it and
 * collects the <loc>s. With 100,000 questions every one must be found, no page may hold more
 * than 45,000 URLs (the protocol allows 50,000), and no URL may appear twice.
 */

const BASE = 'https://forum.example.test';
const BIG = 60_000;
const SMALL = 40_000;
const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

async function fetchXml(app: FastifyInstance, path: string): Promise<string> {
  const res = await new TestClient(app).get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/xml/);
  return res.text;
}

/** Fills two communities with questions the way the data generator does (counters final). */
function bulkQuestions(storage: SqliteStorage): void {
  const loader = new BulkLoader(storage.db);
  const t0 = Date.UTC(2024, 0, 1);
  loader.insertUser({ id: 1, username: 'bulk', email: 'bulk@example.test', displayName: 'bulk', passwordHash: 'x', isAdmin: false, reputation: 0, createdAt: t0 });
  const communities = [
    { id: 1, slug: 'big', count: BIG },
    { id: 2, slug: 'small', count: SMALL },
  ];
  for (const c of communities) {
    loader.insertCommunity({
      id: c.id, slug: c.slug, name: c.slug, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en',
      memberCount: 0, questionCount: c.count, promotionThreshold: 5, createdAt: t0 + c.id,
    });
  }
  let id = 10;
  for (const c of communities) {
    for (let i = 0; i < c.count; i++, id++) {
      loader.insertQuestion({
        id, communityId: c.id, authorId: 1, title: `Question ${id}`, slug: `question-${id}`, bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b',
        tags: [], tagIds: [], score: 0, upVotes: 0, downVotes: 0, answerCount: 0, acceptedAnswerId: null, viewCount: 0,
        createdAt: t0 + id * 1000, lastActivityAt: t0 + id * 1000, lastActivityUserId: 1,
      });
    }
  }
  loader.finish();
}

describe('sitemap index and pages', () => {
  let app: FastifyInstance;
  let expected: Set<string>;
  let asked: { id: string; url: string };

  beforeAll(async () => {
    app = await createQaApp({ config: { baseUrl: BASE } });
    const storage = app.storage as SqliteStorage;
    bulkQuestions(storage);
    expected = new Set<string>();
    for (const row of storage.db.prepare<[], { id: number; slug: string; c: string }>(
      "SELECT p.id, p.slug, c.slug AS c FROM posts p JOIN communities c ON c.id = p.community_id WHERE p.type = 'question'",
    ).all()) {
      expected.add(`${BASE}/c/${row.c}/q/${row.id}/${row.slug}`);
    }
    // one question through the real form, so the per-community counter is the app's own
    const big = (await app.storage.communities.findBySlug('big'))!;
    const { client } = await member(app, big, 'asker');
    asked = await askQuestion(client, 'big', { title: '最新的问题：水壶漏水怎么办？', tags: 'leak' });
    expected.add(`${BASE}${asked.url}`);
    // and a community with an FAQ, one without questions
    const faqCommunity = await createCommunity(app.storage, 'faq-only', { name: 'FAQ only' });
    const top = await app.storage.faq.createCategory({ communityId: faqCommunity.id, parentId: null, name: 'Setup', slug: 'setup', depth: 1, now: Date.now() });
    const sub = await app.storage.faq.createCategory({ communityId: faqCommunity.id, parentId: top.id, name: 'Wi-Fi', slug: 'wi-fi', depth: 2, now: Date.now() });
    await app.storage.faq.createEntry({
      communityId: faqCommunity.id, categoryId: sub.id, title: 'Connecting to Wi-Fi', slug: 'connecting-to-wi-fi', bodyMd: 'x', bodyHtml: '<p>x</p>', bodyText: 'x',
      sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: '1', now: Date.now(),
    });
  }, 120_000);

  afterAll(async () => {
    await app.close();
  });

  it('serves /sitemap.xml as an index of the pages sitemap and numbered question sitemaps', async () => {
    const xml = await fetchXml(app, '/sitemap.xml');
    assertWellFormedXml(xml);
    expect(xml).toContain(`<sitemapindex ${NS}>`);
    expect(xml).not.toContain('<urlset');
    expect(xmlTexts(xml, 'loc')).toEqual([
      `${BASE}/sitemap-pages.xml`,
      `${BASE}/sitemap-questions-1.xml`,
      `${BASE}/sitemap-questions-2.xml`,
      `${BASE}/sitemap-questions-3.xml`,
    ]);
  });

  it('lists every one of the 100,001 questions exactly once, at most 45,000 per page', async () => {
    const index = xmlTexts(await fetchXml(app, '/sitemap.xml'), 'loc').filter((l) => l.includes('questions'));
    const seen: string[] = [];
    const sizes: number[] = [];
    for (const loc of index) {
      const xml = await fetchXml(app, loc.slice(BASE.length));
      assertWellFormedXml(xml);
      expect(xml).toContain(`<urlset ${NS}>`);
      const locs = xmlTexts(xml, 'loc');
      sizes.push(locs.length);
      seen.push(...locs);
      const lastmods = xmlTexts(xml, 'lastmod');
      expect(lastmods).toHaveLength(locs.length);
      for (const lastmod of [lastmods[0], lastmods.at(-1)]) expect(lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(sizes).toEqual([45_000, 45_000, 10_001]);
    expect(seen).toHaveLength(BIG + SMALL + 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(expected);
    expect(seen).toContain(`${BASE}${asked.url}`);
  }, 60_000);

  it('lists home, every community and the published FAQ in the pages sitemap, and no question', async () => {
    const xml = await fetchXml(app, '/sitemap-pages.xml');
    assertWellFormedXml(xml);
    const locs = xmlTexts(xml, 'loc');
    expect(locs).toEqual(
      expect.arrayContaining([
        `${BASE}/`,
        `${BASE}/c/big`,
        `${BASE}/c/small`,
        `${BASE}/c/faq-only`,
        `${BASE}/c/faq-only/faq`,
        `${BASE}/c/faq-only/faq/setup`,
        `${BASE}/c/faq-only/faq/setup/wi-fi`,
      ]),
    );
    expect(locs.filter((l) => /\/faq\/e\/\d+\/connecting-to-wi-fi$/.test(l))).toHaveLength(1);
    // a community without an FAQ does not advertise an empty FAQ page
    expect(locs).not.toContain(`${BASE}/c/big/faq`);
    expect(locs.filter((l) => l.includes('/q/'))).toEqual([]);
    // every advertised FAQ address is a page that exists
    for (const loc of locs.filter((l) => l.includes('/faq'))) {
      const res = await new TestClient(app).get(loc.slice(BASE.length));
      expect(res.status, loc).toBe(200);
    }
  });

  it.each(['0', '4', '01', 'abc', '1-2', '9999999', '-1'])('answers /sitemap-questions-%s.xml with a 404 page', async (page) => {
    const res = await new TestClient(app).get(`/sitemap-questions-${page}.xml`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(decodeHtml(res.text)).toContain('We could not find that page.');
  });
});

describe('sitemap of a forum without questions', () => {
  it('has only the pages sitemap in its index', async () => {
    const app = await createQaApp({ config: { baseUrl: BASE } });
    try {
      await createCommunity(app.storage, 'quiet');
      const index = await fetchXml(app, '/sitemap.xml');
      expect(xmlTexts(index, 'loc')).toEqual([`${BASE}/sitemap-pages.xml`]);
      expect(xmlTexts(await fetchXml(app, '/sitemap-pages.xml'), 'loc')).toEqual([`${BASE}/`, `${BASE}/c/quiet`]);
      expect((await new TestClient(app).get('/sitemap-questions-1.xml')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('planQuestionPages', () => {
  const community = (id: string, questionCount: number, createdAt = Number(id)): Community => ({
    id, slug: `c${id}`, name: id, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en',
    memberCount: 0, questionCount, promotionThreshold: 5, createdAt, updatedAt: createdAt,
  });
  const shape = (pages: ReturnType<typeof planQuestionPages>) => pages.map((p) => p.map((s) => `${s.community.id}:${s.offset}+${s.count}`));

  it('fills each page to the limit, splitting a community across pages where needed', () => {
    expect(shape(planQuestionPages([community('2', 7), community('1', 3), community('3', 0), community('4', 5)], 4))).toEqual([
      ['1:0+3', '2:0+1'],
      ['2:1+4'],
      ['2:5+2', '4:0+2'],
      ['4:2+3'],
    ]);
  });

  it('makes no page for no questions and exactly full pages at a multiple of the limit', () => {
    expect(planQuestionPages([community('1', 0)], 4)).toEqual([]);
    expect(shape(planQuestionPages([community('1', 8)], 4))).toEqual([['1:0+4'], ['1:4+4']]);
  });
});
