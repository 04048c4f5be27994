export const name = 'search log and clicks';

/*
 * The full-text index itself (search_fts) is created by src/search/sqlite-fts/install.ts,
 * which also registers the segmenting function its triggers call and rebuilds the index
 * when the text analysis changes (the index holds nothing that cannot be rebuilt). Here
 * live the tables with data of their own: every search and every click on a result, for
 * the moderators' search report (FAQ gaps, deflection). Users are stored as a salted hash.
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
`;
