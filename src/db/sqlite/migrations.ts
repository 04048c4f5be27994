import type Database from 'better-sqlite3';
import * as m001 from './migrations/001-accounts-communities.js';
import * as m002 from './migrations/002-questions-answers.js';
import * as m003 from './migrations/003-search.js';
import * as m004 from './migrations/004-faq.js';
import * as m005 from './migrations/005-activity-kind.js';
import * as m006 from './migrations/006-outbox-leases.js';
import * as m007 from './migrations/007-staff-index.js';
import * as m008 from './migrations/008-faq-entry-events.js';
import * as m009 from './migrations/009-search-synonyms.js';
import * as m011 from './migrations/011-username-skeleton.js';
import * as m013 from './migrations/013-imports.js';
import * as m015 from './migrations/015-moderation.js';
import * as m016 from './migrations/016-mail-notifications.js';
import * as m017 from './migrations/017-support.js';
import * as m018 from './migrations/018-faq-rank.js';
import * as m019 from './migrations/019-search-browser.js';
import * as m020 from './migrations/020-inbound-held.js';
import * as m021 from './migrations/021-digests-newsletters.js';
import * as m022 from './migrations/022-support-dashboard.js';
import * as m023 from './migrations/023-event-outbox.js';
import * as m024 from './migrations/024-support-dashboard-loyalty.js';
import * as m025 from './migrations/025-search-log-clicked-browser-index.js';
import * as m026 from './migrations/026-member-page-covering-indexes.js';
import * as m027 from './migrations/027-search-title-index.js';
import * as m028 from './migrations/028-search-faq-title-index.js';
import * as m030 from './migrations/030-support-unnotified-escalations.js';

/**
 * Forward-only migrations, applied in order and recorded in the schema_migrations table.
 * Never edit a migration that has shipped: add a new file and list it here.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (values computed in TypeScript), run after `sql` in the same transaction. */
  run?: (db: Database.Database) => void;
}

export const migrations: ReadonlyArray<Migration> = [
  { version: 1, ...m001 },
  { version: 2, ...m002 },
  { version: 3, ...m003 },
  { version: 4, ...m004 },
  { version: 5, ...m005 },
  { version: 6, ...m006 },
  { version: 7, ...m007 },
  { version: 8, ...m008 },
  { version: 9, ...m009 },
  { version: 11, ...m011 },
  { version: 13, ...m013 },
  { version: 15, ...m015 },
  { version: 16, ...m016 },
  { version: 17, ...m017 },
  { version: 18, ...m018 },
  { version: 19, ...m019 },
  { version: 20, ...m020 },
  { version: 21, ...m021 },
  { version: 22, ...m022 },
  { version: 23, ...m023 },
  { version: 24, ...m024 },
  { version: 25, ...m025 },
  { version: 26, ...m026 },
  { version: 27, ...m027 },
  { version: 28, ...m028 },
  { version: 30, ...m030 },
];

/**
 * Applies every listed migration not yet recorded in schema_migrations, in version order.
 * A table (rather than one user_version number) means a migration merged with a lower
 * number than one already applied is still run.
 */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((r) => r.version));
  // Databases created before the table existed recorded their level in user_version.
  const legacyLevel = db.pragma('user_version', { simple: true }) as number;
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      if (m.version > legacyLevel) {
        db.exec(m.sql);
        m.run?.(db);
      }
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
  }
}
