import { stemmer } from 'stemmer';
import { codePointLength } from './text.js';

/*
 * The index's own vocabulary, kept in memory for typo tolerance and prefix expansion.
 * Typo candidates are looked up only among terms with the same first character and a
 * length within the allowed number of typos, so a lookup compares a few hundred terms, not
 * the whole vocabulary.
 */

/** Meilisearch's defaults: no typo under 5 characters, one from 5, two from 9. */
export function allowedTypos(word: string): number {
  const n = codePointLength(word);
  return n >= 9 ? 2 : n >= 5 ? 1 : 0;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** Scratch rows for typoDistance (vocabulary terms are short; grown when needed). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), or max + 1 once it exceeds max. */
export function typoDistance(a: string, b: string, max: number): number {
  // A typo lookup compares a word with hundreds of terms: without astral characters, code
  // units are code points, and the rows live in reused typed arrays (no allocation per term).
  if (SURROGATE.test(a) || SURROGATE.test(b)) return typoDistanceOf(Array.from(a), Array.from(b), max);
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (m + 1 > rowA.length) {
    rowA = new Int32Array(m + 1);
    rowB = new Int32Array(m + 1);
    rowC = new Int32Array(m + 1);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    const old = prev2;
    prev2 = prev;
    prev = cur;
    cur = old;
  }
  return prev[m]!;
}

/** The same distance over code points (the general case). */
function typoDistanceOf(s: string[], t: string[], max: number): number {
  if (Math.abs(s.length - t.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

export class Vocabulary {
  /** term -> number of documents containing it (as of the last load; new terms count 1). */
  private readonly df = new Map<string, number>();
  private sorted: string[] = [];
  /** Terms added since the sorted array was built. */
  private recent: string[] = [];
  private readonly buckets = new Map<string, string[]>();
  /** English stem -> the indexed words with that stem ("simulate", "simulation", "simulating"). */
  private readonly stems = new Map<string, string[]>();

  constructor(entries: Iterable<[string, number]> = []) {
    this.addLoaded(entries);
    this.finishLoading();
  }

  /**
   * Adds terms read from the index (a loader calls this once per page, between event-loop
   * turns); finishLoading() then makes them prefix candidates.
   */
  addLoaded(entries: Iterable<readonly [string, number]>): void {
    for (const [term, n] of entries) {
      if (!this.df.has(term)) {
        this.addToBucket(term);
        this.addStem(term);
      }
      this.df.set(term, n);
    }
  }

  finishLoading(): void {
    // The index gives its terms in order, so this sort is a single pass (TimSort).
    this.sorted = [...this.df.keys()].sort();
    this.recent = [];
  }

  get size(): number {
    return this.df.size;
  }

  private static bucketKey(term: string): string {
    const first = String.fromCodePoint(term.codePointAt(0)!);
    return `${first}|${codePointLength(term)}`;
  }

  private addStem(term: string): void {
    if (term.length < 3 || !/^[a-z]+$/.test(term)) return;
    const stem = stemmer(term);
    const list = this.stems.get(stem);
    if (list) list.push(term);
    else this.stems.set(stem, [term]);
  }

  /** Other indexed forms of an English word (same Porter stem), most frequent first. */
  stemVariants(word: string, limit = 8): Array<{ term: string; df: number }> {
    if (word.length < 3 || !/^[a-z]+$/.test(word)) return [];
    return (this.stems.get(stemmer(word)) ?? [])
      // Porter conflates more than people do ("hardness" and "hard"): only forms of about
      // the same length count as the same word.
      .filter((t) => t !== word && Math.abs(t.length - word.length) <= 3)
      .map((term) => ({ term, df: this.df.get(term)! }))
      .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1))
      .slice(0, limit);
  }

  private addToBucket(term: string): void {
    const key = Vocabulary.bucketKey(term);
    const list = this.buckets.get(key);
    if (list) list.push(term);
    else this.buckets.set(key, [term]);
  }

  /**
   * Records terms just written to the index (called for every indexed text, so it stays
   * cheap): a new term is a typo and prefix candidate at once, a known one counts once more.
   */
  note(tokens: readonly string[]): void {
    for (const t of new Set(tokens)) {
      const known = this.df.get(t);
      if (known !== undefined) {
        this.df.set(t, known + 1);
        continue;
      }
      this.df.set(t, 1);
      this.addToBucket(t);
      this.addStem(t);
      this.recent.push(t);
    }
    if (this.recent.length > 5000) this.mergeRecent();
  }

  /**
   * Moves the recently added terms into the sorted list by merging (this runs inside an
   * index write: re-sorting the whole vocabulary there would stall the request).
   */
  private mergeRecent(): void {
    const add = this.recent.sort();
    const merged: string[] = new Array<string>(this.sorted.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < add.length) merged[k++] = this.sorted[i]! <= add[j]! ? this.sorted[i++]! : add[j++]!;
    while (i < this.sorted.length) merged[k++] = this.sorted[i++]!;
    while (j < add.length) merged[k++] = add[j++]!;
    this.sorted = merged;
    this.recent = [];
  }

  docFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  has(term: string): boolean {
    return this.df.has(term);
  }

  /** Terms starting with prefix (the prefix itself included when it is a term), most frequent first. */
  withPrefix(prefix: string, limit = 50): Array<{ term: string; df: number }> {
    const out: Array<{ term: string; df: number }> = [];
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++) out.push({ term: this.sorted[i]!, df: this.df.get(this.sorted[i]!)! });
    for (const t of this.recent) if (t.startsWith(prefix)) out.push({ term: t, df: this.df.get(t)! });
    return out.sort((a, b) => b.df - a.df).slice(0, limit);
  }

  /** Terms within the allowed typos of word (the word itself excluded): closest, then most frequent first. */
  typoVariants(word: string, limit = 8): Array<{ term: string; distance: number; df: number }> {
    const max = allowedTypos(word);
    if (max === 0) return [];
    const first = String.fromCodePoint(word.codePointAt(0)!);
    const len = codePointLength(word);
    const out: Array<{ term: string; distance: number; df: number }> = [];
    for (let l = Math.max(1, len - max); l <= len + max; l++) {
      for (const term of this.buckets.get(`${first}|${l}`) ?? []) {
        if (term === word) continue;
        const d = typoDistance(word, term, max);
        if (d <= max) out.push({ term, distance: d, df: this.df.get(term)! });
      }
    }
    return out.sort((a, b) => a.distance - b.distance || b.df - a.df).slice(0, limit);
  }
}
