/*
 * CPU per uncached search of two versions of the embedded engine, in ONE process, query by
 * query: this checkout's engine and the one of another checkout (a `git worktree` or
 * `git archive` of the commit to compare with, its node_modules may be a link to these).
 * On a shared machine, separate runs of scripts/search-cpu.ts differ by 20 % and more from
 * one run to the next; here other work slows both engines alike, and which one asks first
 * alternates from query to query (the second finds the pages the first read in SQLite's
 * cache). A run of the same code on both sides differed by at most 7 % per kind.
 *
 *   npx tsx scripts/search-cpu-ab.ts OTHER_CHECKOUT DATA_DIR [queries per kind, default 150] [relevance|newest|score]
 *   SEARCH_READ_CACHE=0 npx tsx scripts/search-cpu-ab.ts ...   (every read from the index)
 *
 * Both engines read through one connection (this checkout's storage, with the other's FTS
 * state installed beside it); searching writes nothing.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import type { SearchEngine } from '../src/search/port.js';
import { SqliteFtsEngine } from '../src/search/sqlite-fts/engine.js';
import type { SynonymSource } from '../src/search/synonyms.js';
import { refuseProduction } from './bench-lib/cli.js';
import { searchMix } from './bench-lib/search-mix.js';

refuseProduction(false, 'measure search CPU');
const [other, dir] = [process.argv[2], process.argv[3]];
if (!other || !dir) {
  console.error('usage: npx tsx scripts/search-cpu-ab.ts OTHER_CHECKOUT DATA_DIR [queries per kind] [relevance|newest|score]');
  process.exit(2);
}
const perKind = Number(process.argv[4] ?? 150);
const sort = (process.argv[5] ?? 'relevance') as 'relevance' | 'newest' | 'score';
const storage = createSqliteStorage(path.join(path.resolve(dir), 'forum.sqlite'));
const from = (file: string) => pathToFileURL(path.join(path.resolve(other), 'src/search/sqlite-fts', file)).href;
type EngineClass = new (db: typeof storage.db, options: { synonyms?: SynonymSource; readCacheBytes?: number }) => SearchEngine & { warmUp(): Promise<void> };
const { installSqliteFts } = (await import(from('install.ts'))) as { installSqliteFts: (db: typeof storage.db) => unknown };
const { SqliteFtsEngine: OtherEngine } = (await import(from('engine.ts'))) as { SqliteFtsEngine: EngineClass };
installSqliteFts(storage.db);
const options = { synonyms: storage.synonyms, ...(process.env.SEARCH_READ_CACHE === '0' ? { readCacheBytes: 0 } : {}) };
const engines = { other: new OtherEngine(storage.db, options), this: new SqliteFtsEngine(storage.db, options) };
await engines.other.warmUp();
await engines.this.warmUp();

const cpu = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
console.log(`sort: ${sort}; other checkout: ${path.resolve(other)}`);
console.log('| kind | queries | other: CPU ms/search | this | change | other: max ms | this: max ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
let turn = 0;
for (const [kind, list] of Object.entries(searchMix())) {
  const queries = list.slice(0, perKind);
  const sum = { other: 0, this: 0 };
  const max = { other: 0, this: 0 };
  for (const q of queries) {
    const order: Array<'other' | 'this'> = turn++ % 2 === 0 ? ['other', 'this'] : ['this', 'other'];
    for (const side of order) {
      const t = cpu();
      await engines[side].search({ q, filters: {}, sort, page: 1, hitsPerPage: 20, facets: ['community', 'kind', 'tag'], distinct: true });
      const us = cpu() - t;
      sum[side] += us;
      max[side] = Math.max(max[side], us);
    }
  }
  const a = sum.other / queries.length / 1000;
  const b = sum.this / queries.length / 1000;
  console.log(`| ${kind} | ${queries.length} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${((100 * (b - a)) / a).toFixed(0)} % | ${(max.other / 1000).toFixed(1)} | ${(max.this / 1000).toFixed(1)} |`);
}
await storage.close();
