export const name = 'search log, clicks and non-post search documents';

/*
 * The full-text index itself (search_fts) is created by src/search/sqlite-fts/install.ts,
 * which also registers the segmenting function its triggers call and rebuilds the index
 * when the text analysis changes. Here live the tables that hold data of their own:
 * - search_log / search_clicks: every search and every click on a result, for the
 *   moderators' search report (FAQ gaps, deflection). Users are stored as a salted hash.
 * - search_documents: documents that are not posts (FAQ entries), indexed through the
 *   search port; their FTS rows use the negative of their id as rowid, posts their own id.
 */
export const sql = `
  CREATE TABLE search_log (
    id INTEGER PRIMARY KEY,
    query TEXT NOT NULL,
    normalized TEXT NOT NULL,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    filters TEXT NOT NULL DEFAULT '',
    hit_count INTEGER NOT NULL,
    click_count INTEGER NOT NULL DEFAULT 0,
    user_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX search_log_community ON search_log(community_id, created_at);
  CREATE INDEX search_log_time ON search_log(created_at);

  CREATE TABLE search_clicks (
    id INTEGER PRIMARY KEY,
    search_id INTEGER NOT NULL REFERENCES search_log(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX search_clicks_search ON search_clicks(search_id);

  CREATE TABLE search_documents (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    question_id INTEGER,
    title TEXT NOT NULL,
    slug TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    faq_path TEXT NOT NULL DEFAULT '',
    score INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX search_documents_community ON search_documents(community_id);
`;
