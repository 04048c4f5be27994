import type { MembershipRepository, UserRepository } from '../../db/ports.js';
import type { DailyAggregate, SupportMetricsRepository } from '../../db/support-metrics-port.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { ACTIVE_MEMBERS, ANSWERS_BY_MEMBER, ASKERS, DAILY_METRICS, DAY_MS, dayOf, dayStart, MONTHLY_METRIC, monthKey, PACKED_METRICS, quantileOfLists, unpackAskers, unpackCounts, unpackIds } from '../../domain/support-metrics.js';
import type { Community, User } from '../../domain/types.js';
import type { CommunityService } from '../communities/community-service.js';
import { canServe } from './support-service.js';
import { recomputeDay, recomputeMonth } from './daily-job.js';

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;
const TOP_CONTRIBUTORS = 10;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface DateRange {
  from: string;
  to: string;
  days: number;
}

export interface ResponseStats {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** Share answered within the target, 0..1; null when nothing was answered. */
  withinShare: number | null;
}

/** One period's numbers. */
export interface PeriodMetrics {
  response: ResponseStats;
  urgent: ResponseStats;
  opened: number;
  resolved: number;
  /** Resolved / opened in the period; null without questions. */
  resolutionRate: number | null;
  resolutionMedianMs: number | null;
  reopened: number;
  ratings: number;
  ratingAverage: number | null;
  /** Count per score 1..5. */
  distribution: [number, number, number, number, number];
  /** Ratings / resolved questions (at most 1). */
  ratingResponseRate: number | null;
  searches: number;
  searchesWithoutAsking: number;
  faqViews: number;
  faqViewsWithoutAsking: number;
  similarClicks: number;
  similarClicksWithoutPosting: number;
  answers: number;
  /** Members who answered. */
  answeringMembers: number;
  /** Members who asked, answered or commented. */
  activeMembers: number;
  faqHelpful: number;
  faqNotHelpful: number;
  /** Questions resolved with an accepted answer, by who wrote that answer. */
  acceptedByStaff: number;
  acceptedByCustomers: number;
  /** Distinct members who asked, and those of them who had asked before or asked again. */
  askers: number;
  returningAskers: number;
}

/** Members active (asked, answered or commented) in a calendar month, and how many of them also in the next. */
export interface CohortRow {
  month: string;
  active: number;
  /** Null while the next month has not begun. */
  retained: number | null;
}

export interface StaffRow {
  userId: string;
  name: string;
  stats: ResponseStats;
}

export interface DailyRow {
  day: string;
  opened: number;
  resolved: number;
  responseMedianMs: number | null;
}

export interface Dashboard {
  community: Community | null;
  range: DateRange;
  previous: DateRange;
  current: PeriodMetrics;
  before: PeriodMetrics;
  staff: StaffRow[];
  top: Array<{ userId: string; name: string; answers: number }>;
  daily: DailyRow[];
  cohorts: CohortRow[];
}

/** Parses the from/to query (YYYY-MM-DD, inclusive); default: the last 30 days up to today. */
export function parseRange(fromRaw: string | undefined, toRaw: string | undefined, now: number): DateRange {
  const today = dayOf(now);
  const to = toRaw || today;
  const from = fromRaw || dayOf(dayStart(to) - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  const valid = (d: string) => DAY.test(d) && !Number.isNaN(dayStart(d)) && dayOf(dayStart(d)) === d;
  const errors: Record<string, { key: string; params?: Record<string, number> }> = {};
  if (!valid(from)) errors.from = { key: 'support.dash.badDate' };
  if (!valid(to)) errors.to = { key: 'support.dash.badDate' };
  if (Object.keys(errors).length === 0) {
    const days = Math.round((dayStart(to) - dayStart(from)) / DAY_MS) + 1;
    if (days < 1) errors.to = { key: 'support.dash.toBeforeFrom' };
    else if (days > MAX_RANGE_DAYS) errors.to = { key: 'support.dash.tooLong', params: { max: MAX_RANGE_DAYS } };
    else return { from, to, days };
  }
  throw new ValidationError(errors);
}

export function previousRange(r: DateRange): DateRange {
  const to = dayOf(dayStart(r.from) - DAY_MS);
  return { from: dayOf(dayStart(to) - (r.days - 1) * DAY_MS), to, days: r.days };
}

/** Rows grouped by metric and dimension, so each figure is one lookup instead of a scan. */
class Index {
  private readonly byKey = new Map<string, DailyAggregate[]>();
  /** Dimensions seen per metric. */
  readonly dims = new Map<string, Set<string>>();
  constructor(rows: DailyAggregate[]) {
    for (const r of rows) {
      const key = `${r.metric}\u0000${r.dim}`;
      const list = this.byKey.get(key);
      if (list) list.push(r);
      else this.byKey.set(key, [r]);
      let d = this.dims.get(r.metric);
      if (!d) this.dims.set(r.metric, (d = new Set()));
      d.add(r.dim);
    }
  }
  rows(metric: string, dim = ''): DailyAggregate[] {
    return this.byKey.get(`${metric}\u0000${dim}`) ?? [];
  }
  sum(metric: string, dim = ''): number {
    let n = 0;
    for (const r of this.rows(metric, dim)) n += r.value;
    return n;
  }
}

function responseStats(ix: Index, dim: string): ResponseStats {
  const lists = ix.rows('frt', dim).map((r) => r.detail);
  const count = ix.sum('frt', dim);
  return { count, medianMs: quantileOfLists(lists, 0.5), p90Ms: quantileOfLists(lists, 0.9), withinShare: count > 0 ? ix.sum('frt_within', dim) / count : null };
}

export function periodMetrics(rows: DailyAggregate[]): PeriodMetrics {
  const ix = new Index(rows);
  const opened = ix.sum('opened');
  const resolved = ix.sum('resolved');
  const distribution = [1, 2, 3, 4, 5].map((s) => ix.sum('rating', `score:${s}`)) as PeriodMetrics['distribution'];
  const ratings = distribution.reduce((a, b) => a + b, 0);
  const authors = unpackCounts(ix.rows(ANSWERS_BY_MEMBER));
  const answers = ix.sum('answers');
  const askers = unpackAskers(ix.rows(ASKERS));
  return {
    response: responseStats(ix, ''),
    urgent: responseStats(ix, 'urgent'),
    opened,
    resolved,
    resolutionRate: opened > 0 ? resolved / opened : null,
    resolutionMedianMs: quantileOfLists(ix.rows('resolved').map((r) => r.detail), 0.5),
    reopened: ix.sum('reopened'),
    ratings,
    ratingAverage: ratings > 0 ? distribution.reduce((n, c, i) => n + c * (i + 1), 0) / ratings : null,
    distribution,
    // A question reopened by its rating is no longer resolved, so the share is capped at 100 %.
    ratingResponseRate: resolved > 0 ? Math.min(1, ratings / resolved) : null,
    searches: ix.sum('ss_search'),
    searchesWithoutAsking: ix.sum('ss_search', 'no_ask'),
    faqViews: ix.sum('ss_faq_view'),
    faqViewsWithoutAsking: ix.sum('ss_faq_view', 'no_ask'),
    similarClicks: ix.sum('ss_similar'),
    similarClicksWithoutPosting: ix.sum('ss_similar', 'no_ask'),
    answers,
    answeringMembers: authors.size,
    activeMembers: unpackIds(ix.rows(ACTIVE_MEMBERS)).size,
    faqHelpful: ix.sum('faq_helpful', 'yes'),
    faqNotHelpful: ix.sum('faq_helpful', 'no'),
    acceptedByStaff: ix.sum('accepted', 'staff'),
    acceptedByCustomers: ix.sum('accepted', 'customer'),
    askers: askers.askers,
    returningAskers: askers.returning,
  };
}

/**
 * The customer-service dashboard (issue 12): reads only the daily aggregates (support_daily),
 * never tickets, so a range costs the same at 100 or 100k questions. Per community for its
 * staff and moderators; site-wide for admins.
 */
/** How old today's aggregates may be when nothing was written through this instance (other instances' writes). */
const TODAY_REFRESH_MS = 60_000;

export class SupportDashboardService {
  constructor(
    private readonly repo: SupportMetricsRepository,
    private readonly communities: CommunityService,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly now: () => number = Date.now,
    /** Moves on every write this instance serves (services/content-generation.ts). */
    private readonly changes: { readonly value: number } | null = null,
  ) {}

  /** The day and change counter today's aggregates were last recomputed at, and the recompute in flight. */
  private refreshedAt: { day: string; generation: number } | null = null;
  private todayRefresh: Promise<void> | null = null;
  private lastRefreshMs = 0;

  /**
   * The daily job runs every 10 minutes; a staff member who just answered or a customer who
   * just rated expects today's figures to show it, so a range that ends today recomputes today
   * first (one day's facts) when anything was written since the last recompute here, one
   * recompute at a time. Writes served by other instances show within the TTL below.
   */
  private async refreshToday(today: string): Promise<void> {
    const generation = this.changes?.value ?? 0;
    const last = this.refreshedAt;
    if (last && last.day === today && last.generation === generation && this.now() - this.lastRefreshMs < TODAY_REFRESH_MS) return;
    this.todayRefresh ??= recomputeDay(this.repo, today)
      .then(() => recomputeMonth(this.repo, today.slice(0, 7)))
      .then(() => {
        this.refreshedAt = { day: today, generation };
        this.lastRefreshMs = this.now();
      })
      .finally(() => {
        this.todayRefresh = null;
      });
    await this.todayRefresh;
  }

  async forCommunity(user: User, slug: string, query: { from?: string; to?: string }): Promise<Dashboard> {
    const community = await this.communities.getBySlug(slug);
    if (community.kind !== 'business') throw new NotFoundError('support.notBusiness');
    const role = (await this.memberships.find(community.id, user.id))?.role ?? null;
    if (!canServe(user, role)) throw new ForbiddenError('support.queue.forbidden');
    return this.build(community, query);
  }

  async siteWide(user: User, query: { from?: string; to?: string }): Promise<Dashboard> {
    if (!user.isAdmin) throw new ForbiddenError();
    return this.build(null, query);
  }

  private async build(community: Community | null, query: { from?: string; to?: string }): Promise<Dashboard> {
    const range = parseRange(query.from, query.to, this.now());
    const today = dayOf(this.now());
    if (range.to >= today) await this.refreshToday(today);
    const previous = previousRange(range);
    const communityId = community?.id ?? null;
    const [rows, currentPacked, beforePacked] = await Promise.all([
      this.repo.readDaily(communityId, previous.from, range.to, DAILY_METRICS),
      this.packedRows(communityId, range),
      this.packedRows(communityId, previous),
    ]);
    const current = [...rows.filter((r) => r.day >= range.from), ...currentPacked];
    const before = [...rows.filter((r) => r.day <= previous.to), ...beforePacked];
    const ix = new Index(current);
    const staffIds = [...(ix.dims.get('frt') ?? [])].filter((d) => d.startsWith('staff:')).map((d) => d.slice(6));
    const answerCounts = [...unpackCounts(ix.rows(ANSWERS_BY_MEMBER))];
    const topIds = answerCounts
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, TOP_CONTRIBUTORS)
      .map(([id, n]) => [String(id), n] as const);
    const names = new Map((await this.users.findManyByIds([...new Set([...staffIds, ...topIds.map(([id]) => id)])])).map((u) => [u.id, u.username]));
    const byDay = new Map<string, DailyAggregate[]>();
    for (const r of current) if (r.metric === 'opened' || r.metric === 'resolved' || (r.metric === 'frt' && r.dim === '')) (byDay.get(r.day) ?? byDay.set(r.day, []).get(r.day)!).push(r);
    const daily: DailyRow[] = [];
    for (let t = dayStart(range.from); t <= dayStart(range.to); t += DAY_MS) {
      const day = dayOf(t);
      const of = new Index(byDay.get(day) ?? []);
      daily.push({ day, opened: of.sum('opened'), resolved: of.sum('resolved'), responseMedianMs: responseStats(of, '').medianMs });
    }
    return {
      community,
      range,
      previous,
      current: periodMetrics(current),
      before: periodMetrics(before),
      staff: staffIds
        .map((id) => ({ userId: id, name: names.get(id) ?? '?', stats: responseStats(ix, `staff:${id}`) }))
        .sort((a, b) => b.stats.count - a.stats.count || a.name.localeCompare(b.name)),
      top: topIds.map(([id, answers]) => ({ userId: id, name: names.get(id) ?? '?', answers })),
      daily,
      cohorts: await this.cohorts(community, range),
    };
  }

  /**
   * The packed member lists of a range: the monthly roll-ups of the calendar months it covers
   * whole, the day rows of the months it cuts; returned under the day metrics' names.
   */
  private async packedRows(communityId: string | null, r: DateRange): Promise<DailyAggregate[]> {
    const wholeFrom = r.from.endsWith('-01') ? r.from.slice(0, 7) : nextMonth(r.from.slice(0, 7));
    const lastOfTo = dayOf(dayStart(r.to) + DAY_MS).endsWith('-01');
    const wholeTo = lastOfTo ? r.to.slice(0, 7) : previousMonth(r.to.slice(0, 7));
    if (wholeFrom > wholeTo) return this.repo.readDaily(communityId, r.from, r.to, PACKED_METRICS);
    const base = new Map(PACKED_METRICS.map((m) => [MONTHLY_METRIC[m], m]));
    const [head, months, tail] = await Promise.all([
      r.from < `${wholeFrom}-01` ? this.repo.readDaily(communityId, r.from, dayOf(dayStart(`${wholeFrom}-01`) - DAY_MS), PACKED_METRICS) : [],
      this.repo.readDaily(communityId, monthKey(wholeFrom), monthKey(wholeTo), [...base.keys()]),
      lastOfTo ? [] : this.repo.readDaily(communityId, `${r.to.slice(0, 7)}-01`, r.to, PACKED_METRICS),
    ]);
    return [...head, ...months.map((m) => ({ ...m, metric: base.get(m.metric)! })), ...tail];
  }

  /**
   * Monthly cohorts: for each calendar month the range touches, the members active that month
   * (the whole month, also outside the range) and how many of them were active in the next.
   * Reads only the packed active-member rows of those months and the one after.
   */
  private async cohorts(community: Community | null, range: DateRange): Promise<CohortRow[]> {
    const today = dayOf(this.now());
    const months: string[] = [];
    for (let m = range.from.slice(0, 7); m <= range.to.slice(0, 7); m = nextMonth(m)) months.push(m);
    const after = nextMonth(months[months.length - 1]!);
    // The roll-ups of those months (the job keeps the current month's up to date).
    const rows = await this.repo.readDaily(community?.id ?? null, monthKey(months[0]!), monthKey(after), [MONTHLY_METRIC[ACTIVE_MEMBERS]]);
    const byMonth = new Map<string, Set<number>>();
    for (const r of rows) {
      const m = r.day.slice(0, 7);
      let ids = byMonth.get(m);
      if (!ids) byMonth.set(m, (ids = new Set()));
      for (const id of r.detail) ids.add(id);
    }
    return months.map((month) => {
      const active = byMonth.get(month) ?? new Set<number>();
      const next = nextMonth(month);
      if (`${next}-01` > today) return { month, active: active.size, retained: null };
      const later = byMonth.get(next) ?? new Set<number>();
      let retained = 0;
      for (const id of active) if (later.has(id)) retained += 1;
      return { month, active: active.size, retained };
    });
  }
}

/** "2027-01" -> "2026-12". */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** "2026-12" -> "2027-01". */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
