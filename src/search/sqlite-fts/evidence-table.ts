import { float64Room } from './scratch.js';
import { SlotMap } from './slot-map.js';

/**
 * Kept between searches up to this many values per array (about 2 MiB in all, ids and slot
 * map included): a search grew its table from empty, and allocating and growing zeroed arrays
 * per search (about a megabyte for a broad one) was a share of its CPU and of garbage
 * collection. A larger table, after an unusually broad search, is let go rather than held.
 * (On the full benchmark data, 9 % of the bench's search mix went beyond 2^15 values, each
 * then making the next search grow its table again from the start; 1.5 % beyond 2^16.)
 */
const KEEP_VALUES = 1 << 16;

/**
 * Per document and term, the best quality-scaled bm25 and that match's quality, in flat
 * typed arrays (a broad search collects thousands of documents; objects per document made
 * garbage collection a large share of a search). One table serves every search of an engine
 * (reset() at the start of each): a search runs synchronously from start to end.
 */
export class EvidenceTable {
  /** The document id of each slot (the first `size`). */
  ids = new Float64Array(1024);
  private count = 0;
  private terms = 0;
  private slots = new SlotMap();
  private scores = new Float64Array(1024);
  private qualities = new Float64Array(1024);

  /** Empties the table for a search of `terms` terms. */
  reset(terms: number): void {
    this.terms = terms;
    this.count = 0;
    if (this.scores.length > KEEP_VALUES) {
      this.scores = new Float64Array(1024);
      this.qualities = new Float64Array(1024);
    }
    if (this.ids.length > KEEP_VALUES) this.ids = new Float64Array(1024);
    if (!this.slots.clear(KEEP_VALUES)) this.slots = new SlotMap();
  }

  get size(): number {
    return this.count;
  }

  add(id: number, term: number, score: number, quality: number): void {
    let slot = this.slots.getOrSet(id, this.count);
    if (slot === -1) {
      slot = this.count++;
      if (slot === this.ids.length) this.ids = grown(this.ids, slot + 1);
      this.ids[slot] = id;
      const from = slot * this.terms;
      const to = from + this.terms;
      if (to > this.scores.length) {
        this.scores = grown(this.scores, to);
        this.qualities = grown(this.qualities, to);
      }
      // A kept table holds the last search's values. (A loop: a query has a few terms, and
      // fill() costs a call each time.)
      for (let at = from; at < to; at++) {
        this.scores[at] = 0;
        this.qualities[at] = 0;
      }
    }
    const at = slot * this.terms + term;
    if (score > this.scores[at]!) this.scores[at] = score;
    if (quality > this.qualities[at]!) this.qualities[at] = quality;
  }

  /** The last coverages() (reused: a broad search has tens of thousands of slots). */
  private coverage = new Float64Array(1024);

  /** Each document's weighted share of the query's terms (in slot order): a view valid until the next call. */
  coverages(weights: readonly number[], totalWeight: number): Float64Array {
    this.coverage = float64Room(this.coverage, this.count);
    const out = this.coverage.subarray(0, this.count);
    if (totalWeight <= 0) return out.fill(0);
    for (let slot = 0, at = 0; slot < this.count; slot++) {
      let c = 0;
      for (let i = 0; i < this.terms; i++, at++) c += weights[i]! * this.qualities[at]!;
      out[slot] = c / totalWeight;
    }
    return out;
  }

  /** The slot of a document (-1: not collected). */
  slotOf(id: number): number {
    return this.slots.get(id);
  }

  /** Every slot's per-term scores (termCount per slot, in slot order), for ranking all candidates at once. */
  get bm25(): Float64Array {
    return this.scores;
  }

  get termCount(): number {
    return this.terms;
  }

  /** A slot's per-term scores (a view: valid until the next search resets the table). */
  scoresOf(slot: number): Float64Array {
    return this.scores.subarray(slot * this.terms, (slot + 1) * this.terms);
  }

  /** A slot's per-term match qualities (a view, as scoresOf()). */
  qualitiesOf(slot: number): Float64Array {
    return this.qualities.subarray(slot * this.terms, (slot + 1) * this.terms);
  }

  /**
   * A slot's per-term scores and qualities as views (the table is complete by then, and the
   * rows leaving as objects share it): valid until the next search resets the table.
   */
  copyInto(doc: { termScore: ArrayLike<number>; termQuality: ArrayLike<number> }, slot: number): void {
    const at = slot * this.terms;
    doc.termScore = this.scores.subarray(at, at + this.terms);
    doc.termQuality = this.qualities.subarray(at, at + this.terms);
  }
}

function grown(a: Float64Array, need: number): Float64Array<ArrayBuffer> {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new Float64Array(size);
  b.set(a);
  return b;
}
