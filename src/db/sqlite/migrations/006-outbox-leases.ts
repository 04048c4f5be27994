export const name = 'search outbox and job leases';

/*
 * The outbox is written only when search runs in a separate engine (Meilisearch): the
 * triggers that fill it are installed by outbox-triggers.ts when that engine is configured,
 * so the embedded setup pays nothing for it. One row per search document: many changes
 * to a document coalesce into one row whose version counts them.
 *
 * Job leases let one of several processes run a periodic job (session sweep, outbox prune).
 */
export const sql = `
  CREATE TABLE search_outbox (
    doc_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    done_at INTEGER,
    last_error TEXT
  ) WITHOUT ROWID;
  CREATE INDEX search_outbox_due ON search_outbox(status, next_attempt_at);
  CREATE INDEX search_outbox_changed ON search_outbox(changed_at);
  CREATE INDEX search_outbox_done ON search_outbox(status, done_at);

  CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until INTEGER NOT NULL
  ) WITHOUT ROWID;
`;
