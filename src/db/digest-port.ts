import type { NewMail, NotificationRecord } from './ports.js';

/*
 * Storage for e-mail digests and community newsletters (issue 11, "Digests and newsletters"),
 * kept beside ports.ts like the moderation port so the two features add one file each.
 */

export type DigestFrequency = 'off' | 'daily' | 'weekly';
export const DIGEST_FREQUENCIES: readonly DigestFrequency[] = ['off', 'daily', 'weekly'];

export interface DigestSubscription {
  userId: string;
  frequency: DigestFrequency;
  /** The end of the time the last digest covered (or when the member subscribed). */
  lastDigestAt: number | null;
}

export interface DigestQuestion {
  id: string;
  communityId: string;
  authorId: string;
  title: string;
  slug: string;
  score: number;
  answerCount: number;
  createdAt: number;
}

export interface DigestFaqEntry {
  id: string;
  communityId: string;
  title: string;
  slug: string;
  createdAt: number;
}

export interface WatchedTargets {
  communityIds: string[];
  tags: Array<{ communityId: string; tag: string }>;
}

export interface DigestRepository {
  get(userId: string): Promise<DigestSubscription | null>;
  /** Sets the member's choice; the first choice starts the digest window at `now`. */
  setFrequency(userId: string, frequency: DigestFrequency, now: number): Promise<void>;
  /** Subscriptions of this frequency whose last digest is older than `periodStart`, by user id. */
  due(frequency: Exclude<DigestFrequency, 'off'>, periodStart: number, limit: number): Promise<DigestSubscription[]>;
  /** The member's notifications of these kinds created at or after `since`, oldest first. */
  notificationsSince(userId: string, kinds: string[], since: number, limit: number): Promise<NotificationRecord[]>;
  watchedTargets(userId: string): Promise<WatchedTargets>;
  /** Live questions created in [since, until) in these communities or with these tags, deduplicated. */
  newQuestions(targets: WatchedTargets, since: number, until: number, limit: number): Promise<DigestQuestion[]>;
  /** Published FAQ entries created in [since, until) in these communities, newest first. */
  newFaqEntries(communityIds: string[], since: number, until: number, limit: number): Promise<DigestFaqEntry[]>;
  /**
   * Records the digest of the period starting at `periodStart` as done up to `coveredUntil`
   * and queues its mail (null: nothing to send), in one atomic step, only when the member's
   * last digest is still older than `periodStart`: two runs of one period produce one mail.
   * Returns whether this call did it.
   */
  complete(userId: string, periodStart: number, coveredUntil: number, mail: NewMail | null): Promise<boolean>;
}

export type NewsletterStatus = 'draft' | 'scheduled' | 'sent';

export interface Newsletter {
  id: string;
  communityId: string;
  authorId: string;
  subject: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  status: NewsletterStatus;
  scheduledAt: number | null;
  sentAt: number | null;
  recipientCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewsletterDraft {
  communityId: string;
  authorId: string;
  subject: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  now: number;
}

export interface NewsletterRepository {
  create(draft: NewsletterDraft): Promise<Newsletter>;
  /** Changes an unsent newsletter's text (and puts a scheduled one back to draft); null when it was sent. */
  update(id: string, fields: Pick<NewsletterDraft, 'subject' | 'bodyMd' | 'bodyHtml' | 'bodyText' | 'now'>): Promise<Newsletter | null>;
  findById(id: string): Promise<Newsletter | null>;
  /** Sent newsletters of a community, newest first. */
  listSent(communityId: string, offset: number, limit: number): Promise<Newsletter[]>;
  /** Drafts and scheduled ones of a community, newest first (for its staff). */
  listUnsent(communityId: string, limit: number): Promise<Newsletter[]>;
  /** Schedules an unsent newsletter for `at`; false when it was already sent. */
  schedule(id: string, at: number, now: number): Promise<boolean>;
  /** Scheduled newsletters due at `now`, oldest first. */
  due(now: number, limit: number): Promise<Newsletter[]>;
  /**
   * Queues every recipient's mail (each with its own idempotency key, so a rerun after a crash
   * sends nobody twice) and marks the newsletter sent, atomically; false when it is not
   * scheduled any more (another run sent it).
   */
  markSent(id: string, mails: NewMail[], now: number): Promise<boolean>;
  setOptIn(userId: string, communityId: string, on: boolean, now: number): Promise<void>;
  isOptedIn(userId: string, communityId: string): Promise<boolean>;
  optedInCommunities(userId: string): Promise<string[]>;
  /** Opted-in members who are still members of the community, by user id. */
  subscribers(communityId: string): Promise<string[]>;
}
