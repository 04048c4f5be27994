export const name = 'questions, answers, comments, votes, tags, revisions';

/*
 * Questions and answers share one posts table (as on Stack Overflow) so that votes,
 * comments and revisions can point at any post by one id. Counters shown in lists
 * (score, answer_count, last_activity_at) are maintained on write. question_tags repeats
 * the sort keys of its question so that tag-filtered lists are served by an index too.
 */
export const sql = `
  CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('question', 'answer')),
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    question_id INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT,
    slug TEXT,
    body_md TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    score INTEGER NOT NULL DEFAULT 0,
    up_votes INTEGER NOT NULL DEFAULT 0,
    down_votes INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    accepted_answer_id INTEGER,
    is_accepted INTEGER NOT NULL DEFAULT 0,
    view_count INTEGER NOT NULL DEFAULT 0,
    comment_count INTEGER NOT NULL DEFAULT 0,
    revision_count INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    last_activity_user_id INTEGER,
    deleted_at INTEGER
  );
  CREATE INDEX posts_q_active ON posts(community_id, last_activity_at DESC) WHERE type = 'question' AND deleted_at IS NULL;
  CREATE INDEX posts_q_newest ON posts(community_id, created_at DESC) WHERE type = 'question' AND deleted_at IS NULL;
  CREATE INDEX posts_q_top ON posts(community_id, score DESC, created_at DESC) WHERE type = 'question' AND deleted_at IS NULL;
  CREATE INDEX posts_q_unanswered ON posts(community_id, created_at DESC) WHERE type = 'question' AND deleted_at IS NULL AND answer_count = 0;
  CREATE INDEX posts_q_global_active ON posts(last_activity_at DESC) WHERE type = 'question' AND deleted_at IS NULL;
  CREATE INDEX posts_answers ON posts(question_id, is_accepted DESC, score DESC, created_at) WHERE type = 'answer';
  CREATE INDEX posts_author ON posts(author_id, created_at DESC);

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    question_count INTEGER NOT NULL DEFAULT 0,
    UNIQUE (community_id, name)
  );
  CREATE INDEX tags_popular ON tags(community_id, question_count DESC);

  CREATE TABLE question_tags (
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    last_activity_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    score INTEGER NOT NULL DEFAULT 0,
    answer_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tag_id, question_id)
  );
  CREATE INDEX question_tags_question ON question_tags(question_id);
  CREATE INDEX question_tags_active ON question_tags(tag_id, last_activity_at DESC);
  CREATE INDEX question_tags_newest ON question_tags(tag_id, created_at DESC);
  CREATE INDEX question_tags_top ON question_tags(tag_id, score DESC, created_at DESC);
  CREATE INDEX question_tags_unanswered ON question_tags(tag_id, created_at DESC) WHERE answer_count = 0;

  CREATE TABLE votes (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    value INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
  );
  CREATE INDEX votes_user ON votes(user_id);

  CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE INDEX comments_post ON comments(post_id, created_at);

  CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT,
    body_md TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (post_id, revision)
  );
`;
