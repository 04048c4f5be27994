import mongoose, { type Model } from 'mongoose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/domain/errors.js';
import { createModels, type Models } from '../../src/db/mongo/models/index.js';
import * as synonyms from '../../src/db/mongo/queries/synonyms.js';
import { offline, type Call, type Offline } from './mongo-harness.js';

/*
 * The synonym groups on MongoDB, offline: the query builders (cast on offline models, so a
 * misspelt path fails), and the repository against the harness, which records what would be
 * sent and in which transaction.
 */

const models: Models = createModels(mongoose.createConnection());
const M = models as unknown as Record<keyof Models, Model<unknown>>;
const T = 1_700_000_000_000;

function castUpdate(model: Model<unknown>, spec: { filter: Record<string, unknown>; update: unknown; options?: Record<string, unknown> }) {
  const q = model.updateOne(spec.filter, spec.update as never, spec.options ?? {});
  q.cast(model);
  return (q as unknown as { _castUpdate(u: unknown): unknown })._castUpdate(q.getUpdate());
}

describe('synonym queries', () => {
  it('builds a valid document with the folded terms as plain strings', () => {
    const doc = synonyms.newSynonymDoc(3, 7, { terms: ['wifi', 'wi fi', '无线 网'], createdBy: '7', now: T });
    expect(doc).toEqual({ _id: 3, terms: ['wifi', 'wi fi', '无线 网'], createdBy: 7, createdAt: T, updatedAt: T });
    expect(new models.searchSynonyms(doc).validateSync()).toBeUndefined();
    const smuggled = synonyms.newSynonymDoc(4, 7, { terms: ['wifi', { $gt: '' } as unknown as string], createdBy: '7', now: T });
    expect(smuggled.terms).toEqual(['wifi', '[object Object]']);
  });

  it('lists newest first and reads one group by its numeric id', () => {
    expect(synonyms.allSynonymsQuery()).toEqual({ filter: {}, sort: { _id: -1 } });
    expect(synonyms.synonymByIdQuery(5)).toEqual({ filter: { _id: 5 } });
    const q = M.searchSynonyms.find({}).sort(synonyms.allSynonymsQuery().sort!);
    q.cast(M.searchSynonyms);
  });

  it('replaces the terms whole and returns the document after the change', () => {
    const spec = synonyms.updateSynonymQuery(5, ['router', '路由 器'], T + 1);
    expect(spec).toEqual({ filter: { _id: 5 }, update: { $set: { terms: ['router', '路由 器'], updatedAt: T + 1 } }, options: { returnDocument: 'after' } });
    expect(castUpdate(M.searchSynonyms, spec)).toEqual({ $set: { terms: ['router', '路由 器'], updatedAt: T + 1 } });
  });

  it('keeps the version as a token in meta, upserted', () => {
    const spec = synonyms.bumpSynonymVersionQuery('abc');
    expect(spec).toEqual({ filter: { _id: 'searchSynonymsVersion' }, update: { $set: { value: 'abc' } }, options: { upsert: true } });
    castUpdate(M.meta, spec);
    expect(synonyms.synonymVersionQuery()).toEqual({ filter: { _id: 'searchSynonymsVersion' } });
  });
});

describe('MongoSynonymRepository (offline)', () => {
  let h: Offline;
  beforeEach(() => {
    h = offline();
  });
  afterEach(() => {
    h.restore();
  });

  const ops = (calls: Call[] = h.sent()) => calls.map((c) => `${c.model}.${c.op}${c.tx ? '@tx' : ''}`);
  const dup = (term: string) => Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern: { terms: 1 }, keyValue: { terms: term } });
  const stored = { _id: 4, terms: ['wifi', 'wlan'], createdBy: 2, createdAt: T, updatedAt: T };

  it('creates a group and bumps the version in one transaction, the id reserved outside it', async () => {
    const group = await h.storage.synonyms.create({ terms: ['wifi', 'wlan'], createdBy: '2', now: T });
    expect(group).toEqual({ id: '1', terms: ['wifi', 'wlan'], createdBy: '2', createdAt: T, updatedAt: T });
    expect(h.calls.find((c) => c.model === 'Counter')).toMatchObject({ tx: null, filter: { _id: 'searchSynonyms' } });
    expect(ops()).toEqual(['SearchSynonym.create@tx', 'Meta.updateOne@tx']);
    expect(h.sent()[1]).toMatchObject({ filter: { _id: 'searchSynonymsVersion' }, options: { upsert: true } });
    expect(h.transactions()).toBe(1);
  });

  it('turns the unique index refusal into a ConflictError naming the term, aborting the transaction', async () => {
    h.when('SearchSynonym', 'create', () => {
      throw dup('wlan');
    });
    const err = await h.storage.synonyms.create({ terms: ['wifi', 'wlan'], createdBy: '2', now: T }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ messageKey: 'synonyms.terms.taken', params: { term: 'wlan' } });
    expect(ops()).toEqual(['SearchSynonym.create@tx']);
    expect(h.calls.filter((c) => c.kind === 'tx').map((c) => c.op)).toEqual(['begin', 'abort']);
  });

  it('updates the terms and bumps the version together; an update clash is the same ConflictError', async () => {
    h.when('SearchSynonym', 'findOneAndUpdate', { ...stored, terms: ['wifi', 'wlan', 'wi fi'], updatedAt: T + 5 });
    const g = await h.storage.synonyms.update('4', ['wifi', 'wlan', 'wi fi'], T + 5);
    expect(g).toEqual({ id: '4', terms: ['wifi', 'wlan', 'wi fi'], createdBy: '2', createdAt: T, updatedAt: T + 5 });
    expect(ops()).toEqual(['SearchSynonym.findOneAndUpdate@tx', 'Meta.updateOne@tx']);
    expect(h.sent()[0]).toMatchObject({ filter: { _id: 4 }, update: { $set: { terms: ['wifi', 'wlan', 'wi fi'], updatedAt: T + 5 } } });

    h.calls.length = 0;
    h.when('SearchSynonym', 'findOneAndUpdate', () => {
      throw dup('wi fi');
    });
    await expect(h.storage.synonyms.update('4', ['wifi', 'wi fi'], T + 6)).rejects.toMatchObject({ messageKey: 'synonyms.terms.taken', params: { term: 'wi fi' } });
    expect(ops()).toEqual(['SearchSynonym.findOneAndUpdate@tx']);
  });

  it('an update of a group that is gone is a NotFoundError, and the version stays', async () => {
    await expect(h.storage.synonyms.update('9', ['a1', 'a2'], T)).rejects.toBeInstanceOf(NotFoundError);
    expect(ops()).toEqual(['SearchSynonym.findOneAndUpdate@tx']);
  });

  it('deletes in a transaction and bumps the version only when a group was deleted', async () => {
    expect(await h.storage.synonyms.delete('4')).toBe(false);
    expect(ops()).toEqual(['SearchSynonym.deleteOne@tx']);
    h.calls.length = 0;
    h.when('SearchSynonym', 'deleteOne', { acknowledged: true, deletedCount: 1 });
    expect(await h.storage.synonyms.delete('4')).toBe(true);
    expect(ops()).toEqual(['SearchSynonym.deleteOne@tx', 'Meta.updateOne@tx']);
  });

  it('lists newest first, maps ids to strings, and reads the version ("0" before any change)', async () => {
    h.when('SearchSynonym', 'find', [stored]);
    expect(await h.storage.synonyms.list()).toEqual([{ id: '4', terms: ['wifi', 'wlan'], createdBy: '2', createdAt: T, updatedAt: T }]);
    expect(h.sent()[0]).toMatchObject({ op: 'find', filter: {}, options: { sort: { _id: -1 } } });
    expect(await h.storage.synonyms.version()).toBe('0');
    h.when('Meta', 'findOne', { _id: 'searchSynonymsVersion', value: 'k3-x' });
    expect(await h.storage.synonyms.version()).toBe('k3-x');
  });

  it('never sends a malformed id', async () => {
    for (const id of ['', '0', '-1', 'abc', '{"$gt":""}', '１']) {
      expect(await h.storage.synonyms.findById(id)).toBeNull();
      await expect(h.storage.synonyms.update(id, ['a1', 'a2'], T)).rejects.toBeInstanceOf(NotFoundError);
      expect(await h.storage.synonyms.delete(id)).toBe(false);
    }
    await expect(h.storage.synonyms.create({ terms: ['a1', 'a2'], createdBy: 'nobody', now: T })).rejects.toBeInstanceOf(NotFoundError);
    expect(h.calls).toEqual([]);
  });
});
