import { KINDS, type AttributeColumns, type MetaRow } from './attributes.js';
import { qualityBoostOf, RANKING } from './ranking.js';
import { float64Room, int32Room, KEEP } from './scratch.js';
import { SlotMap } from './slot-map.js';

/*
 * The candidates of one search in typed columns, one index per document: ranked, ordered,
 * made one per thread and counted there, so objects are made only for the few rows that
 * leave as such (the title rerank's depth and the requested page). A broad search keeps
 * about 2,000 candidates; an object per candidate, with two array views each, and the
 * passes over them were a fifth of an uncached search's CPU and most of its garbage.
 * Every step computes exactly what ranking.ts does per object, in the same order of
 * operations, so the results are identical to the last bit.
 */

export const FAQ = KINDS.indexOf('faq');
export const ANSWER = KINDS.indexOf('answer');

/**
 * Numbers in Float64Array: rows read from the table hold any value (the in-memory copy only
 * 32-bit ones), and a candidate must carry what the table says.
 */
export class CandidateColumns implements AttributeColumns {
  count = 0;
  /** The candidate's slot in the evidence table (after fill: see AttributeCopy.fill). */
  from = new Int32Array(0);
  id = new Float64Array(0);
  kind = new Uint8Array(0);
  community = new Float64Array(0);
  /** -1: none. */
  thread = new Float64Array(0);
  score = new Float64Array(0);
  accepted = new Float64Array(0);
  answers = new Float64Array(0);
  created = new Float64Array(0);
  /** TagLists ids of the in-memory copy, or -1 when read from the table (tagStrings then). */
  tags = new Int32Array(0);
  tagStrings: string[] | null = null;
  coverage = new Float64Array(0);
  relevance = new Float64Array(0);
  boost = new Float64Array(0);
  final = new Float64Array(0);

  /**
   * Room for n candidates. The columns are kept by the engine and reused by every search
   * (a search runs synchronously from start to end), so a search allocates none of them.
   */
  reserve(n: number): void {
    this.count = 0;
    this.tagStrings = null;
    if (n <= this.id.length) return;
    let size = 1024;
    while (size < n) size *= 2;
    this.from = new Int32Array(size);
    this.id = new Float64Array(size);
    this.kind = new Uint8Array(size);
    this.community = new Float64Array(size);
    this.thread = new Float64Array(size);
    this.score = new Float64Array(size);
    this.accepted = new Float64Array(size);
    this.answers = new Float64Array(size);
    this.created = new Float64Array(size);
    this.tags = new Int32Array(size);
    this.coverage = new Float64Array(size);
    this.relevance = new Float64Array(size);
    this.boost = new Float64Array(size);
    this.final = new Float64Array(size);
  }

  /** Appends a row read from the table (when the in-memory copy is not usable). */
  push(row: MetaRow, slot: number): void {
    const n = this.count++;
    this.from[n] = slot;
    this.id[n] = row[0];
    this.kind[n] = KINDS.indexOf(row[1]);
    this.community[n] = row[2];
    this.thread[n] = row[3] ?? -1;
    this.score[n] = row[4];
    this.accepted[n] = row[5];
    this.answers[n] = row[6];
    this.created[n] = row[7];
    this.tags[n] = -1;
    (this.tagStrings ??= []).push(row[8]);
  }

  kindOf(i: number): (typeof KINDS)[1 | 2 | 3] {
    return KINDS[this.kind[i]!] as (typeof KINDS)[1 | 2 | 3];
  }

  threadOf(i: number): number | null {
    const t = this.thread[i]!;
    return t === -1 ? null : t;
  }
}

/**
 * ranking.ts rank() for every candidate: `bm25` holds each candidate's per-term scores
 * (terms per slot, at its evidence slot), `coverage` each slot's coverage
 * (EvidenceTable.coverages, the same sum rank() makes).
 */
export function rankAll(c: CandidateColumns, bm25: Float64Array, terms: number, coverage: Float64Array, scales: readonly number[]): void {
  for (let i = 0; i < c.count; i++) {
    const slot = c.from[i]!;
    let bm = 0;
    for (let t = 0, at = slot * terms; t < terms; t++, at++) bm += bm25[at]! * scales[t]!;
    const cover = coverage[slot]!;
    const kind = c.kind[i]!;
    const relevance = bm * (RANKING.coverageBase + cover) ** RANKING.coveragePower * (kind === ANSWER ? RANKING.answerWeight : 1);
    const boost = qualityBoostOf(KINDS[kind] as 'question' | 'answer' | 'faq', c.score[i]!, c.accepted[i]!, c.answers[i]!);
    c.coverage[i] = cover;
    c.relevance[i] = relevance;
    c.boost[i] = boost;
    c.final[i] = relevance * (1 + RANKING.qualityShare * boost);
  }
}

/**
 * Candidate indexes in list order: ranking.ts byRelevance (final, then id, both descending),
 * or newest or best scored first with byRelevance breaking ties. A total order, so the result
 * does not depend on the order candidates were read in.
 */
export function sortedOrder(c: CandidateColumns, sort: 'relevance' | 'newest' | 'score'): number[] {
  const order: number[] = new Array<number>(c.count);
  for (let i = 0; i < c.count; i++) order[i] = i;
  const { final, id, created, score } = c;
  if (sort === 'newest') order.sort((a, b) => created[b]! - created[a]! || final[b]! - final[a]! || id[b]! - id[a]!);
  else if (sort === 'score') order.sort((a, b) => score[b]! - score[a]! || final[b]! - final[a]! || id[b]! - id[a]!);
  else if (!byFinal(c, order)) order.sort((a, b) => final[b]! - final[a]! || id[b]! - id[a]!);
  return order;
}

/**
 * byRelevance's order without a comparator call per pair (most of sorting 2,000 candidates):
 * the finals sorted natively, each candidate placed at its final's position (a binary
 * search), and the rare runs of equal finals put in descending id order. False (order
 * untouched) when a final is not a number, which only the comparator orders as before.
 */
let sortedFinals = new Float64Array(1024);
let placedScratch = new Int32Array(1024);
function byFinal(c: CandidateColumns, order: number[]): boolean {
  const n = c.count;
  const { final, id } = c;
  sortedFinals = float64Room(sortedFinals, n);
  const sorted = sortedFinals.subarray(0, n);
  sorted.set(final.subarray(0, n));
  sorted.sort();
  if (n > 0 && Number.isNaN(sorted[n - 1]!)) return false;
  // Candidates placed so far in each run of equal finals (by the run's first position).
  placedScratch = int32Room(placedScratch, n);
  const placed = placedScratch.subarray(0, n).fill(0);
  let ties = false;
  for (let i = 0; i < n; i++) {
    const f = final[i]!;
    let lo = 0;
    for (let hi = n; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < f) lo = mid + 1;
      else hi = mid;
    }
    const k = placed[lo]++;
    if (k > 0) ties = true;
    // Ascending position lo (and the k before it in its run) is descending position n - 1 - lo - k.
    order[n - 1 - lo - k] = i;
  }
  if (!ties) return true;
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && final[order[to]!] === final[order[from]!]) to++;
    // Insertion sort by id, descending: runs are short.
    for (let a = from + 1; a < to; a++) {
      const x = order[a]!;
      let b = a - 1;
      for (; b >= from && id[order[b]!]! < id[x]!; b--) order[b + 1] = order[b]!;
      order[b + 1] = x;
    }
    from = to;
  }
  return true;
}

/** ranking.ts onePerThread over candidate indexes: the first of each thread; an FAQ entry is its own. */
let threadsSeen = new SlotMap();
export function onePerThread(c: CandidateColumns, order: readonly number[]): number[] {
  // One map for every search (scratch.ts), emptied here.
  if (!threadsSeen.clear(KEEP, order.length)) threadsSeen = new SlotMap(order.length);
  const seen = threadsSeen;
  const out: number[] = [];
  for (const i of order) {
    const id = c.id[i]!;
    const thread = c.thread[i]!;
    // FAQ entries by their (negative) id, threads by their (positive) id.
    const key = c.kind[i] === FAQ ? -Math.abs(id) : thread === -1 ? id : thread;
    if (seen.getOrSet(key, 0) !== -1) continue;
    out.push(i);
  }
  return out;
}

/**
 * ranking.ts entriesBeforeSources over candidate indexes: an FAQ entry is never listed below
 * the question or answer it was made from. Only the threads FAQ entries come from are looked
 * up (usually there is nothing to move, and the list is returned as it is).
 */
let entrySources = new SlotMap();
export function entriesBeforeSources(c: CandidateColumns, rows: number[]): number[] {
  // Usually no entry stands below its source, and the list is returned as it is. Whether one
  // does: each source thread's last entry position, then whether a post of that thread comes
  // before it. In typed arrays: a broad search lists about a thousand entries (a Map per
  // search, three passes over the rows and a lookup per row were a measurable share).
  let lastEntry: SlotMap | null = null;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (c.kind[r] === FAQ && c.thread[r] !== -1) {
      if (lastEntry === null) {
        // One map for every search (scratch.ts), emptied at first use.
        if (!entrySources.clear(KEEP, 0)) entrySources = new SlotMap();
        lastEntry = entrySources;
      }
      lastEntry.set(c.thread[r]!, i);
    }
  }
  if (!lastEntry) return rows;
  let moves = false;
  for (let i = 0; i < rows.length && !moves; i++) {
    const r = rows[i]!;
    if (c.kind[r] === FAQ || c.thread[r] === -1) continue;
    moves = lastEntry.get(c.thread[r]!) > i;
  }
  if (!moves) return rows;
  // The first row of each of those threads that is not an entry.
  const sources = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (c.kind[r] === FAQ) continue;
    const thread = c.thread[r]!;
    if (thread !== -1 && lastEntry.get(thread) !== -1 && !sources.has(thread)) sources.set(thread, i);
  }
  const at = rows.map((r, i) => {
    const source = c.kind[r] === FAQ && c.thread[r] !== -1 ? (sources.get(c.thread[r]!) ?? -1) : -1;
    return source !== -1 && source < i ? source - 0.5 + i / 1e6 : i;
  });
  return rows
    .map((row, i) => ({ row, at: at[i]! }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.row);
}
