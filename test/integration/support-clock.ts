/*
 * The support tests run the app on a fake clock, but the test clients keep cookies by the real
 * one (supertest's cookie jar drops a session cookie once its Expires, about 30 days after the
 * fake "now", is past in real time). So the tests start on a Monday near the real date rather
 * than on a fixed one, and spell every date they expect from that start with the helpers below.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * 10:00 in Shanghai (02:00 UTC) on the most recent Monday at least 9 calendar days before
 * `realNow`: far enough back that a test moving the clock 8 days ahead stays in the real past,
 * close enough (under 16 days) that the sessions it opens are still valid by the real clock.
 */
export function recentMonday10(realNow = Date.now()): number {
  const day = Math.floor(realNow / DAY_MS) * DAY_MS - 9 * DAY_MS;
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - sinceMonday * DAY_MS + 2 * HOUR_MS;
}

/** The UTC calendar day (YYYY-MM-DD) an instant falls on, `days` later: dashboard ranges are in UTC days. */
export function utcDay(at: number, days = 0): string {
  return new Date(at + days * DAY_MS).toISOString().slice(0, 10);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ZH_WEEKDAYS = '日一二三四五六';

/** Central European offset in hours: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
export function berlinOffset(at: number): number {
  const year = new Date(at).getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = Date.UTC(year, month + 1, 0, 1);
    return last - new Date(last).getUTCDay() * DAY_MS;
  };
  return at >= lastSunday(2) && at < lastSunday(9) ? 2 : 1;
}

/** A deadline as the English promise box shows it, e.g. "Wednesday, Dec 2, 16:00 GMT+8". */
export function deadlineEn(at: number, offsetHours = 8): string {
  const local = new Date(at + offsetHours * HOUR_MS);
  const hhmm = local.toISOString().slice(11, 16);
  return `${WEEKDAYS[local.getUTCDay()]}, ${MONTHS[local.getUTCMonth()]} ${local.getUTCDate()}, ${hhmm} GMT+${offsetHours}`;
}

/** The date part of a deadline as the Chinese promise box shows it, e.g. "12月2日星期三" (Shanghai time). */
export function deadlineZhDate(at: number): string {
  const local = new Date(at + 8 * HOUR_MS);
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日星期${ZH_WEEKDAYS[local.getUTCDay()]}`;
}
