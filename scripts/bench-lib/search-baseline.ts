/*
 * The search bench's yardstick, computed in the same run (the guide: "always compare against
 * a simple baseline computed in the same run"): for the same queries as the HTTP search
 * routes, the CPU of one uncached search by the app's engine and by plain FTS5 bm25, both in
 * this process, one query at a time, on the same database file, after the server stopped.
 *
 * Plain bm25 is the relevance suite's baseline (test/integration/relevance/baseline.ts: query
 * words cut by Intl.Segmenter, OR-ed, FTS5's bm25, top 20) run on the app's own full-text
 * table, so it reads the same postings: no typos, prefixes, synonyms, facets, one result per
 * thread, snippets or title rerank. It is the cost of the simplest ranking a forum could
 * ship, and tells whether a CPU figure of the app is high for what it does on this data.
 *
 * Both warm up first on as many other queries of the same kind (not measured), as a server
 * that has been answering searches is warm: the app's kept reads and compiled code, both
 * connections' page caches (the plain one gets the app's search connection's size).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { SEARCH_CACHE_KIB } from '../../src/search/sqlite-fts/install.js';
import { baselineTokens } from '../../test/integration/relevance/baseline.js';

export interface SearchCpuRow {
  kind: string;
  queries: number;
  /** The app's engine: CPU ms per search (20 hits, facets, one result per thread, as the search page asks). */
  appMs: number;
  /** Plain FTS5 bm25, terms OR-ed, top 20: CPU ms per query. */
  bm25Ms: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

export async function searchCpuBeside(dataDir: string, kinds: ReadonlyArray<[string, string[]]>, perKind: number): Promise<SearchCpuRow[]> {
  const file = path.join(dataDir, 'forum.sqlite');
  const storage = createSqliteStorage(file);
  const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
  const plain = new Database(file, { readonly: true });
  try {
    await engine.warmUp();
    plain.pragma(`cache_size = -${SEARCH_CACHE_KIB}`);
    const top20 = plain.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts) LIMIT 20').pluck();
    const app = async (queries: string[]) => {
      for (const q of queries) await engine.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, facets: ['community', 'kind', 'tag'], distinct: true });
    };
    const bm25 = (queries: string[]) => {
      for (const q of queries) {
        const words = [...new Set(baselineTokens(q))];
        if (words.length > 0) top20.all(words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR '));
      }
    };
    const rows: SearchCpuRow[] = [];
    for (const [kind, list] of kinds) {
      const queries = list.slice(0, perKind);
      const warmUp = list.slice(perKind, 2 * perKind);
      await app(warmUp);
      bm25(warmUp);
      const app0 = process.cpuUsage();
      await app(queries);
      const appMs = cpuMs(app0) / queries.length;
      const bm0 = process.cpuUsage();
      bm25(queries);
      rows.push({ kind, queries: queries.length, appMs, bm25Ms: cpuMs(bm0) / queries.length });
    }
    return rows;
  } finally {
    plain.close();
    await storage.close();
  }
}
