import type Database from 'better-sqlite3';
import * as m001 from './migrations/001-accounts-communities.js';
import * as m002 from './migrations/002-questions-answers.js';

/**
 * Forward-only migrations, applied in order and recorded in PRAGMA user_version.
 * Never edit a migration that has shipped: add a new file and list it here.
 */
export const migrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  { version: 1, ...m001 },
  { version: 2, ...m002 },
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
