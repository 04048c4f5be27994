import type { AnswerCount, DailyAggregate, SelfServiceEvent, SupportFactEvent } from '../db/support-metrics-port.js';
import { SITE_COMMUNITY } from '../db/support-metrics-port.js';
import type { SupportRating, SupportTicket } from './support-types.js';

/*
 * The dashboard's daily aggregates (issue 12), computed from one UTC day's facts. Each fact
 * counts on the day it happened (opened, first staff reply, resolved, reopened, rated,
 * answered, searched), so a day's numbers depend only on that day and the day after it (the
 * self-service look-ahead), which is why the job recomputes yesterday and today.
 */

export const DAY_MS = 86_400_000;
/** A search or FAQ view "ended without asking" when its browser posted no question within this. */
export const SELF_SERVICE_WINDOW_MS = DAY_MS;

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export interface DayFacts {
  day: string;
  tickets: SupportTicket[];
  reopened: SupportFactEvent[];
  ratings: SupportRating[];
  answers: AnswerCount[];
  /** Events of the day and the following SELF_SERVICE_WINDOW_MS (for the look-ahead). */
  selfService: SelfServiceEvent[];
}

/**
 * Answers per member are packed into one row per community and day (detail: member id,
 * count, member id, count, ...): a year of a busy community is then 365 rows instead of one
 * row per member and day, which kept long ranges slow.
 */
export const ANSWERS_BY_MEMBER = 'answers_by';
const PACKED = new Set([ANSWERS_BY_MEMBER]);

/** The member id -> answers pairs of packed rows, summed. */
export function unpackCounts(rows: readonly DailyAggregate[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows)
    for (let i = 0; i + 1 < r.detail.length; i += 2) {
      const id = String(r.detail[i]);
      out.set(id, (out.get(id) ?? 0) + r.detail[i + 1]!);
    }
  return out;
}

class Acc {
  private readonly rows = new Map<string, DailyAggregate>();
  constructor(private readonly day: string) {}
  add(communityId: string, metric: string, dim: string, value: number, duration?: number): void {
    const key = `${communityId}\u0000${metric}\u0000${dim}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { communityId, day: this.day, metric, dim, value: 0, detail: [] }));
    row.value += value;
    if (duration !== undefined) row.detail.push(Math.max(0, Math.round(duration)));
  }
  /** Appends raw numbers (pairs, kept in order) to a row's detail. */
  pack(communityId: string, metric: string, values: number[]): void {
    const key = `${communityId}\u0000${metric}\u0000`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { communityId, day: this.day, metric, dim: '', value: 0, detail: [] }));
    row.detail.push(...values);
  }
  list(): DailyAggregate[] {
    return [...this.rows.values()].map((r) => ({ ...r, detail: PACKED.has(r.metric) ? r.detail : [...r.detail].sort((a, b) => a - b) }));
  }
}

export function aggregateDay(f: DayFacts): DailyAggregate[] {
  const start = dayStart(f.day);
  const end = start + DAY_MS;
  const inDay = (t: number | null): t is number => t !== null && t >= start && t < end;
  const acc = new Acc(f.day);
  for (const t of f.tickets) {
    const c = t.communityId;
    if (inDay(t.openedAt)) {
      acc.add(c, 'opened', '', 1);
      if (t.urgent) acc.add(c, 'opened', 'urgent', 1);
    }
    if (inDay(t.firstStaffResponseAt)) {
      const ms = t.firstStaffResponseAt - t.openedAt;
      // Within target: answered before the breach escalation (or never breached).
      const within = t.breachedAt === null || t.breachedAt > t.firstStaffResponseAt ? 1 : 0;
      const dims = ['', ...(t.urgent ? ['urgent'] : []), ...(t.firstStaffResponderId ? [`staff:${t.firstStaffResponderId}`] : [])];
      for (const dim of dims) {
        acc.add(c, 'frt', dim, 1, ms);
        acc.add(c, 'frt_within', dim, within);
      }
    }
    if (inDay(t.resolvedAt)) acc.add(c, 'resolved', '', 1, t.resolvedAt - t.openedAt);
  }
  for (const e of f.reopened) if (inDay(e.at)) acc.add(e.communityId, 'reopened', '', 1);
  for (const r of f.ratings) if (inDay(r.createdAt)) acc.add(r.communityId, 'rating', `score:${r.score}`, 1);
  for (const a of f.answers) {
    acc.add(a.communityId, 'answers', '', a.count);
    acc.pack(a.communityId, ANSWERS_BY_MEMBER, [Number(a.authorId), a.count]);
  }
  selfService(f.selfService, start, end, acc);
  return acc.list();
}

const SELF_SERVICE_METRIC = { search: 'ss_search', faq_view: 'ss_faq_view', similar_click: 'ss_similar' } as const;

function selfService(events: SelfServiceEvent[], start: number, end: number, acc: Acc): void {
  const posts = new Map<string, number[]>();
  for (const e of events) if (e.kind === 'question_posted') (posts.get(e.browserId) ?? posts.set(e.browserId, []).get(e.browserId)!).push(e.at);
  for (const e of events) {
    if (e.kind === 'question_posted' || e.at < start || e.at >= end) continue;
    const metric = SELF_SERVICE_METRIC[e.kind];
    const asked = (posts.get(e.browserId) ?? []).some((t) => t > e.at && t <= e.at + SELF_SERVICE_WINDOW_MS);
    const c = e.communityId ?? SITE_COMMUNITY;
    acc.add(c, metric, '', 1);
    if (!asked) acc.add(c, metric, 'no_ask', 1);
  }
}

/** The value at quantile q (0..1) of sorted values, by the nearest-rank method; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
