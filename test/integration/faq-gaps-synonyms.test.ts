/*
 * From the FAQ gaps report to a synonym: on each "found nothing" row a site admin gets
 * "Add a synonym", which opens the synonym form started with the query; saving the group
 * makes the same search find the question that uses the other word. Moderators who are not
 * site admins see a hint instead (synonyms are site-wide, so only admins manage them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { translate } from '../../src/i18n/index.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'gapsyn';
const GAPS = `/mod/c/${SLUG}/faq/gaps`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

/** The "Add a synonym" links of one table of the report. */
function synonymLinks(html: string, group: 'noResults' | 'noClicks'): string[] {
  const start = html.indexOf(`id="gaps-${group}"`);
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<a class="modfaq-synonym" href="([^"]+)">/g)].map((m) => decodeHtml(m[1]!));
}

describe('FAQ gaps report: "Add a synonym"', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let moderator: TestClient;
  let member: TestClient;

  beforeAll(async () => {
    app = await createQaApp();
    const community = await createCommunity(app.storage, SLUG);
    member = await clientFor(app, await storageUser(app.storage, 'gsmember', [{ community }]));
    moderator = await clientFor(app, await storageUser(app.storage, 'gsmod', [{ community, role: 'moderator' }]));
    admin = await clientFor(app, await storageUser(app.storage, 'gsadmin', [], { isAdmin: true }));
    await askQuestion(member, SLUG, { title: 'Transfer photos over Wi-Fi to a phone', body: 'The app stops at zero percent.', tags: 'transfer' });
    // One search that found nothing, one that found results nobody opened.
    expect((await member.get(`/search?q=wlan&community=${SLUG}`)).status).toBe(200);
    expect((await member.get(`/search?q=transfer&community=${SLUG}`)).status).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('gives a site admin the link on the rows that found nothing only, to the form started with the query', async () => {
    const report = await admin.get(GAPS);
    expect(report.status).toBe(200);
    expect(synonymLinks(report.text, 'noResults')).toEqual(['/admin/search/synonyms?term=wlan']);
    expect(synonymLinks(report.text, 'noClicks')).toEqual([]);
    expect(report.text).toContain(en('synonyms.gaps.add'));
    expect(report.text).not.toContain(en('synonyms.gaps.hint'));
  });

  it('shows a moderator who is not a site admin the hint instead of the link', async () => {
    const report = await moderator.get(GAPS);
    expect(report.status).toBe(200);
    expect(synonymLinks(report.text, 'noResults')).toEqual([]);
    expect(report.text).toContain(en('synonyms.gaps.hint'));
    // The link would lead to a page only admins may open.
    expect((await moderator.get('/admin/search/synonyms?term=wlan')).status).toBe(403);
  });

  it('following the link and saving the group makes the same search find the question', async () => {
    const link = synonymLinks((await admin.get(GAPS)).text, 'noResults')[0]!;
    const form = await admin.get(link);
    expect(form.status).toBe(200);
    const value = decodeHtml(/<input type="text" id="terms" name="terms" value="([^"]*)"/.exec(form.text)![1]!);
    expect(value).toBe('wlan, ');
    expect((await admin.post('/admin/search/synonyms', { terms: `${value}Wi-Fi` })).status).toBe(303);
    const found = await member.get(`/search?q=wlan&community=${SLUG}`);
    expect(found.text).toContain('Transfer photos over <mark>Wi</mark>-<mark>Fi</mark> to a phone');
  });
});
