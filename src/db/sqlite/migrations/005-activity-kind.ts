export const name = 'what the last activity on a question was';

/*
 * Recent-activity lists must say whether the last person asked, answered, commented or
 * edited; the counters alone cannot tell a comment from an answer. Existing questions get
 * the best guess the old counters allow.
 */
export const sql = `
  ALTER TABLE posts ADD COLUMN last_activity_kind TEXT;
  UPDATE posts SET last_activity_kind = CASE WHEN answer_count > 0 AND last_activity_at <> created_at THEN 'answer' ELSE 'ask' END
    WHERE type = 'question';
`;
