import type { AppConfig } from '../config.js';
import type { Storage } from '../db/ports.js';
import { Argon2idHasher, type PasswordHasher } from './auth/password-hasher.js';
import { SESSION_CACHE_TTL_MS, SessionService } from './auth/session-service.js';
import type { Session, User } from '../domain/types.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { AuthService } from './auth/auth-service.js';
import { CommunityService } from './communities/community-service.js';
import { UserService } from './users/user-service.js';
import { HomeService } from './home/home-service.js';
import { QuestionService } from './qa/question-service.js';
import { ViewCounter } from './qa/view-counter.js';
import { FaqService } from './faq/faq-service.js';
import { FaqGaps } from './faq/faq-gaps.js';
import { SearchService } from './search/search-service.js';
import { SitemapService } from './feeds/sitemap-service.js';
import { SynonymService } from './search/synonym-service.js';
import { AttributionService } from './import/attribution-service.js';
import { createSearchEngine, SearchRuntime, type RuntimeLog } from '../search/index.js';
import { HealthService } from './health/health-service.js';
import { ModerationService } from './moderation/moderation-service.js';
import { ModerationGate } from './moderation/qa-gate.js';
import { ModerationNavService } from './moderation/moderation-nav.js';
import { JobRunner, type Job } from './jobs/job-runner.js';
import { ContentGeneration } from './content-generation.js';
import { ViewerSuspensions } from './moderation/viewer-suspensions.js';
import { ViewerMemberships } from './communities/viewer-memberships.js';
import { ThreadReader } from './qa/thread-reader.js';
import { GenerationCache } from './generation-cache.js';
import { eventOutboxPruneJob, outboxPruneJob, sessionSweepJob } from './jobs/forum-jobs.js';
import { searchMergeJob } from './jobs/search-merge-job.js';
import { instanceId } from './jobs/instance-id.js';
import { createMailTransport } from './mail/transport.js';
import { MailWorker } from './mail/mail-worker.js';
import { MailComposer } from './mail/compose.js';
import { MailService } from './mail/mail-service.js';
import { AccountMailService } from './mail/account-mail-service.js';
import { StaffDirectory } from './support/staff-directory.js';
import { SupportService } from './support/support-service.js';
import { NotificationService } from './notifications/notification-service.js';
import { NotifyingQuestionService } from './notifications/notifying-question-service.js';
import { EventWorker } from './notifications/event-worker.js';
import { qaEventHandler } from './notifications/qa-event-handler.js';
import { ModerationNotifications } from './notifications/moderation-notifier.js';
import { QueueService } from './support/queue-service.js';
import { RatingService } from './support/rating-service.js';
import { InboundService } from './inbound/inbound-service.js';
import { InboundAddresses } from './inbound/addresses.js';
import { InboundMatcher } from './inbound/matcher.js';
import { DigestService } from './digest/digest-service.js';
import { digestJob } from './digest/digest-job.js';
import { NewsletterService } from './newsletters/newsletter-service.js';
import { newsletterJob } from './newsletters/newsletter-job.js';
import { BufferedSearchLog } from './search/buffered-search-log.js';
import { escalationJob, type SupportNotifier } from './support/escalation-job.js';
import { SupportNotifications } from './notifications/support-notifier.js';
import { SupportDashboardService } from './support/dashboard-service.js';
import { supportDailyJob } from './support/daily-job.js';
import { SelfServiceLog } from './support/self-service-log.js';
import { SelfServiceBuffer } from './support/self-service-buffer.js';

export interface Services {
  sessions: SessionService;
  auth: AuthService;
  communities: CommunityService;
  users: UserService;
  home: HomeService;
  questions: QuestionService;
  viewCounter: ViewCounter;
  faq: FaqService;
  faqViewCounter: ViewCounter;
  faqGaps: FaqGaps;
  search: SearchService;
  /** The search log, written in batches (flushed on shutdown; tests flush it before reading the table). */
  searchLog: BufferedSearchLog;
  /** The support metrics store, self-service events written in batches (close() writes what waits). */
  supportMetrics: SelfServiceBuffer;
  sitemaps: SitemapService;
  synonyms: SynonymService;
  /** CC BY-SA attribution of posts imported from a data dump. */
  attributions: AttributionService;
  /** The question page's shared reads, kept while nothing is written. */
  threads: ThreadReader;
  health: HealthService;
  moderation: ModerationService;
  mail: MailService;
  accountMail: AccountMailService;
  /** Customer service in business communities (issue 12). */
  support: SupportServices;
  notifications: NotificationService;
  /** Support e-mail in (issue 11): SMTP listener and POST /inbound/email feed it. */
  inbound: InboundService;
  /** Daily and weekly e-mail digests (issue 11). */
  digests: DigestService;
  /** Business communities' newsletters and members' news opt-ins (issue 11). */
  newsletters: NewsletterService;
  moderationNav: ModerationNavService;
  /** The Q&A service's moderation gate (the demo seed pauses its trust limits). */
  qaGate: ModerationGate;
  /** Background work: periodic jobs (leased) and, with Meilisearch, the index setup and outbox worker. */
  background: BackgroundWork;
  /** Moves when content pages show may have changed (the anonymous page cache checks it). */
  contentGeneration: ContentGeneration;
}

export interface SupportServices {
  staff: StaffDirectory;
  service: SupportService;
  queue: QueueService;
  ratings: RatingService;
  dashboard: SupportDashboardService;
  selfService: SelfServiceLog;
}

export interface BackgroundWork {
  jobs: JobRunner;
  search: SearchRuntime;
  /** Sends queued mail (started with the rest; tests drain it directly). */
  mail: MailWorker;
  /** Turns recorded Q&A events into notifications; kicked by each posting request (tests await idle()). */
  events: EventWorker;
  start(): void;
  stop(): Promise<void>;
}

export interface ServiceOverrides {
  hasher?: PasswordHasher;
  now?: () => number;
  /** 0 disables the timer: tests flush views explicitly. */
  viewFlushMs?: number;
  /** How long a logged search may wait to be written in a batch (default 1 s). */
  searchLogFlushMs?: number;
  /** How long a self-service event may wait to be written in a batch (default 1 s). */
  selfServiceFlushMs?: number;
  /** Names this process in leases and outbox claims (default: host, pid and a random part). */
  instanceId?: string;
  log?: RuntimeLog;
  /** Receives support escalations (issue 12) instead of the notifications (tests that only count them). */
  supportNotifier?: SupportNotifier;
}

/** The composition root: every service gets its dependencies here and nowhere else. */
export function createServices(storage: Storage, config: AppConfig, overrides: ServiceOverrides = {}): Services {
  const now = overrides.now ?? Date.now;
  const hasher = overrides.hasher ?? new Argon2idHasher();
  const throttle = new LoginThrottle(
    storage.rateLimits,
    { maxPerIp: config.loginMaxAttemptsPerIp, maxPerAccount: config.loginMaxAttemptsPerAccount, windowSeconds: config.loginWindowSeconds },
    now,
  );
  const qaGate = new ModerationGate(storage.moderation, storage.meta, storage.rateLimits, now, config.trustLimits);
  const contentGeneration = new ContentGeneration();
  // Validated sessions kept a few seconds, until the next write (session-service.ts); off with THREAD_CACHE=off.
  const sessionCache = config.threadCache.ttlMs > 0 ? new GenerationCache<{ session: Session; user: User }>(contentGeneration, { ttlMs: SESSION_CACHE_TTL_MS, maxEntries: 20_000 }, now) : null;
  const sessions = new SessionService(storage.sessions, now, sessionCache);
  // The requesting member's memberships, read once per request by the page and its header.
  const viewerMemberships = new ViewerMemberships(storage.memberships);
  const communities = new CommunityService(storage.communities, storage.memberships, storage.users, contentGeneration, Date.now, viewerMemberships);
  // One buffer for everything that writes or reads the search log, so reads see every search.
  const searchLog = new BufferedSearchLog(storage.searchLog, { flushMs: overrides.searchLogFlushMs ?? 1000, log: overrides.log ?? null });
  // Likewise for the self-service events: recorded per page served, written in batches.
  const supportMetrics = new SelfServiceBuffer(storage.supportMetrics, { flushMs: overrides.selfServiceFlushMs ?? 1000, log: overrides.log ?? null });
  const viewCounter = new ViewCounter(storage.posts, overrides.viewFlushMs ?? 5000, overrides.log ?? null);
  const faqViewCounter = new ViewCounter(storage.faq, overrides.viewFlushMs ?? 5000, overrides.log ?? null);
  const staff = new StaffDirectory(storage.memberships, storage.posts);
  const supportService = new SupportService(storage.support, communities, storage.memberships, storage.users, now);
  const owner = overrides.instanceId ?? instanceId();
  const mailWorker = new MailWorker(
    storage.mail.queue,
    createMailTransport(config.mail),
    owner,
    {
      from: config.mail.from,
      messageIdHost: new URL(config.baseUrl).hostname,
      maxAttempts: config.mail.maxAttempts,
      // Events being turned into notifications may be queueing mail: send those too.
      beforeDrain: () => eventWorker.idle(),
    },
    // The same clock as the services that queue mail: a mail is due when its event happened.
    now,
    overrides.log ?? null,
  );
  const composer = new MailComposer(config.baseUrl, config.cookieSecret);
  const mail = new MailService(storage.mail, storage.users, composer, config.cookieSecret, () => mailWorker.kick(), now, { digests: storage.digests, newsletters: storage.newsletters, communities: storage.communities }, storage.events);
  const accountMail = new AccountMailService(storage.users, storage.mail.accounts, storage.rateLimits, composer, hasher, () => mailWorker.kick(), now, overrides.log ?? null);
  const notifications = new NotificationService(storage.mail, storage.users, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now);
  const digests = new DigestService(storage.digests, storage.mail, storage.users, storage.communities, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  const newsletters = new NewsletterService(storage.newsletters, storage.memberships, storage.users, storage.mail, communities, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  notifications.answerAuthor = async (answerId) => (await storage.posts.findPost(answerId))?.authorId ?? null;
  notifications.isStaff = (community, userId) => staff.isStaff(community, userId);
  notifications.targetExists = async (type, targetId) => {
    if (type === 'community') return (await storage.communities.findById(targetId)) !== null;
    if (type === 'question') return (await storage.posts.findPost(targetId))?.type === 'question';
    // A tag is "<communityId>:<tag>"; tag names hold no colon.
    const at = targetId.indexOf(':');
    return at > 0 && (await storage.tags.find(targetId.slice(0, at), targetId.slice(at + 1))) !== null;
  };
  // Posting records its event with the post; the event worker (kicked after the commit, and
  // polling for what a crashed process left) turns it into notifications and mail.
  const eventWorker = new EventWorker(
    storage.events,
    qaEventHandler({ posts: storage.posts, comments: storage.comments, users: storage.users, communities: storage.communities, faq: storage.faq }, notifications),
    owner,
    {},
    now,
    overrides.log ?? null,
  );
  // An answer published into the FAQ is stored with its event (its author hears of it): wake the worker.
  const faq = new FaqService(storage.faq, storage.posts, storage.users, communities, faqViewCounter, now, { answerPublished: async () => eventWorker.kick() });
  const questions = new NotifyingQuestionService(() => eventWorker.kick(), storage.posts, storage.votes, storage.comments, storage.tags, storage.users, storage.memberships, communities, viewCounter, now, faq, qaGate, viewerMemberships);
  const engine = createSearchEngine(config, storage);
  // Escalations reach staff and moderators, low ratings the moderators (issue 12).
  const supportNotifications = new SupportNotifications(storage.mail, storage.users, storage.memberships, storage.posts, communities, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  const supportServices = {
    staff,
    service: supportService,
    queue: new QueueService(storage.support, storage.posts, storage.users, storage.memberships, communities, supportService, now),
    ratings: new RatingService(storage.support, storage.posts, communities, supportService, now, supportNotifications),
    dashboard: new SupportDashboardService(supportMetrics, communities, storage.memberships, storage.users, now, contentGeneration),
    selfService: new SelfServiceLog(supportMetrics, now),
  };
  const inboundAddresses = new InboundAddresses(config.inbound.addressTemplate, config.inbound.domain, config.cookieSecret);
  // Notification mails carry a reply address only where replies can arrive.
  if (config.inbound.smtpPort !== undefined || config.inbound.secret !== undefined) notifications.replyAddress = (userId, questionId) => inboundAddresses.replyAddress(userId, questionId);
  const inbound = new InboundService(
    {
      users: storage.users,
      communities: storage.communities,
      memberships: storage.memberships,
      rateLimits: storage.rateLimits,
      mailStorage: storage.mail,
      questions,
      support: supportService,
      mail,
      isVerified: (u) => accountMail.isVerified(u),
      matcher: new InboundMatcher(engine),
      addresses: inboundAddresses,
      wake: () => mailWorker.kick(),
    },
    { maxBytes: config.inbound.maxBytes, maxPerSenderPerHour: config.inbound.maxPerSenderPerHour },
    now,
    overrides.log ?? null,
  );
  // Flaggers hear the outcome of their flags, warned authors the warning (after the action is saved).
  const moderationNotifier = new ModerationNotifications(storage.mail, storage.users, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  // One memo of the requesting member's suspensions, shared by the page's header and its moderation reads.
  const viewerSuspensions = new ViewerSuspensions(storage.moderation, now);
  const moderation = new ModerationService(storage.moderation, storage.posts, storage.users, storage.memberships, storage.meta, communities, engine, storage.rateLimits, now, moderationNotifier, overrides.log ?? null, viewerSuspensions);
  const searchRuntime = new SearchRuntime(engine, storage, owner, overrides.log ?? null);
  // Null for an engine that merges its own index (Meilisearch).
  const mergeJob = searchMergeJob(engine, overrides.log ?? null);
  // A job may change what pages show (an escalation marks a question overdue): after each run,
  // pages rendered before it are no longer served from the page cache.
  const attributions = new AttributionService(storage.imports);
  // Only after a run that may have changed something: a timer tick that found nothing to do
  // (most of them) would otherwise have every cached page rendered again for nothing. A run
  // that failed may have written part of its work, so it counts as a change.
  const bumpingAfter = (job: Job): Job => ({
    ...job,
    run: async () => {
      let changed = true;
      try {
        const result = await job.run();
        changed = job.changedContent?.(result) ?? true;
        return result;
      } finally {
        if (changed) contentGeneration.bump();
      }
    },
  });
  const jobs = new JobRunner(
    storage.leases,
    owner,
    [
      sessionSweepJob(storage.sessions, now),
      // Done events carry the services' clock (the event's own time), so the cut-off does too.
      eventOutboxPruneJob(storage.events, now),
      escalationJob(storage.support, overrides.supportNotifier ?? supportNotifications, now),
      supportDailyJob(supportMetrics, storage.meta, now),
      digestJob(digests),
      newsletterJob(newsletters),
      ...(searchRuntime.usesOutbox ? [outboxPruneJob(storage.outbox, Date.now)] : []),
      ...(mergeJob ? [mergeJob] : []),
    ].map(bumpingAfter),
    Date.now,
    overrides.log ?? null,
  );
  return {
    sessions,
    mail,
    accountMail,
    notifications,
    digests,
    newsletters,
    auth: new AuthService(storage.users, sessions, hasher, throttle),
    communities,
    users: new UserService(storage.users, storage.memberships),
    home: new HomeService(communities, storage.memberships, questions, new GenerationCache(contentGeneration, config.threadCache, now), new GenerationCache(contentGeneration, config.threadCache, now), viewerMemberships),
    questions,
    viewCounter,
    faq,
    faqViewCounter,
    faqGaps: new FaqGaps(searchLog, now, storage.synonyms),
    // Communities through the community service: its list is reused while no content changed.
    search: new SearchService(engine, searchLog, { list: () => communities.list(), findBySlug: (slug) => storage.communities.findBySlug(slug) }, config.cookieSecret, now),
    searchLog,
    supportMetrics,
    synonyms: new SynonymService(storage.synonyms, storage.users, searchRuntime, now),
    attributions,
    threads: new ThreadReader(questions, moderation, attributions, staff, contentGeneration, config.threadCache, now),
    sitemaps: new SitemapService(storage.posts, storage.faq, () => communities.list()),
    moderation,
    support: supportServices,
    inbound,
    qaGate,
    contentGeneration,
    moderationNav: new ModerationNavService(storage.moderation, storage.faq, storage.memberships, communities, now, storage.support, viewerSuspensions, viewerMemberships),
    health: new HealthService(storage.backend, storage.meta, engine, searchRuntime.usesOutbox ? storage.outbox : null),
    background: {
      jobs,
      search: searchRuntime,
      mail: mailWorker,
      events: eventWorker,
      start() {
        // The search vocabulary loads in the background; a failure is retried by the first search.
        engine.warmUp?.().catch((err: unknown) => overrides.log?.error({ err }, 'search engine warm-up failed'));
        jobs.start();
        searchRuntime.start();
        eventWorker.start();
        mailWorker.start();
      },
      async stop() {
        // Events first: a drain in progress may still queue mail.
        await eventWorker.stop();
        await Promise.all([jobs.stop(), searchRuntime.stop(), mailWorker.stop()]);
      },
    },
  };
}
