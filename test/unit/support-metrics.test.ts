import { describe, expect, it } from 'vitest';
import { aggregateDay, DAILY_METRICS, PACKED_METRICS, quantile, quantileOfLists, rollupMonth, unpackAskers, unpackCounts, unpackIds } from '../../src/domain/support-metrics.js';
import { parseRange, previousRange } from '../../src/services/support/dashboard-service.js';
import { ValidationError } from '../../src/domain/errors.js';

const DAY0 = Date.parse('2026-11-30T00:00:00Z');
const H = 3_600_000;

describe('support metrics: daily aggregates and ranges', () => {
  it('takes percentiles by nearest rank', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1], 0.9)).toBe(1);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
  });

  it('counts a search as "ended without asking" only when its browser posted nothing within 24 hours', () => {
    const ev = (kind: 'search' | 'question_posted' | 'faq_view', browserId: string, at: number) => ({ kind, browserId, communityId: '1', at });
    const rows = aggregateDay({
      day: '2026-11-30', tickets: [], reopened: [], ratings: [], answers: [],
      selfService: [ev('search', 'a', DAY0 + H), ev('question_posted', 'a', DAY0 + 2 * H), ev('search', 'b', DAY0 + H), ev('question_posted', 'b', DAY0 + 26 * H), ev('faq_view', 'c', DAY0 + 23 * H), ev('search', 'd', DAY0 + 25 * H)],
    });
    const get = (metric: string, dim = '') => rows.find((r) => r.metric === metric && r.dim === dim)?.value ?? 0;
    expect(get('ss_search')).toBe(2); // d searched on the next day
    expect(get('ss_search', 'no_ask')).toBe(1); // b asked, but 25 hours later
    expect(get('ss_faq_view', 'no_ask')).toBe(1);
  });

  it('packs answers per member and sums them back over days', () => {
    const day = (d: string, answers: Array<[string, number]>) => aggregateDay({ day: d, tickets: [], reopened: [], ratings: [], selfService: [], answers: answers.map(([authorId, count]) => ({ communityId: '1', authorId, count })) });
    const rows = [...day('2026-11-30', [['7', 2], ['9', 1]]), ...day('2026-12-01', [['7', 1]])];
    expect(rows.filter((r) => r.metric === 'answers').map((r) => r.value)).toEqual([3, 1]);
    expect([...unpackCounts(rows.filter((r) => r.metric === 'answers_by'))]).toEqual([[7, 3], [9, 1]]);
  });

  it('takes a quantile of several sorted lists exactly as of their merged list', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 50; trial++) {
      const lists = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => Array.from({ length: Math.floor(rand() * 30) }, () => Math.floor(rand() * 5000)).sort((a, b) => a - b));
      const merged = lists.flat().sort((a, b) => a - b);
      for (const q of [0.1, 0.5, 0.9, 1]) expect(quantileOfLists(lists, q)).toBe(quantile(merged, q));
    }
    expect(quantileOfLists([[], []], 0.5)).toBeNull();
  });

  it('packs active members and askers per day; an asker is returning when they asked before or twice', () => {
    const day = (d: string, askers: Array<[string, number, boolean]>, active: string[]) =>
      aggregateDay({ day: d, tickets: [], reopened: [], ratings: [], selfService: [], answers: [], askers: askers.map(([userId, count, askedBefore]) => ({ communityId: '1', userId, count, askedBefore })), active: active.map((userId) => ({ communityId: '1', userId })) });
    const rows = [...day('2026-11-30', [['7', 1, false], ['8', 2, false]], ['7', '8', '9']), ...day('2026-12-01', [['9', 1, true], ['7', 1, true]], ['7'])];
    // 7 asked again on the second day, 8 twice on the first, 9 had asked before the range: all returning; nobody else asked.
    expect(unpackAskers(rows.filter((r) => r.metric === 'askers_by'))).toEqual({ askers: 3, returning: 3 });
    expect(unpackAskers(rows.filter((r) => r.metric === 'askers_by' && r.day === '2026-11-30'))).toEqual({ askers: 2, returning: 1 });
    expect([...unpackIds(rows.filter((r) => r.metric === 'active_by'))].sort()).toEqual([7, 8, 9]);
  });

  it('rolls a month of packed member lists up into one row each, with the same totals', () => {
    const day = (d: string, answers: Array<[string, number]>, askers: Array<[string, number, boolean]>) =>
      aggregateDay({ day: d, tickets: [], reopened: [], ratings: [], selfService: [], answers: answers.map(([authorId, count]) => ({ communityId: '1', authorId, count })), askers: askers.map(([userId, count, askedBefore]) => ({ communityId: '1', userId, count, askedBefore })), active: [...answers, ...askers].map(([userId]) => ({ communityId: '1', userId })) });
    const days = [...day('2026-11-03', [['7', 2]], [['8', 1, false]]), ...day('2026-11-20', [['7', 1], ['9', 4]], [['8', 1, true], ['10', 1, false]])];
    const month = rollupMonth('2026-11', days);
    const of = (metric: string) => month.filter((r) => r.metric === metric);
    expect(month.every((r) => r.day === '2026-11-00')).toBe(true);
    expect([...unpackCounts(of('answers_by_m'))]).toEqual([...unpackCounts(days.filter((r) => r.metric === 'answers_by'))]);
    expect([...unpackIds(of('active_by_m'))]).toEqual([7, 8, 9, 10]);
    expect(unpackAskers(of('askers_by_m'))).toEqual({ askers: 2, returning: 1 });
  });

  it('names every metric a day can have among the day metrics or the packed ones', () => {
    const rows = aggregateDay({
      day: '2026-11-30', reopened: [{ questionId: '1', communityId: '1', kind: 'reopened', at: DAY0 + H }], ratings: [{ questionId: '1', communityId: '1', askerId: '2', score: 4, comment: '', createdAt: DAY0 + H, updatedAt: DAY0 + H }],
      tickets: [{ questionId: '1', communityId: '1', askerId: '2', urgent: true, urgentReason: 'x', status: 'resolved', assigneeId: null, openedAt: DAY0, warnAt: null, dueAt: null, pausedRemainingMs: null, respondedAt: DAY0 + H, responseKind: 'staff-answer', firstStaffResponseAt: DAY0 + H, firstStaffResponderId: '3', resolvedAt: DAY0 + 2 * H, reopenCount: 0, warnedAt: null, breachedAt: null, updatedAt: DAY0 }],
      answers: [{ communityId: '1', authorId: '3', count: 1 }], selfService: [{ kind: 'search', browserId: 'b', communityId: '1', at: DAY0 }, { kind: 'faq_view', browserId: 'b', communityId: '1', at: DAY0 }, { kind: 'similar_click', browserId: 'b', communityId: '1', at: DAY0 }],
      helpful: [{ communityId: '1', helpful: true, count: 1 }], accepted: [{ communityId: '1', questionId: '1', byStaff: true }], active: [{ communityId: '1', userId: '2' }], askers: [{ communityId: '1', userId: '2', count: 1, askedBefore: false }],
    });
    const known = new Set<string>([...DAILY_METRICS, ...PACKED_METRICS]);
    expect(new Set(rows.map((r) => r.metric)).size).toBe(DAILY_METRICS.length + PACKED_METRICS.length);
    expect(rows.filter((r) => !known.has(r.metric))).toEqual([]);
  });

  it('defaults to the last 30 days and compares with the 30 before; refuses bad ranges', () => {
    const r = parseRange(undefined, undefined, Date.parse('2026-12-04T12:00:00Z'));
    expect(r).toEqual({ from: '2026-11-05', to: '2026-12-04', days: 30 });
    expect(previousRange(r)).toEqual({ from: '2026-10-06', to: '2026-11-04', days: 30 });
    expect(() => parseRange('2026-02-30', '2026-03-01', 0)).toThrow(ValidationError);
    expect(() => parseRange('2026-03-02', '2026-03-01', 0)).toThrow(ValidationError);
    expect(() => parseRange('2024-01-01', '2026-03-01', 0)).toThrow(ValidationError);
  });
});
