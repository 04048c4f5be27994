import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClient } from '../helpers/app.js';
import { clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

/*
 * Pages that list many things must read them in one query, not one per item. Each test
 * counts the repository calls behind a page and checks that the page shows the right data.
 */

const T = Date.UTC(2026, 0, 1);

/** The profile's activity rows: kind badge text, title and link. */
function activity(html: string): Array<{ title: string; url: string }> {
  return [...html.matchAll(/<span class="score"[^>]*>-?\d+<\/span> <a href="([^"]*)">([^<]*)<\/a>/g)].map((m) => ({ url: decodeHtml(m[1]!), title: decodeHtml(m[2]!) }));
}

describe('profile page', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createQaApp();
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads the questions of all the answers in one query and links each answer under its own question title', async () => {
    const s = app.storage;
    const cams = await createCommunity(s, 'cams');
    const asker = await storageUser(s, 'asker', [{ community: cams }]);
    const helper = await storageUser(s, 'helper', [{ community: cams }]);
    const titles: string[] = [];
    for (let i = 0; i < 8; i++) {
      const title = `Question about lens number ${i}`;
      titles.push(title);
      const q = await s.posts.createQuestion({ communityId: cams.id, authorId: asker.id, title, slug: `lens-${i}`, bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', tags: ['lens'], now: T + i * 1000 });
      await s.posts.createAnswer({ questionId: q.id, authorId: helper.id, bodyMd: `answer ${i}`, bodyHtml: `<p>answer ${i}</p>`, bodyText: `answer ${i}`, now: T + 100_000 + i * 1000 });
    }
    const own = await s.posts.createQuestion({ communityId: cams.id, authorId: helper.id, title: 'My own question', slug: 'my-own', bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', tags: [], now: T + 500_000 });

    const findQuestion = vi.spyOn(s.posts, 'findQuestion');
    const findQuestions = vi.spyOn(s.posts, 'findQuestions');
    const res = await new TestClient(app).get('/u/helper');
    expect(res.status).toBe(200);
    expect(findQuestion).not.toHaveBeenCalled();
    expect(findQuestions).toHaveBeenCalledTimes(1);

    const rows = activity(res.text);
    // Newest first: the helper's own question, then the answers from the last to the first.
    expect(rows.map((r) => r.title)).toEqual(['My own question', ...[...titles].reverse()]);
    expect(rows[0]!.url).toBe(`/c/cams/q/${own.id}/my-own`);
    expect(rows[1]!.url).toMatch(/^\/c\/cams\/q\/\d+\/lens-7\?a=\d+$/);
  });
});

describe('FAQ related entries', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await createQaApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('checks all the related links of an entry in one query and keeps only entries of the community', async () => {
    const s = app.storage;
    const cams = await createCommunity(s, 'cams');
    const other = await createCommunity(s, 'other');
    const mod = await storageUser(s, 'modder', [{ community: cams, role: 'moderator' }]);
    const client = await clientFor(app, mod);
    const cat = await s.faq.createCategory({ communityId: cams.id, parentId: null, name: 'Lenses', slug: 'lenses', depth: 1, now: T });
    const otherCat = await s.faq.createCategory({ communityId: other.id, parentId: null, name: 'Other', slug: 'other', depth: 1, now: T });
    const entry = (communityId: string, categoryId: string, title: string) =>
      s.faq.createEntry({ communityId, categoryId, title, slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), bodyMd: title, bodyHtml: `<p>${title}</p>`, bodyText: title, createdBy: mod.id, sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], now: T });
    const mine = [];
    for (let i = 0; i < 12; i++) mine.push(await entry(cams.id, cat.id, `Cleaning the lens, step ${i}`));
    const foreign = await entry(other.id, otherCat.id, 'An entry of another community');

    const findEntry = vi.spyOn(s.faq, 'findEntry');
    const lookup = vi.spyOn(s.faq, 'entryIdsInCommunity');
    const related = [...mine.map((e) => e.id), foreign.id, 'bogus', mine[0]!.id];
    const res = await client.post('/mod/c/cams/faq/entries/new', { title: 'How do I clean the sensor?', body: 'Use a blower first.', categoryId: cat.id, newCategoryName: '', newCategoryParentId: '', related, action: 'save' });
    expect(res.status).toBe(303);
    expect(lookup).toHaveBeenCalledTimes(1);
    // The related links are checked in one call; findEntry reads only the new entry itself, if at all.
    expect(findEntry.mock.calls.length).toBeLessThanOrEqual(1);
    vi.restoreAllMocks();

    const created = (await s.faq.listEntries(cams.id, { status: 'published' })).find((e) => e.title === 'How do I clean the sensor?')!;
    const linked = await s.faq.relatedEntries(created.id);
    expect(linked.map((e) => e.id).sort()).toEqual(mine.map((e) => e.id).sort());
    const page = await new TestClient(app).get(String(res.headers.location));
    expect(page.status).toBe(200);
    for (const e of mine) expect(page.text).toContain(e.title);
    expect(page.text).not.toContain('An entry of another community');
  });
});
