import type { AcceptedAnswer, ActiveMember, AnswerCount, Asker, DailyAggregate, Detail, HelpfulCount, SelfServiceEvent, SupportFactEvent } from '../db/support-metrics-port.js';
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
  /** FAQ helpful votes of the day. */
  helpful?: HelpfulCount[];
  /** Questions resolved on the day with an accepted answer. */
  accepted?: AcceptedAnswer[];
  /** Members who asked, answered or commented on the day. */
  active?: ActiveMember[];
  /** Members who asked on the day. */
  askers?: Asker[];
}

/**
 * Answers per member are packed into one row per community and day (detail: member id,
 * count, member id, count, ...): a year of a busy community is then 365 rows instead of one
 * row per member and day, which kept long ranges slow.
 */
export const ANSWERS_BY_MEMBER = 'answers_by';
/** Members active (asked, answered or commented) on the day, packed: detail is their ids. */
export const ACTIVE_MEMBERS = 'active_by';
/**
 * Members who asked on the day, packed as pairs (member id, 1 when returning: they had asked
 * in the community before that day or asked more than once that day, else 0).
 */
export const ASKERS = 'askers_by';
const PACKED = new Set([ANSWERS_BY_MEMBER, ACTIVE_MEMBERS, ASKERS]);
export const PACKED_METRICS = [ANSWERS_BY_MEMBER, ACTIVE_MEMBERS, ASKERS] as const;
/** Every other metric aggregateDay writes (the dashboard reads these day by day). */
export const DAILY_METRICS = ['opened', 'frt', 'frt_within', 'resolved', 'reopened', 'rating', 'answers', 'ss_search', 'ss_faq_view', 'ss_similar', 'faq_helpful', 'accepted'] as const;

/*
 * Monthly roll-ups of the packed member lists. A member list grows with the days it covers
 * (a year of a busy community is millions of ids, most of them repeats), so each calendar month
 * also gets one row per community and packed metric with the month's members merged: a range
 * reads the roll-ups of the months it covers whole and day rows only for the months it cuts.
 * They are stored under the day key "YYYY-MM-00", which sorts just before the month's first day
 * and is never a real day, with their own metric names, so day reads never meet them.
 */
export const MONTHLY_METRIC: Readonly<Record<(typeof PACKED_METRICS)[number], string>> = { [ANSWERS_BY_MEMBER]: 'answers_by_m', [ACTIVE_MEMBERS]: 'active_by_m', [ASKERS]: 'askers_by_m' };
export const monthKey = (month: string): string => `${month}-00`;

/** The roll-up rows of one month from its days' packed rows (all communities). */
export function rollupMonth(month: string, rows: readonly DailyAggregate[]): DailyAggregate[] {
  const by = new Map<string, DailyAggregate[]>();
  for (const r of rows) {
    if (!PACKED.has(r.metric)) continue;
    const key = `${r.communityId}\u0000${r.metric}`;
    (by.get(key) ?? by.set(key, []).get(key)!).push(r);
  }
  const out: DailyAggregate[] = [];
  for (const group of by.values()) {
    const { communityId, metric } = group[0]!;
    let detail: number[];
    if (metric === ACTIVE_MEMBERS) detail = [...unpackIds(group)].sort((a, b) => a - b);
    else if (metric === ASKERS) detail = [...unpackAskerFlags(group)].sort((a, b) => a[0] - b[0]).flat();
    else detail = [...unpackCounts(group)].sort((a, b) => a[0] - b[0]).flat();
    const value = metric === ACTIVE_MEMBERS ? detail.length : detail.length / 2;
    out.push({ communityId, day: monthKey(month), metric: MONTHLY_METRIC[metric as (typeof PACKED_METRICS)[number]], dim: '', value, detail });
  }
  return out;
}

/** The member id -> answers pairs of packed rows, summed (numeric keys: a year is ~200k pairs). */
export function unpackCounts(rows: readonly DailyAggregate[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) {
    const d = r.detail;
    for (let i = 0; i + 1 < d.length; i += 2) out.set(d[i]!, (out.get(d[i]!) ?? 0) + d[i + 1]!);
  }
  return out;
}

/** The distinct member ids of ACTIVE_MEMBERS rows. */
export function unpackIds(rows: readonly DailyAggregate[]): Set<number> {
  const out = new Set<number>();
  for (const r of rows) for (const id of r.detail) out.add(id);
  return out;
}

/** Each asker of ASKERS rows with 1 when returning on any of the days, else 0. */
function unpackAskerFlags(rows: readonly DailyAggregate[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) {
    const d = r.detail;
    for (let i = 0; i + 1 < d.length; i += 2) if (d[i + 1] === 1 || !out.has(d[i]!)) out.set(d[i]!, d[i + 1] === 1 ? 1 : 0);
  }
  return out;
}

/** Distinct askers of ASKERS rows, and those of them who were returning on any day. */
export function unpackAskers(rows: readonly DailyAggregate[]): { askers: number; returning: number } {
  const flags = unpackAskerFlags(rows);
  let returning = 0;
  for (const f of flags.values()) returning += f;
  return { askers: flags.size, returning };
}

type BuildingRow = Omit<DailyAggregate, 'detail'> & { detail: number[] };

class Acc {
  private readonly rows = new Map<string, BuildingRow>();
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
  for (const h of f.helpful ?? []) acc.add(h.communityId, 'faq_helpful', h.helpful ? 'yes' : 'no', h.count);
  for (const a of f.accepted ?? []) acc.add(a.communityId, 'accepted', a.byStaff ? 'staff' : 'customer', 1);
  for (const m of f.active ?? []) {
    acc.add(m.communityId, ACTIVE_MEMBERS, '', 1);
    acc.pack(m.communityId, ACTIVE_MEMBERS, [Number(m.userId)]);
  }
  for (const a of f.askers ?? []) {
    acc.add(a.communityId, ASKERS, '', 1);
    acc.pack(a.communityId, ASKERS, [Number(a.userId), a.askedBefore || a.count > 1 ? 1 : 0]);
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

/**
 * The value at quantile q (0..1) of several sorted lists taken together (nearest rank), without
 * merging them: a binary search over the value, counting with a binary search in each list.
 * A year is 365 lists of a few hundred durations; merging and sorting them was the dashboard's
 * largest cost for long ranges.
 */
export function quantileOfLists(lists: ReadonlyArray<Detail>, q: number): number | null {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lists) {
    if (l.length === 0) continue;
    n += l.length;
    if (l[0]! < lo) lo = l[0]!;
    if (l[l.length - 1]! > hi) hi = l[l.length - 1]!;
  }
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil(q * n)));
  const atMost = (v: number) => {
    let c = 0;
    for (const l of lists) {
      let a = 0;
      let b = l.length;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (l[mid]! <= v) a = mid + 1;
        else b = mid;
      }
      c += a;
    }
    return c;
  };
  // Durations are whole milliseconds: the smallest v with rank values at most v is a value of the lists.
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (atMost(mid) >= rank) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The value at quantile q (0..1) of sorted values, by the nearest-rank method; null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}
