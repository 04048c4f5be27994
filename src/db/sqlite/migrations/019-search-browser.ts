export const name = 'search log: the browser a search came from (suggested synonyms)';

/*
 * A salted hash of the browser id cookie (src/http/browser-id.ts), never the id itself: it
 * links a search that found nothing to the next search from the same browser whose result
 * was clicked, which the FAQ gaps report offers as a synonym pair. Older rows have none.
 */
export const sql = `
  ALTER TABLE search_log ADD COLUMN browser_hash TEXT;
  CREATE INDEX search_log_browser ON search_log(browser_hash, created_at) WHERE browser_hash IS NOT NULL;
`;
