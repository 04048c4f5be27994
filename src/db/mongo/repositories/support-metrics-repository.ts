import type { AcceptedAnswer, ActiveMember, AnswerCount, Asker, DailyAggregate, HelpfulCount, SelfServiceEvent, SelfServiceKind, SupportFactEvent, SupportMetricsRepository } from '../../support-metrics-port.js';
import type { SupportRating, SupportTicket } from '../../../domain/support-types.js';
import { idString, parseId } from '../ids.js';
import { deleteMany, findMany, insert, type MongoContext } from './context.js';
import { ticketOf } from './support-repository.js';

/*
 * The dashboard's facts and daily aggregates on MongoDB: plain range finds (the aggregation
 * itself happens in the service, the same for both backends) and a day replaced in one
 * transaction.
 */
export class MongoSupportMetricsRepository implements SupportMetricsRepository {
  constructor(private readonly ctx: MongoContext) {}

  private get m() {
    return this.ctx.models;
  }

  async recordSelfService(e: SelfServiceEvent): Promise<void> {
    await this.recordSelfServiceMany([e]);
  }

  async recordSelfServiceMany(events: readonly SelfServiceEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.m.supportSelfService.insertMany(
      events.map((e) => ({ kind: e.kind, browserId: e.browserId, communityId: e.communityId === null ? null : parseId(e.communityId), at: e.at })),
    );
  }

  async selfServiceBetween(from: number, to: number): Promise<SelfServiceEvent[]> {
    const docs = await findMany(this.m.supportSelfService, { filter: { at: { $gte: from, $lt: to } }, sort: { at: 1, _id: 1 } });
    return docs.map((d) => ({ kind: d.kind as SelfServiceKind, browserId: d.browserId, communityId: d.communityId === null || d.communityId === undefined ? null : idString(d.communityId), at: d.at }));
  }

  async ticketsTouchedBetween(from: number, to: number): Promise<SupportTicket[]> {
    const range = { $gte: from, $lt: to };
    const docs = await findMany(this.m.supportTickets, { filter: { $or: [{ openedAt: range }, { firstStaffResponseAt: range }, { resolvedAt: range }] }, sort: { _id: 1 } });
    if (docs.length === 0) return [];
    const live = new Set((await findMany(this.m.posts, { filter: { _id: { $in: docs.map((d) => d._id) }, deletedAt: null }, projection: { _id: 1 } })).map((p) => p._id));
    return docs.filter((d) => live.has(d._id)).map(ticketOf);
  }

  async eventsBetween(kinds: string[], from: number, to: number): Promise<SupportFactEvent[]> {
    if (kinds.length === 0) return [];
    const events = await findMany(this.m.supportEvents, { filter: { kind: { $in: kinds }, at: { $gte: from, $lt: to } }, sort: { at: 1, _id: 1 } });
    if (events.length === 0) return [];
    const tickets = new Map((await findMany(this.m.supportTickets, { filter: { _id: { $in: [...new Set(events.map((e) => e.questionId))] } }, projection: { _id: 1, communityId: 1 } })).map((t) => [t._id, t.communityId]));
    return events.flatMap((e) => {
      const c = tickets.get(e.questionId);
      return c === undefined ? [] : [{ questionId: idString(e.questionId), communityId: idString(c), kind: e.kind, at: e.at }];
    });
  }

  async ratingsBetween(from: number, to: number): Promise<SupportRating[]> {
    const docs = await findMany(this.m.supportRatings, { filter: { createdAt: { $gte: from, $lt: to } }, sort: { _id: 1 } });
    return docs.map((r) => ({ questionId: idString(r._id), communityId: idString(r.communityId), askerId: idString(r.askerId), score: r.score, comment: r.comment, createdAt: r.createdAt, updatedAt: r.updatedAt }));
  }

  async answersBetween(from: number, to: number): Promise<AnswerCount[]> {
    const docs = await findMany(this.m.posts, { filter: { type: 'answer', createdAt: { $gte: from, $lt: to }, deletedAt: null }, projection: { communityId: 1, authorId: 1 } });
    const counts = new Map<string, AnswerCount>();
    for (const d of docs) {
      const key = `${d.communityId}:${d.authorId}`;
      const c = counts.get(key) ?? { communityId: idString(d.communityId), authorId: idString(d.authorId), count: 0 };
      c.count += 1;
      counts.set(key, c);
    }
    return [...counts.values()].sort((a, b) => Number(a.communityId) - Number(b.communityId) || Number(a.authorId) - Number(b.authorId));
  }

  async faqHelpfulBetween(from: number, to: number): Promise<HelpfulCount[]> {
    const votes = await findMany(this.m.faqHelpfulVotes, { filter: { createdAt: { $gte: from, $lt: to } }, projection: { entryId: 1, helpful: 1 } });
    if (votes.length === 0) return [];
    const entries = new Map((await findMany(this.m.faqEntries, { filter: { _id: { $in: [...new Set(votes.map((v) => v.entryId))] } }, projection: { _id: 1, communityId: 1 } })).map((e) => [e._id as unknown as number, e.communityId]));
    const counts = new Map<string, HelpfulCount>();
    for (const v of votes) {
      const c = entries.get(v.entryId);
      if (c === undefined) continue;
      const key = `${c}:${v.helpful}`;
      const row = counts.get(key) ?? { communityId: idString(c), helpful: v.helpful, count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    return [...counts.values()].sort((a, b) => Number(a.communityId) - Number(b.communityId) || Number(a.helpful) - Number(b.helpful));
  }

  async acceptedBetween(from: number, to: number): Promise<AcceptedAnswer[]> {
    const tickets = await findMany(this.m.supportTickets, { filter: { resolvedAt: { $gte: from, $lt: to } }, projection: { _id: 1, communityId: 1 }, sort: { _id: 1 } });
    if (tickets.length === 0) return [];
    const questions = await findMany(this.m.posts, { filter: { _id: { $in: tickets.map((t) => t._id) }, deletedAt: null }, projection: { _id: 1, acceptedAnswerId: 1 } });
    const acceptedOf = new Map(questions.filter((q) => q.acceptedAnswerId != null).map((q) => [q._id, q.acceptedAnswerId!]));
    if (acceptedOf.size === 0) return [];
    const authors = new Map((await findMany(this.m.posts, { filter: { _id: { $in: [...acceptedOf.values()] }, deletedAt: null }, projection: { _id: 1, authorId: 1 } })).map((a) => [a._id, a.authorId]));
    const staff = await findMany(this.m.memberships, {
      filter: { communityId: { $in: [...new Set(tickets.map((t) => t.communityId))] }, userId: { $in: [...new Set(authors.values())] }, role: 'staff' },
      projection: { communityId: 1, userId: 1 },
    });
    const isStaff = new Set(staff.map((m) => `${m.communityId}:${m.userId}`));
    return tickets.flatMap((t) => {
      const answer = acceptedOf.get(t._id);
      const author = answer === undefined ? undefined : authors.get(answer);
      return author === undefined ? [] : [{ communityId: idString(t.communityId), questionId: idString(t._id), byStaff: isStaff.has(`${t.communityId}:${author}`) }];
    });
  }

  async activeMembersBetween(from: number, to: number): Promise<ActiveMember[]> {
    const range = { $gte: from, $lt: to };
    const posts = await findMany(this.m.posts, { filter: { createdAt: range, deletedAt: null }, projection: { communityId: 1, authorId: 1 } });
    const comments = await findMany(this.m.comments, { filter: { createdAt: range, deletedAt: null }, projection: { postId: 1, authorId: 1 } });
    const commented = comments.length === 0 ? [] : await findMany(this.m.posts, { filter: { _id: { $in: [...new Set(comments.map((c) => c.postId))] }, deletedAt: null }, projection: { _id: 1, communityId: 1 } });
    const communityOf = new Map(commented.map((p) => [p._id, p.communityId]));
    const pairs = new Map<string, ActiveMember>();
    const add = (communityId: number, userId: number) => pairs.set(`${communityId}:${userId}`, { communityId: idString(communityId), userId: idString(userId) });
    for (const p of posts) add(p.communityId, p.authorId);
    for (const c of comments) {
      const community = communityOf.get(c.postId);
      if (community !== undefined) add(community, c.authorId);
    }
    return [...pairs.values()].sort((a, b) => Number(a.communityId) - Number(b.communityId) || Number(a.userId) - Number(b.userId));
  }

  async askersBetween(from: number, to: number): Promise<Asker[]> {
    const questions = await findMany(this.m.posts, { filter: { type: 'question', createdAt: { $gte: from, $lt: to }, deletedAt: null }, projection: { communityId: 1, authorId: 1 } });
    if (questions.length === 0) return [];
    const askers = new Map<string, Asker>();
    for (const q of questions) {
      const key = `${q.communityId}:${q.authorId}`;
      const a = askers.get(key) ?? { communityId: idString(q.communityId), userId: idString(q.authorId), count: 0, askedBefore: false };
      a.count += 1;
      askers.set(key, a);
    }
    // "Before" is before `from`: nothing of theirs lies between `from` and their first question in the range.
    const earlier = await findMany(this.m.posts, {
      filter: { type: 'question', authorId: { $in: [...new Set(questions.map((q) => q.authorId))] }, createdAt: { $lt: from }, deletedAt: null },
      projection: { communityId: 1, authorId: 1 },
    });
    for (const e of earlier) {
      const a = askers.get(`${e.communityId}:${e.authorId}`);
      if (a) a.askedBefore = true;
    }
    return [...askers.values()].sort((a, b) => Number(a.communityId) - Number(b.communityId) || Number(a.userId) - Number(b.userId));
  }

  async replaceDay(day: string, rows: DailyAggregate[]): Promise<void> {
    await this.ctx.tx(async (session) => {
      await deleteMany(this.m.supportDaily, { filter: { day } }, session);
      if (rows.length > 0)
        await insert(
          this.m.supportDaily,
          rows.map((r) => {
            const c = r.communityId === '0' ? 0 : (parseId(r.communityId) ?? 0);
            return { _id: `${c}:${day}:${r.metric}:${r.dim}`, communityId: c, day, metric: r.metric, dim: r.dim, value: r.value, detail: Array.from(r.detail) };
          }),
          session,
        );
    });
  }

  async readDaily(communityId: string | null, fromDay: string, toDay: string, metrics?: readonly string[]): Promise<DailyAggregate[]> {
    if (metrics && metrics.length === 0) return [];
    const filter: Record<string, unknown> = { day: { $gte: fromDay, $lte: toDay } };
    if (metrics) filter.metric = { $in: [...metrics] };
    if (communityId !== null) filter.communityId = communityId === '0' ? 0 : (parseId(communityId) ?? -1);
    const docs = await findMany(this.m.supportDaily, { filter, sort: { day: 1, communityId: 1, metric: 1, dim: 1 } });
    return docs.map((d) => ({ communityId: String(d.communityId), day: d.day, metric: d.metric, dim: d.dim ?? '', value: d.value, detail: d.detail ?? [] }));
  }

  async latestDay(): Promise<string | null> {
    const [d] = await findMany(this.m.supportDaily, { filter: {}, sort: { day: -1 }, limit: 1, projection: { day: 1 } });
    return d?.day ?? null;
  }

  async earliestTicket(): Promise<number | null> {
    const [d] = await findMany(this.m.supportTickets, { filter: {}, sort: { openedAt: 1 }, limit: 1, projection: { openedAt: 1 } });
    return d?.openedAt ?? null;
  }
}
