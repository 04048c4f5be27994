export const name = 'search: a covering index of FAQ entry titles for the title rerank';

/*
 * FAQ entries are always candidates (the newest matches of every word), so most of the titles
 * an uncached search reads for its title rerank (src/search/sqlite-fts/engine.ts
 * rerankByTitle) are FAQ entries': on the full benchmark data about 40 of 55 a search. By
 * primary key each was a lookup into faq_entries, whose rows carry the bodies in Markdown,
 * HTML and text (14 MB for 21k entries, more than the search connection's page cache), so
 * about a page read a title. This index holds only ids and titles (about 1 MB), so those
 * reads share pages: 45 titles cost about 0.09 ms instead of 0.2-0.45 ms. The engine names it
 * (INDEXED BY), as it does migration 027's: SQLite prefers the primary key by itself.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS faq_entry_titles ON faq_entries(id, title);
`;
