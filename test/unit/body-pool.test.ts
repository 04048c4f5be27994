import { describe, expect, it } from 'vitest';
import { BodyPool } from '../../src/http/body-pool.js';
import { PageStore, pageBody } from '../../src/http/page-cache.js';

/* Reused response buffers of the anonymous page cache (http/body-pool.ts). */
describe('BodyPool', () => {
  it('hands a buffer out again only after it was given back, in size classes', () => {
    const pool = new BodyPool({ maxFreeBytes: 1 << 20, maxSize: 256 * 1024 });
    const a = pool.take(35_381)!;
    expect(a.length).toBe(64 * 1024);
    // Taken and not given back: the next body gets another buffer.
    const b = pool.take(40_000)!;
    expect(b).not.toBe(a);
    pool.give(a);
    expect(pool.take(50_000)).toBe(a);
    // Another size class never gets it.
    pool.give(a);
    const small = pool.take(10_000)!;
    expect(small.length).toBe(16 * 1024);
    expect(small).not.toBe(a);
    expect(pool.take(16 * 1024 + 1)!.length).toBe(32 * 1024);
    expect(pool.stats).toEqual({ reused: 1, allocated: 4 });
    expect(pool.held).toBe(64 * 1024);
  });

  it('keeps at most maxFreeBytes and pools no body larger than maxSize', () => {
    const pool = new BodyPool({ maxFreeBytes: 100 * 1024, maxSize: 64 * 1024 });
    expect(pool.take(64 * 1024 + 1)).toBeNull();
    const a = pool.take(60_000)!;
    const b = pool.take(60_000)!;
    pool.give(a);
    pool.give(b);
    expect(pool.held).toBe(64 * 1024);
    // A part of a buffer is not a whole buffer of its class: not kept.
    pool.give(pool.take(60_000)!.subarray(0, 60_000));
    expect(pool.held).toBe(0);
  });

  it('a reused buffer carries exactly the new page and token, nothing of the last body', () => {
    const pool = new BodyPool({ maxFreeBytes: 1 << 20, maxSize: 256 * 1024 });
    const store = new PageStore({ ttlMs: 5000, maxBytes: 1 << 20 });
    const build = (key: string, html: string) => store.build(store.begin(key, 0), html, 'PH');
    const long = build('en /a', `<meta content="PH">${'x'.repeat(40_000)}<input value="PH">`);
    // Shorter, in the same size class (64 KB).
    const short = build('en /b', `<p>PH</p>${'é'.repeat(17_000)}`);
    let taken: Buffer | null = null;
    const alloc = (bytes: number) => (taken = pool.take(bytes))!;
    const first = pageBody(long, 'token-one', alloc);
    expect(first.toString('utf8')).toBe(`<meta content="token-one">${'x'.repeat(40_000)}<input value="token-one">`);
    pool.give(taken!);
    const second = pageBody(short, 'token-二', alloc);
    expect(taken).not.toBeNull();
    expect(pool.stats.reused).toBe(1);
    expect(second.length).toBe(Buffer.byteLength(`<p>token-二</p>${'é'.repeat(17_000)}`));
    expect(second.toString('utf8')).toBe(`<p>token-二</p>${'é'.repeat(17_000)}`);
  });
});
