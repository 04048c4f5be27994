import { describe, expect, it } from 'vitest';
import { ReadCache, type CollectedRows } from '../../src/search/sqlite-fts/read-cache.js';

const rowsOf = (...ids: number[]): CollectedRows => ({ rows: Float64Array.from(ids.flatMap((id) => [id, -1])), estimate: null });

describe('per-expression read cache', () => {
  it('answers a repeated read at the same index version without reading again, and reads again after a change', () => {
    const cache = new ReadCache(1 << 20);
    let reads = 0;
    const read = () => {
      reads++;
      return rowsOf(1, 2, 3);
    };
    expect(Array.from(cache.through('"router"', 'v1', read).rows)).toEqual([1, -1, 2, -1, 3, -1]);
    cache.through('"router"', 'v1', read);
    expect(reads).toBe(1);
    // The index changed: the kept rows may be stale, so they are read again.
    cache.through('"router"', 'v2', read);
    expect(reads).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, entries: 1 });
  });

  it('stays within its bytes, dropping the least recently used reads first', () => {
    // Each entry: 10 rows of 16 bytes plus the key and its bookkeeping, 260 bytes: room for eight.
    const cache = new ReadCache(2100);
    const big = () => rowsOf(...Array.from({ length: 10 }, (_, i) => i));
    for (let i = 0; i < 8; i++) cache.through(`k${i}`, 'v', big);
    expect(cache.stats().entries).toBe(8);
    cache.through('k0', 'v', big); // k0 used again: k1 is now the oldest
    for (let i = 8; i < 10; i++) cache.through(`k${i}`, 'v', big);
    expect(cache.stats().bytes).toBeLessThanOrEqual(2100);
    expect(cache.stats().entries).toBe(8);
    let read = false;
    cache.through('k0', 'v', () => ((read = true), big()));
    expect(read).toBe(false);
    cache.through('k1', 'v', () => ((read = true), big()));
    expect(read).toBe(true);
  });

  it('keeps nothing when its size is 0', () => {
    const cache = new ReadCache(0);
    let reads = 0;
    for (let i = 0; i < 3; i++) cache.through('k', 'v', () => (reads++, rowsOf(1)));
    expect(reads).toBe(3);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 3, bytes: 0, entries: 0 });
  });
});
