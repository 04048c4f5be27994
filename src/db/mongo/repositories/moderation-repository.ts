import type { ClientSession } from 'mongoose';
import type { ModerationRepository } from '../../moderation-port.js';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type CloseInput,
  type SystemCloseInput,
  type CloseReason,
  type CloseVoteTally,
  type Flag,
  type FlaggedPost,
  type FlagInput,
  type FlagOutcome,
  type FlagReason,
  type PostModeration,
  type ReviewSort,
  type Suspension,
  type SuspensionInput,
  HIDING_FLAG_REASONS,
} from '../../../domain/moderation-types.js';
import type { Answer, Post, VoteValue } from '../../../domain/qa-types.js';
import { reputationForVote } from '../../../domain/reputation.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { idOrNull, parseId, parseIds, searchDocIdOf, SEQUENCES } from '../ids.js';
import { mapPost } from '../mappers.js';
import type { AuditLogDoc, FlagDoc, PostDoc, PostStateDoc, SuspensionDoc, VoteDoc } from '../models/index.js';
import { isDuplicateKeyError } from '../connection.js';
import type { MongoContext } from './context.js';
import { sourceDuplicatesChangeQuery } from '../queries/faq.js';

const EMPTY_STATE: Omit<PostStateDoc, '_id'> = {
  closedAt: null,
  closedBy: null,
  closeReason: null,
  closeNote: '',
  duplicateOf: null,
  lockedAt: null,
  lockedBy: null,
  lockReason: '',
  deletedBy: null,
  deleteReason: '',
  hiddenAt: null,
};

function mapAudit(d: AuditLogDoc): AuditEntry {
  return {
    id: String(d._id),
    actorId: idOrNull(d.actorId),
    action: ((AUDIT_ACTIONS as readonly string[]).includes(d.action) ? d.action : 'user.warn') as AuditAction,
    communityId: idOrNull(d.communityId),
    targetType: d.targetType,
    targetId: d.targetId,
    reason: d.reason ?? '',
    before: d.before ?? null,
    after: d.after ?? null,
    createdAt: d.createdAt,
  };
}

function mapState(d: PostStateDoc, deletedAt: number | null): PostModeration {
  return {
    postId: String(d._id),
    closedAt: d.closedAt ?? null,
    closedBy: idOrNull(d.closedBy),
    closeReason: (d.closeReason ?? null) as CloseReason | null,
    closeNote: d.closeNote ?? '',
    duplicateOf: idOrNull(d.duplicateOf),
    lockedAt: d.lockedAt ?? null,
    lockedBy: idOrNull(d.lockedBy),
    lockReason: d.lockReason ?? '',
    deletedAt,
    deletedBy: idOrNull(d.deletedBy),
    deleteReason: d.deleteReason ?? '',
    hiddenAt: d.hiddenAt ?? null,
  };
}

function mapFlag(d: FlagDoc): Flag {
  return {
    id: String(d._id),
    postId: String(d.postId),
    communityId: String(d.communityId),
    userId: String(d.userId),
    reason: d.reason as FlagReason,
    text: d.text ?? '',
    createdAt: d.createdAt,
    resolvedAt: d.resolvedAt ?? null,
    resolvedBy: idOrNull(d.resolvedBy),
    outcome: (d.outcome ?? null) as FlagOutcome | null,
  };
}

function mapSuspension(d: SuspensionDoc): Suspension {
  return {
    id: String(d._id),
    userId: String(d.userId),
    communityId: idOrNull(d.communityId),
    reason: d.reason,
    endsAt: d.endsAt ?? null,
    createdBy: String(d.createdBy),
    createdAt: d.createdAt,
    liftedAt: d.liftedAt ?? null,
    liftedBy: idOrNull(d.liftedBy),
  };
}

/** MongoDB moderation: each change and its audit row in one transaction. */
export class MongoModerationRepository implements ModerationRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get m() {
    return this.ctx.models;
  }

  private async audit(e: AuditInput, session: ClientSession, id: number): Promise<AuditEntry> {
    const doc: AuditLogDoc = {
      _id: id,
      actorId: e.actorId === null ? null : parseId(e.actorId),
      action: e.action,
      communityId: e.communityId === null ? null : parseId(e.communityId),
      targetType: e.targetType,
      targetId: e.targetId,
      reason: e.reason,
      before: e.before ?? null,
      after: e.after ?? null,
      createdAt: e.now,
    };
    await this.m.auditLog.create([doc], { session });
    return mapAudit(doc);
  }

  private async post(id: string, session?: ClientSession): Promise<PostDoc> {
    const n = parseId(id);
    const doc = n === null ? null : await this.m.posts.findById(n, null, { session }).lean<PostDoc>().exec();
    if (!doc) throw new NotFoundError('qa.postNotFound');
    return doc;
  }

  private async liveQuestion(id: string, session: ClientSession): Promise<PostDoc> {
    const doc = await this.post(id, session);
    if (doc.type !== 'question' || (doc.deletedAt ?? null) !== null) throw new NotFoundError('qa.questionNotFound');
    return doc;
  }

  private async state(postId: number, session: ClientSession): Promise<PostStateDoc> {
    const doc = await this.m.postStates.findById(postId, null, { session }).lean<PostStateDoc>().exec();
    return doc ?? { _id: postId, ...EMPTY_STATE };
  }

  private async setState(postId: number, changes: Partial<PostStateDoc>, session: ClientSession): Promise<void> {
    await this.m.postStates.updateOne({ _id: postId }, { $set: changes, $setOnInsert: Object.fromEntries(Object.entries(EMPTY_STATE).filter(([k]) => !(k in changes))) }, { upsert: true, session }).exec();
  }

  async record(entry: AuditInput): Promise<AuditEntry> {
    const id = await this.ctx.reserveId(SEQUENCES.auditLog);
    return this.ctx.tx((session) => this.audit(entry, session, id));
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const q: Record<string, unknown> = {};
    if (filter.communityId !== undefined) q.communityId = parseId(filter.communityId) ?? -1;
    if (filter.action !== undefined) q.action = filter.action;
    if (filter.actorId !== undefined) q.actorId = parseId(filter.actorId) ?? -1;
    if (filter.beforeId !== undefined) q._id = { $lt: parseId(filter.beforeId) ?? 0 };
    const docs = await this.m.auditLog.find(q).sort({ _id: -1 }).limit(Math.max(1, Math.min(500, Math.floor(filter.limit)))).lean<AuditLogDoc[]>().exec();
    return docs.map(mapAudit);
  }

  async findPostAny(postId: string): Promise<Post | null> {
    const n = parseId(postId);
    const doc = n === null ? null : await this.m.posts.findById(n).lean<PostDoc>().exec();
    return doc ? mapPost(doc) : null;
  }

  async deletedAnswers(questionId: string, authorId?: string): Promise<Answer[]> {
    const q = parseId(questionId);
    if (q === null) return [];
    const a = authorId === undefined ? undefined : parseId(authorId);
    if (a === null) return [];
    const filter = { questionId: q, type: 'answer', deletedAt: { $ne: null }, ...(a === undefined ? {} : { authorId: a }) };
    const docs = await this.m.posts.find(filter).sort({ createdAt: 1, _id: 1 }).lean<PostDoc[]>().exec();
    return docs.map((d) => mapPost(d) as Answer);
  }

  async states(postIds: string[]): Promise<Map<string, PostModeration>> {
    const ids = parseIds(postIds);
    const out = new Map<string, PostModeration>();
    if (ids.length === 0) return out;
    const [states, posts] = await Promise.all([
      this.m.postStates.find({ _id: { $in: ids } }).lean<PostStateDoc[]>().exec(),
      this.m.posts.find({ _id: { $in: ids } }, { deletedAt: 1 }).lean<PostDoc[]>().exec(),
    ]);
    const deleted = new Map(posts.map((p) => [p._id, p.deletedAt ?? null]));
    for (const s of states) out.set(String(s._id), mapState(s, deleted.get(s._id) ?? null));
    return out;
  }

  /** The FAQ entries sourced from the question keep its duplicate count (their ranking input) in the same transaction. */
  private async countOnFaqEntries(questionId: number, delta: 1 | -1, session: ClientSession): Promise<void> {
    const q = sourceDuplicatesChangeQuery(questionId, delta);
    await this.m.faqEntries.updateMany(q.filter, q.update, { session }).exec();
  }

  private async closeNow(q: PostDoc, input: CloseInput | SystemCloseInput, via: 'moderator' | 'votes' | 'import', session: ClientSession, auditId: number): Promise<void> {
    const state = await this.state(q._id, session);
    if (state.closedAt !== null) throw new ConflictError('mod.alreadyClosed');
    let duplicateOf: number | null = null;
    if (input.reason === 'duplicate') {
      const original = await this.liveQuestion(input.duplicateOf ?? '', session);
      if (original._id === q._id) throw new ConflictError('mod.duplicateOfItself');
      duplicateOf = original._id;
      await this.m.posts.updateOne({ _id: original._id }, { $inc: { duplicateCount: 1 } }, { session }).exec();
      await this.countOnFaqEntries(original._id, 1, session);
    }
    await this.setState(q._id, { closedAt: input.now, closedBy: input.actorId === null ? null : parseId(input.actorId), closeReason: input.reason, closeNote: input.note, duplicateOf }, session);
    await this.m.closeVotes.deleteMany({ questionId: q._id, kind: 'close' }, { session }).exec();
    await this.audit(
      {
        actorId: input.actorId,
        action: 'question.close',
        communityId: String(q.communityId),
        targetType: 'post',
        targetId: String(q._id),
        reason: input.note,
        after: JSON.stringify({ reason: input.reason, duplicateOf: idOrNull(duplicateOf), via }),
        now: input.now,
      },
      session,
      auditId,
    );
  }

  private async reopenNow(q: PostDoc, actorId: string, reason: string, now: number, via: 'moderator' | 'votes', session: ClientSession, auditId: number): Promise<void> {
    const state = await this.state(q._id, session);
    if (state.closedAt === null) throw new ConflictError('mod.notClosed');
    if (state.duplicateOf !== null) {
      const res = await this.m.posts.updateOne({ _id: state.duplicateOf, duplicateCount: { $gt: 0 } }, { $inc: { duplicateCount: -1 } }, { session }).exec();
      if (res.modifiedCount > 0) await this.countOnFaqEntries(state.duplicateOf, -1, session);
    }
    await this.setState(q._id, { closedAt: null, closedBy: null, closeReason: null, closeNote: '', duplicateOf: null }, session);
    await this.m.closeVotes.deleteMany({ questionId: q._id, kind: 'reopen' }, { session }).exec();
    await this.audit(
      {
        actorId,
        action: 'question.reopen',
        communityId: String(q.communityId),
        targetType: 'post',
        targetId: String(q._id),
        reason,
        before: JSON.stringify({ reason: state.closeReason, duplicateOf: idOrNull(state.duplicateOf) }),
        after: JSON.stringify({ via }),
        now,
      },
      session,
      auditId,
    );
  }

  async close(input: CloseInput | SystemCloseInput): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    const via = 'via' in input ? input.via : 'moderator';
    await this.ctx.tx(async (session) => this.closeNow(await this.liveQuestion(input.questionId, session), input, via, session, auditId));
  }

  async reopen(questionId: string, actorId: string, reason: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => this.reopenNow(await this.liveQuestion(questionId, session), actorId, reason, now, 'moderator', session, auditId));
  }

  private async tally(questionId: number, session?: ClientSession): Promise<CloseVoteTally> {
    const [close, reopen] = await Promise.all([
      this.m.closeVotes.countDocuments({ questionId, kind: 'close' }, { session }).exec(),
      this.m.closeVotes.countDocuments({ questionId, kind: 'reopen' }, { session }).exec(),
    ]);
    return { close, reopen };
  }

  async castCloseVote(input: CloseInput & { kind: 'close' | 'reopen' }, threshold: number): Promise<{ tally: CloseVoteTally; changed: boolean }> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    return this.ctx.tx(async (session) => {
      const q = await this.liveQuestion(input.questionId, session);
      const state = await this.state(q._id, session);
      const closed = state.closedAt !== null;
      if (input.kind === 'close' && closed) throw new ConflictError('mod.alreadyClosed');
      if (input.kind === 'reopen' && !closed) throw new ConflictError('mod.notClosed');
      let duplicateOf: number | null = null;
      if (input.kind === 'close' && input.reason === 'duplicate') {
        const original = await this.liveQuestion(input.duplicateOf ?? '', session);
        if (original._id === q._id) throw new ConflictError('mod.duplicateOfItself');
        duplicateOf = original._id;
      }
      try {
        await this.m.closeVotes.create(
          [{ questionId: q._id, userId: parseId(input.actorId)!, kind: input.kind, reason: input.kind === 'close' ? input.reason : '', duplicateOf, createdAt: input.now }],
          { session },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new ConflictError('mod.alreadyVoted');
        throw err;
      }
      const tally = await this.tally(q._id, session);
      if (input.kind === 'close' && tally.close >= threshold) {
        const votes = await this.m.closeVotes.find({ questionId: q._id, kind: 'close' }, null, { session }).sort({ createdAt: 1 }).lean<Array<{ reason: string; duplicateOf: number | null }>>().exec();
        const counts = new Map<string, { n: number; reason: string; duplicateOf: number | null }>();
        for (const v of votes) {
          const key = `${v.reason}:${v.duplicateOf ?? ''}`;
          const c = counts.get(key) ?? { n: 0, reason: v.reason, duplicateOf: v.duplicateOf ?? null };
          c.n++;
          counts.set(key, c);
        }
        // Most votes first; Map keeps first-vote order, so the earliest reason wins a tie.
        const top = [...counts.values()].reduce((a, b) => (b.n > a.n ? b : a));
        await this.closeNow(q, { ...input, reason: top.reason as CloseReason, duplicateOf: idOrNull(top.duplicateOf) }, 'votes', session, auditId);
        return { tally: await this.tally(q._id, session), changed: true };
      }
      if (input.kind === 'reopen' && tally.reopen >= threshold) {
        await this.reopenNow(q, input.actorId, input.note, input.now, 'votes', session, auditId);
        return { tally: await this.tally(q._id, session), changed: true };
      }
      return { tally, changed: false };
    });
  }

  async closeVotes(questionId: string, userId: string | null): Promise<CloseVoteTally & { mine: Array<'close' | 'reopen'> }> {
    const q = parseId(questionId);
    if (q === null) return { close: 0, reopen: 0, mine: [] };
    const u = userId === null ? null : parseId(userId);
    const mine = u === null ? [] : (await this.m.closeVotes.find({ questionId: q, userId: u }).lean<Array<{ kind: 'close' | 'reopen' }>>().exec()).map((v) => v.kind);
    return { ...(await this.tally(q)), mine };
  }

  async lock(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => {
      const p = await this.post(postId, session);
      if ((p.deletedAt ?? null) !== null) throw new NotFoundError('qa.postNotFound');
      const state = await this.state(p._id, session);
      if (state.lockedAt !== null) throw new ConflictError('mod.alreadyLocked');
      await this.setState(p._id, { lockedAt: now, lockedBy: parseId(actorId), lockReason: reason }, session);
      await this.audit({ actorId, action: 'post.lock', communityId: String(p.communityId), targetType: 'post', targetId: String(p._id), reason, now }, session, auditId);
    });
  }

  async unlock(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => {
      const p = await this.post(postId, session);
      const state = await this.state(p._id, session);
      if (state.lockedAt === null) throw new ConflictError('mod.notLocked');
      await this.setState(p._id, { lockedAt: null, lockedBy: null, lockReason: '' }, session);
      await this.audit(
        { actorId, action: 'post.unlock', communityId: String(p.communityId), targetType: 'post', targetId: String(p._id), reason, before: JSON.stringify({ reason: state.lockReason }), now },
        session,
        auditId,
      );
    });
  }

  /** As the SQLite backend: reputation from votes, answer count, question and tag counts, and the search outbox. */
  private async applyCounts(p: PostDoc, sign: 1 | -1, session: ClientSession): Promise<void> {
    const votes = await this.m.votes.find({ postId: p._id }, { value: 1 }, { session }).lean<Array<Pick<VoteDoc, 'value'>>>().exec();
    const rep = votes.reduce((sum, v) => sum + reputationForVote(p.type, v.value as VoteValue), 0);
    if (rep !== 0) await this.m.users.updateOne({ _id: p.authorId }, { $inc: { reputation: sign * rep } }, { session }).exec();
    const docIds = [searchDocIdOf(p.type, p._id)];
    if (p.type === 'answer' && p.questionId !== undefined) {
      await this.m.posts.updateOne({ _id: p.questionId }, { $inc: { answerCount: sign } }, { session }).exec();
      docIds.push(searchDocIdOf('question', p.questionId));
    } else if (p.type === 'question') {
      await this.m.communities.updateOne({ _id: p.communityId }, { $inc: { questionCount: sign } }, { session }).exec();
      if (p.tags?.length) await this.m.tags.updateMany({ communityId: p.communityId, name: { $in: p.tags } }, { $inc: { questionCount: sign } }, { session }).exec();
      const answers = await this.m.posts.find({ questionId: p._id, type: 'answer' }, { _id: 1 }, { session }).lean<Array<{ _id: number }>>().exec();
      for (const a of answers) docIds.push(searchDocIdOf('answer', a._id));
    }
    await this.ctx.enqueueSearch(docIds, session);
  }

  async softDelete(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => {
      const p = await this.post(postId, session);
      const state = await this.state(p._id, session);
      const deleted = (p.deletedAt ?? null) !== null;
      if (deleted && state.hiddenAt === null) throw new ConflictError('mod.alreadyDeleted');
      if (!deleted) {
        await this.m.posts.updateOne({ _id: p._id }, { $set: { deletedAt: now } }, { session }).exec();
        await this.applyCounts(p, -1, session);
      }
      await this.setState(p._id, { deletedBy: parseId(actorId), deleteReason: reason, hiddenAt: null }, session);
      await this.audit({ actorId, action: 'post.delete', communityId: String(p.communityId), targetType: 'post', targetId: String(p._id), reason, now }, session, auditId);
    });
  }

  async undelete(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => {
      const p = await this.post(postId, session);
      if ((p.deletedAt ?? null) === null) throw new ConflictError('mod.notDeleted');
      const state = await this.state(p._id, session);
      await this.m.posts.updateOne({ _id: p._id }, { $set: { deletedAt: null } }, { session }).exec();
      await this.applyCounts(p, 1, session);
      await this.setState(p._id, { deletedBy: null, deleteReason: '', hiddenAt: null }, session);
      await this.audit(
        {
          actorId,
          action: 'post.undelete',
          communityId: String(p.communityId),
          targetType: 'post',
          targetId: String(p._id),
          reason,
          before: JSON.stringify({ reason: state.deleteReason, hidden: state.hiddenAt !== null }),
          now,
        },
        session,
        auditId,
      );
    });
  }

  async addFlag(input: FlagInput, hideThreshold: number): Promise<{ openFlags: number; hidden: boolean }> {
    const [flagId, auditId] = [await this.ctx.reserveId(SEQUENCES.flags), await this.ctx.reserveId(SEQUENCES.auditLog)];
    return this.ctx.tx(async (session) => {
      const p = await this.post(input.postId, session);
      if ((p.deletedAt ?? null) !== null) throw new NotFoundError('qa.postNotFound');
      try {
        await this.m.flags.create(
          [{ _id: flagId, postId: p._id, communityId: p.communityId, userId: parseId(input.userId)!, reason: input.reason, text: input.text, createdAt: input.now, resolvedAt: null, resolvedBy: null, outcome: null }],
          { session },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new ConflictError('mod.flag.already');
        throw err;
      }
      const open = await this.m.flags.find({ postId: p._id, resolvedAt: null }, { reason: 1 }, { session }).lean<Array<{ reason: string }>>().exec();
      const hiding = open.filter((f) => (HIDING_FLAG_REASONS as readonly string[]).includes(f.reason)).length;
      if (hiding < hideThreshold) return { openFlags: open.length, hidden: false };
      await this.m.posts.updateOne({ _id: p._id }, { $set: { deletedAt: input.now } }, { session }).exec();
      await this.applyCounts(p, -1, session);
      await this.setState(p._id, { hiddenAt: input.now, deletedBy: null, deleteReason: '' }, session);
      await this.audit({ actorId: null, action: 'post.hide', communityId: String(p.communityId), targetType: 'post', targetId: String(p._id), reason: '', after: JSON.stringify({ flags: hiding }), now: input.now }, session, auditId);
      return { openFlags: open.length, hidden: true };
    });
  }

  async flagQueue(communityId: string | null, sort: ReviewSort, limit: number): Promise<FlaggedPost[]> {
    const c = communityId === null ? null : parseId(communityId);
    if (communityId !== null && c === null) return [];
    const open = await this.m.flags.find({ resolvedAt: null, ...(c === null ? {} : { communityId: c }) }).sort({ createdAt: -1, _id: -1 }).lean<FlagDoc[]>().exec();
    const byPost = new Map<number, FlaggedPost>();
    for (const d of open) {
      const item = byPost.get(d.postId) ?? { postId: String(d.postId), communityId: String(d.communityId), flags: [], latestAt: d.createdAt };
      item.flags.push(mapFlag(d));
      byPost.set(d.postId, item);
    }
    const items = [...byPost.values()];
    const newest = (a: FlaggedPost, b: FlaggedPost) => b.latestAt - a.latestAt;
    const most = (a: FlaggedPost, b: FlaggedPost) => b.flags.length - a.flags.length;
    items.sort((a, b) => (sort === 'most' ? most(a, b) || newest(a, b) : newest(a, b) || most(a, b)) || Number(b.postId) - Number(a.postId));
    return items.slice(0, Math.max(1, Math.min(200, Math.floor(limit))));
  }

  async openFlagCounts(): Promise<Map<string, number>> {
    const rows = await this.m.flags.aggregate<{ _id: number; n: number }>([
      { $match: { resolvedAt: null } },
      { $group: { _id: { c: '$communityId', p: '$postId' } } },
      { $group: { _id: '$_id.c', n: { $sum: 1 } } },
    ]).exec();
    return new Map(rows.map((r) => [String(r._id), r.n]));
  }

  async resolveFlags(postId: string, actorId: string, outcome: FlagOutcome, reason: string, now: number): Promise<string[]> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    return this.ctx.tx(async (session) => {
      const p = await this.post(postId, session);
      // The open flags read in the transaction are the ones resolved (their flaggers get told).
      const open = await this.m.flags.find({ postId: p._id, resolvedAt: null }, { _id: 1, userId: 1 }, { session }).lean<Array<{ _id: number; userId: number }>>().exec();
      const resolved = open.length === 0 ? 0 : (await this.m.flags.updateMany({ _id: { $in: open.map((f) => f._id) }, resolvedAt: null }, { $set: { resolvedAt: now, resolvedBy: parseId(actorId), outcome } }, { session }).exec()).modifiedCount;
      if (resolved === 0) throw new ConflictError('mod.flag.noneOpen');
      const state = await this.state(p._id, session);
      if (outcome === 'dismissed' && state.hiddenAt !== null && (p.deletedAt ?? null) !== null) {
        await this.m.posts.updateOne({ _id: p._id }, { $set: { deletedAt: null } }, { session }).exec();
        await this.applyCounts(p, 1, session);
        await this.setState(p._id, { hiddenAt: null }, session);
      }
      await this.audit({ actorId, action: 'flags.resolve', communityId: String(p.communityId), targetType: 'post', targetId: String(p._id), reason, after: JSON.stringify({ outcome, flags: resolved }), now }, session, auditId);
      return open.map((f) => String(f.userId));
    });
  }

  async flagsByUser(userId: string, limit: number): Promise<Flag[]> {
    const u = parseId(userId);
    if (u === null) return [];
    return (await this.m.flags.find({ userId: u }).sort({ createdAt: -1, _id: -1 }).limit(Math.max(1, Math.floor(limit))).lean<FlagDoc[]>().exec()).map(mapFlag);
  }

  async flaggedBy(userId: string, postIds: string[]): Promise<Set<string>> {
    const u = parseId(userId);
    const ids = parseIds(postIds);
    if (u === null || ids.length === 0) return new Set();
    return new Set((await this.m.flags.find({ userId: u, postId: { $in: ids } }, { postId: 1 }).lean<Array<{ postId: number }>>().exec()).map((d) => String(d.postId)));
  }

  async suspend(input: SuspensionInput): Promise<Suspension> {
    const userId = parseId(input.userId);
    if (userId === null) throw new NotFoundError('user.notFound');
    const [id, auditId] = [await this.ctx.reserveId(SEQUENCES.suspensions), await this.ctx.reserveId(SEQUENCES.auditLog)];
    return this.ctx.tx(async (session) => {
      if (!(await this.m.users.exists({ _id: userId }).session(session))) throw new NotFoundError('user.notFound');
      const doc: SuspensionDoc = { _id: id, userId, communityId: input.communityId === null ? null : parseId(input.communityId), reason: input.reason, endsAt: input.endsAt, createdBy: parseId(input.actorId)!, createdAt: input.now, liftedAt: null, liftedBy: null };
      await this.m.suspensions.create([doc], { session });
      await this.m.sessions.deleteMany({ userId }, { session }).exec();
      await this.audit({ actorId: input.actorId, action: 'user.suspend', communityId: input.communityId, targetType: 'user', targetId: String(userId), reason: input.reason, after: JSON.stringify({ endsAt: input.endsAt, siteWide: input.communityId === null }), now: input.now }, session, auditId);
      return mapSuspension(doc);
    });
  }

  async unsuspend(suspensionId: string, actorId: string, reason: string, now: number): Promise<Suspension> {
    const id = parseId(suspensionId);
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    return this.ctx.tx(async (session) => {
      const doc = id === null ? null : await this.m.suspensions.findById(id, null, { session }).lean<SuspensionDoc>().exec();
      if (!doc) throw new NotFoundError('mod.suspension.notFound');
      if (doc.liftedAt !== null || (doc.endsAt !== null && doc.endsAt <= now)) throw new ConflictError('mod.suspension.notActive');
      await this.m.suspensions.updateOne({ _id: doc._id }, { $set: { liftedAt: now, liftedBy: parseId(actorId) } }, { session }).exec();
      await this.audit({ actorId, action: 'user.unsuspend', communityId: idOrNull(doc.communityId), targetType: 'user', targetId: String(doc.userId), reason, before: JSON.stringify({ reason: doc.reason, endsAt: doc.endsAt }), now }, session, auditId);
      return mapSuspension({ ...doc, liftedAt: now, liftedBy: parseId(actorId) });
    });
  }

  async findSuspension(id: string): Promise<Suspension | null> {
    const n = parseId(id);
    const doc = n === null ? null : await this.m.suspensions.findById(n).lean<SuspensionDoc>().exec();
    return doc ? mapSuspension(doc) : null;
  }

  async activeSuspensions(userId: string, now: number): Promise<Suspension[]> {
    const u = parseId(userId);
    if (u === null) return [];
    const docs = await this.m.suspensions.find({ userId: u, liftedAt: null, $or: [{ endsAt: null }, { endsAt: { $gt: now } }] }).sort({ createdAt: -1 }).lean<SuspensionDoc[]>().exec();
    return docs.map(mapSuspension).sort((a, b) => Number(a.communityId !== null) - Number(b.communityId !== null));
  }

  async saveSetting(key: string, value: string, actorId: string, now: number): Promise<void> {
    const auditId = await this.ctx.reserveId(SEQUENCES.auditLog);
    await this.ctx.tx(async (session) => {
      const before = (await this.m.meta.findById(key, null, { session }).lean<{ value: string }>().exec())?.value ?? null;
      await this.m.meta.updateOne({ _id: key }, { $set: { value } }, { upsert: true, session }).exec();
      await this.audit({ actorId, action: 'settings.update', communityId: null, targetType: 'settings', targetId: key, reason: '', before, after: value, now }, session, auditId);
    });
  }
}
