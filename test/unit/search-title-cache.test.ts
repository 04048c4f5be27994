import { describe, expect, it } from 'vitest';
import { TitleCache } from '../../src/search/sqlite-fts/title-cache.js';

describe('title cache of the title rerank', () => {
  it('analyses a title with the tags it is asked with, again when they differ', () => {
    const cache = new TitleCache(10);
    cache.put(1, 'Kettle descaling');
    expect(cache.text(1, 'kettle')?.words).toBe('\u0001kettle\u0001descaling\u0001\u0001\u0001kettle\u0001');
    expect(cache.text(1, 'tea')?.words).toBe('\u0001kettle\u0001descaling\u0001\u0001\u0001tea\u0001');
    cache.put(2, '');
    expect(cache.has(2)).toBe(true);
    expect(cache.text(2, '')).toBeNull();
    expect(cache.text(3, '')).toBeNull();
  });

  it('beyond its limit drops the least recently used quarter, keeping the titles searches keep reaching', () => {
    const cache = new TitleCache(8);
    for (let id = 1; id <= 8; id++) cache.put(id, `Title ${id}`);
    // Titles 1 and 2 are matched again by later searches; 3 and 4 are not.
    cache.text(1, '');
    cache.text(2, '');
    cache.put(9, 'Title 9');
    cache.trim();
    expect(cache.size).toBe(7);
    expect(cache.has(1)).toBe(true);
    expect(cache.has(2)).toBe(true);
    expect(cache.has(3)).toBe(false);
    expect(cache.has(4)).toBe(false);
    expect(cache.has(9)).toBe(true);
  });
});
