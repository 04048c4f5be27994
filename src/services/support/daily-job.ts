import type { SupportMetricsRepository } from '../../db/support-metrics-port.js';
import { aggregateDay, DAY_MS, dayOf, dayStart, SELF_SERVICE_WINDOW_MS } from '../../domain/support-metrics.js';
import type { Job } from '../jobs/job-runner.js';

/** A first backfill is done in chunks of this many days per run, so one run stays short. */
const BACKFILL_DAYS_PER_RUN = 62;

/** Recomputes one UTC day's aggregates from that day's facts and replaces them. */
export async function recomputeDay(repo: SupportMetricsRepository, day: string): Promise<number> {
  const start = dayStart(day);
  const end = start + DAY_MS;
  const [tickets, reopened, ratings, answers, selfService] = await Promise.all([
    repo.ticketsTouchedBetween(start, end),
    repo.eventsBetween(['reopened'], start, end),
    repo.ratingsBetween(start, end),
    repo.answersBetween(start, end),
    repo.selfServiceBetween(start, end + SELF_SERVICE_WINDOW_MS),
  ]);
  const rows = aggregateDay({ day, tickets, reopened, ratings, answers, selfService });
  await repo.replaceDay(day, rows);
  return rows.length;
}

/**
 * Keeps support_daily current (issue 12): every run recomputes yesterday and today (facts of
 * a day can still change until the next day ends: a search's look-ahead, a late resolution);
 * a fresh install first backfills from its earliest ticket, a chunk per run. Leased by the
 * JobRunner so one instance writes.
 */
export function supportDailyJob(repo: SupportMetricsRepository, now: () => number, intervalMs = 10 * 60_000): Job {
  return {
    name: 'support-daily',
    intervalMs,
    async run() {
      const today = dayStart(dayOf(now()));
      const latest = await repo.latestDay();
      let from: number;
      if (latest !== null) from = Math.min(dayStart(latest), today - DAY_MS);
      else {
        const earliest = await repo.earliestTicket();
        from = earliest === null ? today - DAY_MS : dayStart(dayOf(earliest));
      }
      from = Math.max(from, today - 400 * DAY_MS);
      const until = Math.min(today, from + (BACKFILL_DAYS_PER_RUN - 1) * DAY_MS);
      let days = 0;
      for (let t = from; t <= until; t += DAY_MS) {
        await recomputeDay(repo, dayOf(t));
        days += 1;
      }
      return days;
    },
  };
}
