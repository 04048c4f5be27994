import { describe, expect, it } from 'vitest';
import { ContentGeneration } from '../../src/services/content-generation.js';
import { GenerationCache } from '../../src/services/generation-cache.js';

function setup(ttlMs = 1000, maxEntries = 10) {
  let t = 0;
  const generation = new ContentGeneration();
  const cache = new GenerationCache<string>(generation, { ttlMs, maxEntries }, () => t);
  let loads = 0;
  const loader = (value: string) => async () => {
    loads++;
    return value;
  };
  return { cache, generation, advance: (ms: number) => (t += ms), loads: () => loads, loader };
}

describe('GenerationCache', () => {
  it('loads once and serves the kept value until a write moves the generation', async () => {
    const s = setup();
    expect(await s.cache.load('k', s.loader('v1'))).toBe('v1');
    expect(await s.cache.load('k', s.loader('v2'))).toBe('v1');
    expect(s.loads()).toBe(1);
    s.generation.bump();
    expect(await s.cache.load('k', s.loader('v3'))).toBe('v3');
    expect(s.loads()).toBe(2);
  });

  it('loads again once the TTL has passed, even with no write', async () => {
    const s = setup(1000);
    await s.cache.load('k', s.loader('v1'));
    s.advance(999);
    expect(await s.cache.load('k', s.loader('v2'))).toBe('v1');
    s.advance(1);
    expect(await s.cache.load('k', s.loader('v2'))).toBe('v2');
  });

  it('holds nothing that can no longer be served: values of an older generation or past the TTL leave when a new one is kept', async () => {
    const s = setup(1000, 100);
    for (const k of ['a', 'b', 'c']) await s.cache.load(k, s.loader(k));
    expect(s.cache.size).toBe(3);
    // A write: none of the three can be served again; the next value kept replaces them all.
    s.generation.bump();
    await s.cache.load('d', s.loader('d'));
    expect(s.cache.size).toBe(1);
    s.advance(600);
    await s.cache.load('e', s.loader('e'));
    s.advance(400);
    // 'd' is now past its TTL, 'e' is not: keeping 'f' drops only 'd'.
    await s.cache.load('f', s.loader('f'));
    expect(s.cache.size).toBe(2);
    expect(await s.cache.load('e', s.loader('e2'))).toBe('e');
    expect(await s.cache.load('d', s.loader('d2'))).toBe('d2');
  });

  it('does not keep a value loaded while a write happened', async () => {
    const s = setup();
    const value = await s.cache.load('k', async () => {
      s.generation.bump();
      return 'read during a write';
    });
    expect(value).toBe('read during a write');
    expect(await s.cache.load('k', s.loader('fresh'))).toBe('fresh');
  });

  it('shares one load between concurrent misses, and keeps no failure', async () => {
    const s = setup();
    let release!: (v: string) => void;
    let started = 0;
    const slow = () => {
      started++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([s.cache.load('k', slow), s.cache.load('k', slow)]);
    release('shared');
    expect(await both).toEqual(['shared', 'shared']);
    expect(started).toBe(1);

    await expect(s.cache.load('f', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await s.cache.load('f', s.loader('recovered'))).toBe('recovered');
  });

  it('keeps at most maxEntries, dropping the oldest, and nothing with a TTL of 0', async () => {
    const s = setup(1000, 2);
    for (const k of ['a', 'b', 'c']) await s.cache.load(k, s.loader(k));
    expect(s.cache.size).toBe(2);
    expect(s.cache.get('a')).toBeUndefined();
    expect(s.cache.get('c')).toBe('c');

    const off = setup(0);
    await off.cache.load('k', off.loader('v1'));
    expect(await off.cache.load('k', off.loader('v2'))).toBe('v2');
    expect(off.cache.size).toBe(0);
  });
});
