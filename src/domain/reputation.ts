import type { PostType, VoteValue } from './qa-types.js';

/** Reputation rules (issue 3): the single source for writes and for the recompute script. */
export const REPUTATION = {
  answerUpvoted: 10,
  questionUpvoted: 5,
  downvoted: -2,
  answerAccepted: 15,
  acceptedByAsker: 2,
} as const;

export function reputationForVote(type: PostType, value: VoteValue): number {
  if (value === 1) return type === 'answer' ? REPUTATION.answerUpvoted : REPUTATION.questionUpvoted;
  if (value === -1) return REPUTATION.downvoted;
  return 0;
}
