import type { AppConfig } from '../config.js';
import type { Storage } from '../db/ports.js';
import { Argon2idHasher, type PasswordHasher } from './auth/password-hasher.js';
import { SessionService } from './auth/session-service.js';
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
import { JobRunner } from './jobs/job-runner.js';
import { outboxPruneJob, sessionSweepJob } from './jobs/forum-jobs.js';
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
import { ModerationNotifications } from './notifications/moderation-notifier.js';
import { QueueService } from './support/queue-service.js';
import { RatingService } from './support/rating-service.js';
import { escalationJob, type SupportNotifier } from './support/escalation-job.js';
import { SupportNotifications } from './notifications/support-notifier.js';
import { SupportDashboardService } from './support/dashboard-service.js';
import { supportDailyJob } from './support/daily-job.js';
import { SelfServiceLog } from './support/self-service-log.js';

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
  sitemaps: SitemapService;
  synonyms: SynonymService;
  /** CC BY-SA attribution of posts imported from a data dump. */
  attributions: AttributionService;
  health: HealthService;
  moderation: ModerationService;
  mail: MailService;
  accountMail: AccountMailService;
  /** Customer service in business communities (issue 12). */
  support: SupportServices;
  notifications: NotificationService;
  moderationNav: ModerationNavService;
  /** The Q&A service's moderation gate (the demo seed pauses its trust limits). */
  qaGate: ModerationGate;
  /** Background work: periodic jobs (leased) and, with Meilisearch, the index setup and outbox worker. */
  background: BackgroundWork;
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
  start(): void;
  stop(): Promise<void>;
}

export interface ServiceOverrides {
  hasher?: PasswordHasher;
  now?: () => number;
  /** 0 disables the timer: tests flush views explicitly. */
  viewFlushMs?: number;
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
  const sessions = new SessionService(storage.sessions, now);
  const throttle = new LoginThrottle(
    storage.rateLimits,
    { maxPerIp: config.loginMaxAttemptsPerIp, maxPerAccount: config.loginMaxAttemptsPerAccount, windowSeconds: config.loginWindowSeconds },
    now,
  );
  const qaGate = new ModerationGate(storage.moderation, storage.meta, storage.rateLimits, now, config.trustLimits);
  const communities = new CommunityService(storage.communities, storage.memberships, storage.users);
  const viewCounter = new ViewCounter(storage.posts, overrides.viewFlushMs ?? 5000, overrides.log ?? null);
  const faqViewCounter = new ViewCounter(storage.faq, overrides.viewFlushMs ?? 5000, overrides.log ?? null);
  const faq = new FaqService(storage.faq, storage.posts, storage.users, communities, faqViewCounter, now);
  const staff = new StaffDirectory(storage.memberships);
  const supportService = new SupportService(storage.support, communities, storage.memberships, storage.users, now);
  const owner = overrides.instanceId ?? instanceId();
  const mailWorker = new MailWorker(
    storage.mail.queue,
    createMailTransport(config.mail),
    owner,
    { from: config.mail.from, messageIdHost: new URL(config.baseUrl).hostname, maxAttempts: config.mail.maxAttempts },
    // The same clock as the services that queue mail: a mail is due when its event happened.
    now,
    overrides.log ?? null,
  );
  const composer = new MailComposer(config.baseUrl, config.cookieSecret);
  const mail = new MailService(storage.mail, storage.users, composer, config.cookieSecret, () => mailWorker.kick(), now);
  const accountMail = new AccountMailService(storage.users, storage.mail.accounts, storage.rateLimits, composer, hasher, () => mailWorker.kick(), now, overrides.log ?? null);
  const notifications = new NotificationService(storage.mail, storage.users, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  notifications.answerAuthor = async (answerId) => (await storage.posts.findPost(answerId))?.authorId ?? null;
  // The Q&A service tells the notifier what was saved (a subclass: the Q&A code is unchanged).
  const questions = new NotifyingQuestionService(notifications, storage.posts, storage.votes, storage.comments, storage.tags, storage.users, storage.memberships, communities, viewCounter, now, faq, qaGate);
  const engine = createSearchEngine(config, storage);
  // Flaggers hear the outcome of their flags, warned authors the warning (after the action is saved).
  const moderationNotifier = new ModerationNotifications(storage.mail, storage.users, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  const moderation = new ModerationService(storage.moderation, storage.posts, storage.users, storage.memberships, storage.meta, communities, engine, storage.rateLimits, now, moderationNotifier, overrides.log ?? null);
  // Escalations reach staff and moderators, low ratings the moderators (issue 12).
  const supportNotifications = new SupportNotifications(storage.mail, storage.users, storage.memberships, storage.posts, communities, (u) => accountMail.isVerified(u), composer, () => mailWorker.kick(), now, overrides.log ?? null);
  const searchRuntime = new SearchRuntime(engine, storage, owner, overrides.log ?? null);
  const jobs = new JobRunner(
    storage.leases,
    owner,
    [
      sessionSweepJob(storage.sessions, now),
      escalationJob(storage.support, overrides.supportNotifier ?? supportNotifications, now),
      supportDailyJob(storage.supportMetrics, now),
      ...(searchRuntime.usesOutbox ? [outboxPruneJob(storage.outbox, Date.now)] : [])],
    Date.now,
    overrides.log ?? null,
  );
  return {
    sessions,
    mail,
    accountMail,
    notifications,
    auth: new AuthService(storage.users, sessions, hasher, throttle),
    communities,
    users: new UserService(storage.users, storage.memberships),
    home: new HomeService(storage.communities, storage.memberships, questions),
    questions,
    viewCounter,
    faq,
    faqViewCounter,
    faqGaps: new FaqGaps(storage.searchLog, now),
    search: new SearchService(engine, storage.searchLog, storage.communities, config.cookieSecret, now),
    synonyms: new SynonymService(storage.synonyms, storage.users, searchRuntime, now),
    attributions: new AttributionService(storage.imports),
    sitemaps: new SitemapService(storage.posts, storage.faq, () => communities.list()),
    moderation,
    support: { staff, service: supportService, queue: new QueueService(storage.support, storage.posts, storage.users, storage.memberships, communities, supportService, now), ratings: new RatingService(storage.support, storage.posts, communities, supportService, now, supportNotifications), dashboard: new SupportDashboardService(storage.supportMetrics, communities, storage.memberships, storage.users, now), selfService: new SelfServiceLog(storage.supportMetrics, now) },
    qaGate,
    moderationNav: new ModerationNavService(storage.moderation, storage.faq, storage.memberships, communities, now, storage.support),
    health: new HealthService(storage.backend, storage.meta, engine, searchRuntime.usesOutbox ? storage.outbox : null),
    background: {
      jobs,
      search: searchRuntime,
      mail: mailWorker,
      start() {
        jobs.start();
        searchRuntime.start();
        mailWorker.start();
      },
      async stop() {
        await Promise.all([jobs.stop(), searchRuntime.stop(), mailWorker.stop()]);
      },
    },
  };
}
