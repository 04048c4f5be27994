export const name = 'index for the staff and moderators of a community';

/* Every community page lists its staff: without this it scanned every membership of the community. */
export const sql = `
  CREATE INDEX memberships_role ON memberships(community_id, role);
`;
