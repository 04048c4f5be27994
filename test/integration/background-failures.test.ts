import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSqliteStorage, type SqliteStorage } from '../../src/db/sqlite/index.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { MAX_VIEW_FLUSH_ATTEMPTS, ViewCounter } from '../../src/services/qa/view-counter.js';
import { createCommunity, storageUser } from '../helpers/qa.js';

/*
 * Background work runs from timers that nobody awaits. A storage failure there (a MongoDB
 * step-down, a full disk) used to escape as an unhandled rejection, and Node ends the process on
 * one. These tests inject a storage whose writes fail and check that the server keeps answering
 * real HTTP requests and that no rejection went unhandled.
 */

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('a failing storage under the background timers', () => {
  let storage: SqliteStorage;
  let app: FastifyInstance;
  let base: string;
  const logged: string[] = [];
  const log = {
    info: () => undefined,
    warn: (_o: object, msg: string) => void logged.push(msg),
    error: (_o: object, msg: string) => void logged.push(msg),
  };

  beforeAll(async () => {
    storage = createSqliteStorage(':memory:');
    const config = loadConfig({ NODE_ENV: 'test' }, { sqlitePath: ':memory:', seedDemo: false });
    app = await buildApp(config, {
      storage,
      logger: false,
      services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), viewFlushMs: 20, log },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps serving pages when the view-count flush throws, and writes the views once storage recovers', async () => {
    const community = await createCommunity(storage, 'cams');
    const asker = await storageUser(storage, 'asker', [{ community }]);
    const q = await storage.posts.createQuestion({
      communityId: community.id,
      authorId: asker.id,
      title: 'Why does the lens fog up in the morning?',
      slug: 'why-does-the-lens-fog-up-in-the-morning',
      bodyText: 'Every morning the lens is foggy.',
      bodyMd: 'Every morning the lens is foggy.',
      bodyHtml: '<p>Every morning the lens is foggy.</p>',
      tags: ['lens'],
      now: Date.now(),
    });
    const url = `${base}/c/cams/q/${q.id}/why-does-the-lens-fog-up-in-the-morning`;
    // The first write fails (the spy then falls through to the real repository).
    const addViews = vi.spyOn(storage.posts, 'addViews').mockRejectedValueOnce(new Error('not primary (step-down)'));

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Why does the lens fog up in the morning?');
    // The timer flush runs and fails.
    await until(() => addViews.mock.calls.length >= 1);
    await sleep(30);

    // The process is alive and still serves real requests after the failure.
    const second = await fetch(url);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('Why does the lens fog up in the morning?');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(unhandled).toEqual([]);
    expect(logged).toContain('view counts not written; retrying with the next flush');

    // Storage recovered: the failed batch was kept and written by a later flush, with the new view.
    await until(async () => (await storage.posts.findQuestion(q.id))!.viewCount === 2);
    expect(unhandled).toEqual([]);
  });

  it('keeps serving when every background job and the FAQ view flush fail', async () => {
    vi.spyOn(storage.faq, 'addViews').mockRejectedValue(new Error('disk full'));
    vi.spyOn(storage.leases, 'acquire').mockRejectedValue(new Error('disk full'));
    app.services.faqViewCounter.count('1');
    // A job round (the session sweep) on a storage that throws.
    app.services.background.jobs.start();
    await until(() => logged.includes('background job failed'));
    await until(() => logged.includes('view counts not written; retrying with the next flush'));
    await app.services.background.jobs.stop();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});

describe('view counter retry bound', () => {
  it('retries a failed batch on the next flushes, then drops it with a log line', async () => {
    const writes: Array<Map<string, number>> = [];
    let failing = true;
    const messages: string[] = [];
    const counter = new ViewCounter(
      {
        addViews: async (m) => {
          if (failing) throw new Error('down');
          writes.push(new Map(m));
        },
      },
      0,
      { warn: (_o, msg) => void messages.push(msg), error: (_o, msg) => void messages.push(msg) },
    );
    counter.count('7');
    expect(await counter.flush()).toBe(false);
    counter.count('7');
    counter.count('8');
    failing = false;
    // The failed view of 7 is merged with the new ones.
    expect(await counter.flush()).toBe(true);
    expect(writes).toEqual([new Map([['7', 2], ['8', 1]])]);

    failing = true;
    counter.count('9');
    for (let i = 1; i < MAX_VIEW_FLUSH_ATTEMPTS; i++) expect(await counter.flush()).toBe(false);
    expect(counter.pendingIds).toBe(1);
    expect(await counter.flush()).toBe(false);
    // Dropped after the last attempt, with a line that says so.
    expect(counter.pendingIds).toBe(0);
    expect(messages.at(-1)).toBe('view counts dropped: storage kept failing');
    failing = false;
    expect(await counter.flush()).toBe(true);
    expect(writes).toHaveLength(1);
  });
});
