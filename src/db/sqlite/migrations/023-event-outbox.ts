export const name = 'event outbox: Q&A events written with their posts';

/*
 * One row per Q&A event (asked, answered, commented, accepted), inserted in the same
 * transaction as the post, comment or acceptance (src/db/event-port.ts). A leased worker turns
 * each into notifications and mail. idempotency_key names the event by its subject
 * ("answered:12"), unique, so recording it twice keeps one row; the notifications and mails the
 * worker writes have their own unique keys (notifications (user_id, event_key), mail_queue
 * idempotency_key, from migration 016), so a worker that dies after notifying and before
 * marking the event done delivers nothing twice when the event is processed again.
 * The lease is on the row (lease_owner "<owner> <random>", lease_until) as in search_outbox.
 */
export const sql = `
  CREATE TABLE event_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('asked', 'answered', 'commented', 'accepted', 'faq_published')),
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    done_at INTEGER
  );
  CREATE INDEX event_outbox_due ON event_outbox(next_attempt_at, id) WHERE status = 'pending';
  CREATE INDEX event_outbox_status ON event_outbox(status, created_at);
  CREATE INDEX event_outbox_done ON event_outbox(done_at) WHERE status = 'done';
`;
