/*
 * Suggested synonyms (issue 9): a search that found nothing, followed in the same browser
 * within a few minutes by a search whose result was clicked, is offered in the FAQ gaps report
 * as a synonym pair. A site admin accepts it with one click (a synonym group made through the
 * synonym form), and the first query then finds what the second one found. Real HTTP, real
 * SQLite, cookies kept per browser as a browser keeps them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { translate } from '../../src/i18n/index.js';
import { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'suggestsyn';
const GAPS = `/mod/c/${SLUG}/faq/gaps`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

/** The rows of the suggestions table: [found nothing, then searched, browsers, accept terms or null]. */
function suggestions(html: string): Array<[string, string, string, string | null]> {
  const start = html.indexOf('id="gaps-suggested"');
  expect(start).toBeGreaterThan(-1);
  const section = html.slice(start, html.indexOf('</section>', start));
  const body = section.includes('<tbody>') ? section.slice(section.indexOf('<tbody>')) : '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => {
    const cells = [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => decodeHtml(c[1]!.replace(/<[^>]+>/g, '').trim()));
    const terms = /name="terms" value="([^"]*)"/.exec(m[1]!);
    return [cells[0]!, cells[1]!, cells[2]!, terms ? decodeHtml(terms[1]!) : null];
  });
}

/** The first result link of a search page (through /search/click, which logs the click). */
function firstClickUrl(html: string): string {
  const m = /<h2 class="hit-title"><a href="([^"]+)"/.exec(html);
  expect(m, 'a result on the page').not.toBeNull();
  return decodeHtml(m![1]!);
}

describe('FAQ gaps report: suggested synonyms from what people searched next', () => {
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 0, 10, 12);
  let admin: TestClient;
  let moderator: TestClient;
  let visitor: TestClient;
  let other: TestClient;

  beforeAll(async () => {
    app = await createQaApp({ now: () => clock });
    const community = await createCommunity(app.storage, SLUG);
    const member = await clientFor(app, await storageUser(app.storage, 'ssmember', [{ community }]));
    moderator = await clientFor(app, await storageUser(app.storage, 'ssmod', [{ community, role: 'moderator' }]));
    admin = await clientFor(app, await storageUser(app.storage, 'ssadmin', [], { isAdmin: true }));
    await askQuestion(member, SLUG, { title: 'Lens fogs up when I come indoors in winter', body: 'Condensation on the front element after a cold walk.', tags: 'lens' });
    visitor = new TestClient(app);
    other = new TestClient(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('offers the pair after a search that found nothing and a clicked search from the same browser', async () => {
    // Found nothing: the asker wrote "fogs", the visitor types "misting".
    const empty = await visitor.get(`/search?q=${encodeURIComponent('misting')}&community=${SLUG}`);
    expect(empty.status).toBe(200);
    expect(empty.text).not.toContain('class="hit-title"');
    clock += 60_000;
    const found = await visitor.get(`/search?q=fogs&community=${SLUG}`);
    const click = await visitor.get(firstClickUrl(found.text));
    expect(click.status).toBe(303);

    // A search from another browser, clicked, is no rewording of this visitor's query.
    clock += 10_000;
    await other.get(`/search?q=winter&community=${SLUG}`).then((r) => other.get(firstClickUrl(r.text)));
    // Nor is a clicked search long after a search that found nothing.
    await visitor.get(`/search?q=${encodeURIComponent('steamy glass')}&community=${SLUG}`);
    clock += 30 * 60_000;
    await visitor.get(`/search?q=indoors&community=${SLUG}`).then((r) => visitor.get(firstClickUrl(r.text)));

    const report = await admin.get(GAPS);
    expect(report.status).toBe(200);
    expect(report.text).toContain(en('synonyms.suggested.heading'));
    expect(suggestions(report.text)).toEqual([['misting', 'fogs', '1', 'misting, fogs']]);
  });

  it('shows a moderator who is not a site admin the pairs with a hint, without the accept button', async () => {
    const report = await moderator.get(GAPS);
    expect(report.status).toBe(200);
    expect(suggestions(report.text)).toEqual([['misting', 'fogs', '1', null]]);
    expect(report.text).toContain(en('synonyms.suggested.adminOnly'));
    // The accept form posts to the admins' synonym form, which refuses anyone else.
    expect((await moderator.post('/admin/search/synonyms', { terms: 'misting, fogs' })).status).toBe(403);
  });

  it('accepting the pair (one click) makes the first query find the question, and the pair leaves the list', async () => {
    const report = await admin.get(GAPS);
    const [[, , , terms]] = suggestions(report.text) as Array<[string, string, string, string]>;
    const accepted = await admin.post('/admin/search/synonyms', { terms });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toContain('done=created');

    const now = await visitor.get(`/search?q=misting&community=${SLUG}`);
    expect(now.text).toContain('Lens <mark>fogs</mark> up when I come indoors in winter');
    expect(suggestions((await admin.get(GAPS)).text)).toEqual([]);
    expect((await admin.get(GAPS)).text).toContain(en('synonyms.suggested.none', { days: 30 }));
  });
});
