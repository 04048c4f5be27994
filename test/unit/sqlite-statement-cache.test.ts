import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/sqlite/connection.js';
import { installStatementCache } from '../../src/db/sqlite/statement-cache.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function numbers(capacity?: number): Database.Database {
  const db = new Database(':memory:');
  open.push(db);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (id, name) VALUES (?, ?)');
  for (let i = 1; i <= 5; i++) insert.run(i, `n${i}`);
  installStatementCache(db, capacity);
  return db;
}

describe('SQLite statement cache (one compiled statement per SQL text and connection)', () => {
  it('returns the same statement for the same SQL, and the connection the app opens has the cache', () => {
    const db = numbers();
    const sql = 'SELECT name FROM t WHERE id = ?';
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    expect(db.prepare(sql)).not.toBe(db.prepare('SELECT id FROM t WHERE id = ?'));

    const app = openDatabase(':memory:');
    open.push(app);
    expect(app.prepare('SELECT 1 AS one')).toBe(app.prepare('SELECT 1 AS one'));
  });

  it('does not let pluck/raw/expand of one caller change the rows another caller gets', () => {
    const db = numbers();
    const sql = 'SELECT id, name FROM t WHERE id = ?';
    const held = db.prepare(sql); // as a repository keeps a statement for its lifetime
    expect(db.prepare(sql).pluck().get(2)).toBe(2);
    expect(db.prepare(sql).raw().get(3)).toEqual([3, 'n3']);
    expect(db.prepare(sql).expand().get(4)).toEqual({ t: { id: 4, name: 'n4' } });
    expect(held.get(2)).toEqual({ id: 2, name: 'n2' });
    expect(db.prepare(sql).get(5)).toEqual({ id: 5, name: 'n5' });
    // The plucking statement is itself cached, and turning pluck off gives plain rows again.
    expect(db.prepare(sql).pluck()).toBe(db.prepare(sql).pluck());
    expect(db.prepare(sql).pluck().pluck(false).get(1)).toEqual({ id: 1, name: 'n1' });
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5);
  });

  it('runs the same SQL inside its own iteration (nested use gets a fresh statement)', () => {
    const db = numbers();
    const sql = 'SELECT id FROM t WHERE id >= ? ORDER BY id';
    const pairs: string[] = [];
    for (const outer of db.prepare(sql).iterate(4) as Iterable<{ id: number }>) {
      const inner = db.prepare(sql).all(outer.id) as Array<{ id: number }>;
      pairs.push(`${outer.id}:${inner.map((r) => r.id).join(',')}`);
    }
    expect(pairs).toEqual(['4:4,5', '5:5']);
    // Once the iteration is over, the cached statement is handed out again.
    expect(db.prepare(sql)).toBe(db.prepare(sql));
  });

  it('keeps writes and transactions working through cached statements', () => {
    const db = numbers();
    const rename = db.transaction((id: number, name: string) => db.prepare('UPDATE t SET name = ? WHERE id = ?').run(name, id).changes);
    expect(rename(1, 'one')).toBe(1);
    expect(rename(2, 'two')).toBe(1);
    expect(db.prepare('SELECT name FROM t WHERE id IN (1, 2) ORDER BY id').pluck().all()).toEqual(['one', 'two']);
    // A writer has no result mode: pluck() on it fails as it does without the cache.
    expect(() => db.prepare('DELETE FROM t WHERE id = ?').pluck()).toThrow(/only for statements that return data/);
  });

  it('follows schema changes (a cached SELECT * sees added columns and a rebuilt table)', () => {
    const db = numbers();
    expect(db.prepare('SELECT * FROM t WHERE id = 1').get()).toEqual({ id: 1, name: 'n1' });
    db.exec("ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT 'e'");
    expect(db.prepare('SELECT * FROM t WHERE id = 1').get()).toEqual({ id: 1, name: 'n1', extra: 'e' });
    db.exec('DROP TABLE t');
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, other TEXT); INSERT INTO t VALUES (1, 'o')");
    expect(db.prepare('SELECT * FROM t WHERE id = 1').get()).toEqual({ id: 1, other: 'o' });
  });

  it('is bounded: the least recently used statement is dropped', () => {
    const db = numbers(2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a); // a is now the most recently used
    db.prepare('SELECT 3'); // evicts b
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
  });
});
