import { Types, type ClientSession } from 'mongoose';
import type {
  ImportBatchResult,
  ImportComment,
  ImportedLinkRow,
  ImportKind,
  ImportLink,
  ImportPost,
  ImportRepository,
  PostAttribution,
} from '../../ports.js';
import { REPUTATION, reputationForVote } from '../../../domain/reputation.js';
import { parseId, parseIds, searchDocIdOf, SEQUENCES } from '../ids.js';
import type { ImportedPostLinkDoc, ImportSourceDoc, PostAttributionDoc, PostDoc, TagDoc, VoteDoc } from '../models/index.js';
import { addCommunityCountQuery, addReputationQuery } from '../queries/accounts.js';
import { commentAddedQuery, newAnswerDoc, newCommentDoc, newQuestionDoc, newRevisionDoc, tagCountOps, uniqueTags } from '../queries/qa.js';
import { bulk, findMany, findOne, insert, updateOne, type MongoContext } from './context.js';

/*
 * Data-dump imports on MongoDB. Each batch is one transaction (posts, revisions, votes, tag
 * and community counters, reputation, attributions, source ids and search outbox entries),
 * so an interrupted import leaves whole posts only, as in SQLite.
 */
export class MongoImportRepository implements ImportRepository {
  constructor(private readonly ctx: MongoContext) {}

  private async sourceIds(communityId: number, kind: ImportKind, sourceIds: string[], session?: ClientSession): Promise<Map<string, number>> {
    const docs = await findMany<ImportSourceDoc>(this.ctx.models.importSources, { filter: { communityId, kind, sourceId: { $in: [...new Set(sourceIds)] } } }, session);
    return new Map(docs.map((d) => [d.sourceId, d.localId]));
  }

  private async record(communityId: number, kind: ImportKind, sourceId: string, localId: number, session: ClientSession): Promise<void> {
    await insert(this.ctx.models.importSources, [{ _id: new Types.ObjectId(), communityId, kind, sourceId, localId }], session);
  }

  async findImported(communityId: string, kind: ImportKind, sourceIds: string[]): Promise<Map<string, string>> {
    const cId = parseId(communityId);
    if (cId === null) return new Map();
    const found = await this.sourceIds(cId, kind, sourceIds);
    return new Map([...found].map(([s, l]) => [s, String(l)]));
  }

  async recordUser(communityId: string, sourceId: string, userId: string): Promise<void> {
    const cId = parseId(communityId);
    const uId = parseId(userId);
    if (cId === null || uId === null) throw new RangeError('malformed id');
    await updateOne(this.ctx.models.importSources, {
      filter: { communityId: cId, kind: 'user', sourceId },
      update: { $setOnInsert: { localId: uId } },
      options: { upsert: true },
    });
  }

  async importPosts(communityId: string, posts: ImportPost[]): Promise<ImportBatchResult> {
    const cId = parseId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    // Ids are reserved outside the transaction (see ids.ts); unused ones leave gaps.
    const postIds = await this.ctx.reserveIds(SEQUENCES.posts, Math.max(1, posts.length));
    const revisionIds = await this.ctx.reserveIds(SEQUENCES.revisions, Math.max(1, posts.length));
    return this.ctx.tx(async (session) => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      const known = await this.sourceIds(cId, 'post', posts.flatMap((p) => [p.sourceId, p.questionSourceId ?? '']), session);
      const questions = new Map<number, PostDoc>();
      const reputation = new Map<number, number>();
      const addRep = (userId: number, delta: number) => reputation.set(userId, (reputation.get(userId) ?? 0) + delta);
      const outbox: string[] = [];
      let newQuestions = 0;
      for (const [i, p] of posts.entries()) {
        if (known.has(p.sourceId)) {
          result.skipped++;
          continue;
        }
        const authorId = parseId(p.authorId);
        const up = parseIds(p.upVoterIds);
        const down = parseIds(p.downVoterIds);
        if (authorId === null || up.length !== p.upVoterIds.length || down.length !== p.downVoterIds.length) {
          result.refused.push({ sourceId: p.sourceId, reason: 'unknown author or voter' });
          continue;
        }
        const id = postIds[i]!;
        const score = up.length - down.length;
        let doc: PostDoc;
        if (p.type === 'question') {
          const tags = uniqueTags(p.tags ?? []);
          doc = newQuestionDoc(id, cId, authorId, {
            communityId, authorId: p.authorId, title: p.title ?? '', slug: p.slug ?? '', bodyMd: p.bodyMd, bodyHtml: p.bodyHtml, bodyText: p.bodyText, tags, now: p.createdAt,
          });
          const existing = new Set((await findMany<TagDoc>(this.ctx.models.tags, { filter: { communityId: cId, name: { $in: tags } } }, session)).map((t) => t.name));
          const missing = tags.filter((t) => !existing.has(t));
          const tagIds = missing.length > 0 ? await this.ctx.reserveIds(SEQUENCES.tags, missing.length) : [];
          await bulk(this.ctx.models.tags, tagCountOps(cId, tags, [], new Map(missing.map((n, k) => [n, tagIds[k]!]))), session);
          doc.viewCount = p.viewCount;
          newQuestions++;
          questions.set(id, doc);
          outbox.push(searchDocIdOf('question', id));
          await insert(this.ctx.models.revisions, [newRevisionDoc(revisionIds[i]!, id, 1, authorId, { title: doc.title!, bodyMd: p.bodyMd, tags, reason: '' }, p.createdAt)], session);
        } else {
          const qId = p.questionSourceId === undefined ? undefined : known.get(p.questionSourceId);
          const q = qId === undefined ? undefined : (questions.get(qId) ?? (await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: qId, type: 'question' } }, session)) ?? undefined);
          if (!q) {
            result.refused.push({ sourceId: p.sourceId, reason: 'its question is not imported' });
            continue;
          }
          doc = newAnswerDoc(id, q, authorId, { questionId: String(q._id), authorId: p.authorId, bodyMd: p.bodyMd, bodyHtml: p.bodyHtml, bodyText: p.bodyText, now: p.createdAt });
          doc.isAccepted = p.accepted === true;
          await insert(this.ctx.models.revisions, [newRevisionDoc(revisionIds[i]!, id, 1, authorId, { title: null, bodyMd: p.bodyMd, tags: [], reason: '' }, p.createdAt)], session);
          const later = p.createdAt > (q.lastActivityAt ?? 0);
          const set: Record<string, unknown> = later ? { lastActivityAt: p.createdAt, lastActivityUserId: authorId, lastActivityKind: 'answer' } : {};
          if (p.accepted) set.acceptedAnswerId = id;
          await updateOne(this.ctx.models.posts, { filter: { _id: q._id }, update: { $inc: { answerCount: 1 }, ...(Object.keys(set).length > 0 ? { $set: set } : {}) } }, session);
          // Later answers in this batch compare with the question's new last activity.
          Object.assign(q, set);
          questions.set(q._id, q);
          if (p.accepted && authorId !== q.authorId) {
            addRep(authorId, REPUTATION.answerAccepted);
            addRep(q.authorId, REPUTATION.acceptedByAsker);
          }
          outbox.push(searchDocIdOf('answer', id), searchDocIdOf('question', q._id));
        }
        doc.score = score;
        doc.upVotes = up.length;
        doc.downVotes = down.length;
        await insert(this.ctx.models.posts, [doc], session);
        if (up.length + down.length > 0) {
          const vote = (userId: number, value: 1 | -1): VoteDoc => ({ _id: new Types.ObjectId(), postId: id, userId, value, createdAt: p.votedAt });
          await insert(this.ctx.models.votes, [...up.map((u) => vote(u, 1)), ...down.map((u) => vote(u, -1))], session);
        }
        addRep(authorId, up.length * reputationForVote(p.type, 1) + down.length * reputationForVote(p.type, -1));
        await insert(this.ctx.models.postAttributions, [{ _id: id, ...p.attribution }], session);
        await this.record(cId, 'post', p.sourceId, id, session);
        known.set(p.sourceId, id);
        result.imported++;
      }
      for (const [userId, delta] of reputation) if (delta !== 0) await updateOne(this.ctx.models.users, addReputationQuery(userId, delta), session);
      if (newQuestions > 0) await updateOne(this.ctx.models.communities, addCommunityCountQuery(cId, 'questionCount', newQuestions), session);
      await this.ctx.enqueueSearch(new Set(outbox), session);
      return result;
    });
  }

  async importComments(communityId: string, comments: ImportComment[]): Promise<ImportBatchResult> {
    const cId = parseId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    const ids = await this.ctx.reserveIds(SEQUENCES.comments, Math.max(1, comments.length));
    return this.ctx.tx(async (session) => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      const done = await this.sourceIds(cId, 'comment', comments.map((c) => c.sourceId), session);
      const postsBySource = await this.sourceIds(cId, 'post', comments.map((c) => c.postSourceId), session);
      for (const [i, c] of comments.entries()) {
        if (done.has(c.sourceId)) {
          result.skipped++;
          continue;
        }
        const pId = postsBySource.get(c.postSourceId);
        const post = pId === undefined ? null : await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: pId }, projection: { type: 1, questionId: 1 } }, session);
        const authorId = parseId(c.authorId);
        if (!post || authorId === null) {
          result.refused.push({ sourceId: c.sourceId, reason: post ? 'unknown author' : 'its post is not imported' });
          continue;
        }
        await insert(this.ctx.models.comments, [newCommentDoc(ids[i]!, post._id, authorId, c.body, c.bodyHtml, c.createdAt)], session);
        await updateOne(this.ctx.models.posts, commentAddedQuery(post._id), session);
        const questionId = post.type === 'question' ? post._id : post.questionId!;
        await updateOne(
          this.ctx.models.posts,
          { filter: { _id: questionId, type: 'question', lastActivityAt: { $lt: c.createdAt } }, update: { $set: { lastActivityAt: c.createdAt, lastActivityUserId: authorId, lastActivityKind: 'comment' } } },
          session,
        );
        await this.record(cId, 'comment', c.sourceId, ids[i]!, session);
        done.set(c.sourceId, ids[i]!);
        result.imported++;
      }
      return result;
    });
  }

  async importLinks(communityId: string, links: ImportLink[]): Promise<ImportBatchResult> {
    const cId = parseId(communityId);
    if (cId === null) throw new RangeError('malformed community id');
    return this.ctx.tx(async (session) => {
      const result: ImportBatchResult = { imported: 0, skipped: 0, refused: [] };
      const done = await this.sourceIds(cId, 'link', links.map((l) => l.sourceId), session);
      const posts = await this.sourceIds(cId, 'post', links.flatMap((l) => [l.postSourceId, l.targetSourceId]), session);
      for (const l of links) {
        if (done.has(l.sourceId)) {
          result.skipped++;
          continue;
        }
        const from = posts.get(l.postSourceId);
        const to = posts.get(l.targetSourceId);
        if (from === undefined || to === undefined) {
          result.refused.push({ sourceId: l.sourceId, reason: 'a linked post is not imported' });
          continue;
        }
        await updateOne(
          this.ctx.models.importedPostLinks,
          { filter: { postId: from, targetId: to, kind: l.kind }, update: { $setOnInsert: { createdAt: l.createdAt } }, options: { upsert: true } },
          session,
        );
        await this.record(cId, 'link', l.sourceId, from, session);
        done.set(l.sourceId, from);
        result.imported++;
      }
      return result;
    });
  }

  async attributions(postIds: string[]): Promise<Map<string, PostAttribution>> {
    const ids = parseIds(postIds);
    if (ids.length === 0) return new Map();
    const docs = await findMany<PostAttributionDoc>(this.ctx.models.postAttributions, { filter: { _id: { $in: ids } } });
    return new Map(docs.map((d) => [String(d._id), { sourceUrl: d.sourceUrl, authorName: d.authorName, authorUrl: d.authorUrl, licence: d.licence }]));
  }

  async linksOf(postId: string): Promise<ImportedLinkRow[]> {
    const id = parseId(postId);
    if (id === null) return [];
    // Two simple queries rather than one $or: each is served by its own index.
    const [from, to] = await Promise.all([
      findMany<ImportedPostLinkDoc>(this.ctx.models.importedPostLinks, { filter: { postId: id } }),
      findMany<ImportedPostLinkDoc>(this.ctx.models.importedPostLinks, { filter: { targetId: id, postId: { $ne: id } } }),
    ]);
    const docs = [...from, ...to].sort((a, b) => a.postId - b.postId || a.targetId - b.targetId || a.kind.localeCompare(b.kind));
    return docs.map((d) => ({ postId: String(d.postId), targetId: String(d.targetId), kind: d.kind }));
  }
}
