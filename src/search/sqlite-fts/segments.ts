import type Database from 'better-sqlite3';
import type { CompactionReport } from '../port.js';
import { nextTurn } from './next-turn.js';

type Db = Database.Database;

/*
 * Keeping the full-text tables merged into few segments on a running forum.
 *
 * FTS5 writes every transaction's postings as a new segment; its automerge keeps the count
 * bounded, but a search still walks every segment's b-tree for every term (the full benchmark
 * data had 18 segments; merged into one, the same searches read about 15 % fewer pages and
 * their FTS reads took about 25 % less CPU, with byte-identical results). Search engines merge
 * segments in the background (Lucene's merge policy), and so do we, in bounded steps:
 * FTS5's 'optimize' on the full index blocks the event loop for seconds.
 *
 * The policy is one segment per level: each step is FTS5's incremental
 * `INSERT INTO t(t, rank) VALUES('merge', N)` (about N pages written), which merges a level
 * once it holds `usermerge` segments; usermerge is set to 2 (its minimum) when the index is
 * installed. Levels hold segments of similar size, so a small new segment is merged with other
 * small ones, and the big old segment is rewritten only once the levels below it have filled
 * up (a binary counter: amortised O(log n) rewrites per document). A negative N would merge
 * everything into one segment, but on a live forum that rewrites the whole index (hundreds of
 * MB) for every handful of new posts; 'optimize' is kept for offline tools (the data generator,
 * the importer, a reindex), where nobody waits.
 *
 * A merge leaves the indexed rows as they are: the triggers do not fire (they are on the forum
 * tables), so the engine's result cache and kept reads (read-cache.ts) stay valid on this
 * connection. Another process sees SQLite's data_version change and reads again, as after any
 * write it did not make.
 */

/** The two FTS5 tables of the embedded index (install.ts). */
export const FTS_TABLES = ['search_fts', 'search_titles'] as const;
export type FtsTable = (typeof FTS_TABLES)[number];

/**
 * Pages written per merge step (one step is one write transaction; readers go on in WAL mode).
 * Merging the full benchmark data (37 segments) on a busy machine (load 4-5 on 2 cores), WAL
 * checkpoints aside: 32 pages a step took p50 1.9 ms, p95 7 ms, max 26 ms (1,531 steps, 4.3 s
 * in all); 64 pages p50 4.4 ms, p95 13.6 ms, max 84 ms (959 steps, 5.7 s). The checkpoints
 * SQLite runs on commit once the WAL holds 1,000 pages are the longer pauses (event-loop delay
 * while the job merged the full data: p99 29 ms, max 63 ms), as for any write: a big merge
 * writes the whole index through the WAL once. (On a database file copied just before, the
 * first checkpoint's fsync also flushed the copy: 0.65 s; not a cost of the merge.)
 */
export const MERGE_STEP_PAGES = 32;
/** A level is merged once it holds this many segments (FTS5's usermerge; 2 is its minimum). */
export const USERMERGE = 2;

/** FTS5's structure record (the list of segments per level) is row 10 of the %_data table. */
const STRUCTURE_ROWID = 10;

export interface FtsLevel {
  /** Segments on this level. */
  segments: number;
  /** Input segments of an incremental merge in progress on this level (0: none). */
  merging: number;
}

export interface FtsStructure {
  levels: FtsLevel[];
  /** Segments on all levels. */
  segments: number;
}

/** Reads one SQLite varint (big-endian 7-bit groups; a ninth byte carries 8 bits). */
function varint(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  for (let k = 0; k < 8; k++) {
    const c = b[at++];
    if (c === undefined) throw new Error('FTS5 structure record ends early');
    v = v * 128 + (c & 0x7f);
    if ((c & 0x80) === 0) return [v, at];
  }
  const last = b[at++];
  if (last === undefined) throw new Error('FTS5 structure record ends early');
  return [v * 256 + last, at];
}

/**
 * Decodes FTS5's structure record (format documented at the top of SQLite's fts5_index.c):
 * a 4-byte cookie, the V2 marker FF 00 00 01 on contentless_delete tables, then varints:
 * levels, segments, write counter, and per level: segments in an ongoing merge, segments, and
 * per segment its id, first and last leaf page (and on V2 two origin counters, tombstone pages,
 * tombstone entries and rows). Only the counts are kept.
 */
export function decodeStructure(record: Uint8Array): FtsStructure {
  let at = 4;
  const v2 = record[4] === 0xff && record[5] === 0 && record[6] === 0 && record[7] === 1;
  if (v2) at += 4;
  let nLevel: number;
  let nSegment: number;
  [nLevel, at] = varint(record, at);
  [nSegment, at] = varint(record, at);
  [, at] = varint(record, at); // write counter
  const fieldsPerSegment = v2 ? 8 : 3;
  const levels: FtsLevel[] = [];
  for (let l = 0; l < nLevel; l++) {
    let merging: number;
    let segments: number;
    [merging, at] = varint(record, at);
    [segments, at] = varint(record, at);
    for (let s = 0; s < segments * fieldsPerSegment; s++) [, at] = varint(record, at);
    levels.push({ segments, merging });
  }
  if (at !== record.length) throw new Error(`FTS5 structure record not understood (${at} of ${record.length} bytes read)`);
  return { levels, segments: nSegment };
}

/** The table's current structure (an empty index, never written, has none: no segments). */
export function structureOf(db: Db, table: FtsTable): FtsStructure {
  const record = db.prepare(`SELECT block FROM main.${table}_data WHERE id = ?`).pluck().get(STRUCTURE_ROWID) as Uint8Array | undefined;
  return record ? decodeStructure(record) : { levels: [], segments: 0 };
}

/** Segments of both tables. */
export function segmentCount(db: Db): number {
  return FTS_TABLES.reduce((n, t) => n + structureOf(db, t).segments, 0);
}

/** Whether merge steps would reduce the segments: a level holds two or more, or a merge is under way. */
export function mergeWorkRemains(structure: FtsStructure): boolean {
  return structure.levels.some((l) => l.merging > 0 || l.segments >= USERMERGE);
}

/** Sets FTS5's usermerge so that 'merge' steps merge any level holding two segments (install.ts). */
export function configureMerging(db: Db): void {
  for (const table of FTS_TABLES) {
    const current = db.prepare(`SELECT v FROM main.${table}_config WHERE k = 'usermerge'`).pluck().get();
    // A literal: better-sqlite3 binds JavaScript numbers as REAL, which FTS5 refuses here.
    if (current !== USERMERGE) db.exec(`INSERT INTO main.${table} (${table}, rank) VALUES ('usermerge', ${USERMERGE})`);
  }
}

/** Merges every segment of both tables into one, in one blocking call: for offline tools only. */
export function optimizeIndex(db: Db): void {
  for (const table of FTS_TABLES) db.exec(`INSERT INTO main.${table} (${table}) VALUES ('optimize')`);
}

/**
 * One bounded merge step on one table; true when it did work. FTS5 documents that a 'merge'
 * which merged anything changes sqlite3_total_changes() by 2 or more.
 */
export function mergeStep(db: Db, table: FtsTable, pages: number = MERGE_STEP_PAGES): boolean {
  const total = db.prepare('SELECT total_changes()').pluck();
  const before = total.get() as number;
  if (!Number.isSafeInteger(pages) || pages < 1) throw new Error(`merge step pages must be a positive integer (got ${pages})`);
  // A literal, as in configureMerging: a bound number would arrive as REAL.
  db.exec(`INSERT INTO main.${table} (${table}, rank) VALUES ('merge', ${pages})`);
  return (total.get() as number) - before >= 2;
}

/** One merge run: what the search port reports for compactIndex(). */
export type MergeRun = CompactionReport;

export interface MergeOptions {
  /** Wall time after which no new step starts (steps run one per event-loop turn). */
  budgetMs: number;
  pagesPerStep?: number;
  /** Told each step's table and time (ms): for measuring (scripts/search-merge.ts). */
  onStep?: (table: FtsTable, ms: number) => void;
}

/**
 * Runs merge steps, one per event-loop turn so requests are served in between, until no
 * work remains or the budget is spent; a later run goes on where this one stopped (FTS5 keeps
 * the state of an unfinished merge in the structure record).
 */
export async function mergeSegments(db: Db, options: MergeOptions): Promise<MergeRun> {
  const started = performance.now();
  const segmentsBefore = segmentCount(db);
  let steps = 0;
  let maxStepMs = 0;
  let workMs = 0;
  const pending = new Set<FtsTable>(FTS_TABLES.filter((t) => mergeWorkRemains(structureOf(db, t))));
  while (pending.size > 0 && performance.now() - started < options.budgetMs) {
    for (const table of [...pending]) {
      if (!db.open) throw new Error('the database was closed while the search index was being merged');
      const t0 = performance.now();
      const worked = mergeStep(db, table, options.pagesPerStep);
      // Stop on a step that did nothing, too: FTS5 may decline a level the structure suggests.
      if (!worked || !mergeWorkRemains(structureOf(db, table))) pending.delete(table);
      const ms = performance.now() - t0;
      options.onStep?.(table, ms);
      steps++;
      workMs += ms;
      if (ms > maxStepMs) maxStepMs = ms;
      await nextTurn();
    }
  }
  return { segmentsBefore, segmentsAfter: segmentCount(db), steps, maxStepMs, workMs, done: pending.size === 0 };
}
