import type { SqliteStorage } from '../../src/db/sqlite/index.js';
import type { SearchEngine } from '../../src/search/port.js';
import type { SearchHarness } from './search-contract.js';

/*
 * The search contract's harness over a SQLite storage: content goes in through the storage
 * ports, as the application writes it. Whatever engine is given follows it its own way
 * (the embedded one by trigger; Meilisearch through the outbox, drained in `settle`).
 */
export async function sqliteSearchHarness(
  storage: SqliteStorage,
  engine: SearchEngine,
  hooks: { settle(): Promise<void>; close(): Promise<void> },
): Promise<SearchHarness> {
  let clock = Date.UTC(2023, 0, 1);
  let users = 0;
  const newUser = async () => {
    users++;
    return storage.users.create({ username: `u${users}`, email: `u${users}@example.test`, displayName: `u${users}`, passwordHash: 'x' });
  };
  const author = await newUser();
  const mk = (slug: string) => storage.communities.create({ slug, name: slug, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
  const [a, b] = [await mk('alpha'), await mk('beta')];
  const categories = new Map<string, string>();
  return {
    engine,
    communities: { a: a.id, b: b.id },
    async question(input) {
      clock += 1000;
      const q = await storage.posts.createQuestion({
        communityId: input.community === 'a' ? a.id : b.id,
        authorId: author.id,
        title: input.title,
        slug: 'q',
        bodyMd: input.body,
        bodyHtml: input.body,
        bodyText: input.body,
        tags: input.tags ?? ['general'],
        now: input.createdAt ?? clock,
      });
      return q.id;
    },
    async answer(questionId, body, options = {}) {
      clock += 1000;
      const ans = await storage.posts.createAnswer({ questionId, authorId: author.id, bodyMd: body, bodyHtml: body, bodyText: body, now: clock });
      if (options.accepted) await storage.posts.setAcceptedAnswer(questionId, ans.id, clock);
      return ans.id;
    },
    async upvote(postId, votes) {
      for (let i = 0; i < votes; i++) await storage.votes.castVote(postId, (await newUser()).id, 1, clock);
    },
    async editQuestion(questionId, title, body) {
      await storage.posts.editPost({ postId: questionId, editorId: author.id, title, bodyMd: body, bodyHtml: body, bodyText: body, reason: '', now: ++clock });
    },
    async softDelete(postId) {
      // The storage ports have no deletion yet; moderation will add it. The trigger is what is under test.
      storage.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(++clock, Number(postId));
    },
    async faqEntry(input) {
      const communityId = input.community === 'a' ? a.id : b.id;
      let path = categories.get(communityId);
      if (!path) {
        const top = await storage.faq.createCategory({ communityId, parentId: null, name: 'Machines', slug: 'machines', depth: 1, now: clock });
        const leaf = await storage.faq.createCategory({ communityId, parentId: top.id, name: 'Cleaning', slug: 'cleaning', depth: 2, now: clock });
        path = leaf.id;
        categories.set(communityId, path);
      }
      const entry = await storage.faq.createEntry({
        communityId, categoryId: path, title: input.title, slug: 'entry', bodyMd: input.body, bodyHtml: input.body, bodyText: input.body,
        sourceQuestionId: input.source?.questionId ?? null, sourceAnswerId: input.source?.answerId ?? null, relatedIds: [], createdBy: author.id, now: ++clock,
      });
      for (let i = 0; i < (input.helpful ?? 0); i++) await storage.faq.recordHelpful(entry.id, `voter-${i}`, true, clock);
      return entry.id;
    },
    async editFaqEntry(id, title, body) {
      const entry = (await storage.faq.findEntry(id))!;
      await storage.faq.editEntry({ entryId: id, editorId: author.id, categoryId: entry.categoryId, title, slug: 'entry', bodyMd: body, bodyHtml: body, bodyText: body, relatedIds: [], reason: '', now: ++clock });
    },
    async archiveFaqEntry(id) {
      await storage.faq.setStatus(id, 'archived');
    },
    async renameCommunity(community, name) {
      await storage.communities.update(community === 'a' ? a.id : b.id, { name });
    },
    settle: hooks.settle,
    close: hooks.close,
  };
}
