/*
 * The documents one match expression yields (collect() in engine.ts: read whole with bm25, or
 * sampled), kept for the next search that reads the same expression, as search engines keep
 * posting lists of frequent terms. Different queries share words ("router", "怎么", a common
 * character): on the benchmark's 2,000 distinct queries most reads repeat one made before.
 *
 * An entry answers only at the index version it was read at (FtsState.version(): every
 * trigger that changes the index, or a write by another process, moves it), so a search
 * answered from it returns exactly what reading the index again would: the same query on the
 * same index gives the same results whether the entry was there or not. Results themselves
 * are not cached here (the engine's small result cache does that per query string).
 *
 * Bounded by bytes, least recently used first out. Counts hits, misses and the time the
 * misses took, so a benchmark can report first-use cost and hit share apart.
 */

/**
 * One expression's read, as kept: read whole, its documents and their bm25 (negative, as FTS5
 * gives it); sampled, only the samples' row ids (their scores and the estimate are computed
 * from them on use, cheaply, so a kept sample costs 4 bytes a row).
 */
/** Row ids: 32-bit when they fit (they do for any forum this size), else doubles. */
export type IdArray = Int32Array | Float64Array;

export function idArray(list: ArrayLike<number>): IdArray {
  for (let i = 0; i < list.length; i++) {
    const id = list[i]!;
    if (id > 0x7fffffff || id < -0x80000000) return Float64Array.from(list);
  }
  return Int32Array.from(list);
}

export type KeptRead = { ids: IdArray; scores: Float64Array; sample?: undefined } | { sample: SampleLists; ids?: undefined; scores?: undefined };

/** The row ids of a broad expression's samples, in the order they were read, and up to where. */
export interface SampleLists {
  /** Most recent post matches, newest first. */
  recent: IdArray;
  /** Most recent title and tag matches, newest first. */
  titles: IdArray;
  /** FAQ entry matches (negative ids), newest entry first. */
  entries: IdArray;
  /** FAQ entries matching in titles or tags. */
  titledEntries: IdArray;
  /** The largest post id and smallest FAQ id indexed when read: new documents lie beyond. */
  postMark: number;
  faqMark: number;
  /** The vocabulary's bound on the expression's documents when read. */
  bound: number;
}

/** When a read was made: the index's text generation and the file's data_version (FtsState.textStamp). */
export interface TextStamp {
  generation: number;
  dataVersion: number;
}

/** Default bound: well within the server's memory target (peak RSS < 400 MB). */
export const READ_CACHE_BYTES = 16 * 1024 * 1024;

interface Entry {
  version: string;
  stamp: TextStamp | null;
  value: KeptRead;
  bytes: number;
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  /** Milliseconds spent reading the index: misses, and bringing kept reads up to date. */
  missMs: number;
  /** Kept reads brought up to date by adding the documents written since (counted in hits). */
  refreshed: number;
  bytes: number;
  entries: number;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private missMs = 0;
  private refreshed = 0;

  constructor(private readonly maxBytes: number = READ_CACHE_BYTES) {}

  /**
   * The cached rows of `key` at `version`, or read() now (and kept when they fit). With
   * `refresh`, a read kept at an older version is first offered to it with its stamp: it
   * returns the rows as reading now would give them (adding what was written since), or null
   * when only reading again can tell.
   */
  through(
    key: string,
    version: string,
    read: () => KeptRead,
    refresh?: { stamp: TextStamp; update: (old: KeptRead, since: TextStamp) => KeptRead | null },
  ): KeptRead {
    const found = this.entries.get(key);
    if (found && found.version === version) {
      this.entries.delete(key);
      this.entries.set(key, found);
      this.hits++;
      return found.value;
    }
    const started = performance.now();
    let value: KeptRead | null = null;
    if (found && found.stamp && refresh) {
      value = refresh.update(found.value, found.stamp);
      if (value) this.refreshed++;
    }
    if (value) this.hits++;
    else {
      value = read();
      this.misses++;
    }
    this.missMs += performance.now() - started;
    if (found) this.remove(key, found);
    // Keys are about as long as the expression; a row is 4 bytes sampled, 12 read whole.
    const s = value.sample;
    const rows = s ? s.recent.byteLength + s.titles.byteLength + s.entries.byteLength + s.titledEntries.byteLength : value.ids.byteLength + value.scores.byteLength;
    const bytes = rows + key.length * 2 + 160;
    if (this.maxBytes > 0 && bytes <= this.maxBytes / 8) {
      this.entries.set(key, { version, stamp: refresh?.stamp ?? null, value, bytes });
      this.bytes += bytes;
      for (const [oldKey, old] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.remove(oldKey, old);
      }
    }
    return value;
  }

  stats(): ReadCacheStats {
    return { hits: this.hits, misses: this.misses, missMs: this.missMs, refreshed: this.refreshed, bytes: this.bytes, entries: this.entries.size };
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
