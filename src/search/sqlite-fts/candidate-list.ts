import { KINDS, type AttributeColumns, type MetaRow } from './attributes.js';
import { qualityBoostOf, RANKING } from './ranking.js';
import { float64Room, KEEP } from './scratch.js';
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
 * each final with the candidate's index written into its low 32 bits, sorted natively (no
 * call per pair), the indexes read back, then every group of candidates whose finals share
 * their high 32 bits (sign, exponent and the first 20 bits of the fraction: equal finals, or
 * finals within about a millionth of each other) sorted by the comparator itself. Between
 * groups the high bits alone decide the order, for any sign, so the result is exactly the
 * comparator's order. False (order untouched) when a final is not a finite number, which
 * only the comparator orders as before.
 */
let keys = new Float64Array(1024);
let keyWords = new Uint32Array(keys.buffer);
/** Which 32-bit half of a Float64 holds its low bits (little-endian machines: the first). */
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;
function byFinal(c: CandidateColumns, order: number[]): boolean {
  const n = c.count;
  const { final, id } = c;
  const room = float64Room(keys, n);
  if (room !== keys) {
    keys = room;
    keyWords = new Uint32Array(keys.buffer);
  }
  for (let i = 0; i < n; i++) {
    const f = final[i]!;
    if (!Number.isFinite(f)) return false;
    // + 0: -0 becomes 0, which the comparator treats as equal to it (one group, by id).
    keys[i] = f + 0;
    keyWords[2 * i + LOW] = i;
  }
  keys.subarray(0, n).sort();
  // Ascending position k is descending position n - 1 - k.
  for (let k = 0; k < n; k++) order[n - 1 - k] = keyWords[2 * k + LOW]!;
  for (let from = 0; from < n; ) {
    const high = keyWords[2 * from + HIGH]!;
    let to = from + 1;
    while (to < n && keyWords[2 * to + HIGH] === high) to++;
    if (to - from > 1) sortRun(order, n - to, n - from, final, id);
    from = to;
  }
  return true;
}

/** order[from, to) by final, then id, both descending: insertion sort for the usual short runs. */
function sortRun(order: number[], from: number, to: number, final: Float64Array, id: Float64Array): void {
  const before = (a: number, b: number) => final[b]! - final[a]! || id[b]! - id[a]!;
  if (to - from > 16) {
    const run = order.slice(from, to).sort(before);
    for (let k = 0; k < run.length; k++) order[from + k] = run[k]!;
    return;
  }
  for (let a = from + 1; a < to; a++) {
    const x = order[a]!;
    let b = a - 1;
    for (; b >= from && before(order[b]!, x) > 0; b--) order[b + 1] = order[b]!;
    order[b + 1] = x;
  }
}

/** ranking.ts onePerThread over candidate indexes: the first of each thread; an FAQ entry is its own. */
export function onePerThread(c: CandidateColumns, order: readonly number[]): number[] {
  // A new map sized for the list (reusing one, emptied per search, measured slightly slower).
  const seen = new SlotMap(order.length);
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
