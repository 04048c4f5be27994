/*
 * The text a hit shows (title, slug, body text, an answer's question and author; an FAQ
 * entry's category and source), by document (posts by id, FAQ entries by their negative id),
 * kept for the next search that lists the same document: popular documents are listed again
 * and again by different queries (on the benchmark's search mix 10-45 % of listed documents
 * had been listed before), and reading 20 scattered rows with their question and author was
 * about a third of turning a search's candidates into hits.
 *
 * Only text: votes, answer counts and tags come with each search from the candidate's
 * attributes. The engine decides when the whole cache is stale (engine.ts hitTexts(): any
 * change of the indexed text other than new documents, here or in another process).
 *
 * Bounded by bytes, least recently used first out.
 */

export interface PostText {
  id: number;
  type: string;
  title: string | null;
  slug: string | null;
  body_text: string;
  question_id: number | null;
  q_title: string | null;
  q_slug: string | null;
  author: string | null;
  author_id: number | null;
}

export interface EntryText {
  id: number;
  title: string;
  slug: string;
  body_text: string;
  category_id: number;
  source_question_id: number | null;
}

/** Default bound: about 7,000 documents of the benchmark's size (a few hundred characters each). */
export const HIT_TEXT_CACHE_BYTES = 4 * 1024 * 1024;
/** Per entry beyond its strings (the object, the Map's slot), roughly. */
const ENTRY_OVERHEAD = 120;

type Kept = { text: PostText | EntryText; bytes: number };

/** Strings as V8 keeps them: one byte a character for Latin-1 text, two otherwise (counted as two: a bound, not a measure). */
function stringBytes(s: string | null): number {
  return s === null ? 0 : 2 * s.length + 16;
}

export class HitTextCache {
  private readonly entries = new Map<number, Kept>();
  private bytes = 0;

  constructor(private readonly limit: number = HIT_TEXT_CACHE_BYTES) {}

  /** The kept text of a post (id > 0) or FAQ entry (its negative id), marked as just used. */
  get(key: number): PostText | EntryText | undefined {
    const kept = this.entries.get(key);
    if (!kept) return undefined;
    this.entries.delete(key);
    this.entries.set(key, kept);
    return kept.text;
  }

  putPost(p: PostText): void {
    this.put(p.id, p, stringBytes(p.title) + stringBytes(p.slug) + stringBytes(p.body_text) + stringBytes(p.q_title) + stringBytes(p.q_slug) + stringBytes(p.author));
  }

  putEntry(e: EntryText): void {
    this.put(-e.id, e, stringBytes(e.title) + stringBytes(e.slug) + stringBytes(e.body_text));
  }

  private put(key: number, text: PostText | EntryText, strings: number): void {
    const bytes = strings + ENTRY_OVERHEAD;
    // One very long document is not worth the many it would push out.
    if (bytes > this.limit / 16) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { text, bytes });
    this.bytes += bytes;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.limit) break;
      this.entries.delete(k);
      this.bytes -= v.bytes;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }
}
