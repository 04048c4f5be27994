import { describe, expect, it } from 'vitest';
import { topByKeyThenId } from '../../src/search/sqlite-fts/top-k.js';
import { mulberry32 } from '../helpers/prng.js';

/*
 * A sorted search ("newest", "most votes") takes a broad word's first matches in the sort's
 * order with a bounded heap instead of sorting every match: it must give exactly what a full
 * sort by key, then id, both descending, cut to k gives, ties and all.
 */
function bySort(keys: Float64Array, ids: Float64Array, n: number, k: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  all.sort((a, b) => keys[b]! - keys[a]! || ids[b]! - ids[a]!);
  return all.slice(0, k);
}

describe('the first k documents by a key', () => {
  it('are those of a full sort by key then id, in the same order, on random data with many ties', () => {
    const rnd = mulberry32(42);
    let cases = 0;
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rnd() * 3000);
      const k = [0, 1, 5, 400, 5000][round % 5]!;
      // Few distinct keys (votes) or many (dates); ids unique, negative ones too (FAQ entries).
      const distinct = round % 2 === 0 ? 6 : 1e9;
      const keys = new Float64Array(n);
      const ids = new Float64Array(n);
      const used = new Set<number>();
      for (let i = 0; i < n; i++) {
        keys[i] = Math.floor(rnd() * distinct) - (round % 3 === 0 ? 3 : 0);
        let id: number;
        do id = Math.floor(rnd() * 1e6) - 2000;
        while (used.has(id));
        used.add(id);
        ids[i] = id;
      }
      expect(Array.from(topByKeyThenId(keys, ids, n, k)), `round ${round}`).toEqual(bySort(keys, ids, n, k));
      cases++;
    }
    expect(cases).toBe(300);
  });

  it('reads only the first n values of longer arrays', () => {
    const keys = Float64Array.from([1, 9, 5, 100]);
    const ids = Float64Array.from([10, 20, 30, 40]);
    expect(Array.from(topByKeyThenId(keys, ids, 3, 2))).toEqual([1, 2]);
    expect(Array.from(topByKeyThenId(keys, ids, 3, 10))).toEqual([1, 2, 0]);
  });
});
