/*
 * Business-hours arithmetic for the service promise (issue 12). Pure: no clock, no storage.
 * A schedule is a set of weekdays and one daily window [startMinute, endMinute) of local wall
 * time in an IANA time zone. Wall time is converted with Intl (the zone data Node ships), so
 * daylight-saving changes and zones east or west of UTC come out right without a library.
 */

export interface BusinessSchedule {
  /** IANA zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** Weekdays the clock runs, 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Minutes after local midnight: the window is [startMinute, endMinute). */
  startMinute: number;
  endMinute: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Enough days to cross any target a settings form accepts (a week holds at least one business day). */
const MAX_DAYS = 3700;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (at - (at % 1000 + 1000) % 1000);
}

/**
 * The instant of a local wall time. Two passes settle the offset; a wall time skipped by a
 * spring-forward change resolves to the instant just after the gap, as most calendars do.
 */
export function zonedTimeToUtc(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
}

function localDayOf(at: number, timeZone: string): LocalDay {
  const p = localParts(at, timeZone);
  return { year: p.year, month: p.month, day: p.day, weekday: new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() };
}

function nextDay(d: LocalDay): LocalDay {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day) + DAY);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), weekday: next.getUTCDay() };
}

/** The business window of a local day as instants, or null when the clock does not run that day. */
function windowOf(d: LocalDay, s: BusinessSchedule): [number, number] | null {
  if (!s.days.includes(d.weekday) || s.endMinute <= s.startMinute) return null;
  return [zonedTimeToUtc(d.year, d.month, d.day, s.startMinute, s.timeZone), zonedTimeToUtc(d.year, d.month, d.day, s.endMinute, s.timeZone)];
}

/**
 * The instant at which `ms` of business time has passed since `from`. A start outside business
 * hours waits for the next window (a question asked on Saturday starts its clock on Monday).
 */
export function addBusinessTime(from: number, ms: number, s: BusinessSchedule): number {
  let remaining = Math.max(0, ms);
  let day = localDayOf(from, s.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    const w = windowOf(day, s);
    if (!w || from >= w[1]) continue;
    const start = Math.max(from, w[0]);
    if (remaining <= w[1] - start) return start + remaining;
    remaining -= w[1] - start;
  }
  throw new RangeError('business schedule has no business time');
}

/** Business time (ms) between two instants; 0 when `to` is not after `from`. */
export function businessTimeBetween(from: number, to: number, s: BusinessSchedule): number {
  if (to <= from) return 0;
  let total = 0;
  let day = localDayOf(from, s.timeZone);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    const w = windowOf(day, s);
    if (w) {
      const a = Math.max(from, w[0]);
      const b = Math.min(to, w[1]);
      if (b > a) total += b - a;
    }
    if (zonedTimeToUtc(day.year, day.month, day.day, 0, s.timeZone) > to) break;
  }
  return total;
}

export const HOUR_MS = 60 * MINUTE;
