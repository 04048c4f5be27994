/*
 * A logged-in member's question page is sent from a kept layout and header (plugins/views.ts,
 * `reuseLayout`), rendered once per set of inputs. These tests compare it byte for byte with
 * the same page rendered from scratch by an instance that keeps nothing (development mode,
 * no thread cache; same database and clock), for several members, both languages and after the page was kept
 * for someone else; and check that what the header shows of a member (name, reputation, the
 * bell's count) is theirs and current on the very next page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Community, User } from '../../src/domain/types.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { Argon2idHasher } from '../../src/services/auth/password-hasher.js';
import { csrfFrom, type TestClient } from '../helpers/app.js';
import { askQuestion, clientFor, createCommunity, createQaApp, member, postAnswer, vote } from '../helpers/qa.js';
import { setReputation } from '../helpers/moderation.js';

type Who = { user: User; client: TestClient; fresh: TestClient };

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
let app: FastifyInstance;
let fromScratch: FastifyInstance;
let community: Community;
let asker: Who;
let alice: Who;
let mod: Who;
let q: { id: string; url: string };

async function who(username: string, role: 'member' | 'moderator' = 'member'): Promise<Who> {
  const m = await member(app, community, username, role);
  return { ...m, fresh: await clientFor(fromScratch, m.user) };
}

/** The page's text with the reader's token (each response has its own) put as TOKEN. */
async function page(client: TestClient, url: string, lang: string): Promise<string> {
  const res = await client.get(url, { 'accept-language': lang });
  expect(res.status).toBe(200);
  const token = csrfFrom(res.text);
  expect(token).toBeTruthy();
  return res.text.split(token!).join('TOKEN');
}

beforeAll(async () => {
  app = await createQaApp({ now: () => NOW });
  const config = loadConfig({ NODE_ENV: 'development', THREAD_CACHE: 'false' }, { sqlitePath: ':memory:', seedDemo: false, postRateLimitPerMinute: 1_000_000, cookieSecret: loadConfig({ NODE_ENV: 'test' }).cookieSecret });
  fromScratch = await buildApp(config, {
    storage: app.storage,
    services: { hasher: new Argon2idHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }), now: () => NOW, viewFlushMs: 0 },
  });
  await fromScratch.ready();
  community = await createCommunity(app.storage, 'kept-layout');
  asker = await who('asker_k');
  alice = await who('alice_k');
  mod = await who('mod_k', 'moderator');
  q = await askQuestion(asker.client, community.slug);
  await postAnswer(alice.client, q.id, 'Alice says: hold the reset pin for five seconds.');
  expect((await vote(alice.client, q.id, '1')).status).toBe(303);
});

afterAll(async () => {
  await fromScratch?.close();
  await app?.close();
});

describe('a member\'s question page from the kept layout', () => {
  it('is the page rendered from scratch, byte for byte, for every member and language, read in turn', async () => {
    for (let round = 0; round < 2; round++) {
      for (const lang of ['en', 'zh-CN']) {
        for (const reader of [asker, alice, mod]) {
          const kept = await page(reader.client, q.url, lang);
          expect(kept).toBe(await page(reader.fresh, q.url, lang));
          expect(kept).toContain(`class="nav-user">${reader.user.username} `);
        }
      }
    }
  });

  it('shows the reader\'s new reputation and unread count on the next page', async () => {
    const bell = (html: string) => Number(/<span class="bell-count">(\d+)<\/span>/.exec(html)?.[1] ?? 0);
    const before = await page(asker.client, q.url, 'en');
    // Alice's second answer notifies the asker: the bell counts it at once.
    await postAnswer(alice.client, q.id, 'Alice again: or update the firmware first.');
    const notified = await page(asker.client, q.url, 'en');
    expect(bell(notified)).toBe(bell(before) + 1);
    expect(notified).toBe(await page(asker.fresh, q.url, 'en'));
    setReputation(app, asker.user, 4321);
    const after = await page(asker.client, q.url, 'en');
    expect(after).toContain('<span class="rep" title="Reputation">4321</span>');
    expect(after).toBe(await page(asker.fresh, q.url, 'en'));
    // Alice's header is her own, not the asker's just kept.
    const forAlice = await page(alice.client, q.url, 'en');
    expect(forAlice).toContain('class="nav-user">alice_k ');
    expect(forAlice).not.toContain('asker_k <span class="rep"');
  });

  it('carries a token each member can post with', async () => {
    const res = await mod.client.get(q.url);
    const token = csrfFrom(res.text)!;
    const posted = await mod.client.post(`/posts/${q.id}/vote`, { value: '1', _csrf: token }, { csrf: false });
    expect(posted.status).toBe(303);
  });
});
