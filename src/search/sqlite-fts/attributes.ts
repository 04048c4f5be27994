import type Database from 'better-sqlite3';
import { nextTurn } from './next-turn.js';

type Db = Database.Database;

/** A search_meta row as read (raw, in column order). */
export type MetaRow = [id: number, kind: 'question' | 'answer' | 'faq', community_id: number, thread_id: number | null, score: number, accepted: number, answer_count: number, created_at: number, tags: string];

export const META_COLUMNS = 'id, kind, community_id, thread_id, score, accepted, answer_count, created_at, tags';

/** Kind codes of the copy's columns (0: no row). */
export const KINDS = ['', 'question', 'answer', 'faq'] as const;
const KIND_CODE: Record<string, number> = { question: 1, answer: 2, faq: 3 };
/** Rows read per event-loop turn while the copy loads (a full forum has hundreds of thousands; a page takes a few ms). */
const LOAD_PAGE = 5_000;

const fits = (n: number) => (n | 0) === n;


/**
 * PRAGMA data_version through one prepared statement: db.pragma() prepares a statement on
 * every call, and every search asks (result cache, vocabulary, this copy).
 */
export function dataVersionOf(db: Db): () => number {
  const read = db.prepare('PRAGMA data_version').pluck();
  return () => read.get() as number;
}

/** Growable typed columns for one sign of id (posts: positive ids, FAQ entries: negative). */
class Columns {
  kind = new Uint8Array(0);
  community = new Int32Array(0);
  thread = new Int32Array(0);
  score = new Int32Array(0);
  accepted = new Uint8Array(0);
  answers = new Int32Array(0);
  created = new Float64Array(0);
  tags = new Int32Array(0);

  ensure(index: number): void {
    if (index < this.kind.length) return;
    this.resize(Math.max(1024, index + 1, this.kind.length * 2));
  }

  /**
   * Before a load, room for ids up to `highest` and a sixteenth more for the documents written
   * next, allocated once: growing by doubling while loading left up to half of each column
   * unused (about 6 MB on a forum of 400k documents) and held two copies at each step.
   */
  reserve(highest: number): void {
    const size = Math.max(1024, highest + 1 + (highest >> 4));
    if (size > this.kind.length) this.resize(size);
  }

  private resize(size: number): void {
    const grow = <T extends Uint8Array | Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.length > size ? (a.subarray(0, size) as T) : a);
      return b;
    };
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.community = grow(this.community, (n) => new Int32Array(n));
    this.thread = grow(this.thread, (n) => new Int32Array(n));
    this.score = grow(this.score, (n) => new Int32Array(n));
    this.accepted = grow(this.accepted, (n) => new Uint8Array(n));
    this.answers = grow(this.answers, (n) => new Int32Array(n));
    this.created = grow(this.created, (n) => new Float64Array(n));
    this.tags = grow(this.tags, (n) => new Int32Array(n));
  }
}

/**
 * Every distinct tags string of the index, interned once with its tags as small integers:
 * a thread's answers repeat its tags, so a forum of 400k documents has about 90k distinct
 * lists over a few hundred tags. Facet counting adds per tag number instead of splitting
 * strings per search. Ids are only ever appended, so they stay valid while the copy lives.
 */
export class TagLists {
  private readonly lists: string[] = [];
  private readonly listIndex = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  /** Tags of list i: tags[start[i] .. start[i + 1]). */
  private start = new Int32Array(1024);
  private tags = new Int32Array(4096);

  /** The id of a tags string (interned on first sight). */
  intern(list: string): number {
    let id = this.listIndex.get(list);
    if (id !== undefined) return id;
    id = this.lists.length;
    this.lists.push(list);
    this.listIndex.set(list, id);
    if (id + 2 > this.start.length) this.start = grown(this.start, id + 2);
    let at = this.start[id]!;
    for (const name of list.split(' ')) {
      if (name === '') continue;
      let tag = this.nameIndex.get(name);
      if (tag === undefined) {
        tag = this.names.length;
        this.names.push(name);
        this.nameIndex.set(name, tag);
      }
      if (at >= this.tags.length) this.tags = grown(this.tags, at + 1);
      this.tags[at++] = tag;
    }
    this.start[id + 1] = at;
    return id;
  }

  list(id: number): string {
    return this.lists[id]!;
  }

  get tagCount(): number {
    return this.names.length;
  }

  name(tag: number): string {
    return this.names[tag]!;
  }

  from(id: number): number {
    return this.start[id]!;
  }

  to(id: number): number {
    return this.start[id + 1]!;
  }

  tagAt(at: number): number {
    return this.tags[at]!;
  }
}

function grown(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Receives one copied row's attributes (positional: no object or tuple per candidate). */
export type AttributeVisitor = (
  id: number,
  kind: MetaRow[1],
  community: number,
  thread: number | null,
  score: number,
  accepted: number,
  answers: number,
  created: number,
  tags: string,
  tagsId: number,
) => void;

/** Typed columns fill() writes: kind as a KINDS code, thread -1 for none, tags a TagLists id. */
export interface AttributeColumns {
  from: Int32Array;
  id: Float64Array;
  kind: Uint8Array;
  community: Float64Array;
  thread: Float64Array;
  score: Float64Array;
  accepted: Float64Array;
  answers: Float64Array;
  created: Float64Array;
  tags: Int32Array;
}

/**
 * An in-memory copy of search_meta (the attributes ranking, filters and facets read for
 * every candidate). Reading thousands of candidates' rows from the table was a fifth of an
 * uncached search's CPU (scattered B-tree pages); from typed arrays it is a few hundred
 * microseconds. The copy is an optimisation, never a source of truth:
 * - the triggers (install.ts) name every row and thread they change (search_row_changed,
 *   search_thread_changed), and those are read again from the table before the next search;
 * - a write by another connection (PRAGMA data_version) makes the copy unusable until a
 *   fresh one is loaded in the background: meanwhile searches read the table, so results
 *   are the same with or without the copy.
 */
export class AttributeCopy {
  private readonly pos = new Columns();
  private readonly neg = new Columns();
  readonly tagLists = new TagLists();
  private ready = false;
  /** Set when a row did not fit the copy's columns: it is not used (reset() tries again). */
  private unusable = false;
  private loading: Promise<void> | null = null;
  private dataVersion = -1;
  private readonly dirtyRows = new Set<number>();
  private readonly dirtyThreads = new Set<number>();
  /** Bumped by reset(): a load that started before it is not installed. */
  private epoch = 0;

  private readonly dataVersionNow: () => number;

  constructor(private readonly db: Db) {
    this.dataVersionNow = dataVersionOf(db);
  }

  rowChanged(id: number): void {
    this.dirtyRows.add(id);
  }

  threadChanged(thread: number): void {
    this.dirtyThreads.add(thread);
  }

  /** Forgets everything (after a rebuild of the index); the next use loads it again. */
  reset(): void {
    this.ready = false;
    this.unusable = false;
    this.epoch++;
    this.dirtyRows.clear();
    this.dirtyThreads.clear();
  }

  /** Starts loading in the background if no usable copy exists; never throws. */
  start(): void {
    if (this.unusable || this.loading || (this.ready && this.current())) return;
    const epoch = this.epoch;
    this.loading = this.load(epoch)
      .catch(() => {
        // A value the copy cannot hold: searches read the table from now on (until a rebuild).
        this.unusable = true;
        this.ready = false;
      })
      .finally(() => {
        this.loading = null;
      });
  }

  /** Resolves when a load started now (or running) has finished. */
  async whenLoaded(): Promise<void> {
    this.start();
    await this.loading;
  }

  private current(): boolean {
    return this.dataVersion === this.dataVersionNow();
  }

  private async load(epoch: number): Promise<void> {
    this.ready = false;
    const page = this.db.prepare(`SELECT ${META_COLUMNS} FROM main.search_meta WHERE id > ? ORDER BY id LIMIT ${LOAD_PAGE}`).raw();
    const dataVersion = this.dataVersionNow();
    // Rows written through this connection during the load are read again at the end.
    this.dirtyRows.clear();
    this.dirtyThreads.clear();
    this.pos.kind.fill(0);
    this.neg.kind.fill(0);
    const range = this.db.prepare('SELECT max(id) AS high, min(id) AS low FROM main.search_meta').get() as { high: number | null; low: number | null };
    if (range.high !== null && range.high > 0 && fits(range.high)) this.pos.reserve(range.high);
    if (range.low !== null && range.low < 0 && fits(range.low)) this.neg.reserve(-range.low);
    for (let after = -Number.MAX_SAFE_INTEGER; ; ) {
      if (!this.db.open || epoch !== this.epoch) return;
      if (this.dataVersionNow() !== dataVersion) return;
      const rows = page.all(after) as MetaRow[];
      for (const row of rows) this.put(row);
      if (rows.length < LOAD_PAGE) break;
      after = rows[rows.length - 1]![0];
      await nextTurn();
    }
    if (epoch !== this.epoch) return;
    this.dataVersion = dataVersion;
    this.ready = true;
  }

  private put(row: MetaRow): void {
    const [id, kind, community, thread, score, accepted, answers, created, tags] = row;
    // 32-bit columns keep the copy small (about 30 bytes a document); a value beyond them
    // (never in practice) leaves the copy unused rather than wrong.
    if (!fits(id) || !fits(community) || !fits(thread ?? 0) || !fits(score) || !fits(answers)) throw new RangeError('search attribute outside 32 bits');
    const cols = id >= 0 ? this.pos : this.neg;
    const at = Math.abs(id);
    cols.ensure(at);
    cols.kind[at] = KIND_CODE[kind] ?? 0;
    cols.community[at] = community;
    cols.thread[at] = thread ?? -1;
    cols.score[at] = score;
    cols.accepted[at] = accepted;
    cols.answers[at] = answers;
    cols.created[at] = created;
    cols.tags[at] = this.tagLists.intern(tags);
  }

  private clear(id: number): void {
    const cols = id >= 0 ? this.pos : this.neg;
    const at = Math.abs(id);
    if (at < cols.kind.length) cols.kind[at] = 0;
  }

  /** Reads the rows the triggers named since the last call; false when the copy cannot be used. */
  private sync(): boolean {
    if (!this.ready) return false;
    try {
      return this.readChanged();
    } catch {
      this.unusable = true;
      this.ready = false;
      return false;
    }
  }

  private readChanged(): boolean {
    if (!this.current()) {
      this.ready = false;
      return false;
    }
    if (this.dirtyThreads.size > 0) {
      const threads = this.dirtyThreads;
      // Rows that left a thread are not in the table any more: clear the thread, read it back.
      for (const cols of [this.pos, this.neg]) {
        for (let at = 0; at < cols.kind.length; at++) if (cols.kind[at] !== 0 && threads.has(cols.thread[at]!)) cols.kind[at] = 0;
      }
      const read = this.db.prepare(`SELECT ${META_COLUMNS} FROM main.search_meta WHERE thread_id IN (SELECT value FROM json_each(?))`).raw();
      for (const row of read.all(JSON.stringify([...threads])) as MetaRow[]) this.put(row);
      threads.clear();
    }
    if (this.dirtyRows.size > 0) {
      const ids = [...this.dirtyRows];
      for (const id of ids) this.clear(id);
      const read = this.db.prepare(`SELECT ${META_COLUMNS} FROM main.search_meta WHERE id IN (SELECT value FROM json_each(?))`).raw();
      for (const row of read.all(JSON.stringify(ids)) as MetaRow[]) this.put(row);
      this.dirtyRows.clear();
    }
    return true;
  }

  /**
   * The rows of these ids (those that exist), in the given order, or null when the copy
   * is not usable right now (the caller reads the table).
   */
  rows(ids: Iterable<number>): MetaRow[] | null {
    const out: MetaRow[] = [];
    const found = this.visit(ids, (id, kind, community, thread, score, accepted, answers, created, tags) => {
      out.push([id, kind, community, thread, score, accepted, answers, created, tags]);
    });
    return found ? out : null;
  }

  /**
   * The attributes of these ids (those that exist, in the given order) written into typed
   * columns from index 0, with `from` the index in `ids` of each: no call and no object per
   * row (a broad search reads thousands). The number written, or -1 when the copy is not
   * usable right now (the caller reads the table). Each column must hold ids.length values.
   */
  fill(ids: ArrayLike<number>, into: AttributeColumns): number {
    if (!this.sync()) {
      this.start();
      return -1;
    }
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const cols = id >= 0 ? this.pos : this.neg;
      const at = Math.abs(id);
      if (at >= cols.kind.length) continue;
      const kind = cols.kind[at]!;
      if (kind === 0) continue;
      into.from[n] = i;
      into.id[n] = id;
      into.kind[n] = kind;
      into.community[n] = cols.community[at]!;
      into.thread[n] = cols.thread[at]!;
      into.score[n] = cols.score[at]!;
      into.accepted[n] = cols.accepted[at]!;
      into.answers[n] = cols.answers[at]!;
      into.created[n] = cols.created[at]!;
      into.tags[n] = cols.tags[at]!;
      n++;
    }
    return n;
  }

  /**
   * For the ids that exist and pass the filters (a community id, a kind), in the given order,
   * their creation time or score in `keys` and the id in `into`, from index 0: the number
   * written, or -1 when the copy is not usable right now (the caller reads the table). What
   * a sorted search orders a broad word's matches by (engine.ts sortedSample).
   */
  sortKeys(ids: ArrayLike<number>, key: 'created' | 'score', filter: { community?: number; kind?: string }, into: Float64Array, keys: Float64Array): number {
    if (!this.sync()) {
      this.start();
      return -1;
    }
    const community = filter.community;
    const kindCode = filter.kind === undefined ? 0 : (KIND_CODE[filter.kind] ?? -1);
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const cols = id >= 0 ? this.pos : this.neg;
      const at = Math.abs(id);
      if (at >= cols.kind.length) continue;
      const kind = cols.kind[at]!;
      if (kind === 0 || (kindCode !== 0 && kind !== kindCode)) continue;
      if (community !== undefined && cols.community[at] !== community) continue;
      const value = key === 'created' ? cols.created[at]! : cols.score[at]!;
      // A date that is not a number (never written by the app) sorts as SQLite sorts it: there.
      if (Number.isNaN(value)) return -1;
      into[n] = id;
      keys[n] = value;
      n++;
    }
    return n;
  }

  /**
   * Calls visit with the attributes of each of these ids that exists, in the given order;
   * false when the copy is not usable right now (the caller reads the table).
   */
  visit(ids: Iterable<number>, visit: AttributeVisitor): boolean {
    if (!this.sync()) {
      this.start();
      return false;
    }
    for (const id of ids) {
      const cols = id >= 0 ? this.pos : this.neg;
      const at = Math.abs(id);
      if (at >= cols.kind.length) continue;
      const kind = cols.kind[at]!;
      if (kind === 0) continue;
      const thread = cols.thread[at]!;
      const tagsId = cols.tags[at]!;
      visit(id, KINDS[kind] as MetaRow[1], cols.community[at]!, thread === -1 ? null : thread, cols.score[at]!, cols.accepted[at]!, cols.answers[at]!, cols.created[at]!, this.tagLists.list(tagsId), tagsId);
    }
    return true;
  }
}
