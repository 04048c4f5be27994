import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import type { TestSmtp } from './smtp.js';

/**
 * The forum on an in-memory database, sending its mail over SMTP to `smtp`, with the clock
 * the test drives (`now`) and a cheap password hash. Views are counted at once (no flush
 * timer) and posting is not rate-limited unless `overrides` says otherwise.
 */
export async function buildMailApp(smtp: TestSmtp, now: () => number, overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url }, { sqlitePath: ':memory:', seedDemo: false, baseUrl: 'http://forum.test', postRateLimitPerMinute: 100000, ...overrides });
  const app = await buildApp(config, { services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now, viewFlushMs: 0 } });
  await app.ready();
  return app;
}
