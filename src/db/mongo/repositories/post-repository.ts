import type { ClientSession } from 'mongoose';
import type { AnswerRange, EventRequest, NewAnswer, NewQuestion, PostEdit, PostRepository, QuestionListQuery } from '../../ports.js';
import { recordMongoEvent } from './event-outbox-repository.js';
import type { Answer, Post, Question, Revision } from '../../../domain/qa-types.js';
import { NotFoundError } from '../../../domain/errors.js';
import { editSnapshot } from '../../../domain/edit-audit.js';
import { parseId, searchDocIdOf, SEQUENCES } from '../ids.js';
import { mapPost, mapRevision } from '../mappers.js';
import type { FaqEntryDoc, PostDoc, RevisionDoc, TagDoc } from '../models/index.js';
import { addCommunityCountQuery, addReputationQuery } from '../queries/accounts.js';
import { entryIdsOfSourceQuestionQuery } from '../queries/faq.js';
import {
  acceptanceReputation,
  addViewsOps,
  answerAddedQuery,
  answerIdsOfQuestionQuery,
  answersBeforeQuery,
  answerSortKeysQuery,
  answersQuery,
  type AnswerSortKeys,
  countQuestionsQuery,
  editAnswerQuery,
  editQuestionQuery,
  existingTagsQuery,
  livePostQuery,
  liveQuestionQuery,
  liveQuestionsByIdsQuery,
  newAnswerDoc,
  newQuestionDoc,
  newRevisionDoc,
  postsByAuthorQuery,
  questionActivityQuery,
  questionListQuery,
  recentQuestionsQuery,
  summaryText,
  revisionsQuery,
  setAcceptedAnswerIdQuery,
  setIsAcceptedQuery,
  tagChanges,
  tagCountOps,
  uniqueTags,
} from '../queries/qa.js';
import { bulk, countDocuments, findMany, findOne, insert, updateOne, type MongoContext } from './context.js';

export class MongoPostRepository implements PostRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Ids for the tags of `names` that do not exist yet in the community. The existence check
   * reads through the transaction's session; the ids themselves are reserved by a counter
   * update that deliberately runs outside the transaction (no session), so that it never
   * conflicts with other writers. If the transaction is retried or a concurrent one creates
   * the same tag first, the upsert matches the existing tag and the reserved id stays unused.
   */
  private async newTagIds(communityId: number, names: string[], session: ClientSession): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    const existing = new Set((await findMany<TagDoc>(this.ctx.models.tags, existingTagsQuery(communityId, names), session)).map((t) => t.name));
    const missing = names.filter((n) => !existing.has(n));
    if (missing.length === 0) return new Map();
    const ids = await this.ctx.reserveIds(SEQUENCES.tags, missing.length);
    return new Map(missing.map((name, i) => [name, ids[i]!]));
  }

  /**
   * Transaction: the question, its tag counts (tags created on first use), revision 1, the
   * community's question count, its search outbox entry and (with `event`) its 'asked' event
   * are written together or not at all.
   */
  async createQuestion(input: NewQuestion, event?: EventRequest): Promise<Question> {
    const communityId = parseId(input.communityId);
    const authorId = parseId(input.authorId);
    if (communityId === null || authorId === null) throw new NotFoundError();
    const tags = uniqueTags(input.tags);
    const [postId] = await this.ctx.reserveIds(SEQUENCES.posts, 1);
    const revisionId = await this.ctx.reserveId(SEQUENCES.revisions);
    const doc = newQuestionDoc(postId!, communityId, authorId, { ...input, tags });
    await this.ctx.tx(async (session) => {
      const community = await updateOne(this.ctx.models.communities, addCommunityCountQuery(communityId, 'questionCount', 1), session);
      if (community.matchedCount === 0) throw new NotFoundError();
      await insert(this.ctx.models.posts, [doc], session);
      if (event) await recordMongoEvent(this.ctx, 'asked', event, { questionId: String(doc._id) }, input.now, session);
      await bulk(this.ctx.models.tags, tagCountOps(communityId, tags, [], await this.newTagIds(communityId, tags, session)), session);
      await insert(this.ctx.models.revisions, [newRevisionDoc(revisionId, doc._id, 1, authorId, { title: input.title, bodyMd: input.bodyMd, tags, reason: '' }, input.now)], session);
      await this.ctx.enqueueSearch([searchDocIdOf('question', doc._id)], session);
    });
    return mapPost(doc) as Question;
  }

  /**
   * Transaction: the answer, revision 1, the question's answer count and activity, and the
   * outbox entries of the answer and of the question (whose document holds the answer count),
   * and with `event` the 'answered' event.
   */
  async createAnswer(input: NewAnswer, event?: EventRequest): Promise<Answer> {
    const questionId = parseId(input.questionId);
    const authorId = parseId(input.authorId);
    if (questionId === null || authorId === null) throw new NotFoundError();
    const postId = await this.ctx.reserveId(SEQUENCES.posts);
    const revisionId = await this.ctx.reserveId(SEQUENCES.revisions);
    return this.ctx.tx(async (session) => {
      const question = await findOne<PostDoc>(this.ctx.models.posts, liveQuestionQuery(questionId), session);
      if (!question) throw new NotFoundError();
      const doc = newAnswerDoc(postId, question, authorId, input);
      await insert(this.ctx.models.posts, [doc], session);
      if (event) await recordMongoEvent(this.ctx, 'answered', event, { questionId: String(questionId), answerId: String(postId) }, input.now, session);
      await insert(this.ctx.models.revisions, [newRevisionDoc(revisionId, postId, 1, authorId, { title: null, bodyMd: input.bodyMd, tags: [], reason: '' }, input.now)], session);
      await updateOne(this.ctx.models.posts, answerAddedQuery(questionId, authorId, input.now), session);
      await this.ctx.enqueueSearch([searchDocIdOf('answer', postId), searchDocIdOf('question', questionId)], session);
      return mapPost(doc) as Answer;
    });
  }

  async findPost(id: string): Promise<Post | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<PostDoc>(this.ctx.models.posts, livePostQuery(n));
    return doc ? mapPost(doc) : null;
  }

  async findQuestion(id: string): Promise<Question | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<PostDoc>(this.ctx.models.posts, liveQuestionQuery(n));
    return doc ? (mapPost(doc) as Question) : null;
  }

  async findQuestions(ids: string[]): Promise<Question[]> {
    const parsed = [...new Set(ids.map(parseId).filter((n): n is number => n !== null))];
    if (parsed.length === 0) return [];
    return (await findMany<PostDoc>(this.ctx.models.posts, liveQuestionsByIdsQuery(parsed))).map((d) => mapPost(d) as Question);
  }

  async listAnswers(questionId: string, range?: AnswerRange): Promise<Answer[]> {
    const n = parseId(questionId);
    if (n === null) return [];
    // MongoDB reads limit 0 as "no limit"; an empty slice is empty.
    if (range && !(range.limit >= 1)) return [];
    return (await findMany<PostDoc>(this.ctx.models.posts, answersQuery(n, range))).map((d) => mapPost(d) as Answer);
  }

  /** The answer's sort keys, then one countDocuments of the answers before it. */
  async answerRank(questionId: string, answerId: string): Promise<number | null> {
    const q = parseId(questionId);
    const a = parseId(answerId);
    if (q === null || a === null) return null;
    const keys = await findOne<PostDoc>(this.ctx.models.posts, answerSortKeysQuery(q, a));
    if (!keys) return null;
    const sortKeys: AnswerSortKeys = { _id: keys._id, isAccepted: keys.isAccepted ?? false, score: keys.score ?? 0, createdAt: keys.createdAt };
    return countDocuments(this.ctx.models.posts, answersBeforeQuery(q, sortKeys));
  }

  async listQuestions(query: QuestionListQuery): Promise<Question[]> {
    const c = parseId(query.communityId);
    if (c === null) return [];
    const docs = await findMany<PostDoc>(this.ctx.models.posts, questionListQuery(c, query));
    return docs.map((d) => mapPost(query.summary ? { ...d, bodyText: summaryText(d.bodyText ?? '') } : d) as Question);
  }

  async recentQuestions(limit: number): Promise<Question[]> {
    return (await findMany<PostDoc>(this.ctx.models.posts, recentQuestionsQuery(limit))).map((d) => mapPost({ ...d, bodyText: summaryText(d.bodyText ?? '') }) as Question);
  }

  async listByAuthor(authorId: string, limit: number): Promise<Post[]> {
    const n = parseId(authorId);
    if (n === null) return [];
    return (await findMany<PostDoc>(this.ctx.models.posts, postsByAuthorQuery(n, limit))).map(mapPost);
  }

  /**
   * Transaction: new text (and title/tags for questions), tag counts, the question's activity,
   * a revision and the search outbox entries are written together. Editing a question
   * enqueues its answers and the FAQ entries made from it as well: their documents repeat
   * its title, slug and tags. The revision number comes from the post read inside the
   * transaction, so two concurrent edits conflict and one is retried on top of the other.
   */
  async editPost(edit: PostEdit): Promise<Post> {
    const postId = parseId(edit.postId);
    const editorId = parseId(edit.editorId);
    if (postId === null || editorId === null) throw new NotFoundError();
    const revisionId = await this.ctx.reserveId(SEQUENCES.revisions);
    const auditId = edit.audit ? await this.ctx.reserveId(SEQUENCES.auditLog) : null;
    const requestedTags = edit.tags ? uniqueTags(edit.tags) : null;
    return this.ctx.tx(async (session) => {
      const row = await findOne<PostDoc>(this.ctx.models.posts, livePostQuery(postId), session);
      if (!row) throw new NotFoundError();
      const revision = (row.revisionCount ?? 1) + 1;
      // A moderator's edit of someone else's post is audited in this transaction, "before" as read in it.
      const audit = async (after: string) => {
        if (!edit.audit || auditId === null) return;
        const isQuestion = row.type === 'question';
        const before = editSnapshot({ title: row.title, tags: row.tags ?? [], body: row.bodyMd ?? '' }, isQuestion);
        await this.ctx.models.auditLog.create(
          [{ _id: auditId, actorId: editorId, action: 'post.edit', communityId: row.communityId, targetType: 'post', targetId: String(postId), reason: edit.audit.reason, before, after, createdAt: edit.now }],
          { session },
        );
      };
      if (row.type === 'question') {
        const title = edit.title ?? row.title ?? '';
        const slug = edit.slug ?? row.slug ?? '';
        const before = row.tags ?? [];
        const tags = requestedTags ?? before;
        await updateOne(this.ctx.models.posts, editQuestionQuery(postId, { title, slug, tags }, edit, editorId, revision), session);
        const { added, removed } = tagChanges(before, tags);
        await bulk(this.ctx.models.tags, tagCountOps(row.communityId, added, removed, await this.newTagIds(row.communityId, added, session)), session);
        await insert(this.ctx.models.revisions, [newRevisionDoc(revisionId, postId, revision, editorId, { title, bodyMd: edit.bodyMd, tags, reason: edit.reason }, edit.now)], session);
        await audit(editSnapshot({ title, tags, body: edit.bodyMd }, true));
        const answers = await findMany<PostDoc>(this.ctx.models.posts, answerIdsOfQuestionQuery(postId), session);
        const entries = await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, entryIdsOfSourceQuestionQuery(postId), session);
        await this.ctx.enqueueSearch(
          [searchDocIdOf('question', postId), ...answers.map((a) => searchDocIdOf('answer', a._id)), ...entries.map((e) => searchDocIdOf('faq', e._id))],
          session,
        );
      } else {
        await updateOne(this.ctx.models.posts, editAnswerQuery(postId, edit, revision), session);
        await updateOne(this.ctx.models.posts, questionActivityQuery(row.questionId!, editorId, edit.now, 'edit'), session);
        await insert(this.ctx.models.revisions, [newRevisionDoc(revisionId, postId, revision, editorId, { title: null, bodyMd: edit.bodyMd, tags: [], reason: edit.reason }, edit.now)], session);
        await audit(editSnapshot({ title: null, tags: null, body: edit.bodyMd }, false));
        await this.ctx.enqueueSearch([searchDocIdOf('answer', postId)], session);
      }
      const updated = await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: postId } }, session);
      return mapPost(updated!);
    });
  }

  async listRevisions(postId: string): Promise<Revision[]> {
    const n = parseId(postId);
    if (n === null) return [];
    return (await findMany<RevisionDoc>(this.ctx.models.revisions, revisionsQuery(n))).map(mapRevision);
  }

  /**
   * Transaction: the accepted flags on the old and new answer, the question's accepted id,
   * the reputation of answerer and asker, and the outbox entries of the question and of both
   * answers move together (DESIGN.md: one atomic repository call). No change, no entries.
   */
  async setAcceptedAnswer(questionId: string, answerId: string | null, now: number, event?: EventRequest): Promise<void> {
    const qId = parseId(questionId);
    const aId = answerId === null ? null : parseId(answerId);
    if (qId === null || (answerId !== null && aId === null)) throw new NotFoundError();
    await this.ctx.tx(async (session) => {
      const question = await findOne<PostDoc>(this.ctx.models.posts, liveQuestionQuery(qId), session);
      if (!question) throw new NotFoundError();
      const current = question.acceptedAnswerId ?? null;
      if (current === aId) return;
      const moves: Array<{ userId: number; delta: number }> = [];
      const changed = [searchDocIdOf('question', qId)];
      if (current !== null) {
        const previous = await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: current } }, session);
        if (previous) {
          await updateOne(this.ctx.models.posts, setIsAcceptedQuery(previous._id, false), session);
          moves.push(...acceptanceReputation(question.authorId, previous.authorId, -1));
          changed.push(searchDocIdOf('answer', previous._id));
        }
      }
      if (aId !== null) {
        const answer = await findOne<PostDoc>(this.ctx.models.posts, { filter: { _id: aId } }, session);
        if (!answer || answer.type !== 'answer' || answer.questionId !== qId || answer.deletedAt !== null) throw new NotFoundError();
        await updateOne(this.ctx.models.posts, setIsAcceptedQuery(aId, true), session);
        moves.push(...acceptanceReputation(question.authorId, answer.authorId, 1));
        changed.push(searchDocIdOf('answer', aId));
        if (event) await recordMongoEvent(this.ctx, 'accepted', event, { questionId: String(qId), answerId: String(aId) }, now, session);
      }
      for (const m of moves) await updateOne(this.ctx.models.users, addReputationQuery(m.userId, m.delta), session);
      await updateOne(this.ctx.models.posts, setAcceptedAnswerIdQuery(qId, aId, now), session);
      await this.ctx.enqueueSearch(changed, session);
    });
  }

  /**
   * No transaction: each $inc is independent and a lost batch of views is harmless. No
   * outbox entry: view counts are not part of a search document.
   */
  async addViews(counts: Map<string, number>): Promise<void> {
    const parsed: Array<[number, number]> = [];
    for (const [id, n] of counts) {
      const p = parseId(id);
      if (p !== null) parsed.push([p, n]);
    }
    await bulk(this.ctx.models.posts, addViewsOps(parsed));
  }

  async countQuestions(): Promise<number> {
    return countDocuments(this.ctx.models.posts, countQuestionsQuery());
  }
}
