export const name = 'inbound support mail: messages held until the sender confirms';

/*
 * A message to a community's support address from someone without a verified account is not
 * published: it waits here until the sender clicks the confirmation link (token kept only as
 * its hash), which creates or claims the account. claimed_at makes the link single use.
 */
export const sql = `
  CREATE TABLE inbound_held (
    token_hash TEXT PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    sender_name TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    claimed_at INTEGER,
    claimed_by INTEGER
  );
  CREATE INDEX inbound_held_expiry ON inbound_held (expires_at);
`;
