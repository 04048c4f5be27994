export const name = 'site-wide search synonym groups';

/*
 * A group is its row plus its terms. The term is the primary key of the terms table, so a
 * term can belong to one group only, whatever two admins do at the same time; position keeps
 * the order the terms were entered in.
 */
export const sql = `
  CREATE TABLE search_synonym_groups (
    id INTEGER PRIMARY KEY,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE search_synonym_terms (
    term TEXT PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES search_synonym_groups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX search_synonym_terms_group ON search_synonym_terms(group_id, position);
`;
