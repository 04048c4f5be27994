import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { SearchRuntime } from '../../src/search/index.js';
import { meiliSynonymsFor, toMeiliSynonyms } from '../../src/search/meili/synonyms.js';
import { meiliIndexSettings } from '../../src/search/meili/settings.js';
import { MeiliSearchEngine } from '../../src/search/meili/engine.js';
import { doc, FakeMeili, setup } from './meili-fake.js';

/*
 * Synonym groups in Meilisearch, offline against the recording client: their translation
 * into the `synonyms` setting, pushing a change (synonyms only, waited for), startup, rebuilds,
 * and the runtime that never lets a failure reach the admin.
 */

const wifi = { terms: ['wifi', 'wi fi', 'wlan'] };
/** As stored: Intl.Segmenter cuts 路由器 into single characters. */
const router = { terms: ['路 由 器', 'router'] };

describe('toMeiliSynonyms', () => {
  it('maps every term to all the others of its group (multi-way), phrases included', () => {
    expect(toMeiliSynonyms([wifi, router])).toEqual({
      wifi: ['wi fi', 'wlan'],
      'wi fi': ['wifi', 'wlan'],
      wlan: ['wifi', 'wi fi'],
      路由器: ['router'],
      router: ['路由器'],
    });
    expect(toMeiliSynonyms([])).toEqual({});
  });

  it('sends Chinese as written, for Meilisearch to segment as it segments queries', () => {
    expect(toMeiliSynonyms([{ terms: ['无线 网', 'x100 电池', 'wi fi'] }])).toEqual({
      无线网: ['x100 电池', 'wi fi'],
      'x100 电池': ['无线网', 'wi fi'],
      'wi fi': ['无线网', 'x100 电池'],
    });
  });
});

describe('meiliSynonymsFor', () => {
  it('sends the built-in pairs with no admin group, as the embedded engine matches them', () => {
    const sent = meiliSynonymsFor([]);
    expect(sent['怎么']).toEqual(['如何', '怎样', '怎么样才能', '咋']);
    expect(sent['如何']).toContain('怎么');
    expect(sent['借钱']).toEqual(['借款', '贷款']);
    // "can't" is folded as the embedded engine folds it; Meilisearch also cuts at the apostrophe.
    expect(sent['cannot']).toEqual(['can t', 'cant', 'unable to']);
    expect(sent['can t']).toContain('cannot');
    expect(sent['sign in']).toEqual(expect.arrayContaining(['login', 'log in', 'signin']));
  });

  it('adds the admin groups, and an admin group wins for a term both hold', () => {
    const sent = meiliSynonymsFor([wifi, { terms: ['如何', 'how'] }]);
    expect(sent.wifi).toEqual(['wi fi', 'wlan']);
    expect(sent['如何']).toEqual(['how']);
    expect(sent['怎么']).toEqual(['怎样', '怎么样才能', '咋']);
    expect(sent['怎样']).not.toContain('如何');
  });
});

describe('MeiliSearchEngine synonyms', () => {
  it('setSynonyms sends the synonyms alone to the live index and waits for the task', async () => {
    const { client, engine } = setup();
    await engine.setSynonyms([wifi]);
    expect(client.calls).toEqual([{ op: 'updateSettings', uid: 'live', args: [{ synonyms: meiliSynonymsFor([wifi]) }], waited: 1234 }]);
    // No admin groups left: the built-in pairs alone replace them.
    await engine.setSynonyms([]);
    expect(client.calls[1]!.args).toEqual([{ synonyms: meiliSynonymsFor([]) }]);
    expect(Object.keys(meiliSynonymsFor([]))).not.toContain('wifi');
  });

  it('setSynonyms throws when Meilisearch refuses them', async () => {
    const { client, engine } = setup();
    client.fail = () => ({ message: 'invalid synonyms', code: 'invalid_settings_synonyms' });
    await expect(engine.setSynonyms([wifi])).rejects.toThrow(/invalid synonyms/);
  });

  it('ensureIndex applies the groups given by useSynonyms with the other settings', async () => {
    const { client, engine } = setup();
    engine.useSynonyms([wifi, router]);
    await engine.ensureIndex();
    expect(client.calls.find((c) => c.op === 'updateSettings')!.args).toEqual([meiliIndexSettings(meiliSynonymsFor([wifi, router]))]);
  });

  it('a rebuild reads the groups from the database and builds the new index with them', async () => {
    const lists: number[] = [];
    const { client, engine } = setup([doc('question', '1')], { synonymGroups: { list: async () => (lists.push(1), [router]) } });
    engine.useSynonyms([wifi]); // stale: the database says otherwise
    await engine.reindexAll();
    const temp = client.calls[0]!.uid;
    expect(client.calls.find((c) => c.op === 'updateSettings' && c.uid === temp)!.args).toEqual([meiliIndexSettings(meiliSynonymsFor([router]))]);
    // Read again after the swap; unchanged, so no second settings call.
    expect(lists).toHaveLength(2);
    expect(client.calls.filter((c) => c.op === 'updateSettings')).toHaveLength(1);
  });

  it('a rebuild applies groups changed while it ran to the index it swapped in', async () => {
    let groups = [wifi];
    const { client, engine } = setup([doc('question', '1')], { synonymGroups: { list: async () => groups } });
    client.fail = (c) => {
      if (c.op === 'addDocuments') groups = [wifi, router]; // an admin adds a group mid-rebuild
      return undefined;
    };
    await engine.reindexAll();
    const swap = client.ops().indexOf('swapIndexes');
    const after = client.calls.slice(swap + 1).filter((c) => c.op === 'updateSettings');
    expect(after).toEqual([{ op: 'updateSettings', uid: 'live', args: [{ synonyms: meiliSynonymsFor([wifi, router]) }], waited: 1234 }]);
  });

  it('a rebuild that is live does not fail because the synonyms could not be applied afterwards', async () => {
    let groups = [wifi];
    const { client, engine } = setup([doc('question', '1')], { synonymGroups: { list: async () => groups } });
    let swapped = false;
    client.fail = (c) => {
      if (c.op === 'addDocuments') groups = [router];
      if (c.op === 'swapIndexes') swapped = true;
      return swapped && c.op === 'updateSettings' ? { message: 'Meilisearch is busy' } : undefined;
    };
    await expect(engine.reindexAll()).resolves.toMatchObject({ questions: 1 });
    expect(client.ops().at(-1)).toMatch(/^deleteIndex live_rebuild_/);
  });
});

describe('SearchRuntime and the synonym groups', () => {
  let storage: SqliteStorage;
  let runtime: SearchRuntime | null = null;
  afterEach(async () => {
    await runtime?.stop();
    runtime = null;
    await storage.close();
  });

  async function start() {
    storage = createSqliteStorage(':memory:', { searchIndex: 'outbox' });
    const admin = await storage.users.create({ username: 'admin', email: 'a@example.test', displayName: 'A', passwordHash: 'x', isAdmin: true });
    const client = new FakeMeili();
    const engine = new MeiliSearchEngine(client, { indexUid: 'live', documents: storage.searchDocuments, taskTimeoutMs: 1234, synonymGroups: storage.synonyms });
    const warnings: string[] = [];
    const log = { info() {}, warn: (_: object, msg: string) => void warnings.push(msg), error() {} };
    runtime = new SearchRuntime(engine, storage, 'test', log, { idleMs: 10 }, 20);
    return { admin, client, warnings, runtime };
  }

  it('loads the groups before the index settings are applied at startup', async () => {
    const { admin, client, runtime } = await start();
    await storage.synonyms.create({ terms: wifi.terms, createdBy: admin.id, now: 1 });
    runtime.start();
    await expect.poll(() => client.ops(), { timeout: 3000 }).toContain('updateSettings live');
    expect(client.calls.find((c) => c.op === 'updateSettings')!.args).toEqual([meiliIndexSettings(meiliSynonymsFor([wifi]))]);
  });

  it('pushes every change, logs a failure instead of throwing, and sends all the groups with the next change', async () => {
    const { admin, client, warnings, runtime } = await start();
    await storage.synonyms.create({ terms: wifi.terms, createdBy: admin.id, now: 1 });
    client.fail = (c) => (c.op === 'updateSettings' ? { message: 'Meilisearch is down' } : undefined);
    expect(await runtime.synonymsChanged()).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/could not apply the synonyms/)]);

    client.fail = () => undefined;
    await storage.synonyms.create({ terms: router.terms, createdBy: admin.id, now: 2 });
    expect(await runtime.synonymsChanged()).toBe(true);
    expect(client.calls.at(-1)).toMatchObject({ op: 'updateSettings', uid: 'live', args: [{ synonyms: meiliSynonymsFor([router, wifi]) }] });
  });
});
