import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Argon2idHasher, type PasswordHasher } from '../../src/services/auth/password-hasher.js';
import { TestClient } from '../helpers/app.js';

/*
 * Issue 10, login throttle race: 30 concurrent wrong passwords against one account from one
 * IP may check the password at most 5 times (the per-account limit). The hasher counts its
 * verify calls: that is the number of guesses an attacker really got.
 */

class CountingHasher implements PasswordHasher {
  verifyCalls = 0;
  private readonly inner = new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
  hash(password: string) {
    return this.inner.hash(password);
  }
  /** Takes as long as the production cost (about 50 ms), so that concurrent logins overlap as they do for real. */
  async verify(hash: string, password: string) {
    this.verifyCalls++;
    await new Promise((resolve) => setTimeout(resolve, 50));
    return this.inner.verify(hash, password);
  }
}

let app: FastifyInstance;
const hasher = new CountingHasher();

beforeAll(async () => {
  const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
  app = await buildApp(config, { services: { hasher } });
  await app.ready();
  await new TestClient(app).register('victim', 'correct-horse-battery');
});
afterAll(async () => {
  await app.close();
});

describe('login throttle under concurrency', () => {
  it('30 parallel wrong passwords: at most 5 password checks, the rest 429', async () => {
    const attacker = new TestClient(app);
    await attacker.csrf();
    hasher.verifyCalls = 0;
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => attacker.post('/login', { identifier: 'victim', password: `wrong-guess-${i}` })));
    expect(hasher.verifyCalls).toBeLessThanOrEqual(5);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(hasher.verifyCalls);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - hasher.verifyCalls);
    // and the right password is refused too until the window ends
    const owner = new TestClient(app);
    expect((await owner.login('victim')).status).toBe(429);
  });

  it('a correct password after a few failures logs in and does not use up the IP', async () => {
    const user = new TestClient(app);
    await user.register('forgetful', 'correct-horse-battery');
    const client = new TestClient(app);
    expect((await client.login('forgetful', 'wrong-once-123')).status).toBe(401);
    expect((await client.login('forgetful')).status).toBe(303);
    expect((await new TestClient(app).login('forgetful', 'wrong-again-123')).status).toBe(401);
  });
});
