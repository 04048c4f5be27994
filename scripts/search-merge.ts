/*
 * Merges the embedded search index of a database as the server's background job does
 * (src/search/sqlite-fts/segments.ts), in one process, and says what it took: segments per
 * table before and after, the time of each step (how long requests could be held up) and in
 * all. Writes to the database: run it on a copy.
 *
 *   npx tsx scripts/search-merge.ts DATA_DIR [pages per step, default MERGE_STEP_PAGES]
 */
import path from 'node:path';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import { FTS_TABLES, MERGE_STEP_PAGES, mergeSegments, structureOf, type FtsTable } from '../src/search/sqlite-fts/segments.js';
import { refuseProduction } from './bench-lib/cli.js';

refuseProduction(false, 'merge the search index');
const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/search-merge.ts DATA_DIR [pages per step]');
  process.exit(2);
}
const pages = Number(process.argv[3] ?? MERGE_STEP_PAGES);
const storage = createSqliteStorage(path.join(path.resolve(dir), 'forum.sqlite'));
const levels = (t: FtsTable) => structureOf(storage.db, t).levels.map((l) => l.segments).join(' ');
const before = Object.fromEntries(FTS_TABLES.map((t) => [t, levels(t)]));
const times: Record<string, number[]> = { search_fts: [], search_titles: [] };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const report = await mergeSegments(storage.db, { budgetMs: Number.POSITIVE_INFINITY, pagesPerStep: pages, onStep: (t, ms) => times[t]!.push(ms) });
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const q = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : 0);
console.log(`pages per step: ${pages}; segments ${report.segmentsBefore} -> ${report.segmentsAfter}; done: ${report.done}`);
console.log(`wall ${(wall / 1000).toFixed(1)} s, steps ${(report.workMs / 1000).toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log('| table | segments per level before | after | steps | step ms p50 | p95 | p99 | max | total s |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const t of FTS_TABLES) {
  const xs = times[t]!;
  const sum = xs.reduce((a, b) => a + b, 0);
  console.log(`| ${t} | ${before[t]} | ${levels(t)} | ${xs.length} | ${q(xs, 0.5).toFixed(1)} | ${q(xs, 0.95).toFixed(1)} | ${q(xs, 0.99).toFixed(1)} | ${Math.max(0, ...xs).toFixed(1)} | ${(sum / 1000).toFixed(1)} |`);
}
await storage.close();
