import type { MetaRepository } from '../../db/ports.js';
import type { DailyAggregate, SupportMetricsRepository } from '../../db/support-metrics-port.js';
import { aggregateDay, DAY_MS, dayOf, dayStart, monthKey, PACKED_METRICS, rollupMonth, SELF_SERVICE_WINDOW_MS } from '../../domain/support-metrics.js';
import type { Job } from '../jobs/job-runner.js';

/** A first backfill is done in chunks of this many days per run, so one run stays short. */
const BACKFILL_DAYS_PER_RUN = 62;
/** No backfill reaches further back than this (the dashboard's longest range and its previous period). */
const BACKFILL_MAX_DAYS = 400;

/**
 * What the aggregates hold. Raised when aggregateDay learns a new metric (2: FAQ helpful votes,
 * accepted answers by staff or customers, active members, askers), so that the days already
 * aggregated are recomputed once, a chunk per run, from the earliest ticket; until then the
 * older days show the metrics they had. Kept in meta, so it works the same on both backends.
 */
export const AGGREGATES_VERSION = '2';
const VERSION_KEY = 'support_daily.version';
/** The next day of an unfinished rebuild. */
const CURSOR_KEY = 'support_daily.rebuild_from';

/** The aggregates in one order and plain arrays, to tell whether a recomputation changed anything. */
function canonical(rows: readonly DailyAggregate[]): string {
  const plain = rows.map((r) => [r.communityId, r.metric, r.dim, r.value, Array.from(r.detail)] as const);
  plain.sort((a, b) => (a[0] + '\0' + a[1] + '\0' + a[2] < b[0] + '\0' + b[1] + '\0' + b[2] ? -1 : 1));
  return JSON.stringify(plain);
}

/**
 * Recomputes one UTC day's aggregates from that day's facts and replaces them. Returns whether
 * they changed: the job recomputes yesterday and today every run, and a run that changed no
 * figure must not move the content generation (which has every cached page rendered again).
 */
export async function recomputeDay(repo: SupportMetricsRepository, day: string): Promise<boolean> {
  const start = dayStart(day);
  const end = start + DAY_MS;
  const [tickets, reopened, ratings, answers, selfService, helpful, accepted, active, askers] = await Promise.all([
    repo.ticketsTouchedBetween(start, end),
    repo.eventsBetween(['reopened'], start, end),
    repo.ratingsBetween(start, end),
    repo.answersBetween(start, end),
    repo.selfServiceBetween(start, end + SELF_SERVICE_WINDOW_MS),
    repo.faqHelpfulBetween(start, end),
    repo.acceptedBetween(start, end),
    repo.activeMembersBetween(start, end),
    repo.askersBetween(start, end),
  ]);
  const rows = aggregateDay({ day, tickets, reopened, ratings, answers, selfService, helpful, accepted, active, askers });
  if (canonical(await repo.readDaily(null, day, day)) === canonical(rows)) return false;
  await repo.replaceDay(day, rows);
  return true;
}

/** Recomputes one calendar month's roll-ups of the packed member lists from its day rows. */
export async function recomputeMonth(repo: SupportMetricsRepository, month: string): Promise<void> {
  const rows = await repo.readDaily(null, `${month}-01`, `${month}-31`, PACKED_METRICS);
  await repo.replaceDay(monthKey(month), rollupMonth(month, rows));
}

/**
 * Keeps support_daily current (issue 12): every run recomputes yesterday and today (facts of
 * a day can still change until the next day ends: a search's look-ahead, a late resolution);
 * a fresh install, or aggregates of an older AGGREGATES_VERSION, are first (re)built from the
 * earliest ticket, a chunk per run. Leased by the JobRunner so one instance writes.
 */
/** What a run of the support-daily job did. */
export interface SupportDailyRun {
  /** Days recomputed. */
  days: number;
  /** Of those, days whose aggregates changed; with a finished rebuild, whether anything changed. */
  changed: number;
}

export function supportDailyJob(repo: SupportMetricsRepository, meta: MetaRepository, now: () => number, intervalMs = 10 * 60_000): Job<SupportDailyRun> {
  return {
    name: 'support-daily',
    intervalMs,
    // The dashboard shows the aggregates: only a run that changed one changed a page.
    changedContent: (run) => run.changed > 0,
    async run() {
      const today = dayStart(dayOf(now()));
      const current = (await meta.get(VERSION_KEY)) === AGGREGATES_VERSION;
      let from: number;
      if (current) {
        const latest = await repo.latestDay();
        // A month roll-up's key ("YYYY-MM-00") is no day; its month's days are always written first.
        const latestDay = latest === null ? NaN : dayStart(latest);
        from = Number.isNaN(latestDay) ? today - DAY_MS : Math.min(latestDay, today - DAY_MS);
      } else {
        const cursor = await meta.get(CURSOR_KEY);
        const earliest = cursor ? null : await repo.earliestTicket();
        from = cursor ? dayStart(cursor) : earliest === null ? today - DAY_MS : dayStart(dayOf(earliest));
      }
      from = Math.max(from, today - BACKFILL_MAX_DAYS * DAY_MS);
      const until = Math.min(today, from + (BACKFILL_DAYS_PER_RUN - 1) * DAY_MS);
      let days = 0;
      let changed = 0;
      const months = new Set<string>();
      const recompute = async (t: number) => {
        const dayChanged = await recomputeDay(repo, dayOf(t));
        if (dayChanged) changed += 1;
        // Every month in the window is rolled up again, even when none of its days changed now:
        // a run that wrote a changed day and failed before its roll-up would otherwise leave
        // the month wrong for good (the next run finds the day unchanged). Only day changes
        // count as changes: a roll-up is made from the days, and no cached page shows it.
        months.add(dayOf(t).slice(0, 7));
        days += 1;
      };
      for (let t = from; t <= until; t += DAY_MS) await recompute(t);
      // A rebuild takes several runs: yesterday and today stay current meanwhile.
      if (!current) for (let t = Math.max(until + DAY_MS, today - DAY_MS); t <= today; t += DAY_MS) await recompute(t);
      for (const month of months) await recomputeMonth(repo, month);
      if (!current) {
        if (until >= today) {
          await meta.set(VERSION_KEY, AGGREGATES_VERSION);
          await meta.set(CURSOR_KEY, '');
        } else await meta.set(CURSOR_KEY, dayOf(until + DAY_MS));
        // The version decides how the dashboard reads older days.
        changed += 1;
      }
      return { days, changed };
    },
  };
}
