/*
 * The moderators' FAQ dashboard stays linear in the number of categories (issue 10,
 * "Reliability"): it used to repeat a full "move under" <select> in every category row, so
 * 176 categories made a 3 MB page. With 500 categories (built straight in storage, four
 * levels deep like a real tree) the page stays under 300 KB, and moving a category through
 * its own page still works, without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import type { TestClient } from '../helpers/app.js';
import { clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'bigcams';
const MOD = `/mod/c/${SLUG}/faq`;
const CATEGORIES = 500;

describe('FAQ dashboard with 500 categories', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;
  const ids: string[] = [];

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, SLUG);
    moderator = await clientFor(app, await storageUser(app.storage, 'bigmod', [{ community, role: 'moderator' }]));
    // 20 top-level categories, each with 4 children, each of those with 3 children, and
    // each of those with 1 child: 20 * (1 + 4 + 12 + 12) = 580; stop at 500.
    const now = Date.now();
    const make = async (parentId: string | null, depth: number, name: string) => {
      if (ids.length >= CATEGORIES) return null;
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const c = await app.storage.faq.createCategory({ communityId: community.id, parentId, name, slug, depth, now });
      ids.push(c.id);
      return c.id;
    };
    for (let a = 0; a < 20; a++) {
      const top = await make(null, 1, `Camera topic ${a}`);
      if (!top) break;
      for (let b = 0; b < 4; b++) {
        const second = await make(top, 2, `Settings group ${a}-${b}`);
        if (!second) break;
        for (let c = 0; c < 3; c++) {
          const third = await make(second, 3, `Detailed question ${a}-${b}-${c}`);
          if (!third) break;
          await make(third, 4, `Very specific case ${a}-${b}-${c}`);
        }
      }
    }
    expect(ids).toHaveLength(CATEGORIES);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('serves the dashboard under 300 KB, every category listed once', async () => {
    const res = await moderator.get(MOD);
    expect(res.status).toBe(200);
    const bytes = Buffer.byteLength(res.text, 'utf8');
    console.log(`dashboard with ${CATEGORIES} categories: ${bytes} bytes, ${(res.text.match(/<option/g) ?? []).length} options`);
    expect(bytes).toBeLessThan(300 * 1024);
    for (const id of ids) expect(res.text).toContain(`<li id="cat-${id}"`);
    // The options are bounded by the few single pickers, not categories x categories.
    expect((res.text.match(/<option/g) ?? []).length).toBeLessThanOrEqual(3 * (CATEGORIES + 2));
  });

  it('moves a category through its own page (one picker), without JavaScript', async () => {
    const dashboard = (await moderator.get(MOD)).text;
    // ids[3] is the first level-4 leaf (topic 0 > group 0-0 > question 0-0-0 > case); it moves
    // under the last top-level category, at level 2.
    const leaf = ids[3]!;
    const target = ids[29 * 17]!; // each top-level category holds 29; the 18th is the last one
    expect((await app.storage.faq.findCategory(target))!.depth).toBe(1);
    const link = new RegExp(`<li id="cat-${leaf}"[^\\n]*?<a href="([^"]*/categories/${leaf})">`).exec(dashboard);
    expect(link, 'the name in the row links to the category page').not.toBeNull();
    const page = await moderator.get(decodeHtml(link![1]!));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`<form action="${MOD}/categories/${leaf}/move" method="post"`));
    // One picker on the page: every category but the one moved, each once.
    const picker = new RegExp(`<select id="move-${leaf}"[^>]*>([\\s\\S]*?)</select>`).exec(page.text)![1]!;
    expect((picker.match(/<option /g) ?? []).length).toBe(CATEGORIES);
    expect(page.text).toMatch(new RegExp(`<option value="${target}">`));
    const moved = await moderator.post(`${MOD}/categories/${leaf}/move`, { parentId: target });
    expect(moved.status).toBe(303);
    expect(await app.storage.faq.findCategory(leaf)).toMatchObject({ parentId: target, depth: 2 });
  });
});
