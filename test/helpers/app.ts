import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';

/**
 * A test app on a private in-memory database. Passwords use real argon2id with small cost
 * parameters so that suites that register many users stay fast.
 */
export async function createTestApp(overrides: Partial<AppConfig> = {}, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ NODE_ENV: 'test', ...env }, { sqlitePath: ':memory:', seedDemo: false, ...overrides });
  const app = await buildApp(config, { services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }) } });
  await app.ready();
  return app;
}

export function csrfFrom(html: string): string {
  const m = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the page');
  return m[1]!;
}

/** A browser-like client: keeps cookies, reads the CSRF token from the last page it saw. */
export class TestClient {
  readonly agent: ReturnType<typeof request.agent>;
  private token: string | null = null;

  constructor(readonly app: FastifyInstance) {
    this.agent = request.agent(app.server);
  }

  /**
   * A posting request kicks the event worker and returns without waiting for it (the
   * notifications come in the background); a person's next click comes later than that, so
   * before each request the client waits until the worker is idle, as the next click would.
   */
  private settle(): Promise<void> {
    return this.app.services.background.events.idle();
  }

  async get(path: string, headers: Record<string, string> = {}) {
    await this.settle();
    const res = await this.agent.get(path).set(headers);
    if (typeof res.text === 'string' && res.text.includes('name="csrf-token"')) this.token = csrfFrom(res.text);
    return res;
  }

  async csrf(): Promise<string> {
    if (!this.token) await this.get('/');
    return this.token!;
  }

  /** Posts a form with the current CSRF token (pass _csrf yourself to override or omit it). */
  async post(path: string, form: Record<string, string | string[]> = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    await this.settle();
    const body: Record<string, string | string[]> = { ...form };
    if (options.csrf !== false && body._csrf === undefined) body._csrf = await this.csrf();
    const res = await this.agent.post(path).type('form').set(options.headers ?? {}).send(body);
    if (typeof res.text === 'string' && res.text.includes('name="csrf-token"')) this.token = csrfFrom(res.text);
    // Logging in or out changes what the CSRF token is bound to (the session, or this browser).
    // A browser follows the redirect and gets a fresh token with the next page; so does this client.
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && typeof location === 'string' && location.startsWith('/') && sessionChanged(res.headers['set-cookie'])) {
      this.token = null;
      await this.get(location);
    }
    return res;
  }

  async register(username: string, password = 'correct-horse-battery', email = `${encodeURIComponent(username).replace(/%/g, '')}@example.test`) {
    const res = await this.post('/register', { username, email, password });
    if (res.status !== 303) throw new Error(`register ${username} failed: ${res.status}`);
    return res;
  }

  async login(identifier: string, password = 'correct-horse-battery') {
    return this.post('/login', { identifier, password });
  }
}

function sessionChanged(setCookie: unknown): boolean {
  const lines = Array.isArray(setCookie) ? (setCookie as string[]) : typeof setCookie === 'string' ? [setCookie] : [];
  return lines.some((line) => line.startsWith('session='));
}

/** Makes a user a site admin directly in storage (the create-admin script does the same). */
export async function makeAdmin(app: FastifyInstance, username: string): Promise<void> {
  const user = await app.storage.users.findByUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  await app.storage.users.setAdmin(user.id, true);
  // Written behind the app's back, as the script does from its own process: the app would see
  // it within the session cache's TTL; tell it now so the test's next request has it.
  app.services.contentGeneration.bump();
}
