import type { Storage } from '../../src/db/ports.js';
import type { Community, User } from '../../src/domain/types.js';

/*
 * A small forum written through the storage ports, shared by the outbox and the
 * search-document contracts: two communities, four users, and helpers that create content
 * the way the services do.
 */

export const T0 = 1_700_000_000_000;

export interface ContentFixture {
  storage: Storage;
  community: Community;
  other: Community;
  alice: User;
  bob: User;
  carol: User;
  dave: User;
  ask(input?: { title?: string; body?: string; tags?: string[]; community?: Community }): Promise<string>;
  answer(questionId: string, body?: string, author?: User): Promise<string>;
  /** A two-level category path Top > Leaf (created once per community) and a published entry in Leaf. */
  faqEntry(input?: { title?: string; sourceQuestionId?: string | null; sourceAnswerId?: string | null; community?: Community }): Promise<{ id: string; leafId: string; topId: string }>;
}

export async function contentFixture(storage: Storage): Promise<ContentFixture> {
  let counter = 0;
  const newCommunity = (slug: string) =>
    storage.communities.create({ slug, name: `Community ${slug}`, kind: 'interest', descriptionMd: slug, descriptionHtml: `<p>${slug}</p>`, defaultLocale: 'en' });
  const community = await newCommunity('alpha');
  const other = await newCommunity('beta');
  const newUser = (username: string) => storage.users.create({ username, email: `${username}@example.test`, displayName: username, passwordHash: 'x' });
  const [alice, bob, carol, dave] = [await newUser('alice'), await newUser('bob'), await newUser('carol'), await newUser('dave')];
  const categories = new Map<string, { topId: string; leafId: string }>();

  return {
    storage,
    community,
    other,
    alice,
    bob,
    carol,
    dave,
    async ask(input = {}) {
      counter += 1;
      const title = input.title ?? `Question number ${counter}`;
      const body = input.body ?? `Body of question ${counter}`;
      const q = await storage.posts.createQuestion({
        communityId: (input.community ?? community).id,
        authorId: alice.id,
        title,
        slug: `question-${counter}`,
        bodyMd: body,
        bodyHtml: `<p>${body}</p>`,
        bodyText: body,
        tags: input.tags ?? ['general'],
        now: T0 + counter * 60_000,
      });
      return q.id;
    },
    async answer(questionId, body, author = bob) {
      counter += 1;
      const text = body ?? `Answer number ${counter}`;
      const a = await storage.posts.createAnswer({ questionId, authorId: author.id, bodyMd: text, bodyHtml: `<p>${text}</p>`, bodyText: text, now: T0 + counter * 60_000 });
      return a.id;
    },
    async faqEntry(input = {}) {
      counter += 1;
      const c = input.community ?? community;
      let path = categories.get(c.id);
      if (!path) {
        const top = await storage.faq.createCategory({ communityId: c.id, parentId: null, name: 'Machines', slug: 'machines', depth: 1, now: T0 });
        const leaf = await storage.faq.createCategory({ communityId: c.id, parentId: top.id, name: 'Cleaning', slug: 'cleaning', depth: 2, now: T0 });
        path = { topId: top.id, leafId: leaf.id };
        categories.set(c.id, path);
      }
      const title = input.title ?? `Entry number ${counter}`;
      const entry = await storage.faq.createEntry({
        communityId: c.id,
        categoryId: path.leafId,
        title,
        slug: `entry-${counter}`,
        bodyMd: `How to ${title}`,
        bodyHtml: `<p>How to ${title}</p>`,
        bodyText: `How to ${title}`,
        sourceQuestionId: input.sourceQuestionId ?? null,
        sourceAnswerId: input.sourceAnswerId ?? null,
        relatedIds: [],
        createdBy: alice.id,
        now: T0 + counter * 60_000,
      });
      return { id: entry.id, ...path };
    },
  };
}
