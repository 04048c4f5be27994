import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;

const TRANSACTION_CONTROL = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/*
 * Reads of one event-loop turn share one read transaction (issue 15).
 *
 * In WAL mode every statement outside a transaction opens and closes its own read transaction
 * (a read lock on the WAL index, taken and released with system calls). Measured on the full
 * data set, a three-row indexed read cost 19 us alone and 6 us inside a transaction; a
 * member's page makes seven or eight such reads. So the first read-only statement of a turn
 * opens a deferred transaction and the turn's end (setImmediate) commits it: every read in
 * between, of any request, uses it.
 *
 * What stays as it was:
 * - Writes. Any statement that is not read-only, `db.transaction(...)`, `exec`, `pragma`,
 *   `backup` and `close` first end the open read transaction, so a write runs exactly as
 *   before (its own transaction, committed before the call returns: an acknowledged write is
 *   on disk as before), and the reads after it see it.
 * - Reads inside the app's own transactions: they are already in one; nothing is opened.
 * What changes: the reads of one turn see the database as of the turn's first read. A write
 * by another process shows from the next turn on (this process's own writes show at once).
 * A read transaction lasts one turn, so it never holds up a WAL checkpoint for long.
 */
export interface ReadBatching {
  /** Makes a prepared statement take part (each statement once, when it is compiled). */
  decorate(stmt: Statement): Statement;
  /** Ends the open read transaction now, if there is one (before anything but a read). */
  end(): void;
}

export function installReadBatching(db: Database.Database): ReadBatching {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const begin = prepare('BEGIN DEFERRED');
  const commit = prepare('COMMIT');
  let open = false;
  let scheduled = false;

  const end = () => {
    if (!open) return;
    open = false;
    if (db.inTransaction) commit.run();
  };
  const atTurnEnd = () => {
    scheduled = false;
    try {
      end();
    } catch {
      // A statement still running (an iterator left open): try again next turn.
      open = db.inTransaction;
      if (open && !scheduled) {
        scheduled = true;
        setImmediate(atTurnEnd);
      }
    }
  };
  const startRead = () => {
    if (open || db.inTransaction) return;
    begin.run();
    open = true;
    if (!scheduled) {
      scheduled = true;
      setImmediate(atTurnEnd);
    }
  };

  const wrap = <F extends (...args: never[]) => unknown>(target: object, name: string, before: () => void) => {
    const original = (target as Record<string, F>)[name]!;
    Object.defineProperty(target, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: Parameters<F>) {
        before();
        return original.apply(this, args);
      },
    });
  };

  for (const name of ['exec', 'pragma', 'backup', 'close', 'serialize', 'loadExtension']) wrap(db, name, end);
  const transaction = db.transaction.bind(db);
  Object.defineProperty(db, 'transaction', {
    configurable: true,
    writable: true,
    value: (fn: (...args: unknown[]) => unknown) => {
      const tx = transaction(fn);
      const guarded = (f: (...args: unknown[]) => unknown) =>
        function (this: unknown, ...args: unknown[]) {
          end();
          return f.apply(this, args);
        };
      return Object.assign(guarded(tx), { default: guarded(tx.default), deferred: guarded(tx.deferred), immediate: guarded(tx.immediate), exclusive: guarded(tx.exclusive) });
    },
  });

  return {
    end,
    decorate(stmt) {
      // SQLite calls transaction control (BEGIN, COMMIT, SAVEPOINT...) read-only too: not a read.
      const before = stmt.readonly && !TRANSACTION_CONTROL.test(stmt.source) ? startRead : end;
      for (const name of ['run', 'get', 'all', 'iterate']) wrap(stmt, name, before);
      return stmt;
    },
  };
}
