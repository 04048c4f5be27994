export const name = 'support dashboard: daily aggregates with breakdowns, self-service events';

/*
 * support_daily (from 017, never written) gets a breakdown column (staff member, score, author)
 * and the list of durations behind a median, so any date range gives exact percentiles from a
 * few hundred rows instead of every ticket. support_self_service holds what a browser did
 * (search, FAQ view, similar-question click, question posted) for the "ended without asking"
 * metric; it is keyed by the signed browser id and kept apart from the search log.
 */
export const sql = `
  DROP TABLE support_daily;
  CREATE TABLE support_daily (
    community_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    dim TEXT NOT NULL DEFAULT '',
    value REAL NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, day, metric, dim)
  );
  CREATE INDEX support_daily_day ON support_daily(day);
  CREATE TABLE support_self_service (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('search', 'faq_view', 'similar_click', 'question_posted')),
    browser_id TEXT NOT NULL,
    community_id INTEGER,
    at INTEGER NOT NULL
  );
  CREATE INDEX support_self_service_at ON support_self_service(at);
  CREATE INDEX support_events_at ON support_events(kind, at);
  CREATE INDEX support_tickets_opened ON support_tickets(opened_at);
  CREATE INDEX support_tickets_first_response ON support_tickets(first_staff_response_at) WHERE first_staff_response_at IS NOT NULL;
  CREATE INDEX support_tickets_resolved ON support_tickets(resolved_at) WHERE resolved_at IS NOT NULL;
  CREATE INDEX support_ratings_created ON support_ratings(created_at);
  CREATE INDEX posts_answers_created ON posts(created_at) WHERE type = 'answer';
`;
