import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createStorage, createStorageAsync } from '../../src/db/index.js';
import { dbNameFromUri, duplicateKeyFields, isDuplicateKeyError, transactionSupportProblem } from '../../src/db/mongo/connection.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('selecting the MongoDB backend', () => {
  it('accepts MONGODB_URI together with MEILI_URL and selects mongo + meili', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://mongo:27017/forum?replicaSet=rs0', MEILI_URL: 'http://meilisearch:7700', MEILI_MASTER_KEY: 'k' });
    expect(config).toMatchObject({ storage: 'mongo', search: 'meili', mongodbUri: 'mongodb://mongo:27017/forum?replicaSet=rs0', meiliUrl: 'http://meilisearch:7700' });
  });

  it('still refuses MongoDB without Meilisearch, naming both variables', () => {
    const problems = problemsOf({ MONGODB_URI: 'mongodb://localhost:27017/forum' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/MONGODB_URI.*MEILI_URL/);
  });

  it('accepts Meilisearch beside the embedded storage (the SQLite file then feeds the outbox)', () => {
    const config = loadConfig({ MEILI_URL: 'http://localhost:7700' });
    expect(config).toMatchObject({ storage: 'sqlite', search: 'meili', meiliIndex: 'forum' });
  });

  it('requires MEILI_MASTER_KEY with Meilisearch in production, and a plain index name', () => {
    const problems = problemsOf({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), MEILI_URL: 'http://localhost:7700', MEILI_INDEX: 'forum/../x' });
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.includes('MEILI_MASTER_KEY'))).toBe(true);
    expect(problems.some((p) => p.includes('MEILI_INDEX'))).toBe(true);
  });

  it('the synchronous createStorage opens SQLite and points MongoDB to the async variant', async () => {
    const sqlite = loadConfig({}, { sqlitePath: ':memory:' });
    const storage = createStorage(sqlite);
    expect(storage.backend).toBe('sqlite');
    await storage.close();
    const viaAsync = await createStorageAsync(sqlite);
    expect(viaAsync.backend).toBe('sqlite');
    await viaAsync.close();
    const mongo = { ...sqlite, storage: 'mongo' as const, mongodbUri: 'mongodb://127.0.0.1:1/x' };
    expect(() => createStorage(mongo)).toThrow(/createStorageAsync/);
    await expect(createStorageAsync({ ...mongo, mongodbUri: undefined })).rejects.toThrow(/MONGODB_URI/);
  });
});

describe('MongoDB connection checks', () => {
  it('requires a replica set (or mongos) because the repositories use transactions', () => {
    expect(transactionSupportProblem({ isWritablePrimary: true, maxWireVersion: 21 })).toMatch(/replica set/);
    expect(transactionSupportProblem({ setName: 'rs0', isWritablePrimary: true, maxWireVersion: 21 })).toBeNull();
    expect(transactionSupportProblem({ msg: 'isdbgrid', maxWireVersion: 21 })).toBeNull();
    expect(transactionSupportProblem({ setName: 'rs0', maxWireVersion: 13 })).toMatch(/6\.0/);
  });

  it('reads the database name from the URI, or leaves it to the default', () => {
    expect(dbNameFromUri('mongodb://localhost:27017')).toBeNull();
    expect(dbNameFromUri('mongodb://localhost:27017/?replicaSet=rs0')).toBeNull();
    expect(dbNameFromUri('mongodb://mongo:27017/forum?replicaSet=rs0')).toBe('forum');
    expect(dbNameFromUri('mongodb://u:p%40ss@h1:1,h2:2/db2')).toBe('db2');
    expect(dbNameFromUri('mongodb+srv://u:p@cluster.example.net/prod?retryWrites=true')).toBe('prod');
  });

  it('recognises duplicate-key errors and the index they name', () => {
    expect(isDuplicateKeyError({ code: 11000, keyPattern: { emailKey: 1 } })).toBe(true);
    expect(isDuplicateKeyError({ writeErrors: [{ code: 11000 }] })).toBe(true);
    expect(isDuplicateKeyError({ code: 112 })).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
    expect(duplicateKeyFields({ keyPattern: { emailKey: 1 } })).toEqual(['emailKey']);
    expect(duplicateKeyFields({ message: 'E11000 duplicate key error collection: forum.users index: users_email_unique dup key' })).toEqual(['users_email_unique']);
  });
});
