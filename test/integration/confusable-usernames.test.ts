import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, TestClient } from '../helpers/app.js';
import { decodeHtml } from './support.js';
import { migrate, migrations } from '../../src/db/sqlite/migrations.js';

/*
 * Issue 10, confusable usernames: a name that looks like an existing or a reserved one is
 * refused at registration with a message on the field; real Chinese names still register.
 */

const PASSWORD = 'correct-horse-battery';
let app: FastifyInstance;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.auth.register({ username: 'admin', email: 'admin@example.test', password: PASSWORD }, { allowReserved: true });
  for (const name of ['alice', 'amy_support']) await new TestClient(app).register(name, PASSWORD);
});
afterAll(async () => {
  await app.close();
});

async function register(username: string) {
  const email = `u${Math.random().toString(36).slice(2)}@example.test`;
  return new TestClient(app).post('/register', { username, email, password: PASSWORD });
}

describe('registration refuses lookalike names', () => {
  it.each([
    ['аdmin', 'Cyrillic а', 'admin'],
    ['ａｌｉｃｅ', 'full-width letters', 'alice'],
    ['𝐚𝐥𝐢𝐜𝐞', 'mathematical bold letters', 'alice'],
    ['amy_suppοrt', 'Greek ο', 'amy_support'],
    ['ALİCE', 'dotted capital I', null],
  ])('%j (%s) is refused with a form error', async (name, _why, existing) => {
    const res = await register(name);
    if (existing === null) {
      // Turkish dotted İ folds to "i̇": not a lookalike of "alice" by this table; it registers.
      expect(res.status).toBe(303);
      return;
    }
    expect(res.status).toBe(400);
    const text = decodeHtml(res.text);
    expect(text).toMatch(existing === 'admin' ? /This name is reserved|looks too much like/ : /looks too much like the existing member “[^”]+”/);
    expect(await app.storage.users.findByUsername(name)).toBeNull();
  });

  it('says which member the name looks like, in Chinese too', async () => {
    const res = await new TestClient(app).post('/register', { username: 'ａｍｙ_support', email: 'zh@example.test', password: PASSWORD }, { headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).toBe(400);
    expect(decodeHtml(res.text)).toContain('这个名字与已有成员“amy_support”看起来太像了');
  });

  it('reserved names are compared by skeleton', async () => {
    for (const name of ['ＡＤＭＩＮ', 'аdministrator', 'r00t']) {
      const res = await register(name);
      expect(res.status, name).toBe(400);
      expect(decodeHtml(res.text), name).toContain('This name is reserved');
    }
  });

  it('legitimate Chinese names and distinct Latin names still register', async () => {
    for (const name of ['张伟', '李雷', '韩梅梅', '王芳', 'alicia', 'amy_supporter', 'Дмитрий']) {
      expect((await register(name)).status, name).toBe(303);
    }
    expect((await register('张伟')).status).toBe(400);
  });
});

describe('migration 011', () => {
  it('backfills skeletons; an existing lookalike keeps its account but new lookalikes are refused', () => {
    const db = new Database(':memory:');
    // The schema as it was before 011, with two lookalike accounts already registered.
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version < 11)) {
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    const add = db.prepare("INSERT INTO users (username, email, display_name, password_hash, created_at) VALUES (?, ?, ?, 'x', 0)");
    add.run('alice', 'a@x.test', 'alice');
    add.run('аlice', 'b@x.test', 'аlice');
    add.run('张伟', 'c@x.test', '张伟');
    migrate(db);
    const rows = db.prepare('SELECT username, username_skeleton AS s FROM users ORDER BY id').all() as Array<{ username: string; s: string }>;
    expect(rows).toEqual([
      { username: 'alice', s: 'alice' },
      { username: 'аlice', s: 'alice#2' },
      { username: '张伟', s: '张伟' },
    ]);
    expect(() => db.prepare("INSERT INTO users (username, username_skeleton, email, display_name, password_hash, created_at) VALUES ('ａlice', 'alice', 'd@x.test', 'd', 'x', 0)").run()).toThrow(/UNIQUE/);
    db.close();
  });
});
