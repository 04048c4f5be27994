import type { SupportRating, SupportTicket } from '../domain/support-types.js';

/*
 * Storage for the customer-service dashboard (issue 12): the raw facts the daily job reads
 * (tickets, events, ratings, answers, self-service events in a time range) and the daily
 * aggregates the dashboard reads. Kept apart from SupportRepository because the dashboard
 * only reads aggregates, never tickets.
 */

export const SELF_SERVICE_KINDS = ['search', 'faq_view', 'similar_click', 'question_posted'] as const;
export type SelfServiceKind = (typeof SELF_SERVICE_KINDS)[number];

/** What a browser did on the way to (or instead of) asking: the self-service metric's raw data. */
export interface SelfServiceEvent {
  kind: SelfServiceKind;
  browserId: string;
  /** Null for a site-wide search. */
  communityId: string | null;
  at: number;
}

/** One aggregate: a number (and, for durations, the list of values) per community, UTC day, metric and dimension. */
export interface DailyAggregate {
  /** SITE_COMMUNITY for what belongs to no community (site-wide searches). */
  communityId: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  metric: string;
  /** '' or a breakdown such as 'staff:12', 'score:3', 'user:7'. */
  dim: string;
  value: number;
  /** Durations in ms (first response, resolution), so percentiles over any range are exact; or packed member ids. */
  detail: Detail;
}

/**
 * A detail list as a backend returns it: an array, or (SQLite) a Float64Array over the stored
 * bytes, which a year's dashboard reads by the million without building JS arrays.
 */
export type Detail = readonly number[] | Float64Array;

export const SITE_COMMUNITY = '0';

export interface SupportFactEvent {
  questionId: string;
  communityId: string;
  kind: string;
  at: number;
}

export interface AnswerCount {
  communityId: string;
  authorId: string;
  count: number;
}

/** FAQ "was this helpful?" votes given in a range, per community and yes/no. */
export interface HelpfulCount {
  communityId: string;
  helpful: boolean;
  count: number;
}

/** A question resolved in a range with an accepted answer: was that answer written by staff? */
export interface AcceptedAnswer {
  communityId: string;
  questionId: string;
  byStaff: boolean;
}

/** A member who posted (asked, answered or commented) in a community in a range. */
export interface ActiveMember {
  communityId: string;
  userId: string;
}

/** A member who asked in a range: how many questions, and whether they had asked in that community before. */
export interface Asker {
  communityId: string;
  userId: string;
  count: number;
  askedBefore: boolean;
}

export interface SupportMetricsRepository {
  recordSelfService(event: SelfServiceEvent): Promise<void>;
  /** Several events in one write (the buffered log, services/support/self-service-buffer.ts). */
  recordSelfServiceMany(events: readonly SelfServiceEvent[]): Promise<void>;
  /** Oldest first. */
  selfServiceBetween(from: number, to: number): Promise<SelfServiceEvent[]>;
  /** Tickets opened, first answered by staff, or resolved in [from, to). */
  ticketsTouchedBetween(from: number, to: number): Promise<SupportTicket[]>;
  /** Ticket events of the given kinds in [from, to), with the ticket's community. */
  eventsBetween(kinds: string[], from: number, to: number): Promise<SupportFactEvent[]>;
  /** Ratings first given in [from, to) (with their current score). */
  ratingsBetween(from: number, to: number): Promise<SupportRating[]>;
  /** Live answers written in [from, to), counted per community and author. */
  answersBetween(from: number, to: number): Promise<AnswerCount[]>;
  /** FAQ helpful votes given in [from, to), counted per community and yes/no. */
  faqHelpfulBetween(from: number, to: number): Promise<HelpfulCount[]>;
  /** Tickets resolved in [from, to) whose question has a live accepted answer, with who wrote it. */
  acceptedBetween(from: number, to: number): Promise<AcceptedAnswer[]>;
  /** Distinct members who posted a live question, answer or comment in [from, to), per community. */
  activeMembersBetween(from: number, to: number): Promise<ActiveMember[]>;
  /** Members who asked (live questions) in [from, to), per community, and whether they had asked there before. */
  askersBetween(from: number, to: number): Promise<Asker[]>;
  /** Replaces every aggregate of one day at once (all communities). */
  replaceDay(day: string, rows: DailyAggregate[]): Promise<void>;
  /** Aggregates of days fromDay..toDay inclusive; one community, or all when null; only the given metrics when named. */
  readDaily(communityId: string | null, fromDay: string, toDay: string, metrics?: readonly string[]): Promise<DailyAggregate[]>;
  /** The latest day that has aggregates, if any. */
  latestDay(): Promise<string | null>;
  /** When the first support ticket was opened, if any (where a first backfill starts). */
  earliestTicket(): Promise<number | null>;
}
