import type Database from 'better-sqlite3';
import { usernameSkeleton } from '../../../domain/username-skeleton.js';
import { resanitizeStoredHtml } from '../../../markdown/render.js';

export const name = 'username skeletons: lookalike names are one name; stored images become links';

/*
 * Every user gets the TR39-style skeleton of their name (src/domain/username-skeleton.ts),
 * unique, so a name that looks like an existing one ("аdmin" with a Cyrillic а) cannot be
 * registered. Lookalikes registered before this migration keep their accounts: the oldest
 * holder of a skeleton keeps it, later ones get it suffixed with their id (still unique, and
 * never a skeleton of a new name, which cannot contain "#").
 */
export const sql = `
  ALTER TABLE users ADD COLUMN username_skeleton TEXT;
`;

export function run(db: Database.Database): void {
  const users = db.prepare<[], { id: number; username: string }>('SELECT id, username FROM users ORDER BY id').all();
  const update = db.prepare<[string, number]>('UPDATE users SET username_skeleton = ? WHERE id = ?');
  const seen = new Set<string>();
  for (const user of users) {
    const skeleton = usernameSkeleton(user.username);
    update.run(seen.has(skeleton) ? `${skeleton}#${user.id}` : skeleton, user.id);
    seen.add(skeleton);
  }
  db.exec('CREATE UNIQUE INDEX users_username_skeleton ON users(username_skeleton)');
  imagesToLinks(db);
}

/*
 * HTML is rendered once on save, so posts saved before images became links still hold <img>
 * tags (which the new CSP would block, leaving a broken image). Those rows are sanitised
 * again with today's allowlist, which turns each image into a link; nothing else changes in
 * already-sanitised HTML.
 */
function imagesToLinks(db: Database.Database): void {
  const columns: Array<[table: string, column: string]> = [
    ['posts', 'body_html'],
    ['faq_entries', 'body_html'],
    ['communities', 'description_html'],
  ];
  for (const [table, column] of columns) {
    const rows = db.prepare<[], { id: number; html: string }>(`SELECT id, ${column} AS html FROM ${table} WHERE ${column} LIKE '%<img%'`).all();
    const update = db.prepare<[string, number]>(`UPDATE ${table} SET ${column} = ? WHERE id = ?`);
    for (const row of rows) update.run(resanitizeStoredHtml(row.html), row.id);
  }
}
