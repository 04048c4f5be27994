import { describe, expect, it } from 'vitest';
import { aggregateDay, quantile, unpackCounts } from '../../src/domain/support-metrics.js';
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
    expect([...unpackCounts(rows.filter((r) => r.metric === 'answers_by'))]).toEqual([['7', 3], ['9', 1]]);
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
