/*
 * A community's name is searchable in its threads and FAQ entries (embedded engine, real
 * SQLite). When a site admin renames the community through the admin form, site search finds
 * them at once by the new name (English and Chinese words) and no longer by the old one; a
 * second community keeps its own name. No restart or reindex in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import type { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, postAnswer, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

/** The titles of the hits on a search page, marks removed. */
function hitTitles(html: string): string[] {
  return [...html.matchAll(/<h2 class="hit-title"><a [^>]*>([\s\S]*?)<\/a><\/h2>/g)].map((m) => decodeHtml(m[1]!.replace(/<\/?mark>/g, ''))).sort();
}

const QUESTION = 'Grinder clogs with oily beans';
const ENTRY = 'Cleaning the burrs';
const OTHER = 'Which kettle for pour over';

describe('renaming a community (embedded search)', () => {
  let app: FastifyInstance;
  let admin: TestClient;
  let visitor: TestClient;
  let community: Community;

  // A signed-in visitor: logged-out search pages may come from the short-lived page cache.
  const search = async (q: string, extra = '') => {
    const res = await visitor.get(`/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return hitTitles(res.text);
  };

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, 'bean-club', { name: 'Baristaclub 咖啡俱乐部' });
    const other = await createCommunity(app.storage, 'kettles', { name: 'Kettlecorner 水壶角' });
    const asker = await clientFor(app, await storageUser(app.storage, 'renasker', [{ community }, { community: other }]));
    const answerer = await clientFor(app, await storageUser(app.storage, 'renanswerer', [{ community }]));
    const adminUser = await storageUser(app.storage, 'renadmin', [], { isAdmin: true });
    admin = await clientFor(app, adminUser);
    visitor = await clientFor(app, await storageUser(app.storage, 'renvisitor'));
    const q = await askQuestion(asker, 'bean-club', { title: QUESTION, body: 'The burrs stop turning after two cups.', tags: 'grinder' });
    await postAnswer(answerer, q.id, 'Run a handful of rice through it once a week.');
    await askQuestion(asker, 'kettles', { title: OTHER, body: 'Gooseneck or not, that is the question.', tags: 'kettle' });
    const top = await app.storage.faq.createCategory({ communityId: community.id, parentId: null, name: 'Machines', slug: 'machines', depth: 1, now: Date.now() });
    await app.storage.faq.createEntry({
      communityId: community.id, categoryId: top.id, title: ENTRY, slug: 'cleaning-the-burrs', bodyMd: 'Brush them monthly.', bodyHtml: '<p>Brush them monthly.</p>',
      bodyText: 'Brush them monthly.', sourceQuestionId: null, sourceAnswerId: null, relatedIds: [], createdBy: adminUser.id, now: Date.now(),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds a community\'s thread and FAQ entry by its name', async () => {
    expect(await search('baristaclub')).toEqual([ENTRY, QUESTION].sort());
    expect(await search('咖啡俱乐部')).toEqual([ENTRY, QUESTION].sort());
    expect(await search('roastery')).toEqual([]);
  });

  it('after a rename through the admin form, the new name finds them and the old one no longer does', async () => {
    const res = await admin.post('/admin/communities/bean-club', {
      name: 'Roastery guild 烘焙小组', kind: 'interest', description: 'About beans', defaultLocale: 'en', promotionThreshold: '5',
    });
    expect(res.status).toBe(303);
    expect((await app.storage.communities.findById(community.id))!.name).toBe('Roastery guild 烘焙小组');

    expect(await search('roastery')).toEqual([ENTRY, QUESTION].sort());
    expect(await search('烘焙小组')).toEqual([ENTRY, QUESTION].sort());
    // The answer's own row carries the new name too (a kind filter shows it on its own).
    expect(await search('roastery', '&kind=answer')).toEqual([QUESTION]);
    expect(await search('baristaclub')).toEqual([]);
    expect(await search('咖啡俱乐部')).toEqual([]);
    // The other community is untouched.
    expect(await search('kettlecorner')).toEqual([OTHER]);
  });
});
