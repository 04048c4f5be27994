/*
 * CPU per uncached search, in one process, without HTTP: steadier than req/s on a shared
 * machine. Runs the bench's search mix (scripts/bench-lib/search-mix.ts) against the
 * embedded engine of a generated database, as the search page asks (20 hits, facets, one
 * result per thread), every query once, so the result cache never answers.
 *
 *   npx tsx scripts/search-cpu.ts bench-data/small [queries per kind, default 300] [only this kind, e.g. typo]
 *   SEARCH_READ_CACHE=0 npx tsx scripts/search-cpu.ts ...   (every read from the index: first-use cost)
 *
 * The engine keeps index reads per match expression (src/search/sqlite-fts/read-cache.ts):
 * queries share words, so later kinds find many reads made by earlier ones. The table says
 * for each kind which share of reads was answered that way and what the other reads cost.
 *
 * The database is opened as the server opens it; searching does not write to it (the
 * search log belongs to the search service, which is not involved here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import { SqliteFtsEngine } from '../src/search/sqlite-fts/engine.js';
import { refuseProduction } from './bench-lib/cli.js';
import { searchMix } from './bench-lib/search-mix.js';

refuseProduction(false, 'measure search CPU');
const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/search-cpu.ts DATA_DIR [queries per kind]');
  process.exit(2);
}
const perKind = Number(process.argv[3] ?? 300);
const storage = createSqliteStorage(path.join(path.resolve(dir), 'forum.sqlite'));
const readCache = process.env.SEARCH_READ_CACHE === '0' ? { readCacheBytes: 0 } : {};
const engine = new SqliteFtsEngine(storage.db, { synonyms: storage.synonyms, ...readCache });

const loadStart = performance.now();
// The vocabulary loads in the background from startup; the first search waits for it.
await engine.warmUp();
await engine.search({ q: 'warm up', filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20 });
console.log(`vocabulary ready and first search done in ${(performance.now() - loadStart).toFixed(0)} ms`);
const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
const memory = (when: string) => {
  const m = process.memoryUsage();
  console.log(`memory ${when}: rss ${mib(m.rss)}, V8 heap used ${mib(m.heapUsed)} of ${mib(m.heapTotal)}, array buffers ${mib(m.arrayBuffers)}`);
};
memory('after loading');

/*
 * The CPU spent in the engine's FTS candidate reads (collect(): the postings and bm25 reads)
 * is counted apart, so the rest of a search (planning, ranking, title rerank, facets,
 * hydration and highlighting) can be followed on its own. Skipped if the engine has no such
 * method any more.
 */
let readMicros = 0;
const proto = SqliteFtsEngine.prototype as unknown as Record<string, unknown>;
const collect = proto['collect'];
if (typeof collect === 'function') {
  proto['collect'] = function (this: unknown, ...args: unknown[]) {
    const c0 = process.cpuUsage();
    try {
      return (collect as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      const c = process.cpuUsage(c0);
      readMicros += c.user + c.system;
    }
  };
}

const mix = searchMix();
const rows: string[] = ['| kind | queries | CPU ms/search (mean) | of which FTS reads | the rest | wall p50 ms | wall p95 ms | max ms | reads cached | ms/search reading (uncached reads) |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
const onlyKind = process.argv[4];
for (const [kind, list] of Object.entries(mix)) {
  if (onlyKind && kind !== onlyKind) continue;
  const queries = list.slice(0, perKind);
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const reads0 = readMicros;
  const stats0 = engine.readCacheStats();
  for (const q of queries) {
    const t0 = performance.now();
    await engine.search({ q, filters: {}, sort: 'relevance', page: 1, hitsPerPage: 20, facets: ['community', 'kind', 'tag'], distinct: true });
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  const total = (cpu.user + cpu.system) / 1000 / queries.length;
  const reads = (readMicros - reads0) / 1000 / queries.length;
  const stats = engine.readCacheStats();
  const hits = stats.hits - stats0.hits;
  const misses = stats.misses - stats0.misses;
  const cached = `${((100 * hits) / Math.max(1, hits + misses)).toFixed(0)} % of ${hits + misses}`;
  rows.push(`| ${kind} | ${queries.length} | ${total.toFixed(2)} | ${typeof collect === 'function' ? reads.toFixed(2) : '-'} | ${typeof collect === 'function' ? (total - reads).toFixed(2) : '-'} | ${at(0.5).toFixed(2)} | ${at(0.95).toFixed(2)} | ${times[times.length - 1]!.toFixed(2)} | ${cached} | ${((stats.missMs - stats0.missMs) / queries.length).toFixed(2)} |`);
}
console.log(rows.join('\n'));
memory('after the searches');
const hwm = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/);
if (hwm) console.log(`peak RSS (VmHWM): ${mib(Number(hwm[1]) * 1024)}`);
await storage.close();
