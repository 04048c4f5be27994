import type { DigestFrequency } from '../db/digest-port.js';

const DAY = 86_400_000;

/**
 * The period a digest belongs to, in UTC: the day, or the ISO week (from Monday). A member gets
 * one digest per period; the key names it in the mail's idempotency key.
 */
export function digestPeriod(frequency: Exclude<DigestFrequency, 'off'>, now: number): { start: number; key: string; length: number } {
  const dayStart = Math.floor(now / DAY) * DAY;
  if (frequency === 'daily') return { start: dayStart, key: new Date(dayStart).toISOString().slice(0, 10), length: DAY };
  // getUTCDay: Sunday 0 ... Saturday 6; the ISO week starts on Monday.
  const sinceMonday = (new Date(dayStart).getUTCDay() + 6) % 7;
  const start = dayStart - sinceMonday * DAY;
  return { start, key: `week-${new Date(start).toISOString().slice(0, 10)}`, length: 7 * DAY };
}
