import { describe, expect, it } from 'vitest';
import { PageStore, pageBody } from '../../src/http/page-cache.js';

/* The store behind the anonymous page cache: validity, memory bound, one render per key. */
describe('PageStore', () => {
  const PH = 'csrfPLACEHOLDER';

  function setup(maxBytes = 10_000, ttlMs = 5000) {
    let now = 1_000;
    const store = new PageStore({ ttlMs, maxBytes, now: () => now });
    const put = (key: string, html: string, generation = 0) => {
      const ticket = store.begin(key, generation);
      const page = store.build(ticket, html, PH);
      store.keep(key, page);
      ticket.settle(page);
      return page;
    };
    return { store, put, advance: (ms: number) => (now += ms) };
  }

  it('serves a page only at the generation it was rendered at and within the TTL', () => {
    const { store, put, advance } = setup();
    put('en /', `<p>${PH}</p>`);
    const page = store.get('en /', 0)!;
    expect(page.parts.map(String)).toEqual(['<p>', '</p>']);
    // Each response gets the page's bytes with its own token where the placeholder was.
    expect(pageBody(page, 'tok-é').toString('utf8')).toBe('<p>tok-é</p>');
    expect(store.get('en /', 1)).toBeNull();
    // Dropped once seen invalid, even at its old generation.
    expect(store.get('en /', 0)).toBeNull();
    put('en /', 'x');
    advance(4999);
    expect(store.get('en /', 0)).not.toBeNull();
    advance(1);
    expect(store.get('en /', 0)).toBeNull();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });

  it('counts a page\'s gzip form in its byte budget while the page is kept, made once', () => {
    const { store, put, advance } = setup(100_000);
    const html = `<p>${PH}</p>` + '<li>row</li>'.repeat(2000);
    put('en /', html);
    const raw = store.bytes;
    const page = store.get('en /', 0)!;
    const g = store.gzipped('en /', page);
    expect(g.bytes).toBeGreaterThan(0);
    expect(store.bytes).toBe(raw + g.bytes);
    expect(store.gzipped('en /', page)).toBe(g);
    expect(store.bytes).toBe(raw + g.bytes);
    advance(5000);
    expect(store.get('en /', 0)).toBeNull();
    expect(store.bytes).toBe(0);
  });

  it('keeps within its byte budget, dropping the least recently used page first', () => {
    const { store, put } = setup(3_000);
    put('a', 'a'.repeat(900));
    put('b', 'b'.repeat(900));
    put('c', 'c'.repeat(900));
    expect(store.get('a', 0)).not.toBeNull(); // a is now the most recently used
    put('d', 'd'.repeat(900));
    expect(store.get('b', 0)).toBeNull();
    expect(store.get('a', 0)).not.toBeNull();
    expect(store.get('c', 0)).not.toBeNull();
    expect(store.get('d', 0)).not.toBeNull();
    expect(store.bytes).toBeLessThanOrEqual(3_000);
    expect(store.stats.evictions).toBe(1);
    // A page larger than the whole budget is never kept (and evicts nothing).
    put('huge', 'h'.repeat(5_000));
    expect(store.get('huge', 0)).toBeNull();
    expect(store.size).toBe(3);
  });

  it('drops pages past their TTL when it keeps a new one, so memory holds about one TTL of renders', () => {
    const { store, put, advance } = setup(1_000_000, 5000);
    for (let i = 0; i < 50; i++) put(`thread ${i}`, 'x'.repeat(1000));
    expect(store.size).toBe(50);
    advance(3000);
    put('fresh', 'y'.repeat(1000));
    // Nothing has expired yet: all kept.
    expect(store.size).toBe(51);
    advance(2000);
    put('later', 'z'.repeat(1000));
    // The 50 pages rendered 5 s ago are gone without being asked for; the two recent ones stay.
    expect(store.size).toBe(2);
    expect(store.bytes).toBeLessThan(2_100);
    expect(store.get('fresh', 0)).not.toBeNull();
    expect(store.get('later', 0)).not.toBeNull();
    expect(store.stats.evictions).toBe(0);
  });

  it('spreads the expiry of pages rendered together over the last quarter of the TTL, never past it', () => {
    let now = 0;
    let r = 0;
    // Random draws 0, 0.5 and 1 (just under): lives of 5000, 4375 and 3750 ms.
    const draws = [0, 0.5, 0.9999];
    const store = new PageStore({ ttlMs: 5000, maxBytes: 1_000_000, spread: 0.25, now: () => now, random: () => draws[r++]! });
    for (const key of ['a', 'b', 'c']) {
      const ticket = store.begin(key, 0);
      store.keep(key, store.build(ticket, key, PH));
      ticket.settle(null);
    }
    now = 3749;
    expect(['a', 'b', 'c'].map((k) => store.get(k, 0) !== null)).toEqual([true, true, true]);
    now = 3751;
    expect(store.get('c', 0)).toBeNull();
    now = 4376;
    expect(store.get('b', 0)).toBeNull();
    expect(store.get('a', 0)).not.toBeNull();
    now = 5000;
    expect(store.get('a', 0)).toBeNull();
  });

  it('hands the one render in flight to the requests that missed meanwhile, and forgets it once settled', async () => {
    const { store } = setup();
    expect(store.inFlight('k', 0)).toBeNull();
    const ticket = store.begin('k', 0);
    const waiting = [store.inFlight('k', 0), store.inFlight('k', 0)];
    // A request at a newer generation does not wait for a render of older content.
    expect(store.inFlight('k', 1)).toBeNull();
    const page = store.build(ticket, `<b>${PH}</b>`, PH);
    ticket.settle(page);
    ticket.settle(null); // idempotent
    for (const w of waiting) expect(await w).toBe(page);
    expect(store.inFlight('k', 0)).toBeNull();
    expect(store.stats.renders).toBe(1);
    expect(store.stats.shared).toBe(2);
  });
});
