/*
 * The FAQ gaps report (/mod/c/:community/faq/gaps): searches made through the real search
 * page, at times set by the test clock, show up grouped under "found nothing" or "found
 * results, nobody clicked", per period, each with its two one-click actions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import { groupGapRows, gapPeriod, normaliseGapQuery } from '../../src/services/faq/faq-gaps.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'gapcams';
const GAPS = `/mod/c/${SLUG}/faq/gaps`;
const DAY = 86_400_000;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

interface GapRowSeen {
  query: string;
  searches: number;
  users: number;
  askUrl: string;
  writeUrl: string;
}

/** The rows of one table of the report ("noResults" or "noClicks"), as a moderator reads them. */
function gapRows(html: string, group: 'noResults' | 'noClicks' | 'siteWide'): GapRowSeen[] {
  const start = html.indexOf(`id="gaps-${group}"`);
  if (start < 0) throw new Error(`no ${group} section`);
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<tr>\s*<td class="modfaq-query"><a href="[^"]*">([\s\S]*?)<\/a><\/td>\s*<td class="modfaq-num"[^>]*>(\d+)<\/td>\s*<td class="modfaq-num"[^>]*>(\d+)<\/td>[\s\S]*?<a class="button button-small button-secondary" href="([^"]+)">[\s\S]*?<a class="button button-small" href="([^"]+)">/g)].map((m) => ({
    query: decodeHtml(m[1]!),
    searches: Number(m[2]),
    users: Number(m[3]),
    askUrl: decodeHtml(m[4]!),
    writeUrl: decodeHtml(m[5]!),
  }));
}

describe('FAQ gaps report', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;
  let member: TestClient;
  let other: TestClient;
  let t = Date.now();
  const realNow = t;

  async function searchAt(client: TestClient, when: number, q: string): Promise<string> {
    t = when;
    const res = await client.get(`/search?q=${encodeURIComponent(q)}&community=${SLUG}`);
    t = realNow;
    expect(res.status).toBe(200);
    return res.text;
  }

  beforeAll(async () => {
    app = await createQaApp({ now: () => t });
    community = await createCommunity(app.storage, SLUG);
    moderator = await clientFor(app, await storageUser(app.storage, 'gapmod', [{ community, role: 'moderator' }]));
    member = await clientFor(app, await storageUser(app.storage, 'gapmember', [{ community }]));
    other = await clientFor(app, await storageUser(app.storage, 'gapother', [{ community }]));
    await askQuestion(member, SLUG, { title: 'How do I reset the lens calibration?', body: 'The lens calibration is off after a drop.', tags: 'lens' });
    await askQuestion(member, SLUG, { title: 'Which memory card is fastest?', body: 'Looking for the fastest memory card.', tags: 'cards' });

    // Yesterday: the same query typed two ways by two people, found nothing.
    await searchAt(member, realNow - 1 * DAY, 'Battery   DRAIN overnight');
    await searchAt(other, realNow - 1 * DAY, 'battery drain overnight');
    // Yesterday: found a question, nobody opened it.
    await searchAt(member, realNow - 1 * DAY, 'lens calibration');
    // Yesterday: found a question and the searcher opened it.
    const page = await searchAt(other, realNow - 1 * DAY, 'memory card');
    const click = /href="(\/search\/click\?[^"]+)"/.exec(page);
    expect(click, 'a result link that logs the click').not.toBeNull();
    expect((await other.get(decodeHtml(click![1]!))).status).toBe(303);
    // Yesterday, from the header box with no community chosen: "coffee" found nothing anywhere.
    t = realNow - 1 * DAY;
    expect((await other.get('/search?q=coffee%20grinder%20burrs')).status).toBe(200);
    expect((await member.get('/search?q=coffee%20grinder%20burrs')).status).toBe(200);
    t = realNow;
    // Ten days ago and forty days ago: found nothing.
    await searchAt(member, realNow - 10 * DAY, 'tripod mount thread size');
    await searchAt(member, realNow - 40 * DAY, 'warranty claim form');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is for the community moderators only', async () => {
    expect((await member.get(GAPS)).status).toBe(403);
    expect((await moderator.get('/mod/c/nowhere/faq/gaps')).status).toBe(404);
  });

  it('groups the searches that found nothing, per period', async () => {
    const week = await moderator.get(`${GAPS}?days=7`);
    expect(week.status).toBe(200);
    const rows = gapRows(week.text, 'noResults');
    expect(rows.map((r) => normaliseGapQuery(r.query))).toEqual(['battery drain overnight']);
    expect(rows[0]).toMatchObject({ searches: 2, users: 2 });
    expect(decodeHtml(week.text)).toContain(en('faqmod.gaps.totals', { searches: 4, none: 2, clicked: 1 }));

    const month = gapRows((await moderator.get(`${GAPS}?days=30`)).text, 'noResults').map((r) => r.query);
    expect(month).toHaveLength(2);
    expect(month).toContain('tripod mount thread size');
    const quarter = gapRows((await moderator.get(`${GAPS}?days=90`)).text, 'noResults').map((r) => r.query);
    expect(quarter).toContain('warranty claim form');
    // Anything but 7, 30 or 90 shows the default period, 30 days.
    const fallback = await moderator.get(`${GAPS}?days=5`);
    expect(gapRows(fallback.text, 'noResults')).toHaveLength(2);
    expect(fallback.text).toMatch(/<a href="[^"]*days=30" class="current" aria-current="page">/);
  });

  it('lists site-wide searches apart from the community\'s own gaps, and leaves them out of its numbers', async () => {
    const week = await moderator.get(`${GAPS}?days=7`);
    const own = [...gapRows(week.text, 'noResults'), ...gapRows(week.text, 'noClicks')].map((r) => r.query);
    expect(own).not.toContain('coffee grinder burrs');
    expect(gapRows(week.text, 'siteWide')).toEqual([expect.objectContaining({ query: 'coffee grinder burrs', searches: 2, users: 2 })]);
    expect(decodeHtml(week.text)).toContain(en('faqmod.gaps.siteWideHint', { searches: 2 }));
    // The community's totals count its own four searches only.
    expect(decodeHtml(week.text)).toContain(en('faqmod.gaps.totals', { searches: 4, none: 2, clicked: 1 }));
    // Another community's report lists the same site-wide search apart too, and has no gaps of its own.
    const quiet = await createCommunity(app.storage, 'sitewidecams');
    const mod = await clientFor(app, await storageUser(app.storage, 'sitewidemod', [{ community: quiet, role: 'moderator' }]));
    const other = await mod.get('/mod/c/sitewidecams/faq/gaps?days=7');
    expect(gapRows(other.text, 'noResults')).toEqual([]);
    expect(gapRows(other.text, 'siteWide').map((r) => r.query)).toEqual(['coffee grinder burrs']);
  });

  it('lists searches with results that nobody clicked, and leaves out the clicked ones', async () => {
    const rows = gapRows((await moderator.get(`${GAPS}?days=7`)).text, 'noClicks');
    expect(rows.map((r) => r.query)).toEqual(['lens calibration']);
  });

  it('offers "ask the community" and "write an entry", both prefilled with the query', async () => {
    const row = gapRows((await moderator.get(`${GAPS}?days=30`)).text, 'noResults').find((r) => r.query === 'tripod mount thread size')!;
    expect(row.askUrl).toBe(`/c/${SLUG}/ask?title=tripod%20mount%20thread%20size`);
    expect(row.writeUrl).toBe(`/mod/c/${SLUG}/faq/entries/new?title=tripod%20mount%20thread%20size`);
    const ask = await member.get(row.askUrl);
    expect(ask.status).toBe(200);
    expect(ask.text).toMatch(/<input id="title" name="title" value="tripod mount thread size"/);
    const write = await moderator.get(row.writeUrl);
    expect(write.status).toBe(200);
    expect(write.text).toMatch(/<input id="title" name="title" value="tripod mount thread size"/);
  });

  it('says so when a period has no gaps', async () => {
    const other = await createCommunity(app.storage, 'quietcams');
    const mod = await clientFor(app, await storageUser(app.storage, 'quietmod', [{ community: other, role: 'moderator' }]));
    const res = await mod.get('/mod/c/quietcams/faq/gaps?days=7');
    expect(res.status).toBe(200);
    expect(res.text).toContain(en('faqmod.gaps.none', { days: 7 }));
    void community;
  });
});

describe('gap grouping', () => {
  it('merges spellings that differ in case, width or spacing, keeping the most searched one', () => {
    const rows = groupGapRows([
      { query: 'Battery Drain', searches: 2, users: 2, avgHits: 0, clickedSearches: 0 },
      { query: 'battery   drain', searches: 5, users: 3, avgHits: 0, clickedSearches: 0 },
      { query: 'ＢＡＴＴＥＲＹ drain', searches: 1, users: 1, avgHits: 0, clickedSearches: 0 },
      { query: '电池 耗电', searches: 4, users: 4, avgHits: 2, clickedSearches: 0 },
      { query: '电池  耗电', searches: 4, users: 1, avgHits: 0, clickedSearches: 0 },
    ]);
    expect(rows).toEqual([
      { query: 'battery drain', searches: 8, users: 6, avgHits: 0 },
      { query: '电池 耗电', searches: 8, users: 5, avgHits: 1 },
    ]);
  });

  it('reads the period leniently', () => {
    expect(gapPeriod('7')).toBe(7);
    expect(gapPeriod('90')).toBe(90);
    for (const raw of [undefined, '', '8', '7.0', ' 7', 'abc', '-30']) expect(gapPeriod(raw)).toBe(30);
  });
});
