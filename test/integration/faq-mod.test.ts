/*
 * The moderators' FAQ tools through the real routes, as a moderator's browser uses them:
 * the dashboard and the category tree (create, rename, reorder, move, delete), the
 * candidate queue, promotion and dismissal, writing and editing entries with their history,
 * entry states, review flags raised by the Q&A side, and auto-publish. Every refusal the
 * issue lists is tried: not a moderator (403), the depth limit (400 with the message on the
 * dashboard), cycles, dismissed / deleted / already promoted answers, bad ids (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import { translate } from '../../src/i18n/index.js';
import { TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createQaApp, postAnswer, steppingClock, storageUser, vote } from '../helpers/qa.js';
import { decodeHtml } from './support.js';

const SLUG = 'cams';
const MOD = `/mod/c/${SLUG}/faq`;
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

/** The main message of an error page (and of the "candidate refused" page). */
function errorMessage(html: string): string {
  const m = /<h1 id="error-heading">[\s\S]*?<\/h1>\s*<p>([\s\S]*?)<\/p>/.exec(html);
  return m ? decodeHtml(m[1]!) : '';
}

function fieldError(html: string, id: string): string | undefined {
  const m = new RegExp(`<p class="field-error" id="${id}-error">([\\s\\S]*?)</p>`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

/** The messages of the "that change was not made" alert on the dashboard. */
function alertText(html: string): string {
  const m = /<div class="alert alert-error[^"]*" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return m ? decodeHtml(m[1]!.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim() : '';
}

function inputValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<input id="${id}"[^>]*\\bvalue="([^"]*)"`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

function textareaValue(html: string, id: string): string | undefined {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? decodeHtml(m[1]!) : undefined;
}

/** The option labels of a <select>, with the selected and disabled ones marked. */
function selectOptions(html: string, id: string): Array<{ value: string; label: string; selected: boolean; disabled: boolean }> {
  const m = new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!m) throw new Error(`no select #${id}`);
  return [...m[1]!.matchAll(/<option value="([^"]*)"([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => ({
    value: o[1]!,
    label: decodeHtml(o[3]!).trim(),
    selected: o[2]!.includes('selected'),
    disabled: o[2]!.includes('disabled'),
  }));
}

/** Category names in the order the dashboard's tree shows them, with their level. */
function treeOrder(html: string): Array<{ id: string; depth: number; name: string }> {
  return [...html.matchAll(/<li id="cat-(\d+)" class="modfaq-node depth-(\d)">[\s\S]*?<span class="modfaq-level"[^>]*>[^<]*<\/span> <a href="[^"]*">([\s\S]*?)<\/a>/g)].map((m) => ({
    id: m[1]!,
    depth: Number(m[2]),
    name: decodeHtml(m[3]!),
  }));
}

/** The dashboard row of an entry. */
function entryRow(html: string, entryId: string): string {
  const m = new RegExp(`<tr id="entry-${entryId}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  return m ? m[0] : '';
}

/** Answer ids in the candidate queue, in the order shown. */
function queueOrder(html: string): string[] {
  return [...html.matchAll(/<li class="modfaq-candidate" id="candidate-(\d+)">/g)].map((m) => m[1]!);
}

function candidateBlock(html: string, answerId: string): string {
  const start = html.indexOf(`id="candidate-${answerId}"`);
  if (start < 0) return '';
  const end = html.indexOf('</li>', start);
  return html.slice(start, end);
}

describe('FAQ moderation', () => {
  let app: FastifyInstance;
  let community: Community;
  let moderator: TestClient;
  let modUser: User;
  let member: TestClient;
  let answerer: TestClient;
  let answererUser: User;
  let visitor: TestClient;
  const voters: TestClient[] = [];

  /** A logged-in user who joined the community through its join form. */
  async function joined(name: string): Promise<{ user: User; client: TestClient }> {
    const user = await storageUser(app.storage, name);
    const client = await clientFor(app, user);
    const res = await client.post(`/c/${SLUG}/join`);
    expect(res.status).toBe(303);
    return { user, client };
  }

  /** `n` different members vote the post up (or down). */
  async function votes(postId: string, n: number, value = '1', from = 0) {
    for (let i = from; i < from + n; i++) {
      const res = await vote(voters[i]!, postId, value);
      expect(res.status).toBe(303);
    }
  }

  async function createCategory(name: string, parentId = ''): Promise<string> {
    const res = await moderator.post(`${MOD}/categories`, { name, parentId });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const m = /#cat-(\d+)$/.exec(String(res.headers.location));
    if (!m) throw new Error(`unexpected redirect ${String(res.headers.location)}`);
    return m[1]!;
  }

  /** A question with one answer voted to `score`; returns both ids. */
  async function votedAnswer(score: number, title?: string): Promise<{ questionId: string; answerId: string }> {
    const q = await askQuestion(member, SLUG, title ? { title } : {});
    const answerId = await postAnswer(answerer, q.id, `Answer body for **${title ?? q.id}**: hold the reset pin for five seconds.`);
    await votes(answerId, score);
    return { questionId: q.id, answerId };
  }

  async function entryIdFrom(location: string): Promise<string> {
    const m = new RegExp(`^/c/${SLUG}/faq/e/(\\d+)/`).exec(location);
    if (!m) throw new Error(`not an entry URL: ${location}`);
    return m[1]!;
  }

  async function promote(answerId: string, form: Record<string, string | string[]>) {
    return moderator.post(`${MOD}/candidates/${answerId}/promote`, { title: 'How do I reset the camera?', body: 'Hold **reset**.', categoryId: '', newCategoryName: '', newCategoryParentId: '', action: 'save', ...form });
  }

  beforeAll(async () => {
    const clock = steppingClock();
    app = await createQaApp({ now: clock.now });
    // The community is created and its moderator appointed by a site admin, through the admin pages.
    const admin = await storageUser(app.storage, 'siteadmin', [], { isAdmin: true });
    const adminClient = await clientFor(app, admin);
    const created = await adminClient.post('/admin/communities', { slug: SLUG, name: 'Camera Help', kind: 'business', description: 'Cameras', defaultLocale: 'en', promotionThreshold: '5' });
    expect(created.status).toBe(303);
    community = (await app.storage.communities.findBySlug(SLUG))!;
    modUser = await storageUser(app.storage, 'modmaria');
    moderator = await clientFor(app, modUser);
    const appointed = await adminClient.post(`/admin/communities/${SLUG}/roles`, { username: 'modmaria', role: 'moderator' });
    expect(appointed.status).toBe(303);
    member = (await joined('askerann')).client;
    const a = await joined('answerbo');
    answerer = a.client;
    answererUser = a.user;
    for (let i = 0; i < 14; i++) voters.push((await joined(`voter${i}`)).client);
    visitor = new TestClient(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('who may use the tools', () => {
    it('sends a visitor to the login form and refuses their POSTs with 401', async () => {
      const page = await visitor.get(MOD);
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(MOD)}`);
      for (const path of [`${MOD}/candidates`, `${MOD}/gaps`, `${MOD}/entries/new`]) expect((await visitor.get(path)).status).toBe(303);
      expect((await visitor.post(`${MOD}/categories`, { name: 'Nope', parentId: '' })).status).toBe(401);
    });

    it('shows a member who is not a moderator a 403 page on every page and action', async () => {
      const page = await member.get(MOD);
      expect(page.status).toBe(403);
      expect(errorMessage(page.text)).toBe(en('faq.moderatorsOnly'));
      for (const path of [`${MOD}/candidates`, `${MOD}/gaps`, `${MOD}/entries/new`, `${MOD}/candidates/1/promote`]) expect((await member.get(path)).status).toBe(403);
      const create = await member.post(`${MOD}/categories`, { name: 'Sneaky', parentId: '' });
      expect(create.status).toBe(403);
      expect((await member.post(`${MOD}/settings`, { score: '1', categoryId: '' })).status).toBe(403);
      expect(await app.storage.faq.listCategories(community.id)).toEqual([]);
    });

    it('answers 404 for an unknown community and refuses a POST without the CSRF token', async () => {
      expect((await moderator.get('/mod/c/no-such-place/faq')).status).toBe(404);
      const res = await moderator.post(`${MOD}/categories`, { name: 'No token', parentId: '' }, { csrf: false });
      expect(res.status).toBe(403);
      expect(errorMessage(res.text)).toBe(en('error.csrf'));
    });

    it('shows the moderator the dashboard with its sections and links', async () => {
      const res = await moderator.get(MOD);
      expect(res.status).toBe(200);
      expect(res.text).toContain(en('faqmod.title'));
      expect(res.text).toContain(`href="${MOD}/candidates"`);
      expect(res.text).toContain(`href="${MOD}/entries/new"`);
      expect(res.text).toContain(`href="${MOD}/gaps"`);
      expect(res.text).toContain(`action="${MOD}/settings"`);
      expect(res.text).toContain(en('faqmod.categories.empty'));
    });
  });

  describe('the category tree', () => {
    let battery: string;
    let life: string;
    let settings: string;
    let deepest: string;

    it('creates categories down to level 4 and lists them as breadcrumb paths', async () => {
      battery = await createCategory('Battery');
      life = await createCategory('Battery life', battery);
      settings = await createCategory('Power settings', life);
      deepest = await createCategory('Sleep mode', settings);
      const page = await moderator.get(`${MOD}?done=categoryCreated`);
      expect(page.text).toContain(en('faqmod.done.categoryCreated'));
      expect(treeOrder(page.text)).toEqual([
        { id: battery, depth: 1, name: 'Battery' },
        { id: life, depth: 2, name: 'Battery life' },
        { id: settings, depth: 3, name: 'Power settings' },
        { id: deepest, depth: 4, name: 'Sleep mode' },
      ]);
      // The parent list offers the top level and every category that still has room below it.
      const parents = selectOptions(page.text, 'new-category-parent').map((o) => o.label);
      expect(parents).toEqual([en('faqmod.topLevel'), 'Battery', 'Battery › Battery life', 'Battery › Battery life › Power settings']);
    });

    it('refuses a fifth level with a 400 and the message on the dashboard', async () => {
      const res = await moderator.post(`${MOD}/categories`, { name: 'Too deep', parentId: deepest });
      expect(res.status).toBe(400);
      const message = en('faq.category.tooDeep', { max: 4 });
      expect(fieldError(res.text, 'new-category-parent')).toBe(message);
      expect(alertText(res.text)).toContain(message);
      // The form keeps what was typed.
      expect(inputValue(res.text, 'new-category-name')).toBe('Too deep');
      expect((await app.storage.faq.listCategories(community.id)).some((c) => c.name === 'Too deep')).toBe(false);
    });

    it('refuses an empty name and a name that is already used at that level', async () => {
      const empty = await moderator.post(`${MOD}/categories`, { name: '   ', parentId: '' });
      expect(empty.status).toBe(400);
      expect(fieldError(empty.text, 'new-category-name')).toBe(en('validation.required'));
      const twice = await moderator.post(`${MOD}/categories`, { name: 'battery', parentId: '' });
      expect(twice.status).toBe(400);
      expect(fieldError(twice.text, 'new-category-name')).toBe(en('faq.category.slugTaken'));
    });

    it('renames a category, and re-renders the rename form with the message when it is refused', async () => {
      const ok = await moderator.post(`${MOD}/categories/${life}/rename`, { name: 'Battery runtime' });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe(`${MOD}?done=categoryRenamed#cat-${life}`);
      expect((await app.storage.faq.findCategory(life))!.name).toBe('Battery runtime');
      const bad = await moderator.post(`${MOD}/categories/${life}/rename`, { name: '' });
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, `rename-${life}`)).toBe(en('validation.required'));
      // The category's own page comes back, its rename field marked and holding what was typed.
      expect(bad.text).toMatch(new RegExp(`<input id="rename-${life}" name="name" value="" maxlength="60" required aria-invalid="true"`));
    });

    it('reorders siblings with the up and down buttons', async () => {
      const cameras = await createCategory('Cameras');
      const lenses = await createCategory('Lenses');
      const tops = () => moderator.get(MOD).then((r) => treeOrder(r.text).filter((n) => n.depth === 1).map((n) => n.name));
      expect(await tops()).toEqual(['Battery', 'Cameras', 'Lenses']);
      const up = await moderator.post(`${MOD}/categories/${lenses}/reorder`, { direction: 'up' });
      expect(up.status).toBe(303);
      expect(await tops()).toEqual(['Battery', 'Lenses', 'Cameras']);
      await moderator.post(`${MOD}/categories/${battery}/reorder`, { direction: 'down' });
      expect(await tops()).toEqual(['Lenses', 'Battery', 'Cameras']);
      const bad = await moderator.post(`${MOD}/categories/${battery}/reorder`, { direction: 'sideways' });
      expect(bad.status).toBe(400);
      // On a category's page, the first sibling's "up" and the last one's "down" are disabled.
      expect((await moderator.get(`${MOD}/categories/${lenses}`)).text).toMatch(/value="up"[^>]*disabled/);
      expect((await moderator.get(`${MOD}/categories/${cameras}`)).text).toMatch(/value="down"[^>]*disabled/);
      expect((await moderator.get(`${MOD}/categories/${battery}`)).text).not.toMatch(/value="(up|down)"[^>]*disabled/);
    });

    it('refuses moving a two-level subtree under a level-3 category (400, message on the category page)', async () => {
      // Guides (1) > Setup (2) > Quick start (3): a subtree two levels below its top.
      const guides = await createCategory('Guides');
      const setup = await createCategory('Setup', guides);
      await createCategory('Quick start', setup);
      const res = await moderator.post(`${MOD}/categories/${guides}/move`, { parentId: settings });
      expect(res.status).toBe(400);
      const message = en('faq.category.moveTooDeep', { max: 4 });
      expect(alertText(res.text)).toContain(message);
      expect(fieldError(res.text, `move-${guides}`)).toBe(message);
      expect(res.text).toMatch(new RegExp(`<select id="move-${guides}" name="parentId" aria-invalid="true"`));
      expect((await app.storage.faq.findCategory(guides))!.parentId).toBeNull();
      // The move list shows that place as too deep (disabled) and leaves out the subtree itself.
      const options = selectOptions((await moderator.get(`${MOD}/categories/${guides}`)).text, `move-${guides}`);
      expect(options.find((o) => o.value === settings)!.disabled).toBe(true);
      expect(options.find((o) => o.value === battery)!.disabled).toBe(false);
      expect(options.some((o) => o.value === setup || o.value === guides)).toBe(false);
    });

    it('refuses moving a category into itself or its own subcategory (cycle)', async () => {
      const intoChild = await moderator.post(`${MOD}/categories/${battery}/move`, { parentId: life });
      expect(intoChild.status).toBe(400);
      expect(alertText(intoChild.text)).toContain(en('faq.category.cycle'));
      const intoSelf = await moderator.post(`${MOD}/categories/${battery}/move`, { parentId: battery });
      expect(intoSelf.status).toBe(400);
      expect(fieldError(intoSelf.text, `move-${battery}`)).toBe(en('faq.category.cycle'));
      expect((await app.storage.faq.findCategory(battery))!.parentId).toBeNull();
    });

    it('moves a subtree where it fits, shifting the depth of everything below', async () => {
      const res = await moderator.post(`${MOD}/categories/${settings}/move`, { parentId: '' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`${MOD}?done=categoryMoved#cat-${settings}`);
      expect((await app.storage.faq.findCategory(settings))!.depth).toBe(1);
      expect((await app.storage.faq.findCategory(deepest))!.depth).toBe(2);
      // ...and back under its old parent.
      expect((await moderator.post(`${MOD}/categories/${settings}/move`, { parentId: life })).status).toBe(303);
      expect((await app.storage.faq.findCategory(deepest))!.depth).toBe(4);
    });

    it('answers 404 for malformed or unknown ids and ids from another community', async () => {
      const other = await app.storage.communities.create({ slug: 'elsewhere', name: 'Elsewhere', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      const foreign = await app.storage.faq.createCategory({ communityId: other.id, parentId: null, name: 'Foreign', slug: 'foreign', depth: 1, now: Date.now() });
      for (const id of ['abc', '0', '-1', '1e3', '99999999']) {
        expect((await moderator.post(`${MOD}/categories/${id}/rename`, { name: 'X' })).status, id).toBe(404);
        expect((await moderator.get(`${MOD}/categories/${id}/delete`)).status, id).toBe(404);
        expect((await moderator.get(`${MOD}/categories/${id}`)).status, id).toBe(404);
      }
      expect((await moderator.get(`${MOD}/categories/${foreign.id}`)).status).toBe(404);
      expect((await member.get(`${MOD}/categories/${battery}`)).status).toBe(403);
      const res = await moderator.post(`${MOD}/categories/${foreign.id}/rename`, { name: 'Mine now' });
      expect(res.status).toBe(404);
      expect(errorMessage(res.text)).toBe(en('faq.categoryNotFound'));
      expect((await moderator.post(`${MOD}/categories/${battery}/move`, { parentId: foreign.id })).status).toBe(404);
      expect((await moderator.post(`${MOD}/categories/${battery}/move`, { parentId: 'not-an-id' })).status).toBe(404);
    });

    it('refuses a repeated field where one value belongs (no arrays or objects reach the service)', async () => {
      const res = await moderator.post(`${MOD}/categories/${battery}/rename`, { name: ['A', 'B'] });
      expect(res.status).toBe(400);
      expect((await app.storage.faq.findCategory(battery))!.name).toBe('Battery');
    });

    it('deletes an empty category after a confirmation page', async () => {
      const empty = await createCategory('Temporary');
      const confirm = await moderator.get(`${MOD}/categories/${empty}/delete`);
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(en('faqmod.delete.empty'));
      expect(confirm.text).not.toContain('id="targetId"');
      const res = await moderator.post(`${MOD}/categories/${empty}/delete`, { targetId: '' });
      expect(res.status).toBe(303);
      expect(await app.storage.faq.findCategory(empty)).toBeNull();
    });

    it('asks where the contents go when a category is not empty; refuses without a target, moves them with one', async () => {
      // Accessories (1) > Straps (2), and an entry written straight into Accessories.
      const accessories = await createCategory('Accessories');
      const straps = await createCategory('Straps', accessories);
      const written = await moderator.post(`${MOD}/entries/new`, { title: 'Which strap fits the X100?', body: 'Any 20 mm strap.', categoryId: accessories, newCategoryName: '', newCategoryParentId: '', action: 'save' });
      expect(written.status).toBe(303);
      const entryId = await entryIdFrom(String(written.headers.location));

      const confirm = await moderator.get(`${MOD}/categories/${accessories}/delete`);
      expect(confirm.status).toBe(200);
      expect(decodeHtml(confirm.text)).toContain('This category still holds 1 entry and 1 subcategory.');
      const targets = selectOptions(confirm.text, 'targetId');
      // Its own subtree is not a target; a level-4 category has no room for Straps.
      expect(targets.some((o) => o.value === straps || o.value === accessories)).toBe(false);
      expect(targets.some((o) => o.value === deepest)).toBe(false);
      expect(targets.map((o) => o.label)).toContain('Battery › Battery runtime');

      const without = await moderator.post(`${MOD}/categories/${accessories}/delete`, { targetId: '' });
      expect(without.status).toBe(400);
      expect(fieldError(without.text, 'targetId')).toBe(en('faq.category.chooseTarget'));
      const inside = await moderator.post(`${MOD}/categories/${accessories}/delete`, { targetId: straps });
      expect(inside.status).toBe(400);
      expect(fieldError(inside.text, 'targetId')).toBe(en('faq.category.targetInside'));
      expect(await app.storage.faq.findCategory(accessories)).not.toBeNull();

      const done = await moderator.post(`${MOD}/categories/${accessories}/delete`, { targetId: battery });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`${MOD}?done=categoryDeleted#categories`);
      expect(await app.storage.faq.findCategory(accessories)).toBeNull();
      const moved = await app.storage.faq.findCategory(straps);
      expect(moved).toMatchObject({ parentId: battery, depth: 2 });
      expect((await app.storage.faq.findEntry(entryId))!.categoryId).toBe(battery);
    });
  });

  describe('candidates, promotion and dismissal', () => {
    let strong: { questionId: string; answerId: string };
    let weaker: { questionId: string; answerId: string };
    let level2: string;

    beforeAll(async () => {
      // Three levels for "promote into a new third-level category".
      const top = await createCategory('Firmware');
      level2 = await createCategory('Updating', top);
      weaker = await votedAnswer(5, 'Why does the update stop at 50 percent?');
      strong = await votedAnswer(8, 'How do I downgrade the firmware safely?');
    });

    it('lists answers that reached the threshold, strongest evidence first, with their numbers', async () => {
      const below = await votedAnswer(3, 'A question whose answer has only three votes');
      const res = await moderator.get(`${MOD}/candidates`);
      expect(res.status).toBe(200);
      const order = queueOrder(res.text);
      expect(order.slice(0, 2)).toEqual([strong.answerId, weaker.answerId]);
      expect(order).not.toContain(below.answerId);
      const block = candidateBlock(res.text, strong.answerId);
      expect(decodeHtml(block)).toContain('How do I downgrade the firmware safely?');
      expect(block).toContain('8 <span class="muted small">(+8 / −0)</span>');
      expect(block).toContain(`href="${MOD}/candidates/${strong.answerId}/promote"`);
      expect(block).toContain(`action="${MOD}/candidates/${strong.answerId}/dismiss"`);
      expect(block).toContain('/u/answerbo');
      // The dashboard counts them and links to the queue.
      const dash = await moderator.get(MOD);
      expect(dash.text).toMatch(/<p class="modfaq-card-number">2<\/p>\s*<p class="modfaq-card-label">candidates waiting/);
    });

    it('an accepted answer with score 2 is a candidate too', async () => {
      const q = await askQuestion(member, SLUG, { title: 'Does the X100 charge over USB-C?' });
      const answerId = await postAnswer(answerer, q.id, 'Yes, with any 5 V charger.');
      await votes(answerId, 2);
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).not.toContain(answerId);
      expect((await member.post(`/q/${q.id}/accept`, { answerId })).status).toBe(303);
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).toContain(answerId);
    });

    it('prefills the promote form from the question and the answer Markdown, and previews on the server', async () => {
      const form = await moderator.get(`${MOD}/candidates/${strong.answerId}/promote`);
      expect(form.status).toBe(200);
      expect(inputValue(form.text, 'title')).toBe('How do I downgrade the firmware safely?');
      expect(textareaValue(form.text, 'body')).toContain('Answer body for **How do I downgrade the firmware safely?**');
      expect(selectOptions(form.text, 'categoryId').map((o) => o.label)).toContain('Firmware › Updating');
      // The preview shows the answer as it will read, before anything is changed.
      expect(form.text).toMatch(/data-preview-target[^>]*><p>Answer body for <strong>How do I downgrade the firmware safely\?<\/strong>/);
      const preview = await moderator.post(`${MOD}/candidates/${strong.answerId}/promote`, { title: 'T', body: 'Some **bold** text', categoryId: '', newCategoryName: '', newCategoryParentId: '', action: 'preview' });
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('<strong>bold</strong>');
      expect(await app.storage.faq.entryForAnswer(strong.answerId)).toBeNull();
    });

    it('re-renders the form with messages for a bad title, no category, or a new category too deep', async () => {
      const noCategory = await promote(strong.answerId, { title: 'ok?' });
      expect(noCategory.status).toBe(400);
      expect(fieldError(noCategory.text, 'title')).toBe(en('validation.lengthRange', { min: 5, max: 200 }));
      expect(fieldError(noCategory.text, 'categoryId')).toBe(en('faq.chooseCategory'));
      const deepParent = (await app.storage.faq.listCategories(community.id)).find((c) => c.depth === 4)!;
      const tooDeep = await promote(strong.answerId, { newCategoryName: 'Level five', newCategoryParentId: deepParent.id });
      expect(tooDeep.status).toBe(400);
      expect(fieldError(tooDeep.text, 'newCategoryParentId')).toBe(en('faq.category.tooDeep', { max: 4 }));
      expect(inputValue(tooDeep.text, 'newCategoryName')).toBe('Level five');
      expect(await app.storage.faq.entryForAnswer(strong.answerId)).toBeNull();
    });

    it('re-renders the form with a message for a new category whose parent is malformed, unknown or foreign', async () => {
      const other = await app.storage.communities.create({ slug: 'parentless', name: 'Parentless', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      const foreign = await app.storage.faq.createCategory({ communityId: other.id, parentId: null, name: 'Not here', slug: 'not-here', depth: 1, now: Date.now() });
      for (const parent of ['abc', '999999', foreign.id]) {
        const res = await promote(strong.answerId, { newCategoryName: 'Brand new', newCategoryParentId: parent });
        expect(res.status, parent).toBe(400);
        expect(fieldError(res.text, 'newCategoryParentId'), parent).toBe(en('faq.category.badParent'));
        expect(inputValue(res.text, 'newCategoryName')).toBe('Brand new');
        const written = await moderator.post(`${MOD}/entries/new`, { title: 'A hand-written entry', body: 'Text.', categoryId: '', newCategoryName: 'Brand new', newCategoryParentId: parent, action: 'save' });
        expect(written.status, parent).toBe(400);
        expect(fieldError(written.text, 'newCategoryParentId'), parent).toBe(en('faq.category.badParent'));
      }
      expect(await app.storage.faq.entryForAnswer(strong.answerId)).toBeNull();
      expect((await app.storage.faq.listCategories(community.id)).some((c) => c.name === 'Brand new')).toBe(false);
    });

    it('refuses to promote or dismiss an answer that is not a candidate; it can still be written by hand', async () => {
      const low = await votedAnswer(1, 'A question whose answer has one vote');
      const q = await askQuestion(member, SLUG, { title: 'An accepted answer with a single vote' });
      const acceptedLow = await postAnswer(answerer, q.id, 'Accepted, but only one vote.');
      await votes(acceptedLow, 1);
      expect((await member.post(`/q/${q.id}/accept`, { answerId: acceptedLow })).status).toBe(303);
      for (const [answerId, score] of [[low.answerId, 1], [acceptedLow, 1]] as const) {
        const message = en('faq.notACandidate', { threshold: 5, score });
        const form = await moderator.get(`${MOD}/candidates/${answerId}/promote`);
        expect(form.status).toBe(409);
        expect(errorMessage(form.text)).toBe(message);
        expect(form.text).toContain(`href="${MOD}/entries/new"`);
        const crafted = await promote(answerId, { categoryId: level2 });
        expect(crafted.status).toBe(409);
        expect(errorMessage(crafted.text)).toBe(message);
        const dismissed = await moderator.post(`${MOD}/candidates/${answerId}/dismiss`, { reason: 'Not good enough' });
        expect(dismissed.status).toBe(409);
        expect(dismissed.text).toContain(`<h1 id="error-heading">${en('faqmod.refused.dismissConflict')}</h1>`);
        expect(errorMessage(dismissed.text)).toBe(message);
        expect(await app.storage.faq.entryForAnswer(answerId)).toBeNull();
      }
      // An answer with no votes at all is refused the same way.
      const unvoted = await votedAnswer(0, 'A question whose answer has no votes');
      expect((await promote(unvoted.answerId, { categoryId: level2 })).status).toBe(409);
      expect(await app.storage.faq.entryForAnswer(unvoted.answerId)).toBeNull();
      const written = await moderator.post(`${MOD}/entries/new`, { title: 'A question whose answer has one vote', body: 'Written by hand.', categoryId: level2, newCategoryName: '', newCategoryParentId: '', action: 'save' });
      expect(written.status).toBe(303);
    });

    it('promotes into a new third-level category, with related entries, and redirects to the entry', async () => {
      const related = (await app.storage.faq.listEntries(community.id, { status: 'published' }))[0]!;
      const res = await promote(strong.answerId, { title: 'How do I downgrade the firmware?', newCategoryName: 'Downgrading', newCategoryParentId: level2, related: [related.id] });
      expect(res.status).toBe(303);
      const entryId = await entryIdFrom(String(res.headers.location));
      const entry = (await app.storage.faq.findEntry(entryId))!;
      expect(entry).toMatchObject({ title: 'How do I downgrade the firmware?', sourceAnswerId: strong.answerId, sourceQuestionId: strong.questionId, status: 'published' });
      const category = (await app.storage.faq.findCategory(entry.categoryId))!;
      expect(category).toMatchObject({ name: 'Downgrading', parentId: level2, depth: 3 });
      expect((await app.storage.faq.relatedEntries(entryId)).map((e) => e.id)).toEqual([related.id]);
      const publicPage = await visitor.get(String(res.headers.location));
      expect(publicPage.status).toBe(200);
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).not.toContain(strong.answerId);
    });

    it('refuses promoting the same answer twice (409, with the way back to the queue)', async () => {
      for (const res of [await moderator.get(`${MOD}/candidates/${strong.answerId}/promote`), await promote(strong.answerId, { categoryId: level2 })]) {
        expect(res.status).toBe(409);
        expect(errorMessage(res.text)).toBe(en('faq.alreadyPromoted'));
        expect(res.text).toContain(`href="${MOD}/candidates"`);
      }
    });

    it('requires a reason to dismiss, then keeps the candidate out of the queue and refuses to promote it', async () => {
      const noReason = await moderator.post(`${MOD}/candidates/${weaker.answerId}/dismiss`, { reason: '  ' });
      expect(noReason.status).toBe(400);
      expect(fieldError(noReason.text, `dismiss-${weaker.answerId}`)).toBe(en('faq.dismissReasonRequired'));
      expect(alertText(noReason.text)).toContain(en('faq.dismissReasonRequired'));
      const ok = await moderator.post(`${MOD}/candidates/${weaker.answerId}/dismiss`, { reason: 'Too specific to one firmware build' });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe(`${MOD}/candidates?done=dismissed`);
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).not.toContain(weaker.answerId);
      const promoteDismissed = await moderator.get(`${MOD}/candidates/${weaker.answerId}/promote`);
      expect(promoteDismissed.status).toBe(409);
      expect(errorMessage(promoteDismissed.text)).toBe(en('faq.candidateDismissed'));
      expect((await promote(weaker.answerId, { categoryId: level2 })).status).toBe(409);
      expect(await app.storage.faq.entryForAnswer(weaker.answerId)).toBeNull();
      // Dismissing it again is refused the same way.
      expect((await moderator.post(`${MOD}/candidates/${weaker.answerId}/dismiss`, { reason: 'again' })).status).toBe(409);
    });

    it('brings a dismissed candidate back once its score has doubled', async () => {
      await votes(weaker.answerId, 4, '1', 5); // 5 -> 9: not yet double
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).not.toContain(weaker.answerId);
      await votes(weaker.answerId, 1, '1', 9); // 10 = 2 x 5
      const queue = await moderator.get(`${MOD}/candidates`);
      expect(queueOrder(queue.text)).toContain(weaker.answerId);
      expect(decodeHtml(candidateBlock(queue.text, weaker.answerId))).toContain('Too specific to one firmware build');
      expect((await moderator.get(`${MOD}/candidates/${weaker.answerId}/promote`)).status).toBe(200);
    });

    it('answers 404 for a deleted, unknown, malformed or foreign answer', async () => {
      const doomed = await votedAnswer(6, 'An answer that will be deleted by staff');
      expect((await moderator.get(`${MOD}/candidates/${doomed.answerId}/promote`)).status).toBe(200);
      // No delete route exists yet in the Q&A core: the row is soft-deleted the way it would be.
      (app.storage as SqliteStorage).db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(Date.now(), Number(doomed.answerId));
      const res = await moderator.get(`${MOD}/candidates/${doomed.answerId}/promote`);
      expect(res.status).toBe(404);
      expect(errorMessage(res.text)).toBe(en('faq.candidateNotFound'));
      expect((await promote(doomed.answerId, { categoryId: level2 })).status).toBe(404);
      expect((await moderator.post(`${MOD}/candidates/${doomed.answerId}/dismiss`, { reason: 'gone' })).status).toBe(404);
      expect(queueOrder((await moderator.get(`${MOD}/candidates`)).text)).not.toContain(doomed.answerId);
      for (const id of ['999999', 'abc', '0']) expect((await moderator.get(`${MOD}/candidates/${id}/promote`)).status, id).toBe(404);
      // A question id is not an answer.
      expect((await moderator.get(`${MOD}/candidates/${doomed.questionId}/promote`)).status).toBe(404);
    });
  });

  describe('entries', () => {
    let categoryId: string;
    let entryId: string;

    beforeAll(async () => {
      categoryId = await createCategory('Care');
    });

    it('writes an entry directly, prefilled from ?title=', async () => {
      const form = await moderator.get(`${MOD}/entries/new?title=${encodeURIComponent('  how to clean   the sensor ')}`);
      expect(form.status).toBe(200);
      expect(inputValue(form.text, 'title')).toBe('how to clean the sensor');
      const bad = await moderator.post(`${MOD}/entries/new`, { title: 'How do I clean the sensor?', body: '', categoryId, newCategoryName: '', newCategoryParentId: '', action: 'save' });
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, 'body')).toBe(en('validation.required'));
      expect(inputValue(bad.text, 'title')).toBe('How do I clean the sensor?');
      const res = await moderator.post(`${MOD}/entries/new`, { title: 'How do I clean the sensor?', body: 'Use a **blower** first.', categoryId, newCategoryName: '', newCategoryParentId: '', action: 'save' });
      expect(res.status).toBe(303);
      entryId = await entryIdFrom(String(res.headers.location));
      expect((await app.storage.faq.findEntry(entryId))!).toMatchObject({ sourceAnswerId: null, categoryId, revisionCount: 1 });
    });

    it('refuses an object or too many values for the related entries', async () => {
      const nested = await moderator.agent
        .post(`${MOD}/entries/new`)
        .type('json')
        .send({ _csrf: await moderator.csrf(), title: 'Nested related field', body: 'x', categoryId, related: { $ne: '1' }, action: 'save' });
      expect(nested.status).toBe(400);
      const many = await moderator.post(`${MOD}/entries/new`, { title: 'Too many related', body: 'x', categoryId, related: Array.from({ length: 201 }, (_, i) => String(i + 1)), action: 'save' });
      expect(many.status).toBe(400);
    });

    it('edits an entry: every change is a revision with its reason, shown as a diff', async () => {
      const form = await moderator.get(`${MOD}/entries/${entryId}/edit`);
      expect(form.status).toBe(200);
      expect(inputValue(form.text, 'title')).toBe('How do I clean the sensor?');
      expect(textareaValue(form.text, 'body')).toBe('Use a **blower** first.');
      expect(selectOptions(form.text, 'categoryId').find((o) => o.selected)!.value).toBe(categoryId);
      const res = await moderator.post(`${MOD}/entries/${entryId}/edit`, {
        title: 'How do I clean the image sensor?',
        body: 'Use a **blower** first, then a swab.',
        categoryId,
        newCategoryName: 'Sensor care',
        newCategoryParentId: categoryId,
        reason: 'Mention swabs',
        action: 'save',
      });
      expect(res.status).toBe(303);
      const entry = (await app.storage.faq.findEntry(entryId))!;
      expect(entry.revisionCount).toBe(2);
      expect((await app.storage.faq.findCategory(entry.categoryId))!.name).toBe('Sensor care');
      const history = await moderator.get(`${MOD}/entries/${entryId}/revisions`);
      expect(history.status).toBe(200);
      expect(history.text).toContain('Mention swabs');
      expect(history.text).toContain('<ins class="diff-add">image </ins>');
      expect(history.text).toContain('<ins class="diff-add">, then a swab</ins>');
      expect(decodeHtml(history.text)).toContain('<del class="diff-del">Care</del> → <ins class="diff-add">Care › Sensor care</ins>');
      expect(history.text.indexOf('id="rev-2"')).toBeLessThan(history.text.indexOf('id="rev-1"'));
      // Only moderators see the history.
      expect((await member.get(`${MOD}/entries/${entryId}/revisions`)).status).toBe(403);
    });

    it('pins, unpins, archives and publishes from the dashboard, back to the same list', async () => {
      const pin = await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'pin', back: `${MOD}?filter=pinned` });
      expect(pin.status).toBe(303);
      expect(pin.headers.location).toBe(`${MOD}?filter=pinned&done=pin#entry-${entryId}`);
      expect((await app.storage.faq.findEntry(entryId))!.pinned).toBe(true);
      const pinnedTab = await moderator.get(`${MOD}?filter=pinned`);
      expect(entryRow(pinnedTab.text, entryId)).toContain('badge-pinned');
      expect(entryRow(pinnedTab.text, entryId)).toContain('value="unpin"');
      await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'unpin', back: MOD });
      expect((await app.storage.faq.findEntry(entryId))!.pinned).toBe(false);

      const url = faqUrlOf(entryId);
      const archive = await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'archive', back: 'https://evil.example/' });
      // A foreign "back" address is ignored.
      expect(archive.headers.location).toBe(`${MOD}?done=archive#entry-${entryId}`);
      expect((await visitor.get(await url)).status).toBe(404);
      const archivedTab = await moderator.get(`${MOD}?filter=archived`);
      expect(entryRow(archivedTab.text, entryId)).toContain('value="publish"');
      await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'publish', back: MOD });
      expect((await visitor.get(await url)).status).toBe(200);

      // Every one of these changes is in the entry's history, newest first, with who did it.
      const history = decodeHtml((await moderator.get(`${MOD}/entries/${entryId}/revisions`)).text);
      const lines = [...history.matchAll(/<li>([^<]*) · <a href="[^"]*">([^<]*)<\/a> · <time/g)].map((m) => [m[1], m[2]]);
      const name = (await app.storage.users.findById(modUser.id))!.username;
      expect(lines).toEqual([
        [en('faqmod.events.publish'), name],
        [en('faqmod.events.archive'), name],
        [en('faqmod.events.unpin'), name],
        [en('faqmod.events.pin'), name],
      ]);

      expect((await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'explode', back: MOD })).status).toBe(400);
      expect((await member.post(`${MOD}/entries/${entryId}/state`, { action: 'archive', back: MOD })).status).toBe(403);
      expect((await moderator.post(`${MOD}/entries/abc/state`, { action: 'pin' })).status).toBe(404);
      expect((await moderator.post(`${MOD}/entries/999999/state`, { action: 'pin' })).status).toBe(404);
      expect((await moderator.get(`${MOD}/entries/999999/edit`)).status).toBe(404);
    });

    async function faqUrlOf(id: string): Promise<string> {
      const e = (await app.storage.faq.findEntry(id))!;
      return `/c/${SLUG}/faq/e/${e.id}/${encodeURIComponent(e.slug)}`;
    }
  });

  describe('review flags', () => {
    let source: { questionId: string; answerId: string };
    let entryId: string;

    beforeAll(async () => {
      const cat = await createCategory('Connectivity');
      source = await votedAnswer(5, 'How do I pair the camera with my phone?');
      const res = await promote(source.answerId, { title: 'How do I pair the camera with my phone?', categoryId: cat });
      expect(res.status).toBe(303);
      entryId = await entryIdFrom(String(res.headers.location));
    });

    it('flags the entry "source edited" when the source answer is edited, until marked reviewed', async () => {
      expect(entryRow((await moderator.get(MOD)).text, entryId)).not.toContain('needs-review');
      const edit = await answerer.post(`/posts/${source.answerId}/edit`, { body: 'Open the app, then hold the Wi-Fi button for three seconds.', reason: 'Newer app', action: 'save' });
      expect(edit.status).toBe(303);
      const dash = await moderator.get(MOD);
      const row = entryRow(dash.text, entryId);
      expect(row).toContain('class="needs-review"');
      expect(decodeHtml(row)).toContain(en('faqmod.review.source_edited'));
      expect(row).toContain('value="reviewed"');
      const reviewTab = await moderator.get(`${MOD}?filter=review`);
      expect(entryRow(reviewTab.text, entryId)).not.toBe('');
      const done = await moderator.post(`${MOD}/entries/${entryId}/state`, { action: 'reviewed', back: `${MOD}?filter=review` });
      expect(done.status).toBe(303);
      expect((await app.storage.faq.findEntry(entryId))!.needsReview).toBe(false);
      expect(entryRow((await moderator.get(`${MOD}?filter=review`)).text, entryId)).toBe('');
    });

    it('flags it "overtaken" when another answer to the source question outscores it; saving the entry clears it', async () => {
      const rival = await postAnswer(voters[13]!, source.questionId, 'A better way: use the QR code in the app.');
      await votes(rival, 5);
      expect((await app.storage.faq.findEntry(entryId))!.needsReview).toBe(false);
      await vote(answerer, rival, '1'); // 6 > 5
      const row = entryRow((await moderator.get(MOD)).text, entryId);
      expect(decodeHtml(row)).toContain(en('faqmod.review.overtaken'));
      const form = await moderator.get(`${MOD}/entries/${entryId}/edit`);
      expect(decodeHtml(form.text)).toContain(en('faqmod.review.overtaken'));
      const entry = (await app.storage.faq.findEntry(entryId))!;
      const save = await moderator.post(`${MOD}/entries/${entryId}/edit`, { title: entry.title, body: `${entry.bodyMd}\n\nOr scan the QR code in the app.`, categoryId: entry.categoryId, newCategoryName: '', newCategoryParentId: '', reason: 'Add the QR code way', action: 'save' });
      expect(save.status).toBe(303);
      expect((await app.storage.faq.findEntry(entryId))!).toMatchObject({ needsReview: false, reviewReason: null, revisionCount: 2 });
    });
  });

  describe('auto-publish', () => {
    let autoCategory: string;

    it('refuses a score that is not a positive whole number, or no category', async () => {
      autoCategory = await createCategory('Community answers');
      const bad = await moderator.post(`${MOD}/settings`, { score: 'three', categoryId: autoCategory });
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, 'auto-score')).toBe(en('validation.positiveInteger'));
      expect(inputValue(bad.text, 'auto-score')).toBe('three');
      const noCategory = await moderator.post(`${MOD}/settings`, { score: '3', categoryId: '' });
      expect(noCategory.status).toBe(400);
      expect(fieldError(noCategory.text, 'auto-category')).toBe(en('faq.chooseCategory'));
    });

    it('publishes an answer voted to the score into the category, and stops when the score is emptied', async () => {
      const saved = await moderator.post(`${MOD}/settings`, { score: '3', categoryId: autoCategory });
      expect(saved.status).toBe(303);
      // Saving also publishes the answers that already had the score (faq-mod-auto.test.ts); the redirect says how many.
      expect(saved.headers.location).toMatch(new RegExp(`^${MOD}\\?done=settingsSaved&published=\\d+#settings$`));
      const dash = await moderator.get(MOD);
      expect(decodeHtml(dash.text)).toContain(en('faqmod.auto.on', { score: 3, category: 'Community answers' }));
      expect(selectOptions(dash.text, 'auto-category').find((o) => o.selected)!.value).toBe(autoCategory);

      const { answerId } = await votedAnswer(2, 'Where do I find the serial number?');
      expect(await app.storage.faq.entryForAnswer(answerId)).toBeNull();
      await votes(answerId, 1, '1', 2);
      const entry = await app.storage.faq.entryForAnswer(answerId);
      expect(entry).toMatchObject({ categoryId: autoCategory, title: 'Where do I find the serial number?', status: 'published' });
      expect(entryRow((await moderator.get(MOD)).text, entry!.id)).not.toBe('');

      const off = await moderator.post(`${MOD}/settings`, { score: '', categoryId: autoCategory });
      expect(off.headers.location).toBe(`${MOD}?done=settingsOff#settings`);
      expect(decodeHtml((await moderator.get(MOD)).text)).toContain(en('faqmod.auto.off'));
      const later = await votedAnswer(4, 'Can I use third-party batteries?');
      expect(await app.storage.faq.entryForAnswer(later.answerId)).toBeNull();
      void answererUser;
      void modUser;
    });
  });
});
