import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { createSearchEngine } from '../../src/search/index.js';
import type { SqliteFtsEngine } from '../../src/search/sqlite-fts/engine.js';
import { SearchSeeder } from './search-fixtures.js';

/*
 * The embedded engine's typo and prefix vocabulary: loaded in the background from startup
 * (never in one blocking piece inside a request), waited for by early searches so results
 * do not depend on timing, and kept current by index writes.
 */

const dirs: string[] = [];
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function storageAt(file: string): SqliteStorage {
  const s = createSqliteStorage(file);
  open.push(s);
  return s;
}

const query = { filters: {}, sort: 'relevance' as const, page: 1, hitsPerPage: 10 };

/** A made-up word per number: letters only, so each is one indexed term. */
function word(n: number): string {
  let w = '';
  for (let x = n; w.length < 4; x = Math.floor(x / 26)) w += String.fromCharCode(97 + (x % 26));
  return `qx${w}`;
}

async function seededFile(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-vocab-'));
  dirs.push(dir);
  const file = path.join(dir, 'forum.sqlite');
  const writer = storageAt(file);
  const seed = new SearchSeeder(writer);
  const user = await seed.user();
  const community = await seed.community('brewing', 'Home brewing');
  await seed.question(community, user, 'Zymurgical notes on fermentation', 'Yeast and sugar.');
  // Enough distinct terms that loading them takes several pages.
  for (let q = 0; q < 3; q++) {
    await seed.question(community, user, `Glossary part ${q}`, Array.from({ length: 2500 }, (_, i) => word(q * 2500 + i)).join(' '));
  }
  return file;
}

describe('embedded search vocabulary', () => {
  it('loads in the background from startup, letting other work run between its pages', async () => {
    const file = await seededFile();
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storageAt(file)) as SqliteFtsEngine;
    let turns = 0;
    let loaded = false;
    const tick = () => {
      turns++;
      if (!loaded) setImmediate(tick);
    };
    setImmediate(tick);
    await engine.ready();
    loaded = true;
    // More than 7,500 terms in pages of 2,000: other callbacks ran between the pages (a
    // load in one piece would finish before any of them).
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it('a search sent before the load is complete waits for it, so typo tolerance applies from the first request', async () => {
    const file = await seededFile();
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storageAt(file));
    const [typo, prefix] = await Promise.all([engine.search({ ...query, q: 'zymurgicel' }), engine.search({ ...query, q: 'zymur' })]);
    expect(typo.hits.map((h) => h.title)).toEqual(['Zymurgical notes on fermentation']);
    expect(prefix.hits.map((h) => h.title)).toEqual(['Zymurgical notes on fermentation']);
  });

  it('a word saved after the load is found with a typo at once, without reloading', async () => {
    const file = await seededFile();
    const storage = storageAt(file);
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage) as SqliteFtsEngine;
    await engine.ready();
    const seed = new SearchSeeder(storage);
    const [community] = await storage.communities.list();
    await seed.question(community!, await seed.user('late'), 'Saccharometer readings', 'Gravity before and after.');
    expect((await engine.search({ ...query, q: 'sacharometer' })).hits.map((h) => h.title)).toEqual(['Saccharometer readings']);
  });

  it('a word the vocabulary does not hold is looked up in the index when another process wrote since the load, and found', async () => {
    const file = await seededFile();
    const storage = storageAt(file);
    const engine = createSearchEngine({ search: 'sqlite-fts' }, storage) as SqliteFtsEngine;
    await engine.ready();
    // Not in any document yet: nothing, and nothing asked of the index (the vocabulary is complete).
    expect((await engine.search({ ...query, q: 'hydrometer' })).hits).toEqual([]);

    // Another process (its own connection) indexes the word: this vocabulary does not hold it.
    const other = storageAt(file);
    const seed = new SearchSeeder(other);
    const [community] = await other.communities.list();
    await seed.question(community!, await seed.user('elsewhere'), 'Hydrometer calibration', 'Float it in distilled water.');
    // Reads of one event-loop turn share a snapshot: the write shows from the next turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect((await engine.search({ ...query, q: 'hydrometer' })).hits.map((h) => h.title)).toEqual(['Hydrometer calibration']);
  });
});
