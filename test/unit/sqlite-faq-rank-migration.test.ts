import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../src/db/sqlite/migrations.js';
import { SqliteCommunityRepository } from '../../src/db/sqlite/community-repository.js';
import { SqliteUserRepository } from '../../src/db/sqlite/user-repository.js';
import { SqlitePostRepository } from '../../src/db/sqlite/post-repository.js';
import { SqliteModerationRepository } from '../../src/db/sqlite/moderation-repository.js';
import { SqliteFaqRepository, TOP_ENTRIES_SQL } from '../../src/db/sqlite/faq-repository.js';

const T0 = 1_700_000_000_000;
const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A database as it was before migration 018, holding FAQ entries whose source questions have duplicates. */
async function databaseBefore018() {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of migrations.filter((x) => x.version < 18)) {
    db.exec(m.sql);
    m.run?.(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, T0);
  }
  const community = await new SqliteCommunityRepository(db).create({ slug: 'c', name: 'C', kind: 'interest', descriptionMd: 'c', descriptionHtml: '<p>c</p>', defaultLocale: 'en' });
  const user = await new SqliteUserRepository(db).create({ username: 'mod', email: 'mod@example.test', displayName: 'mod', passwordHash: 'x' });
  const posts = new SqlitePostRepository(db);
  const ask = async (i: number) =>
    (await posts.createQuestion({ communityId: community.id, authorId: user.id, title: `Question ${i}`, slug: `q-${i}`, bodyMd: 'b', bodyHtml: '<p>b</p>', bodyText: 'b', tags: ['t'], now: T0 + i })).id;
  const popular = await ask(1);
  const moderation = new SqliteModerationRepository(db);
  for (let i = 2; i <= 4; i++) await moderation.close({ questionId: await ask(i), actorId: user.id, reason: 'duplicate', duplicateOf: popular, note: '', now: T0 + i });
  const quiet = await ask(5);
  db.prepare("INSERT INTO faq_categories (id, community_id, name, slug, depth, created_at, updated_at) VALUES (1, ?, 'Top', 'top', 1, ?, ?)").run(community.id, T0, T0);
  const entry = db.prepare(
    `INSERT INTO faq_entries (id, community_id, category_id, title, slug, body_md, body_html, body_text, source_question_id, view_count, created_by, created_at, updated_at)
     VALUES (?, ?, 1, ?, ?, 'b', '<p>b</p>', 'b', ?, ?, ?, ?, ?)`,
  );
  // Without duplicates the quiet entry (50 views) would lead; three duplicates give the other 60 + 10.
  entry.run(1, community.id, 'From the popular question', 'popular', popular, 10, user.id, T0, T0);
  entry.run(2, community.id, 'From the quiet question', 'quiet', quiet, 50, user.id, T0 + 1, T0 + 1);
  entry.run(3, community.id, 'Written from scratch', 'scratch', null, 0, user.id, T0 + 2, T0 + 2);
  return { db, communityId: community.id };
}

describe('migration 018: the FAQ ranking read by index', () => {
  it('backfills existing entries from their source questions, so the FAQ home order is unchanged', async () => {
    const { db, communityId } = await databaseBefore018();
    migrate(db);
    const rows = db.prepare('SELECT id, source_duplicates, ask_frequency FROM faq_entries ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, source_duplicates: 3, ask_frequency: 70 },
      { id: 2, source_duplicates: 0, ask_frequency: 50 },
      { id: 3, source_duplicates: 0, ask_frequency: 0 },
    ]);
    const top = await new SqliteFaqRepository(db).topEntries(communityId, 10);
    expect(top.entries.map((e) => [e.title, e.duplicateCount])).toEqual([
      ['From the popular question', 3],
      ['From the quiet question', 0],
      ['Written from scratch', 0],
    ]);
  });

  it('reads the top entries in index order, without sorting the community\'s entries', async () => {
    const { db } = await databaseBefore018();
    migrate(db);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${TOP_ENTRIES_SQL}`).all(1, 10) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX faq_entries_rank/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE|posts/);
  });
});
