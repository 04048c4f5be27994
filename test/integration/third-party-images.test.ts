import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { migrate, migrations } from '../../src/db/sqlite/migrations.js';
import { askQuestion, createCommunity, createQaApp, member } from '../helpers/qa.js';

/*
 * Issue 10, third-party images: a post's image on another host would be fetched by every
 * reader's browser (a tracking pixel that reports their IP). Images are shown as links, the
 * CSP allows images from the site only, and posts stored before the change are converted.
 */

let app: FastifyInstance;
let questionUrl: string;

beforeAll(async () => {
  app = await createQaApp();
  const cams = await createCommunity(app.storage, 'cams');
  const { client } = await member(app, cams);
  ({ url: questionUrl } = await askQuestion(client, 'cams', {
    title: 'Why is my camera sensor showing spots?',
    body: 'See ![the spots](https://tracker.example/pixel.gif?u=1) and ![](https://cdn.example/shot.png).',
  }));
});
afterAll(async () => {
  await app.close();
});

describe('images in posts', () => {
  it('are links to the image, never an <img> that loads from another host', async () => {
    const page = await app.inject({ url: questionUrl });
    expect(page.statusCode).toBe(200);
    const foreignImages = [...page.body.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!).filter((src) => /^(https?:)?\/\//.test(src));
    expect(foreignImages).toEqual([]);
    expect(page.body).toContain('<a href="https://tracker.example/pixel.gif?u=1" rel="nofollow ugc noopener" class="external-image">the spots</a>');
    expect(page.body).toContain('<a href="https://cdn.example/shot.png" rel="nofollow ugc noopener" class="external-image">https://cdn.example/shot.png</a>');
  });

  it('the CSP lets pages load images from the site itself only', async () => {
    const page = await app.inject({ url: questionUrl });
    const policy = String(page.headers['content-security-policy']);
    const imgSrc = /img-src ([^;]*)/.exec(policy)?.[1]?.trim();
    expect(imgSrc).toBe("'self' data:");
    expect(policy).toMatch(/default-src 'self'/);
  });
});

describe('migration 011 converts images stored before the change', () => {
  it('rewrites <img> in stored posts, FAQ entries and community descriptions; other HTML is unchanged', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.version < 11)) {
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    db.prepare("INSERT INTO users (username, email, display_name, password_hash, created_at) VALUES ('u', 'u@x.test', 'u', 'x', 0)").run();
    db.prepare(
      "INSERT INTO communities (slug, name, kind, description_md, description_html, default_locale, created_at, updated_at) VALUES ('c', 'C', 'interest', '', ?, 'en', 0, 0)",
    ).run('<p>Logo <img src="https://evil.example/logo.png" alt="logo" loading="lazy" /></p>');
    const untouched = '<p><strong>plain</strong> <a href="https://ok.example/" rel="nofollow ugc noopener">link</a></p>';
    const insertPost = db.prepare(
      `INSERT INTO posts (type, community_id, author_id, title, slug, body_md, body_html, body_text, tags, created_at, last_activity_at)
       VALUES ('question', 1, 1, 't', 't', '', ?, '', '', 0, 0)`,
    );
    insertPost.run('<p>Pixel <img src="https://tracker.example/p.gif" alt="" loading="lazy" /></p>');
    insertPost.run(untouched);
    migrate(db);
    const posts = db.prepare('SELECT body_html AS html FROM posts ORDER BY id').all() as Array<{ html: string }>;
    expect(posts[0]!.html).toBe('<p>Pixel <a href="https://tracker.example/p.gif" rel="nofollow ugc noopener" class="external-image">https://tracker.example/p.gif</a></p>');
    expect(posts[1]!.html).toBe(untouched);
    const description = (db.prepare('SELECT description_html AS html FROM communities').get() as { html: string }).html;
    expect(description).not.toContain('<img');
    expect(description).toContain('class="external-image">logo</a>');
    db.close();
  });
});
