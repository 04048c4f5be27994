export const name = 'imported content: source ids, attributions, post links';

/*
 * A data-dump import (issue 14) records, for every row it creates, the id the row had in the
 * dump (import_sources), so a re-run skips what exists and an interrupted run resumes. The
 * source id is written in the same transaction as the row it maps.
 *
 * Imported posts keep a link to the original and its author (CC BY-SA attribution), shown on
 * the question page. Links between posts (duplicate, related) are recorded as they were in
 * the dump; closing a question as a duplicate is a separate feature that can read them.
 */
export const sql = `
  CREATE TABLE import_sources (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'post', 'comment', 'link')),
    source_id TEXT NOT NULL,
    local_id INTEGER NOT NULL,
    PRIMARY KEY (community_id, kind, source_id)
  );
  CREATE TABLE post_attributions (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    source_url TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_url TEXT,
    licence TEXT NOT NULL
  );
  CREATE TABLE imported_post_links (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'related')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, target_id, kind)
  );
  CREATE INDEX imported_post_links_target ON imported_post_links(target_id, kind);
`;
