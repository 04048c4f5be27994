export const name = 'support dashboard: indexes for FAQ helpful votes, active members, askers and accepted answers by day';

/*
 * The support-daily job (issue 12) now also reads, for one UTC day, the FAQ helpful votes, the
 * posts and comments written (active members, askers) and the questions resolved with an
 * accepted answer. Without these indexes each of those reads scans its whole table once per
 * day recomputed. The aggregates themselves are rebuilt by the job (daily-job.ts,
 * AGGREGATES_VERSION), not here, because MongoDB has no migrations.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS posts_created ON posts(created_at);
  CREATE INDEX IF NOT EXISTS comments_created ON comments(created_at);
  CREATE INDEX IF NOT EXISTS faq_helpful_votes_created ON faq_helpful_votes(created_at);
`;
