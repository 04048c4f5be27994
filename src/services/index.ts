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
import { createSearchEngine, SearchRuntime, type RuntimeLog } from '../search/index.js';
import { HealthService } from './health/health-service.js';
import { JobRunner } from './jobs/job-runner.js';
import { outboxPruneJob, sessionSweepJob } from './jobs/forum-jobs.js';
import { instanceId } from './jobs/instance-id.js';
import { StaffDirectory } from './support/staff-directory.js';
import { SupportService } from './support/support-service.js';
import { QueueService } from './support/queue-service.js';
import { RatingService } from './support/rating-service.js';
import { escalationJob, loggingNotifier, type SupportNotifier } from './support/escalation-job.js';

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
  health: HealthService;
  /** Customer service in business communities (issue 12). */
  support: SupportServices;
  /** Background work: periodic jobs (leased) and, with Meilisearch, the index setup and outbox worker. */
  background: BackgroundWork;
}

export interface SupportServices {
  staff: StaffDirectory;
  service: SupportService;
  queue: QueueService;
  ratings: RatingService;
}

export interface BackgroundWork {
  jobs: JobRunner;
  search: SearchRuntime;
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
  /** Receives support escalations (issue 12); the default logs them until notifications are wired. */
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
  const communities = new CommunityService(storage.communities, storage.memberships, storage.users);
  const viewCounter = new ViewCounter(storage.posts, overrides.viewFlushMs ?? 5000);
  const faqViewCounter = new ViewCounter(storage.faq, overrides.viewFlushMs ?? 5000);
  const faq = new FaqService(storage.faq, storage.posts, storage.users, communities, faqViewCounter, now);
  const questions = new QuestionService(storage.posts, storage.votes, storage.comments, storage.tags, storage.users, storage.memberships, communities, viewCounter, now, faq);
  const staff = new StaffDirectory(storage.memberships);
  const supportService = new SupportService(storage.support, communities, storage.memberships, storage.users, now);
  const owner = overrides.instanceId ?? instanceId();
  const engine = createSearchEngine(config, storage);
  const searchRuntime = new SearchRuntime(engine, storage, owner, overrides.log ?? null);
  const jobs = new JobRunner(
    storage.leases,
    owner,
    [
      sessionSweepJob(storage.sessions, now),
      escalationJob(storage.support, overrides.supportNotifier ?? loggingNotifier(overrides.log ?? null), now),
      ...(searchRuntime.usesOutbox ? [outboxPruneJob(storage.outbox, Date.now)] : [])],
    Date.now,
    overrides.log ?? null,
  );
  return {
    sessions,
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
    sitemaps: new SitemapService(storage.posts, storage.faq, () => communities.list()),
    support: { staff, service: supportService, queue: new QueueService(storage.support, storage.posts, storage.users, storage.memberships, communities, supportService, now), ratings: new RatingService(storage.support, storage.posts, communities, supportService, now) },
    health: new HealthService(storage.backend, storage.meta, engine, searchRuntime.usesOutbox ? storage.outbox : null),
    background: {
      jobs,
      search: searchRuntime,
      start() {
        jobs.start();
        searchRuntime.start();
      },
      async stop() {
        await Promise.all([jobs.stop(), searchRuntime.stop()]);
      },
    },
  };
}
