import type Database from 'better-sqlite3';
import type { SearchLogEntry, SearchLogRepository, SearchReport, SearchReportRow, SearchReportScope, SynonymSuggestionRow } from '../../db/ports.js';

type Db = Database.Database;

function rowId(id: string): number | null {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
}

interface GroupRow {
  query: string;
  searches: number;
  users: number;
  avg_hits: number;
  clicked: number;
}

/**
 * The community's searches, the site-wide ones, or both; each half uses the
 * search_log_community index. Every condition takes the community id as its one parameter.
 */
const SCOPES: Record<SearchReportScope, string> = {
  both: '(community_id = ? OR community_id IS NULL)',
  community: 'community_id = ?',
  siteWide: '(community_id IS NULL AND ? IS NOT NULL)',
};

const toReportRow = (r: GroupRow): SearchReportRow => ({
  query: r.query,
  searches: r.searches,
  users: r.users,
  avgHits: Math.round(r.avg_hits * 10) / 10,
  clickedSearches: r.clicked,
});

/** The meta row holding the next search log id to hand out. */
const NEXT_ID_KEY = 'search_log_next_id';

/** The search log in the SQLite file (tables from migration 003). */
export class SqliteSearchLogRepository implements SearchLogRepository {
  constructor(private readonly db: Db) {}

  async record(entry: SearchLogEntry): Promise<string> {
    // Through a reserved id too: a plain insert would take max(id) + 1, which may be an id
    // reserved for a search still waiting in a buffer.
    const [id] = await this.reserveIds(1);
    await this.recordMany([{ ...entry, id: id! }]);
    return id!;
  }

  /**
   * Ids come from a counter in the meta table, moved in a write transaction, so two
   * processes on the same file never get the same id; it never falls behind the table.
   */
  async reserveIds(n: number): Promise<string[]> {
    const count = Math.max(1, Math.floor(n));
    const first = this.db.transaction(() => {
      const row = this.db
        .prepare(
          `INSERT INTO meta (key, value) VALUES (@key, (SELECT coalesce(max(id), 0) + 1 + @n FROM search_log))
           ON CONFLICT(key) DO UPDATE SET value = max(CAST(meta.value AS INTEGER), (SELECT coalesce(max(id), 0) + 1 FROM search_log)) + @n
           RETURNING CAST(value AS INTEGER) - @n AS first`,
        )
        .get({ key: NEXT_ID_KEY, n: count }) as { first: number };
      return row.first;
    }).immediate();
    return Array.from({ length: count }, (_, i) => String(first + i));
  }

  async recordMany(entries: ReadonlyArray<SearchLogEntry & { id: string }>): Promise<void> {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO search_log (id, query, normalized, community_id, filters, hit_count, user_hash, browser_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const e of entries) {
        const id = rowId(e.id);
        if (id === null) continue;
        insert.run(id, e.query, e.normalized, e.communityId === null ? null : rowId(e.communityId), e.filters, e.hitCount, e.userHash, e.browserHash ?? null, e.now);
      }
    })();
  }

  async recordClick(searchId: string, docId: string, position: number, now: number): Promise<boolean> {
    const id = rowId(searchId);
    if (id === null) return false;
    return this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE search_log SET click_count = click_count + 1 WHERE id = ?').run(id).changes;
      if (changed === 0) return false;
      this.db.prepare('INSERT INTO search_clicks (search_id, doc_id, position, created_at) VALUES (?, ?, ?, ?)').run(id, docId, position, now);
      return true;
    })();
  }

  /**
   * By default a community's searches include the site-wide ones (no community filter):
   * people look for the community's subjects from the header box too, and a site-wide search
   * that found nothing may be a gap for every community. They are counted in, grouped with the
   * scoped searches of the same query. `scope` asks for one half only.
   */
  async report(communityId: string, since: number, limit: number, scope: SearchReportScope = 'both'): Promise<SearchReport> {
    const IN_COMMUNITY = SCOPES[scope];
    const cid = rowId(communityId);
    if (cid === null) return { searches: 0, noResultSearches: 0, clickedSearches: 0, top: [], noResults: [], noClicks: [] };
    const totals = this.db
      .prepare(
        `SELECT count(*) AS searches, coalesce(sum(hit_count = 0), 0) AS no_results, coalesce(sum(click_count > 0), 0) AS clicked
         FROM search_log WHERE ${IN_COMMUNITY} AND created_at >= ? AND normalized <> ''`,
      )
      .get(cid, since) as { searches: number; no_results: number; clicked: number };
    // The bare column "query" comes from the row holding max(created_at): the latest spelling.
    const grouped = (condition: string, having = '') =>
      this.db
        .prepare(
          `SELECT query, max(created_at) AS latest, count(*) AS searches, count(DISTINCT user_hash) AS users,
             avg(hit_count) AS avg_hits, sum(click_count > 0) AS clicked
           FROM search_log WHERE ${IN_COMMUNITY} AND created_at >= ? AND normalized <> '' ${condition}
           GROUP BY normalized ${having} ORDER BY searches DESC, latest DESC LIMIT ?`,
        )
        .all(cid, since, limit) as GroupRow[];
    return {
      searches: totals.searches,
      noResultSearches: totals.no_results,
      clickedSearches: totals.clicked,
      top: grouped('').map(toReportRow),
      noResults: grouped('AND hit_count = 0').map(toReportRow),
      noClicks: grouped('AND hit_count > 0', 'HAVING sum(click_count) = 0').map(toReportRow),
    };
  }

  async synonymSuggestions(communityId: string, since: number, windowMs: number, limit: number): Promise<SynonymSuggestionRow[]> {
    const cid = rowId(communityId);
    if (cid === null) return [];
    // The searches that found nothing (a) are few; each is joined to the same browser's later
    // clicked searches (b) through the search_log_browser_clicked index (clicked rows only,
    // migration 025: `b.click_count > 0` below is what lets SQLite use it). The bare query columns come
    // from the row holding max(b.created_at): the latest spelling of each side.
    const rows = this.db
      .prepare(
        `SELECT a.query AS from_query, b.query AS to_query, count(DISTINCT a.browser_hash) AS browsers, max(b.created_at) AS latest
         FROM search_log a JOIN search_log b
           ON b.browser_hash = a.browser_hash AND b.created_at > a.created_at AND b.created_at <= a.created_at + ?
         WHERE a.browser_hash IS NOT NULL AND a.hit_count = 0 AND a.normalized <> '' AND a.created_at >= ? AND ${SCOPES.both.replace(/community_id/g, 'a.community_id')}
           AND b.click_count > 0 AND b.hit_count > 0 AND b.normalized <> '' AND b.normalized <> a.normalized AND ${SCOPES.both.replace(/community_id/g, 'b.community_id')}
         GROUP BY a.normalized, b.normalized ORDER BY browsers DESC, latest DESC, a.normalized, b.normalized LIMIT ?`,
      )
      .all(windowMs, since, cid, cid, limit) as Array<{ from_query: string; to_query: string; browsers: number; latest: number }>;
    return rows.map((r) => ({ from: r.from_query, to: r.to_query, browsers: r.browsers, latest: r.latest }));
  }
}
