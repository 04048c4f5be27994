/*
 * The event outbox (issue 11: "enqueue in the same transaction as the event").
 *
 * A Q&A write that others must hear of (a question asked, an answer posted, a comment added,
 * an answer accepted) records an event row in the same atomic step as the write itself: the
 * event exists exactly when the post does. A leased worker (src/services/notifications/
 * event-worker.ts) later turns each event into notifications and mail. A worker that dies
 * half-way leaves a lease that expires; the next one processes the event again, and the
 * notifications and mails it writes are keyed by the event's subject (unique indexes), so a
 * second run adds nothing.
 */

/** 'faq_published': an answer became an FAQ entry (a moderator's promotion, or auto-publish by score). */
export type QaEventKind = 'asked' | 'answered' | 'commented' | 'accepted' | 'faq_published';
export const QA_EVENT_KINDS: readonly QaEventKind[] = ['asked', 'answered', 'commented', 'accepted', 'faq_published'];

export type EventStatus = 'pending' | 'done' | 'failed';

/** Ids only: the worker reads the current state when it runs (a post deleted meanwhile notifies nobody). */
export interface QaEventPayload {
  /** Null when nobody acted (an answer auto-published into the FAQ by its score). */
  actorId: string | null;
  questionId: string;
  /** answered, accepted: the answer; commented on an answer: that answer too. */
  answerId?: string;
  /** commented: the post commented on and the comment. */
  postId?: string;
  commentId?: string;
  /** faq_published: the new entry. */
  entryId?: string;
}

/** Passed to a Q&A write to make it record its event (who acted). */
export interface EventRequest {
  actorId: string | null;
}

export interface QueuedEvent {
  id: string;
  kind: QaEventKind;
  /**
   * Names the event by what it is about ("answered:12", "accepted:13"): recording the same
   * key twice records one event. Accepting an answer that was accepted, withdrawn and
   * accepted again is one event: its author hears of it once.
   */
  key: string;
  payload: QaEventPayload;
  status: EventStatus;
  attempts: number;
  lastError: string | null;
  /** The write's own time (the service clock): notifications and mails carry it. */
  createdAt: number;
}

export interface EventOutboxCounts {
  pending: number;
  done: number;
  failed: number;
}

export interface EventOutboxRepository {
  /**
   * Leases up to `limit` pending events that are due to `owner` until now + leaseMs, oldest
   * first (by time, then id). No other worker takes them meanwhile; an expired lease (a
   * worker that died) makes them claimable again.
   */
  claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedEvent[]>;
  /** Marks a claimed event done. A worker whose lease was taken over changes nothing. */
  complete(owner: string, id: string, now: number): Promise<void>;
  /** A failed attempt: pending again from retryAt, or failed for good when `giveUp`. Releases the lease. */
  retry(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void>;
  counts(): Promise<EventOutboxCounts>;
  /** The most recent events that failed for good, newest first. */
  listFailed(limit: number): Promise<QueuedEvent[]>;
  /** Deletes done events finished before `before` (failed ones stay for inspection); returns how many. */
  prune(before: number): Promise<number>;
}

/** What each kind's payload holds and its key, from the ids the write produced. */
export function qaEvent(kind: QaEventKind, actorId: string | null, ids: { questionId: string; answerId?: string; postId?: string; commentId?: string; entryId?: string }): { key: string; payload: QaEventPayload } {
  const payload: QaEventPayload = { actorId, ...ids };
  switch (kind) {
    case 'asked':
      return { key: `asked:${ids.questionId}`, payload };
    case 'answered':
      return { key: `answered:${ids.answerId}`, payload };
    case 'commented':
      return { key: `commented:${ids.commentId}`, payload };
    case 'accepted':
      return { key: `accepted:${ids.answerId}`, payload };
    case 'faq_published':
      // One entry per source answer (a unique index in both backends): one event.
      return { key: `faq:${ids.answerId}`, payload };
  }
}

/** Longer errors are cut when stored. */
export const EVENT_ERROR_MAX = 1000;
