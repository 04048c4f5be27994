import type { CommentRepository, EventRequest } from '../../ports.js';
import { recordMongoEvent } from './event-outbox-repository.js';
import type { Comment } from '../../../domain/qa-types.js';
import { NotFoundError } from '../../../domain/errors.js';
import { parseId, parseIds, SEQUENCES } from '../ids.js';
import { mapComment } from '../mappers.js';
import type { CommentDoc, PostDoc } from '../models/index.js';
import { commentAddedQuery, commentsForQuery, livePostQuery, newCommentDoc, questionActivityQuery } from '../queries/qa.js';
import { findMany, findOne, insert, updateOne, type MongoContext } from './context.js';

export class MongoCommentRepository implements CommentRepository {
  constructor(private readonly ctx: MongoContext) {}

  /**
   * Transaction: the comment, the post's comment count and the question's activity. No
   * search outbox entry: comments are not part of any search document. With `event`, the
   * 'commented' event too.
   */
  async add(postId: string, authorId: string, body: string, bodyHtml: string, now: number, event?: EventRequest): Promise<Comment> {
    const p = parseId(postId);
    const a = parseId(authorId);
    if (p === null || a === null) throw new NotFoundError();
    const doc = newCommentDoc(await this.ctx.reserveId(SEQUENCES.comments), p, a, body, bodyHtml, now);
    await this.ctx.tx(async (session) => {
      const post = await findOne<PostDoc>(this.ctx.models.posts, { ...livePostQuery(p), projection: { type: 1, questionId: 1 } }, session);
      if (!post) throw new NotFoundError();
      await insert(this.ctx.models.comments, [doc], session);
      await updateOne(this.ctx.models.posts, commentAddedQuery(p), session);
      const questionId = post.type === 'question' ? p : post.questionId!;
      await updateOne(this.ctx.models.posts, questionActivityQuery(questionId, a, now, 'comment'), session);
      if (event) {
        const ids = { questionId: String(questionId), postId: String(p), commentId: String(doc._id) };
        await recordMongoEvent(this.ctx, 'commented', event, post.type === 'answer' ? { ...ids, answerId: String(p) } : ids, now, session);
      }
    });
    return mapComment(doc);
  }

  async listFor(postIds: string[]): Promise<Comment[]> {
    const ids = parseIds(postIds);
    if (ids.length === 0) return [];
    return (await findMany<CommentDoc>(this.ctx.models.comments, commentsForQuery(ids))).map(mapComment);
  }
}
