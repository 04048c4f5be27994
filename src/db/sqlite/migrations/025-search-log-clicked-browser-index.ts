export const name = 'search log: the browser index holds clicked searches only';

/*
 * The suggested synonyms (search-log-repository.ts synonymSuggestions) join a search that
 * found nothing to a later CLICKED search of the same browser: only clicked rows are ever
 * looked up by browser. Every search used to enter the browser index at once, and the
 * browser hash is random, so each logged search dirtied its own index page: on the full
 * benchmark data 0.03-0.05 ms CPU per logged search (and twice that in wall time, written
 * to the WAL), against 0.006 ms without. Now a row enters the index when its first click
 * updates it (rarer than searches, and already a write). The searches that found nothing
 * are found through search_log_community by time, as before.
 */
export const sql = `
  DROP INDEX IF EXISTS search_log_browser;
  CREATE INDEX IF NOT EXISTS search_log_browser_clicked ON search_log(browser_hash, created_at) WHERE browser_hash IS NOT NULL AND click_count > 0;
`;
