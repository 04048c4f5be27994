export const name = 'moderation: audit log, post states (close, lock, delete, hide), close votes, flags, suspensions';

/*
 * One migration for the whole of moderation (issue 13), so the tables arrive together.
 * - audit_log is append-only: repositories only INSERT into it, in the same transaction as
 *   the change it records, and triggers refuse UPDATE and DELETE.
 * - post_states holds what moderators set on a post. Deleting still sets posts.deleted_at,
 *   because every list, the search triggers and the outbox already follow that column;
 *   post_states adds who, why and whether it was a hide (flags) or a delete.
 */
export const sql = `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    community_id INTEGER,
    target_type TEXT NOT NULL CHECK (target_type IN ('post', 'user', 'settings')),
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    before TEXT,
    after TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX audit_log_recent ON audit_log(id DESC);
  CREATE INDEX audit_log_community ON audit_log(community_id, id DESC);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

  CREATE TABLE post_states (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    closed_at INTEGER,
    closed_by INTEGER,
    close_reason TEXT,
    close_note TEXT NOT NULL DEFAULT '',
    duplicate_of INTEGER,
    locked_at INTEGER,
    locked_by INTEGER,
    lock_reason TEXT NOT NULL DEFAULT '',
    deleted_by INTEGER,
    delete_reason TEXT NOT NULL DEFAULT '',
    hidden_at INTEGER
  );
  CREATE INDEX post_states_duplicate_of ON post_states(duplicate_of) WHERE duplicate_of IS NOT NULL;

  CREATE TABLE close_votes (
    question_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    reason TEXT NOT NULL DEFAULT '',
    duplicate_of INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_id, kind)
  );

  CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER,
    outcome TEXT,
    UNIQUE (post_id, user_id)
  );
  CREATE INDEX flags_open ON flags(community_id, post_id) WHERE resolved_at IS NULL;
  CREATE INDEX flags_user ON flags(user_id, resolved_at);

  CREATE TABLE suspensions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    community_id INTEGER,
    reason TEXT NOT NULL,
    ends_at INTEGER,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    lifted_at INTEGER,
    lifted_by INTEGER
  );
  CREATE INDEX suspensions_user ON suspensions(user_id, lifted_at);
`;
