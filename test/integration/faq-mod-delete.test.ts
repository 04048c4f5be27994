/*
 * Deleting a non-empty FAQ category, as a moderator does it: every precondition (slug
 * clashes at the destination, the four-level limit for the moved subtrees, a destination
 * inside the deleted subtree, entries that need a category) is refused with the delete form
 * and its message before anything changes; otherwise everything moves and the category goes,
 * including to the top level where that makes sense.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community } from '../../src/domain/types.js';
import { translate } from '../../src/i18n/index.js';
import type { TestClient } from '../helpers/app.js';
import { clientFor, createCommunity, createQaApp, storageUser } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'delcams';
const MOD = `/mod/c/${SLUG}/faq`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

function fieldError(html: string, id: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="${id}-error">([\\s\\S]*?)</p>`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function selectOptions(html: string, id: string): Array<{ value: string; label: string; disabled: boolean }> {
  const m = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!m) throw new Error(`no select #${id}`);
  return [...m[1]!.matchAll(/<option value="([^"]*)"([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => ({ value: o[1]!, label: decodeHtml(o[3]!).trim(), disabled: o[2]!.includes('disabled') }));
}

/** The dashboard tree as the moderator reads it: "L2 Name" lines in reading order. */
function tree(html: string): string[] {
  return [...html.matchAll(/<li id="cat-\d+" class="modfaq-node depth-(\d)">[\s\S]*?<span class="modfaq-level"[^>]*>[^<]*<\/span> <a href="[^"]*">([\s\S]*?)<\/a>/g)].map((m) => `L${m[1]} ${decodeHtml(m[2]!)}`);
}

describe('deleting a category with contents', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;

  async function createCategory(name: string, parentId = ''): Promise<string> {
    const res = await moderator.post(`${MOD}/categories`, { name, parentId });
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    return /#cat-(\d+)$/.exec(String(res.headers.location))![1]!;
  }

  async function writeEntry(title: string, categoryId: string): Promise<string> {
    const res = await moderator.post(`${MOD}/entries/new`, { title, body: 'Some answer.', categoryId, newCategoryName: '', newCategoryParentId: '', action: 'save' });
    expect(res.status).toBe(303);
    return /\/faq\/e\/(\d+)\//.exec(String(res.headers.location))![1]!;
  }

  const dashboardTree = async () => tree((await moderator.get(MOD)).text);
  const entryCategory = async (id: string) => (await app.storage.faq.findEntry(id))!.categoryId;

  beforeAll(async () => {
    app = await createQaApp();
    community = await createCommunity(app.storage, SLUG);
    moderator = await clientFor(app, await storageUser(app.storage, 'delmod', [{ community, role: 'moderator' }]));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a destination that already has a subcategory with a child’s address, and changes nothing', async () => {
    // Old > Alpha, Beta (> Beta deep), with an entry; Target already has its own "Beta".
    const old = await createCategory('Old');
    const alpha = await createCategory('Alpha', old);
    const beta = await createCategory('Beta', old);
    await createCategory('Beta deep', beta);
    const entry = await writeEntry('An entry in the old category', old);
    const target = await createCategory('Target');
    await createCategory('Beta', target);
    const before = await dashboardTree();

    const res = await moderator.post(`${MOD}/categories/${old}/delete`, { targetId: target });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="delete-heading"');
    expect(fieldError(res.text, 'targetId')).toBe(en('faq.category.targetClash', { target: 'Target', names: 'Beta' }));
    // Nothing moved: not Alpha (listed before the clashing Beta), not the entry.
    expect(await dashboardTree()).toEqual(before);
    expect((await app.storage.faq.findCategory(alpha))!.parentId).toBe(old);
    expect(await entryCategory(entry)).toBe(old);

    // The form shows that destination, but not as a choice, and says why.
    const option = selectOptions(res.text, 'targetId').find((o) => o.value === target)!;
    expect(option).toMatchObject({ disabled: true, label: `Target (${en('faqmod.delete.clashOption', { names: 'Beta' })})` });
  });

  it('refuses a destination inside the deleted subtree, or one without room for its levels', async () => {
    // Deep (1) > Mid (2) > Low (3): two levels below it; Shelf (1) > Rack (2) > Bin (3).
    const deep = await createCategory('Deep');
    const mid = await createCategory('Mid', deep);
    await createCategory('Low', mid);
    const shelf = await createCategory('Shelf');
    const rack = await createCategory('Rack', shelf);
    const bin = await createCategory('Bin', rack);
    const listed = selectOptions((await moderator.get(`${MOD}/categories/${deep}/delete`)).text, 'targetId').map((o) => o.value);
    expect(listed).toContain(rack);
    expect(listed).not.toContain(bin);
    expect(listed).not.toContain(mid);

    const inside = await moderator.post(`${MOD}/categories/${deep}/delete`, { targetId: mid });
    expect(inside.status).toBe(400);
    expect(fieldError(inside.text, 'targetId')).toBe(en('faq.category.targetInside'));
    const tooDeep = await moderator.post(`${MOD}/categories/${deep}/delete`, { targetId: bin });
    expect(tooDeep.status).toBe(400);
    expect(fieldError(tooDeep.text, 'targetId')).toBe(en('faq.category.targetTooDeep', { max: 4 }));
    expect((await app.storage.faq.findCategory(deep))!.parentId).toBeNull();
    expect((await app.storage.faq.findCategory(mid))!.parentId).toBe(deep);
  });

  it('moves entries and subtrees into a deeper category at their new levels, after its own subcategories', async () => {
    // Box (1) > Lid (2) > Hinge (3), entry in Box; to Shelf (1) > Rack (2), which holds Bin.
    const box = await createCategory('Box');
    const lid = await createCategory('Lid', box);
    const hinge = await createCategory('Hinge', lid);
    const entry = await writeEntry('An entry in the box', box);
    const rack = (await app.storage.faq.listCategories(community.id)).find((c) => c.name === 'Rack')!.id;
    const res = await moderator.post(`${MOD}/categories/${box}/delete`, { targetId: rack });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${MOD}?done=categoryDeleted#categories`);
    const shown = await dashboardTree();
    expect(shown).not.toContain('L1 Box');
    const shelfAt = shown.indexOf('L1 Shelf');
    expect(shown.slice(shelfAt, shelfAt + 5)).toEqual(['L1 Shelf', 'L2 Rack', 'L3 Bin', 'L3 Lid', 'L4 Hinge']);
    expect(await entryCategory(entry)).toBe(rack);
    // Hinge is now on the last level: nothing can be created under it.
    const under = await moderator.post(`${MOD}/categories`, { name: 'Too deep now', parentId: hinge });
    expect(under.status).toBe(400);
    expect(fieldError(under.text, 'new-category-parent')).toBe(en('faq.category.tooDeep', { max: 4 }));
    void lid;
  });

  it('offers the top level for subcategories when there are no entries, and moves them there', async () => {
    const kit = await createCategory('Kit');
    await createCategory('Straps', kit);
    await createCategory('Bags', kit);
    const form = await moderator.get(`${MOD}/categories/${kit}/delete`);
    expect(selectOptions(form.text, 'targetId')[1]).toEqual({ value: 'top', label: en('faqmod.delete.topLevelOption'), disabled: false });
    const res = await moderator.post(`${MOD}/categories/${kit}/delete`, { targetId: 'top' });
    expect(res.status).toBe(303);
    const shown = await dashboardTree();
    expect(shown).toContain('L1 Straps');
    expect(shown).toContain('L1 Bags');
    expect(shown).not.toContain('L1 Kit');
  });

  it('does not offer the top level when there are entries, and refuses it with a message', async () => {
    const mixed = await createCategory('Mixed');
    await createCategory('Sub', mixed);
    const entry = await writeEntry('An entry that needs a category', mixed);
    const form = await moderator.get(`${MOD}/categories/${mixed}/delete`);
    expect(selectOptions(form.text, 'targetId').map((o) => o.value)).not.toContain('top');
    const res = await moderator.post(`${MOD}/categories/${mixed}/delete`, { targetId: 'top' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'targetId')).toBe(en('faq.category.entriesNeedCategory'));
    expect(await entryCategory(entry)).toBe(mixed);
  });

  it('gives the form and its message when a clashing category appears after the checks (nothing changes)', async () => {
    const crate = await createCategory('Crate');
    const slat = await createCategory('Slat', crate);
    const entry = await writeEntry('An entry in the crate', crate);
    const pallet = await createCategory('Pallet');
    const repo = app.storage.faq;
    const original = repo.deleteCategory;
    // Another moderator creates "Slat" under Pallet just before storage runs the delete.
    repo.deleteCategory = async (id, targetId, now) => {
      repo.deleteCategory = original;
      await repo.createCategory({ communityId: community.id, parentId: pallet, name: 'Slat', slug: 'slat', depth: 2, now });
      return original.call(repo, id, targetId, now);
    };
    try {
      const res = await moderator.post(`${MOD}/categories/${crate}/delete`, { targetId: pallet });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, 'targetId')).toBe(en('faq.category.targetClash', { target: 'Pallet', names: 'Slat' }));
    } finally {
      repo.deleteCategory = original;
    }
    expect((await app.storage.faq.findCategory(slat))!.parentId).toBe(crate);
    expect(await entryCategory(entry)).toBe(crate);
  });

  it('puts moved subcategories back when moving them to the top level is interrupted by a clash', async () => {
    const drawer = await createCategory('Drawer');
    const knobs = await createCategory('Knobs', drawer);
    const rails = await createCategory('Rails', drawer);
    const repo = app.storage.faq;
    const original = repo.moveCategory;
    // Knobs reaches the top level; then someone creates a top-level "Rails" before Rails moves.
    repo.moveCategory = async (id, parentId, depth, now) => {
      if (id === rails && parentId === null) {
        repo.moveCategory = original;
        await repo.createCategory({ communityId: community.id, parentId: null, name: 'Rails', slug: 'rails', depth: 1, now });
      }
      return original.call(repo, id, parentId, depth, now);
    };
    try {
      const res = await moderator.post(`${MOD}/categories/${drawer}/delete`, { targetId: 'top' });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, 'targetId')).toBe(en('faq.category.topLevelClash', { names: 'Rails' }));
    } finally {
      repo.moveCategory = original;
    }
    for (const id of [knobs, rails]) expect(await app.storage.faq.findCategory(id), id).toMatchObject({ parentId: drawer, depth: 2 });
    expect(await app.storage.faq.findCategory(drawer)).not.toBeNull();
  });

  it('refuses the top level when a top-level category has a child’s address (the deleted one included)', async () => {
    // Tips (1) > Tips (2), Straps (2): both addresses are taken at the top level.
    const tips = await createCategory('Tips');
    const innerTips = await createCategory('Tips', tips);
    await createCategory('Straps', tips);
    const form = await moderator.get(`${MOD}/categories/${tips}/delete`);
    expect(selectOptions(form.text, 'targetId').find((o) => o.value === 'top')!.disabled).toBe(true);
    const res = await moderator.post(`${MOD}/categories/${tips}/delete`, { targetId: 'top' });
    expect(res.status).toBe(400);
    expect(fieldError(res.text, 'targetId')).toBe(en('faq.category.topLevelClash', { names: 'Tips, Straps' }));
    expect((await app.storage.faq.findCategory(innerTips))!.parentId).toBe(tips);
    expect(await app.storage.faq.findCategory(tips)).not.toBeNull();
  });
});
