import type { FaqCandidateRow, FaqCategory, FaqDismissal, FaqEntry, FaqEntryEvent, FaqEntryRevision, FaqReviewReason } from '../domain/faq-types.js';
import type { Answer, Comment, Post, Question, QuestionSort, Revision, Tag, VoteValue } from '../domain/qa-types.js';
import type { Community, CommunityKind, CommunityRole, Locale, Membership, Session, SynonymGroup, User } from '../domain/types.js';
import type { SearchDocument } from '../search/port.js';

/*
 * Storage ports. Services depend on these interfaces only; each backend (src/db/sqlite,
 * later src/db/mongo) implements all of them. Every method is async so that a
 * network-backed store fits the same shape. A method is the unit of atomicity: when an
 * operation must change several records together it is one method here.
 */

export interface NewUser {
  username: string;
  email: string;
  displayName: string;
  passwordHash: string;
  isAdmin?: boolean;
  createdAt?: number;
}

export interface UserRepository {
  /** Throws ConflictError (validation.usernameTaken / validation.emailTaken) on a duplicate. */
  create(input: NewUser): Promise<User>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
  /** The user whose name looks like this one (same skeleton, src/domain/username-skeleton.ts), if any. */
  findByUsernameSkeleton(username: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  findManyByIds(ids: string[]): Promise<User[]>;
  /** Replaces the hash and deletes every session of the user in one step. */
  updatePasswordAndRevokeSessions(userId: string, passwordHash: string): Promise<void>;
  setAdmin(userId: string, isAdmin: boolean): Promise<void>;
  count(): Promise<number>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  findWithUser(sessionId: string): Promise<{ session: Session; user: User } | null>;
  updateExpiry(sessionId: string, expiresAt: number): Promise<void>;
  delete(sessionId: string): Promise<void>;
  deleteAllForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

export interface NewCommunity {
  slug: string;
  name: string;
  kind: CommunityKind;
  descriptionMd: string;
  descriptionHtml: string;
  defaultLocale: Locale;
  promotionThreshold?: number;
}

export type CommunityUpdate = Partial<Omit<NewCommunity, 'slug'>>;

export interface CommunityRepository {
  create(input: NewCommunity): Promise<Community>;
  update(id: string, changes: CommunityUpdate): Promise<Community>;
  findBySlug(slug: string): Promise<Community | null>;
  findById(id: string): Promise<Community | null>;
  list(): Promise<Community[]>;
}

export interface MemberWithUser {
  membership: Membership;
  user: User;
}

export interface MembershipRepository {
  /** Joins (or changes the role of an existing member) and keeps the member count right. */
  upsert(communityId: string, userId: string, role: CommunityRole): Promise<Membership>;
  /** Leaves; returns false when the user was not a member. */
  remove(communityId: string, userId: string): Promise<boolean>;
  find(communityId: string, userId: string): Promise<Membership | null>;
  listForUser(userId: string): Promise<Array<{ membership: Membership; community: Community }>>;
  listStaff(communityId: string): Promise<MemberWithUser[]>;
}

export interface RateLimitRepository {
  /** Counts one hit for key in a fixed window; returns the count so far and when the window ends. */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  peek(key: string, now: number): Promise<{ count: number; resetAt: number } | null>;
  reset(key: string): Promise<void>;
  /**
   * Takes one attempt from each key's allowance (a fixed window per key), atomically per key:
   * refused, counting nothing, when any key already holds `limit` hits in its window. Two
   * concurrent callers can never both take the last attempt (the login throttle reserves
   * before it checks a password).
   */
  reserve(keys: ReadonlyArray<{ key: string; limit: number }>, windowMs: number, now: number): Promise<RateLimitReservation>;
  /** Gives back one attempt taken by reserve (never below zero; nothing when the window ended). */
  release(key: string, now: number): Promise<void>;
}

export type RateLimitReservation = { granted: true } | { granted: false; resetAt: number };

export interface MetaRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface Storage extends QaStorage {
  searchLog: SearchLogRepository;
  synonyms: SynonymRepository;
  faq: FaqRepository;
  outbox: OutboxRepository;
  leases: LeaseRepository;
  searchDocuments: SearchDocumentRepository;
  readonly backend: 'sqlite' | 'mongo';
  users: UserRepository;
  sessions: SessionRepository;
  communities: CommunityRepository;
  memberships: MembershipRepository;
  rateLimits: RateLimitRepository;
  meta: MetaRepository;
  close(): Promise<void>;
}

/* ---------- Questions and answers ---------- */


export interface NewQuestion {
  communityId: string;
  authorId: string;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  /** Already normalised; unknown tags are created in the community. */
  tags: string[];
  now: number;
}

export interface NewAnswer {
  questionId: string;
  authorId: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  now: number;
}

export interface PostEdit {
  postId: string;
  editorId: string;
  /** Questions only. */
  title?: string;
  slug?: string;
  tags?: string[];
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  reason: string;
  now: number;
}

export interface QuestionListQuery {
  communityId: string;
  sort: QuestionSort;
  tag?: string;
  offset: number;
  limit: number;
  /**
   * Lists shown as rows need no bodies: bodyMd and bodyHtml come back empty and bodyText is
   * cut to its first SUMMARY_TEXT_CHARS characters (the row's excerpt). The feed, which shows
   * the body, leaves this off.
   */
  summary?: boolean;
}

/** How much of bodyText a summary row keeps: more than any list excerpt shows. */
export const SUMMARY_TEXT_CHARS = 400;

/** A slice of a question's answers; a limit of 0 or less is an empty slice. */
export interface AnswerRange {
  offset: number;
  limit: number;
}

export interface ActivityEntry {
  question: Question;
  communityId: string;
}

export interface PostRepository {
  /** Question, its tags (created on first use), revision 1 and the community counter, atomically. */
  createQuestion(input: NewQuestion): Promise<Question>;
  /** Answer, revision 1, the question's answer count and last activity, atomically. */
  createAnswer(input: NewAnswer): Promise<Answer>;
  findPost(id: string): Promise<Post | null>;
  findQuestion(id: string): Promise<Question | null>;
  /**
   * Live answers, accepted first, then by score, then oldest, then by id (so that pages of
   * the same thread never overlap or skip an answer). Without a range, every answer (the
   * FAQ, scripts); with one, only that slice (the question page shows one page of answers).
   */
  listAnswers(questionId: string, range?: AnswerRange): Promise<Answer[]>;
  /**
   * How many live answers of the question come before this one in the listAnswers order, so
   * that a link or redirect to an answer can name the page it is on. Null when the answer is
   * not a live answer of that question.
   */
  answerRank(questionId: string, answerId: string): Promise<number | null>;
  /** Fetches limit + 1 rows so callers know whether there is a next page. */
  listQuestions(query: QuestionListQuery): Promise<Question[]>;
  /** Latest active questions across all communities (home page, sitemap), as summaries (see QuestionListQuery.summary). */
  recentQuestions(limit: number): Promise<Question[]>;
  listByAuthor(authorId: string, limit: number): Promise<Post[]>;
  /** New text (and title/tags for questions) plus a revision row, atomically. */
  editPost(edit: PostEdit): Promise<Post>;
  listRevisions(postId: string): Promise<Revision[]>;
  /** Sets or clears the accepted answer and moves the reputation that goes with it, atomically. */
  setAcceptedAnswer(questionId: string, answerId: string | null, now: number): Promise<void>;
  addViews(counts: Map<string, number>): Promise<void>;
  countQuestions(): Promise<number>;
}

export interface VoteResult {
  score: number;
  upVotes: number;
  downVotes: number;
  value: VoteValue;
}

export interface VoteRepository {
  /** Vote row, post score and the author's reputation in one atomic step; value 0 withdraws. */
  castVote(postId: string, userId: string, value: VoteValue, now: number): Promise<VoteResult>;
  votesBy(userId: string, postIds: string[]): Promise<Map<string, VoteValue>>;
  /** Rebuilds every user's reputation and every post's score from the vote rows; returns users changed. */
  recomputeAll(): Promise<{ usersChanged: number; postsChanged: number }>;
}

export interface CommentRepository {
  add(postId: string, authorId: string, body: string, bodyHtml: string, now: number): Promise<Comment>;
  listFor(postIds: string[]): Promise<Comment[]>;
}

export interface TagRepository {
  popular(communityId: string, limit: number): Promise<Tag[]>;
  find(communityId: string, name: string): Promise<Tag | null>;
}

export interface QaStorage {
  posts: PostRepository;
  votes: VoteRepository;
  comments: CommentRepository;
  tags: TagRepository;
}

/* ---------- Curated FAQ ---------- */


export interface NewFaqEntry {
  communityId: string;
  categoryId: string;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  sourceQuestionId: string | null;
  sourceAnswerId: string | null;
  relatedIds: string[];
  createdBy: string;
  now: number;
}

export interface FaqEntryEdit {
  entryId: string;
  editorId: string;
  categoryId: string;
  title: string;
  slug: string;
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  relatedIds: string[];
  reason: string;
  now: number;
}

export interface FaqActor {
  userId: string;
  now: number;
}

export interface FaqAutoPublish {
  score: number | null;
  categoryId: string | null;
}

export interface FaqRepository {
  listCategories(communityId: string): Promise<FaqCategory[]>;
  findCategory(id: string): Promise<FaqCategory | null>;
  /** Depth is computed by the caller with the pure rules; the store only records it. */
  createCategory(input: { communityId: string; parentId: string | null; name: string; slug: string; depth: number; now: number }): Promise<FaqCategory>;
  renameCategory(id: string, name: string, slug: string, now: number): Promise<FaqCategory>;
  /** Re-parents a category and shifts the depth of its whole subtree by the same amount, atomically. */
  moveCategory(id: string, newParentId: string | null, newDepth: number, now: number): Promise<void>;
  /** Swaps position with the previous or next sibling. */
  reorderCategory(id: string, direction: 'up' | 'down'): Promise<void>;
  /** Moves its entries and child categories to `targetId` (if given), then deletes it, atomically. */
  deleteCategory(id: string, targetId: string | null, now: number): Promise<void>;
  entryCountsByCategory(communityId: string): Promise<Map<string, number>>;

  /** Creates an entry with revision 1 and its related links, atomically. Throws ConflictError when the source answer is already an entry. */
  createEntry(input: NewFaqEntry): Promise<FaqEntry>;
  editEntry(edit: FaqEntryEdit): Promise<FaqEntry>;
  findEntry(id: string): Promise<FaqEntry | null>;
  listEntries(communityId: string, options: { categoryId?: string; status?: 'published' | 'archived' | 'all'; needsReview?: boolean }): Promise<FaqEntry[]>;
  /**
   * Published entries in the order visitors see them (pinned by pin position, then the most
   * frequently asked as in faq-rules askFrequency, then newest), the first `limit` of them,
   * and how many are published: the FAQ home needs the top ten, not all two thousand.
   */
  topEntries(communityId: string, limit: number): Promise<{ entries: FaqEntry[]; total: number }>;
  relatedEntries(entryId: string): Promise<FaqEntry[]>;
  listRevisions(entryId: string): Promise<FaqEntryRevision[]>;
  /*
   * Pin, status and review changes made by a moderator pass `by`: the entry's history then
   * records who did what and when, in the same atomic step as the change.
   */
  setPinned(entryId: string, pinned: boolean, by?: FaqActor): Promise<void>;
  setStatus(entryId: string, status: 'published' | 'archived', by?: FaqActor): Promise<void>;
  /** Pins, archiving, publishing and "reviewed" marks, oldest first. */
  listEntryEvents(entryId: string): Promise<FaqEntryEvent[]>;
  addViews(counts: Map<string, number>): Promise<void>;
  addSearchClick(entryId: string): Promise<void>;
  /** One helpful vote per voter and entry; a second vote changes it. Returns the new counts. */
  recordHelpful(entryId: string, voterKey: string, helpful: boolean, now: number): Promise<{ yes: number; no: number; changed: boolean }>;

  /** Answers in the community with score >= minScore (or accepted with score >= 2) not yet promoted, with evidence. */
  candidateRows(communityId: string, minScore: number, limit: number): Promise<FaqCandidateRow[]>;
  candidateRow(answerId: string): Promise<FaqCandidateRow | null>;
  entryForAnswer(answerId: string): Promise<FaqEntry | null>;
  dismiss(d: FaqDismissal): Promise<void>;
  /** Flags entries whose source answer changed or was overtaken. Returns how many were flagged. */
  flagForReview(filter: { sourceAnswerId?: string; sourceQuestionId?: string }, reason: FaqReviewReason): Promise<number>;
  clearReview(entryId: string, by?: FaqActor): Promise<void>;
  getAutoPublish(communityId: string): Promise<FaqAutoPublish>;
  setAutoPublish(communityId: string, settings: FaqAutoPublish): Promise<void>;
}

/* ---------- Search log ---------- */

export interface SearchLogEntry {
  /** As typed (trimmed, capped). */
  query: string;
  /** Folded words joined by spaces: what the report groups by. */
  normalized: string;
  communityId: string | null;
  /** The other filters, e.g. "kind=answer tag=grinder". */
  filters: string;
  hitCount: number;
  /** Salted hash of the user (or of the visitor's address): never the identity itself. */
  userHash: string;
  now: number;
}

export interface SearchReportRow {
  query: string;
  searches: number;
  users: number;
  avgHits: number;
  clickedSearches: number;
}

export interface SearchReport {
  searches: number;
  noResultSearches: number;
  clickedSearches: number;
  top: SearchReportRow[];
  noResults: SearchReportRow[];
  noClicks: SearchReportRow[];
}

export interface SearchLogRepository {
  /** Returns the id that click-throughs refer to. */
  record(entry: SearchLogEntry): Promise<string>;
  /** Adds a click to a logged search; false when there is no such search. */
  recordClick(searchId: string, docId: string, position: number, now: number): Promise<boolean>;
  /** Searches scoped to the community since the given time, grouped by normalized query. */
  report(communityId: string, since: number, limit: number): Promise<SearchReport>;
}

/* ---------- Search synonyms ---------- */

export interface NewSynonymGroup {
  /** Already folded and distinct (src/domain/synonym-rules.ts). */
  terms: string[];
  createdBy: string;
  now: number;
}

/**
 * Site-wide synonym groups for search. A term belongs to one group at most, enforced by the
 * store itself (a unique key on the term), so two admins adding the same word at once cannot
 * both succeed. Every change also changes version(), in the same atomic step, so an engine
 * that caches the groups knows when to read them again.
 */
export interface SynonymRepository {
  /** Every group, newest first; terms in the order they were entered. */
  list(): Promise<SynonymGroup[]>;
  findById(id: string): Promise<SynonymGroup | null>;
  /** Throws ConflictError('synonyms.terms.taken', { term }) when a term is already in a group. */
  create(input: NewSynonymGroup): Promise<SynonymGroup>;
  /** Replaces the terms. NotFoundError for an unknown or malformed id; ConflictError as create. */
  update(id: string, terms: string[], now: number): Promise<SynonymGroup>;
  /** False when there was no such group. */
  delete(id: string): Promise<boolean>;
  /** Changes whenever a group is created, changed or deleted (any process); opaque. */
  version(): Promise<string>;
}

/* ---------- Search outbox, job leases, search documents ---------- */

/*
 * When search runs in a separate engine (Meilisearch), every content change leaves an outbox
 * entry in the same atomic step as the change itself; a worker drains the outbox into the
 * engine. An entry is keyed by the search document it concerns ("question-12"), so many
 * changes to one document coalesce into one entry whose version counts them. The worker
 * reads the document's current state from the database when it processes the entry, so
 * entries carry no payload and can be processed in any order, any number of times.
 */
export interface OutboxEntry {
  docId: string;
  /** Bumped by every change; completing an older version leaves the entry pending. */
  version: number;
  attempts: number;
  changedAt: number;
}

export interface OutboxBacklog {
  pending: number;
  failed: number;
  /** When the oldest pending change was made (null when nothing is pending). */
  oldestPendingAt: number | null;
}

export interface OutboxFailure {
  docId: string;
  attempts: number;
  lastError: string;
  changedAt: number;
}

export interface OutboxRepository {
  /**
   * Leases up to `limit` pending entries that are due, to `owner` until now + leaseMs, so no
   * other worker (in this or another instance) takes them meanwhile. An expired lease (a
   * worker that died) makes the entry claimable again.
   */
  claim(owner: string, limit: number, now: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Marks the claimed versions done and releases the lease; an entry changed since it was claimed stays pending. */
  complete(owner: string, entries: Array<Pick<OutboxEntry, 'docId' | 'version'>>, now: number): Promise<void>;
  /** A failed attempt: pending again from retryAt, or failed for good when `giveUp`. Releases the lease. */
  retry(owner: string, entry: Pick<OutboxEntry, 'docId' | 'version'>, error: string, retryAt: number, giveUp: boolean): Promise<void>;
  backlog(): Promise<OutboxBacklog>;
  listFailed(limit: number): Promise<OutboxFailure[]>;
  /**
   * Makes every entry changed at or after `since` pending again (failed ones included); a
   * reindex calls it after swapping in the new index, which may have missed those changes.
   */
  requeueChangedSince(since: number, now: number): Promise<number>;
  /** Deletes done entries finished before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

export interface LeaseRepository {
  /**
   * Takes the named lease for `owner` until now + ttlMs, or renews it when `owner` already
   * holds it. False while another owner holds an unexpired lease: that instance runs the job.
   */
  acquire(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface SearchDocumentCounts {
  questions: number;
  answers: number;
  faq: number;
}

/** Reads search documents from the database, the source of truth, for an external search engine. */
export interface SearchDocumentRepository {
  /**
   * The current documents for these ids ("question-12", "answer-13", "faq-4"). An id that is
   * not returned has no searchable document any more (deleted, hidden, archived, or its
   * question is gone) and must be removed from the index. Malformed ids are ignored.
   */
  load(docIds: string[]): Promise<SearchDocument[]>;
  /** Every searchable document, in batches of at most batchSize, for a full rebuild. */
  all(batchSize: number): AsyncIterable<SearchDocument[]>;
  count(): Promise<SearchDocumentCounts>;
}
