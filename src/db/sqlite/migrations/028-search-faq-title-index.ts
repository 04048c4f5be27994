export const name = 'search: covering indexes of FAQ entries for the title rerank and the hits';

/*
 * FAQ entries are always candidates (the newest matches of every word), so most of the titles
 * an uncached search reads for its title rerank (src/search/sqlite-fts/engine.ts
 * rerankByTitle) are FAQ entries': on the full benchmark data about 40 of 55 a search, and about
 * half of a page's hits. By primary key each was a lookup into faq_entries, whose rows carry the
 * bodies in Markdown, HTML and text (14 MB for 21k entries, more than the search connection's
 * page cache), so about a page read an entry. These indexes hold only what the engine reads:
 * - faq_entry_titles (id, title; about 1 MB): 45 titles cost about 0.09 ms instead of 0.2-0.45;
 * - faq_entry_hits (what a hit shows: title, slug, body text, category, source; about 6 MB):
 *   11 entries cost 0.05-0.06 ms instead of 0.1-0.23.
 * The engine names them (INDEXED BY), as it does migration 027's: SQLite prefers the primary
 * key by itself.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS faq_entry_titles ON faq_entries(id, title);
  CREATE INDEX IF NOT EXISTS faq_entry_hits ON faq_entries(id, title, slug, body_text, category_id, source_question_id);
`;
