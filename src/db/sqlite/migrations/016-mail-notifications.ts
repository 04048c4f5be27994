export const name = 'mail queue, notification preferences, account e-mail tokens, notifications, watches';

/*
 * Everything the e-mail and notification work (issue 11) stores, in one migration so the
 * number assigned to it is the only one used.
 *
 * mail_queue: one row per outgoing message, rendered when queued (what /admin/mail shows is
 * exactly what goes out). idempotency_key is unique: the event that caused a mail names it
 * ("verify:<token-hash>", "notify:<user>:<thread>:<n>"), so replaying the event cannot queue a
 * second mail. The lease columns work like the search outbox's: a worker leases a row with a
 * token of its own, and only that token may mark it sent or failed.
 *
 * notification_prefs: per member and event kind, how they hear of it ('off', 'inbox' = in the
 * site only, 'email' = at once, 'digest'); a missing row means the kind's default. Kind '*'
 * with 'off' is "no notification mail at all" (the one-click unsubscribe from account mail).
 *
 * mail_profiles: the language mail is written in and which address was verified when. An
 * address counts as verified only while it equals users.email, so changing the address
 * un-verifies it without a second write.
 *
 * account_tokens: single-use links (verify address, reset password, confirm a new address),
 * stored as SHA-256 hashes so a copy of the database holds no usable link.
 */
export const sql = `
  CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    to_address TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    text TEXT NOT NULL,
    headers TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    message_id TEXT
  );
  CREATE INDEX mail_queue_due ON mail_queue(status, next_attempt_at);
  CREATE INDEX mail_queue_created ON mail_queue(created_at DESC, id DESC);

  CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('off', 'inbox', 'email', 'digest')),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
  ) WITHOUT ROWID;

  CREATE TABLE mail_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    locale TEXT NOT NULL DEFAULT 'en',
    verified_email TEXT COLLATE NOCASE,
    verified_at INTEGER
  );

  CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'change-email')),
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    thread_id INTEGER,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER,
    UNIQUE (user_id, event_key)
  );
  CREATE INDEX notifications_inbox ON notifications(user_id, created_at DESC, id DESC);
  CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

  CREATE TABLE watches (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_type TEXT NOT NULL CHECK (target_type IN ('community', 'tag', 'question')),
    target_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, target_type, target_id)
  ) WITHOUT ROWID;
  CREATE INDEX watches_target ON watches(target_type, target_id);
`;
