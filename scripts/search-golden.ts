/*
 * Every result of the bench's search mix, as JSON lines, to prove that a speed change left
 * what users see unchanged: run it before and after on the same database and compare the
 * files (`cmp before.jsonl after.jsonl`). Each query is asked in the shapes the forum asks
 * it (the search page with facets and one result per thread, its second page, newest first,
 * a kind filter, the explain view), without the timing field.
 *
 *   npx tsx scripts/search-golden.ts DATA_DIR OUT.jsonl [queries per kind, default 100]
 *
 * Searching does not write to the database (the search log belongs to the search service).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import type { SearchQuery } from '../src/search/port.js';
import { SqliteFtsEngine } from '../src/search/sqlite-fts/engine.js';
import { refuseProduction } from './bench-lib/cli.js';
import { searchMix } from './bench-lib/search-mix.js';

refuseProduction(false, 'dump search results');
const [dir, out] = [process.argv[2], process.argv[3]];
if (!dir || !out) {
  console.error('usage: npx tsx scripts/search-golden.ts DATA_DIR OUT.jsonl [queries per kind]');
  process.exit(2);
}
const perKind = Number(process.argv[4] ?? 100);
const storage = createSqliteStorage(path.join(path.resolve(dir), 'forum.sqlite'));
const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms });
await engine.warmUp();

const page: Omit<SearchQuery, 'q'> = { filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, facets: ['community', 'kind', 'tag'], distinct: true };
const shapes: Record<string, Omit<SearchQuery, 'q'>> = {
  page1: page,
  page2: { ...page, page: 2 },
  newest: { ...page, sort: 'newest' },
  questions: { ...page, filters: { kind: 'question' } },
  explain: { filters: {}, sort: 'relevance', page: 1, hitsPerPage: 10, explain: true },
};
const lines: string[] = [];
for (const [kind, list] of Object.entries(searchMix())) {
  for (const q of list.slice(0, perKind)) {
    for (const [shape, query] of Object.entries(shapes)) {
      const { processingTimeMs: _time, ...result } = await engine.search({ q, ...query });
      lines.push(JSON.stringify({ kind, q, shape, result }));
    }
  }
}
fs.writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} results written to ${out}`);
await storage.close();
