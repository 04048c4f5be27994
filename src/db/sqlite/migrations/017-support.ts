export const name = 'customer service: promise settings, tickets, events, escalations, ratings, daily aggregates';

/*
 * One ticket per question of a business community: the clock (due and warning times in
 * business time, computed by the service), the queue state and the assignee. Every change
 * appends a support_events row in the same transaction (who and when). Escalations are rows
 * of their own so that a notifier can send them later (notified_at). support_daily holds
 * the dashboard's daily aggregates, one number per community, day and metric.
 */
export const sql = `
  CREATE TABLE support_settings (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    target_hours REAL NOT NULL,
    urgent_hours REAL NOT NULL,
    time_zone TEXT NOT NULL,
    days TEXT NOT NULL,
    start_minute INTEGER NOT NULL,
    end_minute INTEGER NOT NULL,
    ack_en TEXT NOT NULL DEFAULT '',
    ack_zh TEXT NOT NULL DEFAULT '',
    updated_by INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE support_tickets (
    question_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    asker_id INTEGER NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0,
    urgent_reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'resolved')),
    assignee_id INTEGER,
    opened_at INTEGER NOT NULL,
    warn_at INTEGER,
    due_at INTEGER,
    paused_remaining_ms INTEGER,
    responded_at INTEGER,
    response_kind TEXT,
    first_staff_response_at INTEGER,
    first_staff_responder_id INTEGER,
    resolved_at INTEGER,
    reopen_count INTEGER NOT NULL DEFAULT 0,
    warned_at INTEGER,
    breached_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX support_tickets_queue ON support_tickets(community_id, status, due_at);
  CREATE INDEX support_tickets_clock ON support_tickets(status, warn_at) WHERE responded_at IS NULL;
  CREATE TABLE support_events (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES support_tickets(question_id) ON DELETE CASCADE,
    actor_id INTEGER,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
  );
  CREATE INDEX support_events_question ON support_events(question_id, id);
  CREATE TABLE support_escalations (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES support_tickets(question_id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('warning', 'breach')),
    due_at INTEGER NOT NULL,
    at INTEGER NOT NULL,
    notified_at INTEGER,
    UNIQUE (question_id, level, due_at)
  );
  CREATE TABLE support_ratings (
    question_id INTEGER PRIMARY KEY REFERENCES support_tickets(question_id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL,
    asker_id INTEGER NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE support_daily (
    community_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (community_id, day, metric)
  );
`;
