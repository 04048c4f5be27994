import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('gives working defaults for a newcomer with no settings: embedded storage and search', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.baseUrl).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(false);
    expect(config.storage).toBe('sqlite');
    expect(config.search).toBe('sqlite-fts');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.sqlitePath).toBe(path.join(path.resolve('./data'), 'forum.sqlite'));
    expect(config.bodyLimitBytes).toBe(256 * 1024);
  });

  it('turns on Secure cookies when the public URL is https, and strips trailing slashes', () => {
    const config = loadConfig({ BASE_URL: 'https://forum.example.com/' });
    expect(config.secureCookies).toBe(true);
    expect(config.baseUrl).toBe('https://forum.example.com');
    expect(loadConfig({ BASE_URL: 'http://forum.example.com' }).secureCookies).toBe(false);
  });

  it('reads numbers and booleans', () => {
    const config = loadConfig({ PORT: '8080', LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: '7', SEED_DEMO: 'no', TRUST_PROXY: 'yes', DATA_DIR: '/tmp/forum-data' });
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('http://localhost:8080');
    expect(config.loginMaxAttemptsPerAccount).toBe(7);
    expect(config.seedDemo).toBe(false);
    expect(config.trustProxy).toBe(true);
    expect(config.sqlitePath).toBe('/tmp/forum-data/forum.sqlite');
  });

  it.each(['abc', '-1', '70000', '80.5'])('refuses PORT=%s and names the variable', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[0]).toContain(port);
  });

  it.each(['not a url', 'forum.example.com', 'ftp://forum.example.com'])('refuses BASE_URL=%s', (baseUrl) => {
    const problems = problemsOf({ BASE_URL: baseUrl });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('BASE_URL');
  });

  it('seeds demo content by default in development but never by default in production', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40) }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('refuses MONGODB_URI without MEILI_URL, explaining that search needs Meilisearch', () => {
    const problems = problemsOf({ MONGODB_URI: 'mongodb://localhost:27017/forum' });
    expect(problems.some((p) => p.includes('MONGODB_URI') && p.includes('MEILI_URL'))).toBe(true);
  });

  it('refuses a MONGODB_URI that is not a MongoDB URL', () => {
    const problems = problemsOf({ MONGODB_URI: 'postgres://localhost/db', MEILI_URL: 'http://localhost:7700' });
    expect(problems.some((p) => p.includes('mongodb://'))).toBe(true);
  });

  it('lists every problem at once, not only the first', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', BASE_URL: '::nope::', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe', NODE_ENV: 'staging' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    for (const name of ['PORT', 'BASE_URL', 'LOG_LEVEL', 'SEED_DEMO', 'NODE_ENV']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
      expect(message).toContain(name);
    }
    expect(problems.length).toBeGreaterThanOrEqual(5);
  });

  it('requires a real COOKIE_SECRET in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).some((p) => p.includes('COOKIE_SECRET'))).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) })).not.toThrow();
  });

  it('refuses to run production on the published Meilisearch key or a short one', () => {
    const prod = { NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), MONGODB_URI: 'mongodb://mongo:27017/forum', MEILI_URL: 'http://meilisearch:7700' };
    for (const key of ['contract-tests-master-key', 'masterKey', 'short-key']) {
      expect(problemsOf({ ...prod, MEILI_MASTER_KEY: key }).some((p) => p.startsWith('MEILI_MASTER_KEY'))).toBe(true);
    }
    expect(problemsOf(prod).some((p) => p.startsWith('MEILI_MASTER_KEY'))).toBe(true);
    expect(loadConfig({ ...prod, MEILI_MASTER_KEY: '4f1c2a9be07d43e5a8c16b2d90e7f3a1' }).meiliMasterKey).toBe('4f1c2a9be07d43e5a8c16b2d90e7f3a1');
    // Development and the contract tests may keep using the compose default.
    expect(loadConfig({ MEILI_URL: 'http://localhost:7700', MEILI_MASTER_KEY: 'contract-tests-master-key' }).search).toBe('meili');
  });

  it('refuses a body limit outside the allowed range', () => {
    expect(problemsOf({ BODY_LIMIT_BYTES: '10' }).some((p) => p.includes('BODY_LIMIT_BYTES'))).toBe(true);
  });

  it('bounds V8 heap growth to twice what is live unless HEAP_GROWTH_PERCENT says otherwise (0: V8 decides)', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '50' }).heapGrowthPercent).toBe(50);
    expect(loadConfig({ HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(problemsOf({ HEAP_GROWTH_PERCENT: '-5' }).some((p) => p.includes('HEAP_GROWTH_PERCENT'))).toBe(true);
    expect(problemsOf({ HEAP_GROWTH_PERCENT: 'lots' }).some((p) => p.includes('HEAP_GROWTH_PERCENT'))).toBe(true);
  });

  it('lets overrides win over the environment', () => {
    const config = loadConfig({ PORT: '8080' }, { sqlitePath: ':memory:', loginMaxAttemptsPerIp: 3 });
    expect(config.sqlitePath).toBe(':memory:');
    expect(config.loginMaxAttemptsPerIp).toBe(3);
  });
});
