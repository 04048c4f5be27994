import { describe, expect, it } from 'vitest';
import { TagLists, type MetaRow } from '../../src/search/sqlite-fts/attributes.js';
import { CandidateColumns, entriesBeforeSources, onePerThread, rankAll, sortedOrder } from '../../src/search/sqlite-fts/candidate-list.js';
import { EvidenceTable } from '../../src/search/sqlite-fts/evidence-table.js';
import { FacetCounter, tagList } from '../../src/search/sqlite-fts/facet-counter.js';
import * as ranking from '../../src/search/sqlite-fts/ranking.js';
import type { Ranked } from '../../src/search/sqlite-fts/ranking.js';
import { mulberry32 } from '../helpers/prng.js';

/*
 * The engine ranks its candidates in typed columns (candidate-list.ts) for speed; ranking.ts
 * says per object what the order is. On random forums with ties, threads of several posts and
 * FAQ entries below their sources, both must give the same list, the same numbers to the last
 * bit and the same facet counts in the same order: a user sees the same results either way.
 */

const TAGS = ['', 'grinder', 'grinder burr', 'espresso milk', 'burr', '2024 espresso'];

interface Forum {
  rows: MetaRow[];
  evidence: EvidenceTable;
  weights: number[];
  scales: number[];
  totalWeight: number;
}

/** A random forum's candidates: rows as search_meta holds them, and their evidence. */
function forum(seed: number, options: { threads?: number; communities?: readonly number[] } = {}): Forum {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const rows: MetaRow[] = [];
  const threads = options.threads ?? 40 + Math.floor(rnd() * 40);
  const communities = options.communities ?? [1, 2, 3, 4];
  for (let t = 1; t <= threads; t++) {
    const tags = pick(TAGS);
    const community = pick(communities);
    const answers = Math.floor(rnd() * 4);
    rows.push([t, 'question', community, t, pick([-2, 0, 0, 1, 3, 10]), rnd() < 0.3 ? 1 : 0, answers, pick([100, 200, 300]), tags]);
    for (let a = 0; a < answers; a++) rows.push([1000 + t * 10 + a, 'answer', community, t, pick([-1, 0, 2, 5]), rnd() < 0.2 ? 1 : 0, answers, pick([150, 250]), tags]);
    // Entries made from the thread (some), and a few entries with no source.
    if (rnd() < 0.3) rows.push([-t, 'faq', community, t, pick([0, 4]), 0, 0, 50, tags]);
  }
  for (let e = 1; e <= 3; e++) rows.push([-500 - e, 'faq', 1, null, 1, 0, 0, 60, pick(TAGS)]);

  const terms = 1 + Math.floor(rnd() * 4);
  const evidence = new EvidenceTable();
  // A broader search first: the table is reused, and nothing of it may show in the next.
  evidence.reset(terms + 2);
  for (let i = 0; i < 3000; i++) evidence.add(Math.floor(rnd() * 5000), i % (terms + 2), 50 * rnd(), 1);
  evidence.reset(terms);
  const shared: Array<[number, number]> = [];
  for (const row of rows) {
    // Scores from a few values, and some documents with the evidence of another: ties.
    const copy = shared.length > 0 && rnd() < 0.15 ? pick(shared) : null;
    for (let term = 0; term < terms; term++) {
      if (copy) {
        if (copy[0] === term) evidence.add(row[0], term, copy[1], 1);
        continue;
      }
      if (rnd() < 0.4) continue;
      const score = pick([0.5, 1, 2.25, 4]);
      const quality = pick([1, 1, 0.8, 0.6]);
      evidence.add(row[0], term, score * quality, quality);
      // A second alternative of the same term: the table keeps the best.
      if (rnd() < 0.2) evidence.add(row[0], term, score * 0.5, 0.5);
      if (rnd() < 0.2) shared.push([term, score * quality]);
    }
  }
  const weights = Array.from({ length: terms }, () => (rnd() < 0.1 ? 0 : pick([0.3, 1.7, 2.2])));
  const scales = Array.from({ length: terms }, () => pick([1, 1, 0.5]));
  return { rows: rows.filter((r) => evidence.slotOf(r[0]) !== -1), evidence, weights, scales, totalWeight: weights.reduce((a, b) => a + b, 0) };
}

/** What the engine did per object before the columns (ranking.ts). */
function byObjects(f: Forum, sort: 'relevance' | 'newest' | 'score', distinct: boolean): Ranked[] {
  let list = f.rows.map((row) => {
    const doc = { id: row[0], kind: row[1], community_id: row[2], thread_id: row[3], score: row[4], accepted: row[5], answer_count: row[6], created_at: row[7], tags: row[8], termScore: [] as ArrayLike<number>, termQuality: [] as ArrayLike<number> };
    f.evidence.copyInto(doc, f.evidence.slotOf(row[0]));
    return ranking.rank(doc, f.weights, f.totalWeight, f.scales);
  });
  if (sort === 'newest') list.sort((a, b) => b.created_at - a.created_at || ranking.byRelevance(a, b));
  else if (sort === 'score') list.sort((a, b) => b.score - a.score || ranking.byRelevance(a, b));
  else list.sort(ranking.byRelevance);
  if (distinct) list = ranking.onePerThread(list);
  return list;
}

function columns(f: Forum, dictionary: TagLists | null): CandidateColumns {
  const c = new CandidateColumns();
  c.reserve(f.rows.length);
  // In a shuffled order: the list must not depend on the order candidates are read in.
  for (const row of [...f.rows].reverse()) c.push(row, f.evidence.slotOf(row[0]));
  if (dictionary) {
    for (let i = 0; i < c.count; i++) c.tags[i] = dictionary.intern(c.tagStrings![i]!);
    c.tagStrings = null;
  }
  rankAll(c, f.evidence.bm25, f.evidence.termCount, f.evidence.coverages(f.weights, f.totalWeight), f.scales);
  return c;
}

/** Facet counts as Maps in list order (what the counter must give). */
function facetsByObjects(list: Ranked[], scale: number) {
  const inc = <K>(m: Map<K, number>, k: K, w: number) => m.set(k, (m.get(k) ?? 0) + w);
  const community = new Map<string, number>();
  const kind = new Map<string, number>();
  const tag = new Map<string, number>();
  for (const r of list) {
    const w = r.kind === 'faq' ? 1 : scale;
    inc(community, String(r.community_id), w);
    inc(kind, r.kind, w);
    for (const t of tagList(r.tags)) inc(tag, t, w);
  }
  const round = (m: Map<string, number>) => Object.fromEntries([...m].map(([k, v]) => [k, Math.round(v)]));
  return { community: round(community), kind: round(kind), tag: round(tag) };
}

describe('candidates ranked in typed columns', () => {
  it('give the same list and the same numbers as ranking per object, for every sort, with and without one result per thread', () => {
    let ties = 0;
    let moved = 0;
    let threadsMerged = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const f = forum(seed);
      const c = columns(f, null);
      for (const sort of ['relevance', 'newest', 'score'] as const) {
        for (const distinct of [false, true]) {
          const expected = byObjects(f, sort, distinct);
          const order = sortedOrder(c, sort);
          const list = distinct ? onePerThread(c, order) : order;
          // One comparison per list (an expect per row made the test slow): ids, then every number.
          expect(list.map((i) => c.id[i])).toEqual(expected.map((r) => r.id));
          expect(list.map((i) => [c.final[i], c.relevance[i], c.coverage[i], c.boost[i], c.kindOf(i), c.threadOf(i), c.score[i], c.created[i]])).toEqual(
            expected.map((r) => [r.final, r.relevance, r.coverage, r.boost, r.kind, r.thread_id, r.score, r.created_at]),
          );
          if (distinct) threadsMerged += c.count - list.length;
          if (sort === 'relevance') {
            for (let at = 1; at < expected.length; at++) if (expected[at]!.final === expected[at - 1]!.final) ties++;
            const sources = ranking.entriesBeforeSources(expected);
            if (sources !== expected) moved++;
            expect(entriesBeforeSources(c, list).map((i) => c.id[i])).toEqual(sources.map((r) => r.id));
          }
        }
      }
    }
    // The cases that matter happened: equal scores, entries lifted above their sources, threads of several posts.
    expect(ties).toBeGreaterThan(20);
    expect(moved).toBeGreaterThan(5);
    expect(threadsMerged).toBeGreaterThan(100);
  });

  it('count facets as a map per facet in list order would: the same values, keys in the same order, tags as strings or as numbers', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const f = forum(seed);
      const expectedList = byObjects(f, 'relevance', true);
      for (const scale of [1, 2.7182818]) {
        const expected = facetsByObjects(expectedList, scale);
        for (const dictionary of [null, new TagLists()]) {
          const c = columns(f, dictionary);
          const counter = new FacetCounter(['community', 'kind', 'tag']);
          for (const i of onePerThread(c, sortedOrder(c, 'relevance'))) counter.add(c.kind[i]!, c.community[i]!, c.tags[i]!, dictionary, c.tagStrings ? c.tagStrings[i]! : null, c.kindOf(i) === 'faq' ? 1 : scale);
          const got = counter.result();
          expect(got).toEqual(expected);
          for (const facet of ['community', 'kind', 'tag'] as const) expect(Object.keys(got[facet]!)).toEqual(Object.keys(expected[facet]));
        }
      }
    }
  });

  it('give the same lists when a search far larger than the others comes between them (work arrays reused, grown, let go)', () => {
    // 40-80 threads, then about 14,000 candidates (beyond the kept arrays' first size), then
    // about 73,000 (beyond what is kept between searches), then small ones again.
    for (const [seed, threads] of [[101, undefined], [102, 5_000], [103, undefined], [104, 26_000], [105, undefined], [106, undefined]] as const) {
      const f = forum(seed, { threads });
      const c = columns(f, null);
      for (const distinct of [false, true]) {
        const expected = byObjects(f, 'relevance', distinct);
        const list = distinct ? onePerThread(c, sortedOrder(c, 'relevance')) : sortedOrder(c, 'relevance');
        expect(list.map((i) => c.id[i])).toEqual(expected.map((r) => r.id));
        expect(entriesBeforeSources(c, list).map((i) => c.id[i])).toEqual(ranking.entriesBeforeSources(expected).map((r) => r.id));
      }
    }
  });

  it('count communities with any id as a map would, small ids and large ones mixed', () => {
    for (let seed = 31; seed <= 40; seed++) {
      const f = forum(seed, { communities: [0, 1, 7, 255, 256, 1000, 70_000, 2 ** 31 + 5] });
      const expected = facetsByObjects(byObjects(f, 'relevance', true), 1.5);
      const dictionary = new TagLists();
      const c = columns(f, dictionary);
      const counter = new FacetCounter(['community', 'kind', 'tag']);
      for (const i of onePerThread(c, sortedOrder(c, 'relevance'))) counter.add(c.kind[i]!, c.community[i]!, c.tags[i]!, dictionary, null, c.kindOf(i) === 'faq' ? 1 : 1.5);
      const got = counter.result();
      expect(got).toEqual(expected);
      expect(Object.keys(got['community']!)).toEqual(Object.keys(expected.community));
      expect(Object.keys(got['community']!).length).toBeGreaterThan(5);
    }
  });

  it('order by relevance exactly as the comparator does, for finals with ties, near-ties, zeros of both signs, negatives and huge runs', () => {
    const rnd = mulberry32(7);
    const near = (x: number, ulps: number) => {
      // x moved by a few units in the last place (finals that differ only in their low bits).
      const b = new Float64Array([x]);
      new BigInt64Array(b.buffer)[0]! += BigInt(ulps);
      return b[0]!;
    };
    const values = [0, -0, 1, 2.5, 2.5, 1e-310, -1e-310, -3, 7 / 3, near(7 / 3, 1), near(7 / 3, 2), near(7 / 3, -1), 1e300, Number.MAX_VALUE, Number.MIN_VALUE, near(1, 4096), near(1, 2 ** 33)];
    let runs = 0;
    for (let round = 0; round < 60; round++) {
      // Sizes around the kept arrays' sizes, and one far beyond them.
      const n = round === 59 ? 70_000 : Math.floor(rnd() * (round % 3 === 0 ? 3000 : 200));
      const c = new CandidateColumns();
      c.reserve(n);
      c.count = n;
      // Few distinct values in some rounds: runs of hundreds of equal finals.
      const distinct = round % 4 === 0 ? 3 : values.length;
      const ids = new Set<number>();
      for (let i = 0; i < n; i++) {
        c.final[i] = rnd() < 0.5 ? values[Math.floor(rnd() * distinct)]! : rnd() * 40 - 5;
        let id: number;
        do id = Math.floor(rnd() * 4_000_000) - 2_000_000;
        while (ids.has(id));
        ids.add(id);
        c.id[i] = id;
      }
      const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => c.final[b]! - c.final[a]! || c.id[b]! - c.id[a]!);
      const got = sortedOrder(c, 'relevance');
      expect(got.length).toBe(n);
      expect(got.map((i) => c.id[i])).toEqual(expected.map((i) => c.id[i]));
      for (let k = 1; k < n; k++) if (c.final[got[k]!] === c.final[got[k - 1]!]) runs++;
    }
    expect(runs).toBeGreaterThan(10_000);
    // A final that is not a finite number: the comparator's order all the same.
    const c = new CandidateColumns();
    c.reserve(4);
    c.count = 4;
    c.final.set([1, Infinity, 1, 2]);
    c.id.set([1, 2, 3, 4]);
    expect(sortedOrder(c, 'relevance')).toEqual([1, 3, 2, 0]);
  });

  it('a reused evidence table holds nothing of the search before', () => {
    const fresh = new EvidenceTable();
    const reused = new EvidenceTable();
    reused.reset(5);
    for (let i = 0; i < 10_000; i++) reused.add(i % 3000, i % 5, 9, 1);
    for (const table of [fresh, reused]) {
      table.reset(2);
      table.add(3, 1, 0.5, 0.8);
      table.add(2999, 0, 0.25, 1);
      table.add(3, 1, 0.4, 0.6);
    }
    expect(reused.size).toBe(2);
    expect(Array.from(reused.bm25.subarray(0, 4))).toEqual(Array.from(fresh.bm25.subarray(0, 4)));
    expect(Array.from(reused.coverages([1, 1], 2))).toEqual([0.4, 0.5]);
    // Coverages are written into a kept array: with no weight at all, none of the last remains.
    expect(Array.from(reused.coverages([0, 0], 0))).toEqual([0, 0]);
    expect(reused.slotOf(5)).toBe(-1);
  });
});
