import type Database from 'better-sqlite3';

/** Enough for every fixed statement of the app; dynamic SQL (IN lists, filters) evicts the least recently used. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

type Statement = Database.Statement<unknown[], unknown>;
type Mode = 'flat' | 'pluck' | 'raw' | 'expand';
const MODE_INDEX: Record<Mode, number> = { flat: 0, pluck: 1, raw: 2, expand: 3 };

/** The statements compiled for one SQL text, one per mode (and safe-integers or not). */
interface Slot {
  touched: number;
  statements: Array<Statement | undefined>;
}

/**
 * Makes `db.prepare(sql)` return one compiled statement per SQL text instead of compiling it
 * on every call: profiles showed prepare() at 6-11 % of page CPU, because repositories prepare
 * inside their methods (2-5 statements per page). Patching the connection keeps every
 * repository unchanged and covers statements added later.
 *
 * Two things a shared statement must not carry between callers:
 * - its result mode: pluck()/raw()/expand()/safeIntegers() change a statement in place, and a
 *   repository may hold the same statement for its lifetime. So on a cached statement these
 *   methods leave it alone and return the statement cached for that SQL in that mode (use them
 *   chained, `db.prepare(sql).pluck().get()`, which is how the code base uses them);
 * - its cursor: a statement being iterated (iterate() not finished) cannot run again, so a
 *   nested use of the same SQL gets a fresh statement of its own.
 */
export function installStatementCache(db: Database.Database, capacity = DEFAULT_STATEMENT_CACHE_SIZE, decorate: (stmt: Statement) => Statement = (s) => s): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  /*
   * Keyed by the SQL text itself, with one slot per mode: most SQL texts are string literals,
   * whose hash V8 keeps on the string, so a hit costs no hashing of the (often long) text.
   * A key built per call (mode + SQL) was hashed in full on every query (~5 % of a member's
   * page). A Map iterates in insertion order; re-inserting an entry touched after at least
   * half the cache went by keeps the first key the least recently used (near enough, without
   * a delete and insert on every hit).
   */
  const cache = new Map<string, Slot>();
  let clock = 0;

  const fresh = (sql: string, mode: Mode, safe: boolean): Statement => {
    const stmt = prepare(sql);
    if (mode !== 'flat') stmt[mode](true);
    if (safe) stmt.safeIntegers(true);
    return decorate(stmt);
  };

  const get = (sql: string, mode: Mode, safe: boolean): Statement => {
    const index = MODE_INDEX[mode] * 2 + (safe ? 1 : 0);
    let slot = cache.get(sql);
    const now = ++clock;
    if (slot !== undefined) {
      const hit = slot.statements[index];
      if (slot.touched < now - (capacity >> 1)) {
        cache.delete(sql);
        cache.set(sql, slot);
      }
      slot.touched = now;
      if (hit !== undefined) return hit.busy ? fresh(sql, mode, safe) : hit;
    } else {
      slot = { touched: now, statements: [] };
      cache.set(sql, slot);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    }
    const stmt = fresh(sql, mode, safe);
    // Same semantics as the native methods (turning one mode off only leaves that mode), but
    // answered with the sibling statement so this shared one never changes.
    const redirect = (wanted: Mode) => (on = true) => get(sql, on ? wanted : mode === wanted ? 'flat' : mode, safe);
    if (stmt.reader) {
      Object.defineProperties(stmt, {
        pluck: { value: redirect('pluck') },
        raw: { value: redirect('raw') },
        expand: { value: redirect('expand') },
      });
    }
    Object.defineProperty(stmt, 'safeIntegers', { value: (on = true) => get(sql, mode, on) });
    slot.statements[index] = stmt;
    return stmt;
  };

  Object.defineProperty(db, 'prepare', { value: (sql: string) => get(sql, 'flat', false), configurable: true, writable: true });
}
