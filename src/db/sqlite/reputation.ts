import type { PostType, VoteValue } from '../../domain/qa-types.js';
import { reputationForVote } from '../../domain/reputation.js';
import type { Db } from './connection.js';

/** Applies a reputation change inside the caller's transaction. */
export function addReputation(db: Db, userId: number, delta: number): void {
  if (delta !== 0) db.prepare('UPDATE users SET reputation = reputation + ? WHERE id = ?').run(delta, userId);
}

export function voteReputationDelta(type: PostType, oldValue: VoteValue, newValue: VoteValue): number {
  return reputationForVote(type, newValue) - reputationForVote(type, oldValue);
}
