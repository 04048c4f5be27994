import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import type { SearchLogEntry, SearchLogRepository } from '../../src/db/ports.js';
import { BufferedSearchLog } from '../../src/services/search/buffered-search-log.js';

/* The batched search log over the real SQLite repository. */

const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

function setup(options: ConstructorParameters<typeof BufferedSearchLog>[1] = {}, fail = () => false) {
  const storage = createSqliteStorage(':memory:');
  open.push(storage);
  const batches: number[] = [];
  // The real repository, with its batch writes counted (and failing on demand).
  const inner: SearchLogRepository = {
    record: (e) => storage.searchLog.record(e),
    reserveIds: (n) => storage.searchLog.reserveIds(n),
    recordMany: async (entries) => {
      if (fail()) throw new Error('disk full');
      batches.push(entries.length);
      return storage.searchLog.recordMany(entries);
    },
    recordClick: (...a) => storage.searchLog.recordClick(...a),
    report: (...a) => storage.searchLog.report(...a),
    synonymSuggestions: (...a) => storage.searchLog.synonymSuggestions(...a),
  };
  const errors: object[] = [];
  const log = new BufferedSearchLog(inner, { flushMs: 0, ...options, log: { error: (obj) => errors.push(obj) } });
  const rows = () => (storage.db.prepare('SELECT count(*) AS n FROM search_log').get() as { n: number }).n;
  return { storage, log, batches, errors, rows };
}

const entry = (query: string, over: Partial<SearchLogEntry> = {}): SearchLogEntry => ({
  query,
  normalized: query,
  communityId: null,
  filters: '',
  hitCount: 1,
  userHash: 'u1',
  now: 5_000,
  ...over,
});

describe('BufferedSearchLog', () => {
  it('gives each search its id at once and writes many searches in one batch', async () => {
    const { log, batches, rows } = setup({ maxRows: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await log.record(entry(`q${i}`)));
    expect(new Set(ids).size).toBe(120);
    await log.flush();
    expect(rows()).toBe(120);
    // Two full batches written as they filled, the rest on flush: three writes, not 120.
    expect(batches).toEqual([50, 50, 20]);
  });

  it('a click on a search still waiting is counted, and reports include waiting searches', async () => {
    const { log, rows } = setup();
    const id = await log.record(entry('grinder', { communityId: null }));
    await log.record(entry('grinder', { userHash: 'u2' }));
    expect(rows()).toBe(0);
    expect(await log.recordClick(id, 'question-1', 1, 6_000)).toBe(true);
    const storage = open[0]!;
    const c = await storage.communities.create({ slug: 'coffee', name: 'Coffee', kind: 'interest', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    await log.record(entry('tamper', { communityId: c.id }));
    const report = await log.report(c.id, 0, 10);
    expect(report).toMatchObject({ searches: 3, clickedSearches: 1 });
    expect(report.top.map((r) => [r.query, r.searches])).toEqual([['grinder', 2], ['tamper', 1]]);
  });

  it('writes waiting searches after about flushMs without anyone asking', async () => {
    const { log, rows } = setup({ flushMs: 30 });
    await log.record(entry('kettle'));
    expect(rows()).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(rows()).toBe(1);
    expect(log.pending).toBe(0);
  });

  it('a failed batch is logged and dropped, never thrown; later searches are written', async () => {
    let failing = true;
    const { log, rows, errors } = setup({}, () => failing);
    await log.record(entry('lost'));
    await expect(log.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    failing = false;
    await log.record(entry('kept'));
    await log.close();
    expect(rows()).toBe(1);
  });

  it('close writes everything waiting (shutdown)', async () => {
    const { log, rows } = setup({ flushMs: 60_000 });
    for (let i = 0; i < 5; i++) await log.record(entry(`q${i}`));
    await log.close();
    expect(rows()).toBe(5);
  });
});
