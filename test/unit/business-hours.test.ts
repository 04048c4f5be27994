import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isValidTimeZone, zonedTimeToUtc, type BusinessSchedule } from '../../src/domain/business-hours.js';

const H = 3_600_000;
const shanghai: BusinessSchedule = { timeZone: 'Asia/Shanghai', days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 };
const newYork: BusinessSchedule = { ...shanghai, timeZone: 'America/New_York' };
const iso = (ms: number) => new Date(ms).toISOString();

describe('business hours', () => {
  it('converts local wall time in a zone to the instant', () => {
    // Shanghai is UTC+8 all year; New York is UTC-5 in winter and UTC-4 in summer.
    expect(iso(zonedTimeToUtc(2026, 12, 4, 9 * 60, 'Asia/Shanghai'))).toBe('2026-12-04T01:00:00.000Z');
    expect(iso(zonedTimeToUtc(2026, 1, 15, 9 * 60, 'America/New_York'))).toBe('2026-01-15T14:00:00.000Z');
    expect(iso(zonedTimeToUtc(2026, 7, 15, 9 * 60, 'America/New_York'))).toBe('2026-07-15T13:00:00.000Z');
  });

  it('counts only business time within a day', () => {
    const mon10 = Date.parse('2026-11-30T02:00:00Z'); // Monday 10:00 in Shanghai
    expect(iso(addBusinessTime(mon10, 4 * H, shanghai))).toBe('2026-11-30T06:00:00.000Z'); // 14:00
    expect(businessTimeBetween(mon10, mon10 + 4 * H, shanghai)).toBe(4 * H);
  });

  it('carries over the night and across a weekend', () => {
    const fri17 = Date.parse('2026-12-04T09:00:00Z'); // Friday 17:00 Shanghai
    expect(iso(addBusinessTime(fri17, 2 * H, shanghai))).toBe('2026-12-07T02:00:00.000Z'); // Monday 10:00
    expect(businessTimeBetween(fri17, Date.parse('2026-12-07T02:00:00Z'), shanghai)).toBe(2 * H);
    // 24 business hours from Monday 10:00 with 9-hour days: 8 h Monday, 9 h Tuesday, 7 h Wednesday.
    const mon10 = Date.parse('2026-11-30T02:00:00Z');
    expect(iso(addBusinessTime(mon10, 24 * H, shanghai))).toBe('2026-12-02T08:00:00.000Z'); // Wednesday 16:00
  });

  it('starts the clock at the next window when asked outside business hours', () => {
    const sat = Date.parse('2026-12-05T04:00:00Z'); // Saturday noon Shanghai
    expect(iso(addBusinessTime(sat, 0, shanghai))).toBe('2026-12-07T01:00:00.000Z'); // Monday 09:00
    expect(iso(addBusinessTime(sat, H, shanghai))).toBe('2026-12-07T02:00:00.000Z');
    const monEarly = Date.parse('2026-11-29T23:00:00Z'); // Monday 07:00 Shanghai
    expect(iso(addBusinessTime(monEarly, H, shanghai))).toBe('2026-11-30T02:00:00.000Z');
    expect(businessTimeBetween(sat, Date.parse('2026-12-06T15:00:00Z'), shanghai)).toBe(0); // all weekend
  });

  it('follows daylight saving time in the schedule zone', () => {
    // US clocks spring forward on Sunday 8 March 2026: Friday is UTC-5, Monday UTC-4.
    const fri17 = Date.parse('2026-03-06T22:00:00Z'); // Friday 17:00 EST
    expect(iso(addBusinessTime(fri17, 2 * H, newYork))).toBe('2026-03-09T14:00:00.000Z'); // Monday 10:00 EDT
  });

  it('gives the same deadline read from either side of the date line', () => {
    // The same instant is Thursday evening in New York and Friday morning in Shanghai.
    const t = Date.parse('2026-12-04T00:30:00Z');
    expect(iso(addBusinessTime(t, H, shanghai))).toBe('2026-12-04T02:00:00.000Z'); // Fri 09:00 + 1 h
    expect(iso(addBusinessTime(t, H, newYork))).toBe('2026-12-04T15:00:00.000Z'); // Fri 09:00 EST + 1 h
  });

  it('supports weekend-only schedules and refuses unknown zones', () => {
    const weekend: BusinessSchedule = { timeZone: 'Europe/Berlin', days: [0, 6], startMinute: 10 * 60, endMinute: 12 * 60 };
    const wed = Date.parse('2026-12-02T12:00:00Z');
    expect(iso(addBusinessTime(wed, 3 * H, weekend))).toBe('2026-12-06T10:00:00.000Z'); // Sat 2 h + Sun 1 h = Sunday 11:00 CET
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => addBusinessTime(wed, H, { ...weekend, days: [] })).toThrow(RangeError);
  });
});
