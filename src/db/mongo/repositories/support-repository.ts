import type { SupportEventInput, SupportQueueQuery, SupportRepository } from '../../ports.js';
import type { EscalationLevel, ResponseKind, SupportEscalation, UnnotifiedEscalation, SupportEvent, SupportRating, SupportSettings, SupportTicket, TicketChanges, TicketStatus } from '../../../domain/support-types.js';
import { idOrNull, idString, parseId } from '../ids.js';
import { isDuplicateKeyError } from '../connection.js';
import type { SupportEscalationDoc, SupportTicketDoc } from '../models/index.js';
import { deletedQuestionsQuery, dueForEscalationQuery, queueFilter, queueQuery, questionsWithTagQuery } from '../queries/support.js';
import { countDocuments, findMany, findOne, findOneAndUpdate, insert, updateOne, type MongoContext } from './context.js';
import { Types, type ClientSession } from 'mongoose';

const ID_FIELDS = new Set(['assigneeId', 'firstStaffResponderId']);

export function ticketOf(d: SupportTicketDoc): SupportTicket {
  return {
    questionId: idString(d._id),
    communityId: idString(d.communityId),
    askerId: idString(d.askerId),
    urgent: d.urgent,
    urgentReason: d.urgentReason,
    status: d.status as TicketStatus,
    assigneeId: idOrNull(d.assigneeId),
    openedAt: d.openedAt,
    warnAt: d.warnAt ?? null,
    dueAt: d.dueAt ?? null,
    pausedRemainingMs: d.pausedRemainingMs ?? null,
    respondedAt: d.respondedAt ?? null,
    responseKind: (d.responseKind ?? null) as ResponseKind | null,
    firstStaffResponseAt: d.firstStaffResponseAt ?? null,
    firstStaffResponderId: idOrNull(d.firstStaffResponderId),
    resolvedAt: d.resolvedAt ?? null,
    reopenCount: d.reopenCount ?? 0,
    warnedAt: d.warnedAt ?? null,
    breachedAt: d.breachedAt ?? null,
    updatedAt: d.updatedAt,
  };
}

/** Domain ticket fields as stored: ids as numbers. */
function docFields(changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    out[k] = ID_FIELDS.has(k) ? (v === null ? null : parseId(v)) : v;
  }
  return out;
}

function escalationOf(d: SupportEscalationDoc): SupportEscalation {
  return { id: String(d._id), questionId: idString(d.questionId), communityId: idString(d.communityId), level: d.level as EscalationLevel, dueAt: d.dueAt, at: d.at, notifiedAt: d.notifiedAt ?? null };
}

export class MongoSupportRepository implements SupportRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get m() {
    return this.ctx.models;
  }

  async getSettings(communityId: string): Promise<SupportSettings | null> {
    const id = parseId(communityId);
    if (id === null) return null;
    const d = await findOne(this.m.supportSettings, { filter: { _id: id } });
    if (!d) return null;
    return {
      communityId,
      targetHours: d.targetHours,
      urgentHours: d.urgentHours,
      timeZone: d.timeZone,
      days: [...d.days],
      startMinute: d.startMinute,
      endMinute: d.endMinute,
      ackEn: d.ackEn,
      ackZh: d.ackZh,
      updatedBy: idOrNull(d.updatedBy),
      updatedAt: d.updatedAt,
    };
  }

  async saveSettings(s: SupportSettings): Promise<void> {
    const id = parseId(s.communityId);
    if (id === null) return;
    const { communityId: _c, updatedBy, ...rest } = s;
    await updateOne(this.m.supportSettings, { filter: { _id: id }, update: { $set: { ...rest, days: [...s.days], updatedBy: updatedBy === null ? null : parseId(updatedBy) } }, options: { upsert: true } });
  }

  private async addEvent(questionId: number, e: SupportEventInput, session?: ClientSession): Promise<void> {
    await insert(this.m.supportEvents, [{ _id: new Types.ObjectId(), questionId, actorId: e.actorId === null ? null : parseId(e.actorId), kind: e.kind, detail: e.detail ?? '', at: e.at }], session);
  }

  async openTicket(t: SupportTicket, event: SupportEventInput): Promise<void> {
    const q = parseId(t.questionId);
    const c = parseId(t.communityId);
    const a = parseId(t.askerId);
    if (q === null || c === null || a === null) return;
    const { questionId: _q, communityId: _c, askerId: _a, ...rest } = t;
    await this.ctx.tx(async (session) => {
      try {
        await insert(this.m.supportTickets, [{ _id: q, communityId: c, askerId: a, ...(docFields(rest) as object) } as SupportTicketDoc], session);
      } catch (err) {
        if (isDuplicateKeyError(err)) return;
        throw err;
      }
      await this.addEvent(q, event, session);
    });
  }

  async findTicket(questionId: string): Promise<SupportTicket | null> {
    const q = parseId(questionId);
    if (q === null) return null;
    const d = await findOne(this.m.supportTickets, { filter: { _id: q } });
    return d ? ticketOf(d) : null;
  }

  async updateTicket(questionId: string, changes: TicketChanges, event: SupportEventInput): Promise<SupportTicket | null> {
    const q = parseId(questionId);
    if (q === null) return null;
    return this.ctx.tx(async (session) => {
      const set = docFields(changes as Record<string, unknown>);
      const d = Object.keys(set).length
        ? await findOneAndUpdate(this.m.supportTickets, { filter: { _id: q }, update: { $set: set }, options: { returnDocument: 'after' } }, session)
        : await findOne(this.m.supportTickets, { filter: { _id: q } }, session);
      if (!d) return null;
      await this.addEvent(q, event, session);
      return ticketOf(d);
    });
  }

  async listEvents(questionId: string): Promise<SupportEvent[]> {
    const q = parseId(questionId);
    if (q === null) return [];
    const docs = await findMany(this.m.supportEvents, { filter: { questionId: q }, sort: { at: 1, _id: 1 } });
    return docs.map((d) => ({ id: String(d._id), questionId, actorId: idOrNull(d.actorId), kind: d.kind, detail: d.detail, at: d.at }));
  }

  async listQueue(query: SupportQueueQuery): Promise<SupportTicket[]> {
    const c = parseId(query.communityId);
    if (c === null) return [];
    let ids: number[] | null = null;
    if (query.tag !== undefined) ids = (await findMany(this.m.posts, questionsWithTagQuery(c, query.tag))).map((d) => (d as { _id: number })._id);
    const docs = await findMany(this.m.supportTickets, queueQuery(queueFilter(c, query.filter, parseId(query.viewerId), ids, await this.deletedQuestions(c)), query.offset, query.limit));
    return docs.map(ticketOf);
  }

  async countNeedsReply(communityId: string): Promise<number> {
    const c = parseId(communityId);
    if (c === null) return 0;
    return countDocuments(this.m.supportTickets, { filter: queueFilter(c, 'needs-reply', null, null, await this.deletedQuestions(c)) });
  }

  async countOverdue(communityId: string, now: number): Promise<number> {
    const c = parseId(communityId);
    if (c === null) return 0;
    return countDocuments(this.m.supportTickets, { filter: { ...queueFilter(c, 'needs-reply', null, null, await this.deletedQuestions(c)), dueAt: { $lte: now } } });
  }

  /** The community's deleted questions: their tickets leave the queue and its counts. */
  private async deletedQuestions(communityId: number): Promise<number[]> {
    return (await findMany(this.m.posts, deletedQuestionsQuery(communityId))).map((d) => (d as { _id: number })._id);
  }

  async unnotifiedEscalations(recordedBefore: number, limit: number): Promise<UnnotifiedEscalation[]> {
    const docs = await findMany(this.m.supportEscalations, { filter: { notifiedAt: null, at: { $lt: recordedBefore } }, sort: { at: 1, _id: 1 }, limit: Math.max(0, Math.floor(limit)) });
    if (docs.length === 0) return [];
    const tickets = await findMany(this.m.supportTickets, { filter: { _id: { $in: [...new Set(docs.map((d) => d.questionId))] } } });
    const byId = new Map(tickets.map((t) => [t._id, t]));
    return docs.flatMap((d) => {
      const t = byId.get(d.questionId);
      if (!t) return [];
      const stillDue = t.status === 'open' && (t.respondedAt ?? null) === null && (t.dueAt ?? null) === d.dueAt;
      return [{ ...escalationOf(d), assigneeId: idOrNull(t.assigneeId), stillDue }];
    });
  }

  async markEscalationNotified(questionId: string, level: EscalationLevel, dueAt: number, at: number): Promise<void> {
    const q = parseId(questionId);
    if (q === null) return;
    await updateOne(this.m.supportEscalations, { filter: { _id: `${q}:${level}:${dueAt}`, notifiedAt: null }, update: { $set: { notifiedAt: at } } });
  }

  async dueForEscalation(now: number, limit: number): Promise<SupportTicket[]> {
    return (await findMany(this.m.supportTickets, dueForEscalationQuery(now, limit))).map(ticketOf);
  }

  async recordEscalation(questionId: string, level: EscalationLevel, dueAt: number, now: number): Promise<boolean> {
    const q = parseId(questionId);
    if (q === null) return false;
    try {
      return await this.ctx.tx(async (session) => {
        const t = await findOne(this.m.supportTickets, { filter: { _id: q } }, session);
        if (!t) return false;
        await insert(this.m.supportEscalations, [{ _id: `${q}:${level}:${dueAt}`, questionId: q, communityId: t.communityId, level, dueAt, at: now, notifiedAt: null }], session);
        await updateOne(this.m.supportTickets, { filter: { _id: q }, update: { $set: level === 'warning' ? { warnedAt: now } : { breachedAt: now } } }, session);
        await this.addEvent(q, { actorId: null, kind: `escalated-${level}`, at: now }, session);
        return true;
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  async listEscalations(questionId: string): Promise<SupportEscalation[]> {
    const q = parseId(questionId);
    if (q === null) return [];
    const docs = await findMany(this.m.supportEscalations, { filter: { questionId: q }, sort: { at: 1, _id: 1 } });
    return docs.map(escalationOf);
  }

  async saveRating(r: SupportRating): Promise<void> {
    const q = parseId(r.questionId);
    const c = parseId(r.communityId);
    const a = parseId(r.askerId);
    if (q === null || c === null || a === null) return;
    await updateOne(this.m.supportRatings, {
      filter: { _id: q },
      update: { $set: { score: r.score, comment: r.comment, updatedAt: r.updatedAt }, $setOnInsert: { communityId: c, askerId: a, createdAt: r.createdAt } },
      options: { upsert: true },
    });
  }

  async findRating(questionId: string): Promise<SupportRating | null> {
    const q = parseId(questionId);
    if (q === null) return null;
    const d = await findOne(this.m.supportRatings, { filter: { _id: q } });
    return d ? { questionId, communityId: idString(d.communityId), askerId: idString(d.askerId), score: d.score, comment: d.comment, createdAt: d.createdAt, updatedAt: d.updatedAt } : null;
  }
}
