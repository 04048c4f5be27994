import { describe, expect, it } from 'vitest';
import { HitTextCache, type PostText } from '../../src/search/sqlite-fts/hit-text-cache.js';

const post = (id: number, body = 'x'.repeat(100)): PostText => ({ id, type: 'question', title: `Title ${id}`, slug: `title-${id}`, body_text: body, question_id: null, q_title: null, q_slug: null, author: null, author_id: null });

describe('hit text cache', () => {
  it('gives back what was put, posts by id and FAQ entries by their negative id', () => {
    const cache = new HitTextCache(1 << 20);
    cache.putPost(post(7));
    cache.putEntry({ id: 7, title: 'Entry', slug: 'entry', body_text: 'Body', category_id: 3, source_question_id: null });
    expect(cache.get(7)).toMatchObject({ title: 'Title 7' });
    expect(cache.get(-7)).toMatchObject({ title: 'Entry', category_id: 3 });
    expect(cache.get(8)).toBeUndefined();
  });

  it('stays within its bytes, dropping the least recently listed documents first', () => {
    // Each post: about 400 bytes counted (strings at two bytes a character, plus bookkeeping): room for 16.
    const cache = new HitTextCache(6400);
    for (let id = 1; id <= 16; id++) cache.putPost(post(id));
    expect(cache.size).toBe(16);
    cache.get(1); // listed again: post 2 is now the oldest
    cache.putPost(post(17));
    cache.putPost(post(18));
    expect(cache.usedBytes).toBeLessThanOrEqual(6400);
    expect(cache.size).toBe(16);
    expect(cache.get(1)).toBeDefined();
    expect(cache.get(2)).toBeUndefined();
    expect(cache.get(3)).toBeUndefined();
    expect(cache.get(18)).toBeDefined();
  });

  it('does not keep one very long document at the cost of many short ones', () => {
    const cache = new HitTextCache(64 * 1024);
    for (let id = 1; id <= 20; id++) cache.putPost(post(id));
    cache.putPost(post(99, 'long '.repeat(2000)));
    expect(cache.get(99)).toBeUndefined();
    expect(cache.size).toBe(20);
  });

  it('replacing a document counts its bytes once; clear() empties it', () => {
    const cache = new HitTextCache(1 << 20);
    cache.putPost(post(1));
    const once = cache.usedBytes;
    cache.putPost(post(1, 'y'.repeat(100)));
    expect(cache.usedBytes).toBe(once);
    expect((cache.get(1) as PostText).body_text).toBe('y'.repeat(100));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.usedBytes).toBe(0);
  });
});
