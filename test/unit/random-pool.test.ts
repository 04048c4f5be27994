import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/http/random-pool.js';

/* Browser ids come from a pooled random buffer: every id must be new, across refills too. */
describe('randomId', () => {
  it('hands out distinct ids of the asked length, across many pool refills', () => {
    const seen = new Set<string>();
    // 4 KB per pool: 5,000 ids of 16 bytes use about twenty pools.
    for (let i = 0; i < 5000; i++) {
      const id = randomId(16);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it('never hands out the zeroed bytes of an id already given (sizes that do not divide the pool)', () => {
    const ids = Array.from({ length: 2000 }, () => randomId(18));
    // An all-zero id would mean a used part of the pool was handed out again.
    expect(ids.filter((id) => Buffer.from(id, 'base64url').every((b) => b === 0))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
