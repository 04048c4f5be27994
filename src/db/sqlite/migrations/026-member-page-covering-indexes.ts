export const name = "member pages: covering indexes for a member's memberships and votes";

/*
 * Every page a member sees reads their memberships (MembershipRepository.membershipsOf), and
 * every question page their votes on the page's posts (VoteRepository.votesBy). Both went
 * through an index on user_id alone and then looked each row up in its table. These indexes
 * hold every column those reads return, so each is one index range read (issue 15); they
 * replace the user_id-only indexes, which are their prefixes.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS memberships_user_cover ON memberships(user_id, community_id, role, joined_at);
  DROP INDEX IF EXISTS memberships_user;
  CREATE INDEX IF NOT EXISTS votes_user_cover ON votes(user_id, post_id, value);
  DROP INDEX IF EXISTS votes_user;
`;
