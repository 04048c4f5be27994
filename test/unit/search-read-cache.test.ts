import { describe, expect, it } from 'vitest';
import { idArray, ReadCache, type KeptRead } from '../../src/search/sqlite-fts/read-cache.js';

const rowsOf = (...ids: number[]): KeptRead => ({ ids: idArray(ids), scores: Float64Array.from(ids, () => -1) });

describe('per-expression read cache', () => {
  it('answers a repeated read at the same index version without reading again, and reads again after a change', () => {
    const cache = new ReadCache(1 << 20);
    let reads = 0;
    const read = () => {
      reads++;
      return rowsOf(1, 2, 3);
    };
    expect(Array.from(cache.through('"router"', 'v1', read).ids!)).toEqual([1, 2, 3]);
    cache.through('"router"', 'v1', read);
    expect(reads).toBe(1);
    // The index changed: the kept rows may be stale, so they are read again.
    cache.through('"router"', 'v2', read);
    expect(reads).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, entries: 1 });
  });

  it('stays within its bytes, dropping the least recently used reads first', () => {
    // Each entry: 10 rows of 12 bytes plus the key and its bookkeeping, 284 bytes: room for eight.
    const cache = new ReadCache(2300);
    const big = () => rowsOf(...Array.from({ length: 10 }, (_, i) => i));
    for (let i = 0; i < 8; i++) cache.through(`k${i}`, 'v', big);
    expect(cache.stats().entries).toBe(8);
    cache.through('k0', 'v', big); // k0 used again: k1 is now the oldest
    for (let i = 8; i < 10; i++) cache.through(`k${i}`, 'v', big);
    expect(cache.stats().bytes).toBeLessThanOrEqual(2300);
    expect(cache.stats().entries).toBe(8);
    let read = false;
    cache.through('k0', 'v', () => ((read = true), big()));
    expect(read).toBe(false);
    cache.through('k1', 'v', () => ((read = true), big()));
    expect(read).toBe(true);
  });

  it('keeps row ids in 32 bits when they fit, in doubles when they do not', () => {
    expect(idArray([1, -5, 400_000])).toBeInstanceOf(Int32Array);
    expect(Array.from(idArray([1, 2 ** 40, -3]))).toEqual([1, 2 ** 40, -3]);
  });

  it('keeps nothing when its size is 0', () => {
    const cache = new ReadCache(0);
    let reads = 0;
    for (let i = 0; i < 3; i++) cache.through('k', 'v', () => (reads++, rowsOf(1)));
    expect(reads).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 3, bytes: 0, entries: 0 });
  });
});
