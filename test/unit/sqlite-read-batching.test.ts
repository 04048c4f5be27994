import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/sqlite/connection.js';

/*
 * Reads of one event-loop turn share a read transaction (src/db/sqlite/read-batching.ts);
 * writes must stay exactly as before: committed when the call returns.
 */
const open: Database.Database[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The app's connection and a second, plain connection to the same file (another process). */
function pair(): { app: Database.Database; other: Database.Database } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-batching-'));
  dirs.push(dir);
  const file = path.join(dir, 'forum.sqlite');
  const app = openDatabase(file);
  app.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const other = new Database(file);
  other.pragma('busy_timeout = 2000');
  open.push(app, other);
  return { app, other };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const count = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

describe('SQLite reads of one turn in one read transaction', () => {
  it('opens one read transaction for the reads of a turn and ends it with the turn', async () => {
    const { app } = pair();
    expect(app.inTransaction).toBe(false);
    count(app);
    expect(app.inTransaction).toBe(true);
    count(app);
    await nextTurn();
    expect(app.inTransaction).toBe(false);
  });

  it('commits a write when the call returns, though reads came before it in the same turn', () => {
    const { app, other } = pair();
    count(app);
    app.prepare('INSERT INTO t (v) VALUES (?)').run('a');
    // Another connection sees it at once: it is on disk, not waiting for the turn's end.
    expect(count(other)).toBe(1);
    expect(app.inTransaction).toBe(false);
    // The app's own next read sees it.
    expect(count(app)).toBe(1);
    const returned = app.prepare('INSERT INTO t (v) VALUES (?) RETURNING id').get('b') as { id: number };
    expect(returned.id).toBe(2);
    expect(count(other)).toBe(2);
  });

  it('runs the app\'s own transactions as real transactions, and their reads inside them', () => {
    const { app, other } = pair();
    count(app);
    const insertTwo = app.transaction(() => {
      const before = count(app);
      app.prepare('INSERT INTO t (v) VALUES (?)').run('x');
      app.prepare('INSERT INTO t (v) VALUES (?)').run('y');
      return before;
    });
    expect(insertTwo()).toBe(0);
    expect(count(other)).toBe(2);
    expect(() =>
      app.transaction(() => {
        app.prepare('INSERT INTO t (v) VALUES (?)').run('z');
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(count(other)).toBe(2);
    expect(insertTwo.immediate()).toBe(2);
    expect(count(other)).toBe(4);
    // exec'd transactions (the bulk loader) still work after reads.
    count(app);
    app.exec('BEGIN');
    app.prepare('INSERT INTO t (v) VALUES (?)').run('w');
    app.exec('COMMIT');
    expect(count(other)).toBe(5);
  });

  it('shows a write by another connection from the next turn on', async () => {
    const { app, other } = pair();
    expect(count(app)).toBe(0);
    other.prepare('INSERT INTO t (v) VALUES (?)').run('elsewhere');
    await nextTurn();
    expect(count(app)).toBe(1);
  });
});
