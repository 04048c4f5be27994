/*
 * The one presenter for times (src/presenters/time.ts): relative text in the reader's
 * language, with the absolute date and the ISO instant beside it.
 */
import { describe, expect, it } from 'vitest';
import { formatRelative, timeView } from '../../src/presenters/time.js';

const NOW = Date.UTC(2026, 11, 4, 16, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('relative time', () => {
  it.each([
    [10_000, 'now', '现在'],
    [5 * MIN, '5 minutes ago', '5分钟前'],
    [3 * HOUR, '3 hours ago', '3小时前'],
    [1 * HOUR, '1 hour ago', '1小时前'],
    [30 * HOUR, '1 day ago', '1天前'],
    [15 * DAY, '2 weeks ago', '2周前'],
    [70 * DAY, '2 months ago', '2个月前'],
    [800 * DAY, '2 years ago', '2年前'],
  ])('%i ms before now reads "%s" / "%s"', (ago, en, zh) => {
    expect(formatRelative(NOW - ago, 'en', NOW)).toBe(en);
    expect(formatRelative(NOW - ago, 'zh-CN', NOW)).toBe(zh);
  });

  it('reads a time slightly in the future (clock skew) as now', () => {
    expect(formatRelative(NOW + 5000, 'en', NOW)).toBe('now');
  });

  it('gives the ISO instant, the absolute date and the relative text together', () => {
    const v = timeView(NOW - 3 * HOUR, 'zh-CN', NOW);
    expect(v.iso).toBe('2026-12-04T13:00:00.000Z');
    expect(v.relative).toBe('3小时前');
    expect(v.text).toContain('2026');
    expect(v.text).toContain('13:00');
  });
});
