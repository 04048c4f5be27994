export const name = 'FAQ entry history: pins, archiving, publishing, review marks';

/* Text changes are revisions; these are the other moderator actions on an entry. */
export const sql = `
  CREATE TABLE faq_entry_events (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    action TEXT NOT NULL CHECK (action IN ('pin', 'unpin', 'archive', 'publish', 'reviewed')),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX faq_entry_events_entry ON faq_entry_events(entry_id, created_at);
`;
