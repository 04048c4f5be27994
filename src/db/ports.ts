import type { EscalationLevel, QueueFilter, SupportEscalation, UnnotifiedEscalation, SupportEvent, SupportRating, SupportSettings, SupportTicket, TicketChanges } from '../domain/support-types.js';
import type { FaqCandidateRow, FaqCategory, FaqDismissal, FaqEntry, FaqEntryEvent, FaqEntryRevision, FaqReviewReason } from '../domain/faq-types.js';
import type { Answer, Comment, Post, Question, QuestionSort, Revision, Tag, VoteValue } from '../domain/qa-types.js';
import type { AuthorProfile, Community, CommunityKind, CommunityRole, Locale, Membership, Session, SynonymGroup, User } from '../domain/types.js';
import type { SearchDocument } from '../search/port.js';
import type { ModerationRepository } from './moderation-port.js';
import type { DigestRepository, NewsletterRepository } from './digest-port.js';
import type { SupportMetricsRepository } from './support-metrics-port.js';
import type { EventOutboxRepository, EventRequest } from './event-port.js';

export type { ModerationRepository } from './moderation-port.js';
export type { EventOutboxRepository, EventRequest } from './event-port.js';

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
  /** The displayed fields of these users (known ones once each; malformed or unknown ids skipped). */
  authorsByIds(ids: string[]): Promise<AuthorProfile[]>;
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
  /**
   * The user's memberships with their communities, by community name. `staffOnly`: only roles
   * above member (the moderation menu, read on every page a member sees, needs no more).
   */
  listForUser(userId: string, options?: { staffOnly?: boolean }): Promise<Array<{ membership: Membership; community: Community }>>;
  /**
   * Every membership of the user, without the communities, in no particular order: one small
   * indexed read that answers what a member's page asks of memberships (the page's community,
   * joined communities, whether the moderation menu applies).
   */
  membershipsOf(userId: string): Promise<Membership[]>;
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
  moderation: ModerationRepository;
  /** Outbound mail queue and mail preferences (issue 11). */
  mail: MailStorage;
  /** E-mail digests and community newsletters (issue 11). */
  digests: DigestRepository;
  newsletters: NewsletterRepository;
  support: SupportRepository;
  /** The support dashboard's facts and daily aggregates (issue 12). */
  supportMetrics: SupportMetricsRepository;
  searchLog: SearchLogRepository;
  synonyms: SynonymRepository;
  faq: FaqRepository;
  imports: ImportRepository;
  outbox: OutboxRepository;
  /** Q&A events written with their posts, turned into notifications by a leased worker (event-port.ts). */
  events: EventOutboxRepository;
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
  /**
   * A moderator editing someone else's post: an audit row 'post.edit' (actor the editor,
   * reason as given, before/after snapshots of the stored and new text) is written in the
   * same atomic step as the edit.
   */
  audit?: { reason: string };
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
  /**
   * Question, its tags (created on first use), revision 1 and the community counter, atomically;
   * with `event`, the 'asked' event too (event-port.ts), in the same atomic step.
   */
  createQuestion(input: NewQuestion, event?: EventRequest): Promise<Question>;
  /** Answer, revision 1, the question's answer count and last activity, atomically; with `event`, the 'answered' event too. */
  createAnswer(input: NewAnswer, event?: EventRequest): Promise<Answer>;
  findPost(id: string): Promise<Post | null>;
  findQuestion(id: string): Promise<Question | null>;
  /** The live questions among these ids, in one query (a profile lists the questions of many answers); unknown ids are left out. */
  findQuestions(ids: string[]): Promise<Question[]>;
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
  /**
   * Sets or clears the accepted answer and moves the reputation that goes with it, atomically;
   * with `event`, setting an answer (not clearing, not an unchanged one) records 'accepted' too.
   */
  setAcceptedAnswer(questionId: string, answerId: string | null, now: number, event?: EventRequest): Promise<void>;
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
  /** The comment, the post's count and the thread's activity, atomically; with `event`, the 'commented' event too. */
  add(postId: string, authorId: string, body: string, bodyHtml: string, now: number, event?: EventRequest): Promise<Comment>;
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
  /** With a source answer: records the 'faq_published' event (its author hears of it) in the same atomic step. */
  event?: EventRequest;
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
  /** Which of these ids are entries of the community, in one query (checking an entry's related links). */
  entryIdsInCommunity(communityId: string, ids: string[]): Promise<string[]>;
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
  /** Salted hash of the browser id cookie, when the browser has one: links its searches. */
  browserHash?: string | null;
  now: number;
}

/**
 * A search that found nothing, followed in the same browser within a few minutes by another
 * search whose result was clicked: the second query is likely what the first one meant.
 */
export interface SynonymSuggestionRow {
  /** The query that found nothing (its latest spelling). */
  from: string;
  /** The query whose result was then clicked (its latest spelling). */
  to: string;
  /** Distinct browsers that went this way. */
  browsers: number;
  latest: number;
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

/** Which searches a community's report counts: its own, the site-wide ones, or both (the default). */
export type SearchReportScope = 'community' | 'siteWide' | 'both';

export interface SearchLogRepository {
  /** Returns the id that click-throughs refer to. */
  record(entry: SearchLogEntry): Promise<string>;
  /**
   * Ids for searches written later with recordMany (the search page links clicks to its id
   * before the row is written): unique across processes, never reused.
   */
  reserveIds(n: number): Promise<string[]>;
  /** Writes searches under ids from reserveIds, in one batch. */
  recordMany(entries: ReadonlyArray<SearchLogEntry & { id: string }>): Promise<void>;
  /** Adds a click to a logged search; false when there is no such search. */
  recordClick(searchId: string, docId: string, position: number, now: number): Promise<boolean>;
  /**
   * Searches since the given time, grouped by normalized query: by default the community's
   * own searches together with the site-wide ones (no community filter); `scope` picks one
   * half, e.g. for the FAQ gaps report, which shows the site-wide searches apart.
   */
  report(communityId: string, since: number, limit: number, scope?: SearchReportScope): Promise<SearchReport>;
  /**
   * Pairs of a search that found nothing and a later search from the same browser, at most
   * `windowMs` after it, whose result was clicked (both made in the community or site-wide,
   * since `since`), grouped by their normalized queries: most browsers first, then latest.
   */
  synonymSuggestions(communityId: string, since: number, windowMs: number, limit: number): Promise<SynonymSuggestionRow[]>;
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

/* ---------- Data-dump imports (issue 14) ---------- */

export type ImportKind = 'user' | 'post' | 'comment' | 'link';

/** CC BY-SA attribution of an imported post: the original and its author. */
export interface PostAttribution {
  sourceUrl: string;
  authorName: string;
  /** Null when the dump names no author account (a deleted user). */
  authorUrl: string | null;
  licence: string;
}

/**
 * One post of a dump, ready to store: bodies already rendered by the Markdown pipeline, the
 * author resolved to a local account. Questions and answers are referred to by their source
 * id, so an answer can follow its question in the same batch.
 */
export interface ImportPost {
  sourceId: string;
  type: 'question' | 'answer';
  /** Answers: the question's source id. */
  questionSourceId?: string;
  authorId: string;
  title?: string;
  slug?: string;
  tags?: string[];
  bodyMd: string;
  bodyHtml: string;
  bodyText: string;
  createdAt: number;
  viewCount: number;
  /**
   * Accounts that cast this post's votes (dump votes carry no voter): one +1 each from
   * upVoterIds and one -1 each from downVoterIds, all distinct. The score is their sum.
   */
  upVoterIds: string[];
  downVoterIds: string[];
  votedAt: number;
  /** Answers: this is the question's accepted answer. */
  accepted?: boolean;
  attribution: PostAttribution;
}

export interface ImportComment {
  sourceId: string;
  postSourceId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  createdAt: number;
}

export interface ImportLink {
  sourceId: string;
  postSourceId: string;
  targetSourceId: string;
  kind: 'duplicate' | 'related';
  createdAt: number;
}

export interface ImportRefusal {
  sourceId: string;
  /** i18n-free machine reason, e.g. "question not imported". */
  reason: string;
}

export interface ImportBatchResult {
  imported: number;
  /** Already imported by an earlier run. */
  skipped: number;
  refused: ImportRefusal[];
}

export interface ImportedLinkRow {
  postId: string;
  targetId: string;
  kind: 'duplicate' | 'related';
}

/**
 * Imports from data dumps. Each batch method is atomic: a batch is stored whole, with its
 * source ids, or not at all, so a crash never leaves a post without its votes or counters.
 * Rows whose source id is already recorded for the community are skipped, not duplicated.
 */
export interface ImportRepository {
  /** Local ids already recorded for these source ids (of one kind, in one community). */
  findImported(communityId: string, kind: ImportKind, sourceIds: string[]): Promise<Map<string, string>>;
  /** Records an account created for a dump user (accounts are created through UserRepository). */
  recordUser(communityId: string, sourceId: string, userId: string): Promise<void>;
  /**
   * Posts with revision 1, tags, votes, the authors' reputation (votes and acceptance, as
   * castVote and setAcceptedAnswer would give), the question's answer count and activity,
   * the community's question count, the search index or outbox, and the attribution.
   */
  importPosts(communityId: string, posts: ImportPost[]): Promise<ImportBatchResult>;
  /** Comments, their post's comment count and the question's last activity. */
  importComments(communityId: string, comments: ImportComment[]): Promise<ImportBatchResult>;
  importLinks(communityId: string, links: ImportLink[]): Promise<ImportBatchResult>;
  attributions(postIds: string[]): Promise<Map<string, PostAttribution>>;
  /** Recorded links that start or end at this post. */
  linksOf(postId: string): Promise<ImportedLinkRow[]>;
}

/* ---------- Outbound mail (issue 11) ---------- */

export type MailStatus = 'queued' | 'sent' | 'failed';

/** A message rendered when queued: what /admin/mail shows is exactly what is sent. */
export interface NewMail {
  /**
   * Names the event that caused the mail ("verify:<hash>", "notify:<user>:<thread>:<n>"). A
   * second enqueue with the same key queues nothing: one event never produces two mails.
   */
  idempotencyKey: string;
  to: string;
  userId: string | null;
  /** The mail's purpose ("verify", "reset", "answer", ...): its preferences and unsubscribe scope. */
  kind: string;
  locale: Locale;
  subject: string;
  html: string;
  text: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post, ...). */
  headers: Record<string, string>;
  now: number;
}

export interface QueuedMail {
  id: string;
  idempotencyKey: string;
  to: string;
  userId: string | null;
  kind: string;
  locale: Locale;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  messageId: string | null;
}

export interface MailQueueCounts {
  queued: number;
  sent: number;
  failed: number;
}

export interface MailQueueRepository {
  /** Queues the mail unless its idempotency key was queued before; `created` says which. */
  enqueue(mail: NewMail): Promise<{ id: string; created: boolean }>;
  /**
   * Leases up to `limit` queued mails that are due to `owner` until now + leaseMs; no other
   * worker takes them meanwhile, and an expired lease (a worker that died) frees them again.
   */
  claim(owner: string, limit: number, now: number, leaseMs: number): Promise<QueuedMail[]>;
  /** Marks a claimed mail sent. A worker whose lease was taken over changes nothing. */
  markSent(owner: string, id: string, messageId: string, now: number): Promise<void>;
  /** A failed attempt: queued again from retryAt, or failed for good when `giveUp`. */
  markFailed(owner: string, id: string, error: string, retryAt: number, giveUp: boolean): Promise<void>;
  findById(id: string): Promise<QueuedMail | null>;
  /** Newest first. */
  list(offset: number, limit: number): Promise<QueuedMail[]>;
  counts(): Promise<MailQueueCounts>;
}

/** How a member hears of one kind of event: not at all, in the site, by mail at once, in the digest. */
export type NotificationDelivery = 'off' | 'inbox' | 'email' | 'digest';

export interface NotificationPrefsRepository {
  /** The member's explicit choices by kind; kinds not listed use their defaults. */
  get(userId: string): Promise<Record<string, NotificationDelivery>>;
  set(userId: string, kind: string, delivery: NotificationDelivery, now: number): Promise<void>;
}

export type AccountTokenPurpose = 'verify' | 'reset' | 'change-email';

/** The mail side of an account: its language, and which address was verified when. */
export interface MailProfile {
  userId: string;
  locale: Locale;
  /** Verified only while equal to the account's current address (compared case-insensitively). */
  verifiedEmail: string | null;
  verifiedAt: number | null;
}

export interface NewAccountToken {
  /** SHA-256 of the token in the link (hex); the link itself is never stored. */
  hash: string;
  userId: string;
  purpose: AccountTokenPurpose;
  /** The address the link was sent to (the new address, for a change). */
  email: string;
  now: number;
  expiresAt: number;
}

export interface AccountToken {
  userId: string;
  purpose: AccountTokenPurpose;
  email: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/*
 * Single-use account links. Each consume method checks "this purpose, unused, unexpired",
 * marks the token used and makes its change in one atomic step, so a link works once even
 * when clicked twice at the same moment; null when the token cannot be used.
 */
export interface AccountMailRepository {
  profile(userId: string): Promise<MailProfile | null>;
  profiles(userIds: string[]): Promise<Map<string, MailProfile>>;
  setLocale(userId: string, locale: Locale): Promise<void>;
  /** Stores the token and queues the mail carrying its link, atomically. */
  issueToken(token: NewAccountToken, mail: NewMail): Promise<void>;
  findToken(hash: string): Promise<AccountToken | null>;
  /** Records the address verified, if it is still the account's address. */
  consumeVerify(hash: string, now: number): Promise<{ userId: string; email: string } | null>;
  /** Sets the new password hash and ends every session of the account. */
  consumeReset(hash: string, passwordHash: string, now: number): Promise<{ userId: string } | null>;
  /**
   * Makes the token's address the account's address, verified. Throws
   * ConflictError('validation.emailTaken') (and changes nothing) when another account has it.
   */
  consumeChangeEmail(hash: string, now: number): Promise<{ userId: string; email: string } | null>;
}

export interface NewNotification {
  userId: string;
  /** Names the event ("answer:12"): a member gets one notification per event, however often it is recorded. */
  eventKey: string;
  kind: string;
  actorId: string | null;
  /** The question the event happened on (batches mail per thread). */
  threadId: string | null;
  title: string;
  link: string;
  now: number;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: string;
  actorId: string | null;
  threadId: string | null;
  title: string;
  link: string;
  createdAt: number;
  readAt: number | null;
}

export interface NotificationWrite {
  notification: NewNotification;
  /** The mail for it, if the member gets one. */
  mail: NewMail | null;
  /**
   * Batching: the mail is skipped when a mail whose idempotency key starts with `prefix` was
   * queued at or after `since` (one mail per thread per window; the inbox has every event).
   */
  batch?: { prefix: string; since: number };
}

export interface NotificationRepository {
  /** Writes notifications and their mails in one atomic step; returns how many notifications were new. */
  record(writes: NotificationWrite[]): Promise<number>;
  /** Newest first. */
  list(userId: string, offset: number, limit: number): Promise<NotificationRecord[]>;
  unreadCount(userId: string): Promise<number>;
  /** Unread notifications of one thread (the batched mail counts them). */
  unreadOnThread(userId: string, threadId: string): Promise<number>;
  markRead(userId: string, id: string, now: number): Promise<boolean>;
  markAllRead(userId: string, now: number): Promise<number>;
}

export type WatchTarget = 'community' | 'tag' | 'question';

export interface WatchRepository {
  watch(userId: string, type: WatchTarget, targetId: string, now: number): Promise<void>;
  unwatch(userId: string, type: WatchTarget, targetId: string): Promise<void>;
  isWatching(userId: string, type: WatchTarget, targetId: string): Promise<boolean>;
  /** User ids watching the target (a tag is "<communityId>:<tag>"). */
  watchers(type: WatchTarget, targetId: string): Promise<string[]>;
}

/* ---------- Inbound support mail (issue 11) ---------- */

/** A message from an address without a verified account: kept until the sender confirms. */
export interface NewHeldMessage {
  /** SHA-256 (hex) of the token in the confirmation link; the link itself is never stored. */
  tokenHash: string;
  communityId: string;
  /** The sender's address, as it came (the account created or claimed must have it). */
  email: string;
  senderName: string;
  locale: Locale;
  title: string;
  bodyMd: string;
  tags: string[];
  now: number;
  expiresAt: number;
}

export interface HeldMessage extends Omit<NewHeldMessage, 'now'> {
  createdAt: number;
  /** When the sender confirmed (the link is single use); null while held. */
  claimedAt: number | null;
  claimedBy: string | null;
}

export interface InboundRepository {
  /** Stores the held message and queues its confirmation mail in one atomic step. */
  hold(message: NewHeldMessage, mail: NewMail): Promise<void>;
  findHeld(tokenHash: string): Promise<HeldMessage | null>;
  /**
   * The sender clicked the link: marks the message claimed by this account and records the
   * account's address as verified (the click proves the mailbox), atomically and once. Null
   * when the link is used, expired or unknown, or the account's address is not the sender's.
   */
  claim(tokenHash: string, userId: string, now: number): Promise<HeldMessage | null>;
}

export interface MailStorage {
  /** Held inbound messages (issue 11, support e-mail in). */
  inbound: InboundRepository;
  queue: MailQueueRepository;
  prefs: NotificationPrefsRepository;
  accounts: AccountMailRepository;
  notifications: NotificationRepository;
  watches: WatchRepository;
}

/* ---------- Customer service in business communities (issue 12) ---------- */

export interface SupportEventInput {
  actorId: string | null;
  kind: string;
  detail?: string;
  at: number;
}

export interface SupportQueueQuery {
  communityId: string;
  filter: QueueFilter;
  /** The viewer, for "assigned to me". */
  viewerId: string;
  tag?: string;
  offset: number;
  limit: number;
}

export interface SupportRepository {
  getSettings(communityId: string): Promise<SupportSettings | null>;
  saveSettings(settings: SupportSettings): Promise<void>;
  /** Creates the ticket and its "opened" event atomically; a second call for the question is ignored. */
  openTicket(ticket: SupportTicket, event: SupportEventInput): Promise<void>;
  findTicket(questionId: string): Promise<SupportTicket | null>;
  /** Applies the changes and appends the event in one atomic step; returns the new ticket (null when there is none). */
  updateTicket(questionId: string, changes: TicketChanges, event: SupportEventInput): Promise<SupportTicket | null>;
  /** Oldest first. */
  listEvents(questionId: string): Promise<SupportEvent[]>;
  /**
   * The staff queue: "needs-reply" (and urgent, mine, unassigned) are open tickets whose clock
   * runs, earliest due first; "waiting" are tickets waiting for the customer. Fetches limit + 1.
   */
  listQueue(query: SupportQueueQuery): Promise<SupportTicket[]>;
  /** Open tickets whose clock runs: the number in the staff header. */
  countNeedsReply(communityId: string): Promise<number>;
  /** Running clocks that passed their warning or due time without that escalation yet. */
  dueForEscalation(now: number, limit: number): Promise<SupportTicket[]>;
  /**
   * Records an escalation once per level and due time: the row, the ticket's warnedAt or
   * breachedAt and an event, atomically. False when it was already recorded (another instance).
   */
  recordEscalation(questionId: string, level: EscalationLevel, dueAt: number, now: number): Promise<boolean>;
  listEscalations(questionId: string): Promise<SupportEscalation[]>;
  /**
   * Escalations recorded before `recordedBefore` and not marked notified (a run died between
   * recording and notifying), oldest first, with the ticket's current assignee.
   */
  unnotifiedEscalations(recordedBefore: number, limit: number): Promise<UnnotifiedEscalation[]>;
  /** Sets notified_at on the escalation (once the notifier has recorded its notifications). */
  markEscalationNotified(questionId: string, level: EscalationLevel, dueAt: number, at: number): Promise<void>;
  /** Open tickets whose clock runs and whose due time has passed: "overdue" in the staff header. */
  countOverdue(communityId: string, now: number): Promise<number>;
  saveRating(rating: SupportRating): Promise<void>;
  findRating(questionId: string): Promise<SupportRating | null>;
}
