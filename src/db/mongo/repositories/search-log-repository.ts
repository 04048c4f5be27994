import type { SearchLogEntry, SearchLogRepository, SearchReport, SearchReportScope, SynonymSuggestionRow } from '../../ports.js';
import { parseId, SEQUENCES } from '../ids.js';
import { clickedSearchesQuery, emptySearchesQuery, newSearchLogDoc, recordClickQuery, searchReportFrom, searchReportPipeline, suggestionsFrom, type SearchReportFacets } from '../queries/search-log.js';
import { aggregate, findMany, insert, updateOne, type MongoContext } from './context.js';

/** The search log in MongoDB: one document per search, its clicks embedded. */
export class MongoSearchLogRepository implements SearchLogRepository {
  constructor(private readonly ctx: MongoContext) {}

  async record(entry: SearchLogEntry): Promise<string> {
    const communityId = entry.communityId === null ? null : parseId(entry.communityId);
    const doc = newSearchLogDoc(await this.ctx.reserveId(SEQUENCES.searchLog), entry, communityId);
    await insert(this.ctx.models.searchLog, [doc]);
    return String(doc._id);
  }

  async reserveIds(n: number): Promise<string[]> {
    return (await this.ctx.reserveIds(SEQUENCES.searchLog, Math.max(1, Math.floor(n)))).map(String);
  }

  async recordMany(entries: ReadonlyArray<SearchLogEntry & { id: string }>): Promise<void> {
    const docs = [];
    for (const e of entries) {
      const id = parseId(e.id);
      if (id === null) continue;
      docs.push(newSearchLogDoc(id, e, e.communityId === null ? null : parseId(e.communityId)));
    }
    if (docs.length > 0) await insert(this.ctx.models.searchLog, docs);
  }

  /** One single-document update (count + click detail): atomic without a transaction. */
  async recordClick(searchId: string, docId: string, position: number, now: number): Promise<boolean> {
    const id = parseId(searchId);
    if (id === null) return false;
    return (await updateOne(this.ctx.models.searchLog, recordClickQuery(id, docId, position, now))).matchedCount > 0;
  }

  async report(communityId: string, since: number, limit: number, scope: SearchReportScope = 'both'): Promise<SearchReport> {
    const c = parseId(communityId);
    if (c === null) return searchReportFrom(undefined);
    const [facets] = await aggregate<SearchReportFacets>(this.ctx.models.searchLog, searchReportPipeline(c, since, limit, scope));
    return searchReportFrom(facets);
  }

  /** Two indexed reads joined here (the same pairs as SQLite's self-join). */
  async synonymSuggestions(communityId: string, since: number, windowMs: number, limit: number): Promise<SynonymSuggestionRow[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    type Row = { query: string; normalized: string; createdAt: number; browserHash: string };
    const empty = await findMany<Row>(this.ctx.models.searchLog as never, emptySearchesQuery(c, since));
    if (empty.length === 0) return [];
    const first = Math.min(...empty.map((e) => e.createdAt));
    const last = Math.max(...empty.map((e) => e.createdAt));
    const clicked = await findMany<Row>(this.ctx.models.searchLog as never, clickedSearchesQuery(c, [...new Set(empty.map((e) => e.browserHash))], first, last + windowMs));
    return suggestionsFrom(empty, clicked, windowMs, limit);
  }
}
