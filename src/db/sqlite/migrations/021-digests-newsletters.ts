export const name = 'e-mail digests, community newsletters and news opt-ins';

/*
 * digest_subscriptions: a member's digest choice and how far the last digest reached. The job
 * sends a member's digest when last_digest_at is older than the start of the current period
 * (UTC day or ISO week) and moves it forward in the same transaction as the queued mail, so a
 * rerun in the same period finds nothing due. Members who had set some event kinds to the
 * "digest" delivery before the digest existed chose a daily digest: they start with one.
 *
 * newsletters: written by a business community's staff and moderators; only 'sent' ones are
 * public (the archive). community_news: who opted in to a community's news (off by default).
 */
export const sql = `
  CREATE TABLE digest_subscriptions (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL CHECK (frequency IN ('off', 'daily', 'weekly')),
    last_digest_at INTEGER,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX digest_subscriptions_due ON digest_subscriptions(frequency, last_digest_at);
  INSERT INTO digest_subscriptions (user_id, frequency, last_digest_at, updated_at)
    SELECT DISTINCT user_id, 'daily', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000
    FROM notification_prefs WHERE delivery = 'digest';

  CREATE TABLE newsletters (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sent')),
    scheduled_at INTEGER,
    sent_at INTEGER,
    recipient_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX newsletters_archive ON newsletters(community_id, status, sent_at DESC, id DESC);
  CREATE INDEX newsletters_due ON newsletters(status, scheduled_at);

  CREATE TABLE community_news (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (community_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX community_news_user ON community_news(user_id);
`;
