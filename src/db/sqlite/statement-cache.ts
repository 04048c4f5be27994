import type Database from 'better-sqlite3';

/** Enough for every fixed statement of the app; dynamic SQL (IN lists, filters) evicts the least recently used. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

type Statement = Database.Statement<unknown[], unknown>;
type Mode = 'flat' | 'pluck' | 'raw' | 'expand';

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
export function installStatementCache(db: Database.Database, capacity = DEFAULT_STATEMENT_CACHE_SIZE): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  // A Map iterates in insertion order; re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, Statement>();

  const fresh = (sql: string, mode: Mode, safe: boolean): Statement => {
    const stmt = prepare(sql);
    if (mode !== 'flat') stmt[mode](true);
    if (safe) stmt.safeIntegers(true);
    return stmt;
  };

  const get = (sql: string, mode: Mode, safe: boolean): Statement => {
    const key = `${mode}${safe ? '+safe' : ''}\u0000${sql}`;
    const hit = cache.get(key);
    if (hit !== undefined) {
      if (hit.busy) return fresh(sql, mode, safe);
      cache.delete(key);
      cache.set(key, hit);
      return hit;
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
    cache.set(key, stmt);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return stmt;
  };

  Object.defineProperty(db, 'prepare', { value: (sql: string) => get(sql, 'flat', false), configurable: true, writable: true });
}
