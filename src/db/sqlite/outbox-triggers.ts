import type { Db } from './connection.js';

/*
 * With an external search engine, every change to a searchable row must leave an outbox
 * entry in the same transaction. Triggers do that for every writer of the file (the server,
 * the seed and admin scripts) without each repository method having to remember it. They
 * are ordinary (not TEMP) triggers, so a script that opens the file writes the outbox too;
 * installOutboxTriggers / removeOutboxTriggers switch them with the configured engine.
 *
 * Outbox times are wall-clock milliseconds, as the worker that compares them runs on the
 * wall clock.
 */

const NOW_MS = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

/** Enqueues the documents named by `select` (a SELECT of one doc_id column). */
function enqueue(select: string): string {
  return `INSERT INTO search_outbox (doc_id, changed_at, next_attempt_at)
    SELECT doc_id, ${NOW_MS}, ${NOW_MS} FROM (${select}) WHERE true
    ON CONFLICT(doc_id) DO UPDATE SET version = version + 1, status = 'pending', attempts = 0,
      changed_at = excluded.changed_at, next_attempt_at = excluded.next_attempt_at, done_at = NULL, last_error = NULL;`;
}

/*
 * Entries under a category and its descendants. SQLite refuses WITH inside triggers, and a
 * FAQ tree is at most four levels deep, so three joins reach every descendant.
 */
const ENTRIES_UNDER = (categoryExpr: string) => `
  SELECT 'faq-' || e.id AS doc_id FROM faq_entries e
    JOIN faq_categories c1 ON c1.id = e.category_id
    LEFT JOIN faq_categories c2 ON c2.id = c1.parent_id
    LEFT JOIN faq_categories c3 ON c3.id = c2.parent_id
  WHERE c1.id = ${categoryExpr} OR c2.id = ${categoryExpr} OR c3.id = ${categoryExpr} OR c3.parent_id = ${categoryExpr}`;

const TRIGGERS: Record<string, string> = {
  outbox_posts_insert: `AFTER INSERT ON posts BEGIN ${enqueue(`SELECT NEW.type || '-' || NEW.id AS doc_id`)} END`,
  // Only the columns a search document holds: view counts and comments do not enqueue.
  outbox_posts_update: `AFTER UPDATE OF title, slug, tags, body_text, score, answer_count, accepted_answer_id, is_accepted, edited_at, deleted_at ON posts
    WHEN OLD.title IS NOT NEW.title OR OLD.slug IS NOT NEW.slug OR OLD.tags IS NOT NEW.tags OR OLD.body_text IS NOT NEW.body_text
      OR OLD.score IS NOT NEW.score OR OLD.answer_count IS NOT NEW.answer_count OR OLD.accepted_answer_id IS NOT NEW.accepted_answer_id
      OR OLD.is_accepted IS NOT NEW.is_accepted OR OLD.edited_at IS NOT NEW.edited_at OR OLD.deleted_at IS NOT NEW.deleted_at
    BEGIN ${enqueue(`SELECT NEW.type || '-' || NEW.id AS doc_id`)} END`,
  // Answers repeat their question's title, slug and tags, and FAQ entries its tags.
  outbox_posts_thread: `AFTER UPDATE OF title, slug, tags, deleted_at ON posts
    WHEN NEW.type = 'question' AND (OLD.title IS NOT NEW.title OR OLD.slug IS NOT NEW.slug OR OLD.tags IS NOT NEW.tags OR OLD.deleted_at IS NOT NEW.deleted_at)
    BEGIN
      ${enqueue(`SELECT 'answer-' || id AS doc_id FROM posts WHERE question_id = NEW.id`)}
      ${enqueue(`SELECT 'faq-' || id AS doc_id FROM faq_entries WHERE source_question_id = NEW.id`)}
    END`,
  outbox_posts_delete: `AFTER DELETE ON posts BEGIN ${enqueue(`SELECT OLD.type || '-' || OLD.id AS doc_id`)} END`,
  outbox_faq_insert: `AFTER INSERT ON faq_entries BEGIN ${enqueue(`SELECT 'faq-' || NEW.id AS doc_id`)} END`,
  outbox_faq_update: `AFTER UPDATE OF title, slug, body_text, status, category_id, community_id, source_question_id, helpful_yes, helpful_no ON faq_entries
    BEGIN ${enqueue(`SELECT 'faq-' || NEW.id AS doc_id`)} END`,
  outbox_faq_delete: `AFTER DELETE ON faq_entries BEGIN ${enqueue(`SELECT 'faq-' || OLD.id AS doc_id`)} END`,
  // An entry's document holds its category path: renaming or moving a category changes it.
  outbox_faq_category: `AFTER UPDATE OF name, parent_id ON faq_categories
    WHEN OLD.name IS NOT NEW.name OR OLD.parent_id IS NOT NEW.parent_id
    BEGIN ${enqueue(ENTRIES_UNDER('NEW.id'))} END`,
  // Every document holds its community's name: a rename re-sends the community's documents.
  outbox_community_name: `AFTER UPDATE OF name ON communities
    WHEN OLD.name IS NOT NEW.name
    BEGIN
      ${enqueue(`SELECT type || '-' || id AS doc_id FROM posts WHERE community_id = NEW.id AND deleted_at IS NULL`)}
      ${enqueue(`SELECT 'faq-' || id AS doc_id FROM faq_entries WHERE community_id = NEW.id AND status = 'published'`)}
    END`,
};

/** Drops and recreates them, so a changed definition in a new version replaces the old one. */
export function installOutboxTriggers(db: Db): void {
  db.transaction(() => {
    for (const [name, body] of Object.entries(TRIGGERS)) {
      db.exec(`DROP TRIGGER IF EXISTS ${name};`);
      db.exec(`CREATE TRIGGER ${name} ${body};`);
    }
  })();
}

export function removeOutboxTriggers(db: Db): void {
  db.transaction(() => {
    for (const name of Object.keys(TRIGGERS)) db.exec(`DROP TRIGGER IF EXISTS ${name};`);
  })();
}

export function outboxTriggersInstalled(db: Db): boolean {
  const row = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox\\_%' ESCAPE '\\'").get();
  return (row?.n ?? 0) === Object.keys(TRIGGERS).length;
}
