export const name = 'curated FAQ: categories, entries, revisions, related links, helpful votes, dismissals';

/*
 * The FAQ tree keeps each category's depth (1-4) so the depth rule can be checked without
 * walking the tree. Entries keep their source question/answer so that edits to the source
 * or an answer overtaking it can flag the entry for review. posts.duplicate_count counts
 * questions closed as duplicates of a question (evidence for ranking).
 */
export const sql = `
  CREATE TABLE faq_categories (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES faq_categories(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    depth INTEGER NOT NULL CHECK (depth BETWEEN 1 AND 4),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX faq_categories_slug ON faq_categories(community_id, IFNULL(parent_id, 0), slug);
  CREATE INDEX faq_categories_parent ON faq_categories(community_id, parent_id, position);

  CREATE TABLE faq_entries (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES faq_categories(id),
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    source_question_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    source_answer_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'archived')),
    pinned INTEGER NOT NULL DEFAULT 0,
    pin_position INTEGER NOT NULL DEFAULT 0,
    view_count INTEGER NOT NULL DEFAULT 0,
    helpful_yes INTEGER NOT NULL DEFAULT 0,
    helpful_no INTEGER NOT NULL DEFAULT 0,
    search_clicks INTEGER NOT NULL DEFAULT 0,
    needs_review INTEGER NOT NULL DEFAULT 0,
    review_reason TEXT,
    revision_count INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX faq_entries_category ON faq_entries(category_id, status);
  CREATE INDEX faq_entries_community ON faq_entries(community_id, status, pinned DESC);
  CREATE UNIQUE INDEX faq_entries_source_answer ON faq_entries(source_answer_id) WHERE source_answer_id IS NOT NULL;
  CREATE INDEX faq_entries_source_question ON faq_entries(source_question_id) WHERE source_question_id IS NOT NULL;
  CREATE INDEX faq_entries_review ON faq_entries(community_id, needs_review) WHERE needs_review = 1;

  CREATE TABLE faq_entry_revisions (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    category_id INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (entry_id, revision)
  );

  CREATE TABLE faq_related (
    entry_id INTEGER NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, related_id),
    CHECK (entry_id != related_id)
  );

  CREATE TABLE faq_helpful_votes (
    entry_id INTEGER NOT NULL REFERENCES faq_entries(id) ON DELETE CASCADE,
    voter_key TEXT NOT NULL,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (entry_id, voter_key)
  );

  CREATE TABLE faq_dismissals (
    answer_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    dismissed_by INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    score_at_dismissal INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );

  ALTER TABLE posts ADD COLUMN duplicate_count INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX posts_answers_by_score ON posts(community_id, score DESC) WHERE type = 'answer' AND deleted_at IS NULL;

  ALTER TABLE communities ADD COLUMN faq_auto_publish_score INTEGER;
  ALTER TABLE communities ADD COLUMN faq_auto_publish_category_id INTEGER;
`;
