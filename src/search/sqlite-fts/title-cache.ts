import { titleText, type TitleText } from './title-match.js';

/*
 * Titles of threads and FAQ entries as the title rerank reads them (by thread id, FAQ entries
 * by their negative id), with their analysed form for the tags they were analysed with (a
 * question's answers carry its tags; tags can change while the title stays). The engine
 * decides when the whole cache is stale (engine.ts titleCache()).
 *
 * Bounded by entries (trim()): beyond the limit the least recently used quarter goes, so the
 * threads and FAQ entries that common words reach again and again stay; dropping everything at
 * once made every search after the drop read and analyse its 100 titles again. Dropping the
 * first read instead dropped popular titles with the rest; on the benchmark's search mix, whose
 * queries are all different, least recently used left 53 title reads a search where first read
 * left 55 (most of them FAQ entries: they are candidates of every word).
 */
interface Entry {
  title: string;
  /** When last put or matched (the cache's clock): trim() drops the least recent. */
  used: number;
  /** The tags `text` was analysed with; null until first analysed. */
  tags: string | null;
  text: TitleText | null;
}

export class TitleCache {
  private readonly entries = new Map<number, Entry>();
  /**
   * Counts uses; an entry notes the count at its last use. Cheaper than keeping the Map in use
   * order (a delete and a set per matched title, 100 a search), paid for by a sort per trim().
   */
  private clock = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: number): boolean {
    return this.entries.has(key);
  }

  put(key: number, title: string): void {
    this.entries.set(key, { title, used: ++this.clock, tags: null, text: null });
  }

  /**
   * Called between searches, never during one: a search first asks which titles it has, then
   * reads the others, and must find all of them afterwards.
   */
  trim(): void {
    if (this.entries.size <= this.limit) return;
    const used = new Float64Array(this.entries.size);
    let i = 0;
    for (const e of this.entries.values()) used[i++] = e.used;
    used.sort();
    // Uses are distinct counts: the quarter at or below this one goes.
    const last = used[Math.ceil(this.limit / 4) - 1]!;
    for (const [k, e] of this.entries) if (e.used <= last) this.entries.delete(k);
  }

  /** The title analysed with these tags; null when the title is unknown or empty (no title evidence). */
  text(key: number, tags: string): TitleText | null {
    const e = this.entries.get(key);
    if (!e) return null;
    e.used = ++this.clock;
    if (e.title === '') return null;
    if (e.text === null || e.tags !== tags) {
      e.text = titleText(e.title, tags);
      e.tags = tags;
    }
    return e.text;
  }

  clear(): void {
    this.entries.clear();
  }
}
