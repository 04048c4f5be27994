export const name = 'support: escalations not yet notified, by time';

/*
 * The escalation job notifies, at the start of every run, the escalations an earlier run
 * recorded but did not see notified (the process died between the two steps): a partial index
 * holds only those rows, so the check every minute reads nothing on a forum whose escalations
 * were all sent, however many it has recorded over the years.
 */
export const sql = `
  CREATE INDEX IF NOT EXISTS support_escalations_unnotified ON support_escalations(at) WHERE notified_at IS NULL;
`;
