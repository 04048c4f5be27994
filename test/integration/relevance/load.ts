/*
 * Writes the relevance documents into a real store through the storage ports the services
 * use (questions, answers, votes, accepts, FAQ entries), so the embedded index is filled by
 * its real triggers exactly as in production.
 */
import type { Storage } from '../../../src/db/ports.js';
import type { Community, User } from '../../../src/domain/types.js';
import type { SourceQuestion } from './dataset.js';

export interface LoadedCorpus {
  /** Source key ("123", "zh-001") -> question id in the store. */
  threadOf: Map<string, string>;
  /** Source key of a promoted question -> FAQ entry id. */
  entryOf: Map<string, string>;
  communities: Map<string, Community>;
  /** Every indexed document as the baseline indexes it. */
  documents: Array<{ doc: string; thread: string; title: string; tags: string; body: string }>;
}

const VOTERS = 8;

function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80) || 'q';
}

export async function loadCorpus(storage: Storage, sources: SourceQuestion[], promote: { key: string; language: 'en' | 'zh' }[], communityNames: Record<string, string>): Promise<LoadedCorpus> {
  const asker = await storage.users.create({ username: 'asker', email: 'asker@example.test', displayName: 'asker', passwordHash: 'x' });
  const helper = await storage.users.create({ username: 'helper', email: 'helper@example.test', displayName: 'helper', passwordHash: 'x' });
  const voters: User[] = [];
  for (let i = 0; i < VOTERS; i++) voters.push(await storage.users.create({ username: `voter${i}`, email: `voter${i}@example.test`, displayName: `voter${i}`, passwordHash: 'x' }));
  const communities = new Map<string, Community>();
  let n = 0;
  const communityFor = async (name: string): Promise<Community> => {
    let c = communities.get(name);
    if (!c) {
      c = await storage.communities.create({ slug: `c${++n}`, name: communityNames[name] ?? name, kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
      communities.set(name, c);
    }
    return c;
  };
  const vote = async (postId: string, score: number, now: number) => {
    const value = score > 0 ? 1 : -1;
    for (let i = 0; i < Math.min(Math.abs(score), VOTERS); i++) await storage.votes.castVote(postId, voters[i]!.id, value, now);
  };

  const threadOf = new Map<string, string>();
  const answerIds = new Map<string, Array<{ id: string; body: string; accepted: boolean; score: number }>>();
  const documents: LoadedCorpus['documents'] = [];
  for (const s of sources) {
    const community = await communityFor(s.community);
    const q = await storage.posts.createQuestion({ communityId: community.id, authorId: asker.id, title: s.title, slug: slugOf(s.title), bodyMd: s.body, bodyHtml: '', bodyText: s.body, tags: s.tags, now: s.createdAt });
    threadOf.set(s.key, q.id);
    documents.push({ doc: `question-${q.id}`, thread: q.id, title: s.title, tags: s.tags.join(' '), body: s.body });
    if (s.score !== 0) await vote(q.id, s.score, s.createdAt);
    const list: Array<{ id: string; body: string; accepted: boolean; score: number }> = [];
    for (const a of s.answers) {
      const answer = await storage.posts.createAnswer({ questionId: q.id, authorId: helper.id, bodyMd: a.body, bodyHtml: '', bodyText: a.body, now: a.createdAt });
      documents.push({ doc: `answer-${answer.id}`, thread: q.id, title: '', tags: s.tags.join(' '), body: a.body });
      if (a.score !== 0) await vote(answer.id, a.score, a.createdAt);
      if (a.accepted) await storage.posts.setAcceptedAnswer(q.id, answer.id, a.createdAt);
      list.push({ id: answer.id, body: a.body, accepted: a.accepted, score: a.score });
    }
    answerIds.set(s.key, list);
  }

  // Promoted questions become FAQ entries (the accepted or best answer, as a moderator would
  // promote it), in a category named like a real FAQ section.
  const entryOf = new Map<string, string>();
  const byKey = new Map(sources.map((s) => [s.key, s]));
  const categories = new Map<string, string>();
  for (const { key, language } of promote) {
    const s = byKey.get(key);
    const questionId = threadOf.get(key);
    if (!s || !questionId || entryOf.has(key)) continue;
    const community = await communityFor(s.community);
    let categoryId = categories.get(community.id);
    if (!categoryId) {
      const name = language === 'zh' ? '常见问题' : 'Common questions';
      categoryId = (await storage.faq.createCategory({ communityId: community.id, parentId: null, name, slug: 'common', depth: 1, now: Date.UTC(2024, 5, 1) })).id;
      categories.set(community.id, categoryId);
    }
    const answers = answerIds.get(key) ?? [];
    const best = answers.find((a) => a.accepted) ?? [...answers].sort((a, b) => b.score - a.score)[0];
    const body = best?.body ?? s.body;
    const entry = await storage.faq.createEntry({
      communityId: community.id,
      categoryId,
      title: s.title,
      slug: slugOf(s.title),
      bodyMd: body,
      bodyHtml: '',
      bodyText: body,
      sourceQuestionId: questionId,
      sourceAnswerId: best?.id ?? null,
      relatedIds: [],
      createdBy: asker.id,
      now: Date.UTC(2024, 5, 2),
    });
    entryOf.set(key, entry.id);
    documents.push({ doc: `faq-${entry.id}`, thread: questionId, title: s.title, tags: s.tags.join(' '), body });
  }
  return { threadOf, entryOf, communities, documents };
}
