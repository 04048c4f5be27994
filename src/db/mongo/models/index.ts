import type { Connection, Model } from 'mongoose';
import { COUNTER_MODEL, counterSchema, type CounterDoc } from './counter.js';
import { USER_MODEL, userSchema, type UserDoc } from './user.js';
import { SESSION_MODEL, sessionSchema, type SessionDoc } from './session.js';
import { COMMUNITY_MODEL, communitySchema, type CommunityDoc } from './community.js';
import { MEMBERSHIP_MODEL, membershipSchema, type MembershipDoc } from './membership.js';
import { RATE_LIMIT_MODEL, rateLimitSchema, type RateLimitDoc } from './rate-limit.js';
import { META_MODEL, metaSchema, type MetaDoc } from './meta.js';
import { POST_MODEL, postSchema, type PostDoc } from './post.js';
import { REVISION_MODEL, revisionSchema, type RevisionDoc } from './revision.js';
import { VOTE_MODEL, voteSchema, type VoteDoc } from './vote.js';
import { COMMENT_MODEL, commentSchema, type CommentDoc } from './comment.js';
import { TAG_MODEL, tagSchema, type TagDoc } from './tag.js';
import { FAQ_CATEGORY_MODEL, faqCategorySchema, type FaqCategoryDoc } from './faq-category.js';
import { FAQ_ENTRY_MODEL, faqEntrySchema, type FaqEntryDoc } from './faq-entry.js';
import { FAQ_ENTRY_REVISION_MODEL, faqEntryRevisionSchema, type FaqEntryRevisionDoc } from './faq-entry-revision.js';
import { FAQ_HELPFUL_VOTE_MODEL, faqHelpfulVoteSchema, type FaqHelpfulVoteDoc } from './faq-helpful-vote.js';
import { FAQ_DISMISSAL_MODEL, faqDismissalSchema, type FaqDismissalDoc } from './faq-dismissal.js';
import { FAQ_ENTRY_EVENT_MODEL, faqEntryEventSchema, type FaqEntryEventDoc } from './faq-entry-event.js';
import { SEARCH_LOG_MODEL, searchLogSchema, type SearchLogDoc } from './search-log.js';
import { SEARCH_OUTBOX_MODEL, searchOutboxSchema, type SearchOutboxDoc } from './search-outbox.js';
import { JOB_LEASE_MODEL, jobLeaseSchema, type JobLeaseDoc } from './job-lease.js';
import { EVENT_OUTBOX_MODEL, eventOutboxSchema, type EventOutboxDoc } from './event-outbox.js';
import {
  SUPPORT_ESCALATION_MODEL, SUPPORT_EVENT_MODEL, SUPPORT_RATING_MODEL, SUPPORT_SETTINGS_MODEL, SUPPORT_TICKET_MODEL,
  supportEscalationSchema, supportEventSchema, supportRatingSchema, supportSettingsSchema, supportTicketSchema,
  type SupportEscalationDoc, type SupportEventDoc, type SupportRatingDoc, type SupportSettingsDoc, type SupportTicketDoc,
} from './support.js';
import { SUPPORT_DAILY_MODEL, SUPPORT_SELF_SERVICE_MODEL, supportDailySchema, supportSelfServiceSchema, type SupportDailyDoc, type SupportSelfServiceDoc } from './support-metrics.js';
import { SEARCH_SYNONYM_MODEL, searchSynonymSchema, type SearchSynonymDoc } from './search-synonym.js';
import {
  IMPORT_SOURCE_MODEL,
  IMPORTED_POST_LINK_MODEL,
  POST_ATTRIBUTION_MODEL,
  importSourceSchema,
  importedPostLinkSchema,
  postAttributionSchema,
  type ImportSourceDoc,
  type ImportedPostLinkDoc,
  type PostAttributionDoc,
} from './import.js';
import { AUDIT_LOG_MODEL, auditLogSchema, CLOSE_VOTE_MODEL, closeVoteSchema, FLAG_MODEL, flagSchema, POST_STATE_MODEL, postStateSchema, SUSPENSION_MODEL, suspensionSchema, type AuditLogDoc, type CloseVoteDoc, type FlagDoc, type PostStateDoc, type SuspensionDoc } from './moderation.js';
import { MAIL_QUEUE_MODEL, mailQueueSchema, type MailQueueDoc } from './mail-queue.js';
import { NOTIFICATION_PREF_MODEL, notificationPrefSchema, type NotificationPrefDoc } from './notification-pref.js';
import { NOTIFICATION_MODEL, notificationSchema, WATCH_MODEL, watchSchema, type NotificationDoc, type WatchDoc } from './notification.js';
import { INBOUND_HELD_MODEL, inboundHeldSchema, type InboundHeldDoc } from './inbound-held.js';
import { COMMUNITY_NEWS_MODEL, communityNewsSchema, DIGEST_SUBSCRIPTION_MODEL, digestSubscriptionSchema, NEWSLETTER_MODEL, newsletterSchema, type CommunityNewsDoc, type DigestSubscriptionDoc, type NewsletterDoc } from './digest.js';
import { ACCOUNT_TOKEN_MODEL, accountTokenSchema, MAIL_PROFILE_MODEL, mailProfileSchema, type AccountTokenDoc, type MailProfileDoc } from './account-mail.js';

export interface Models {
  counters: Model<CounterDoc>;
  users: Model<UserDoc>;
  sessions: Model<SessionDoc>;
  communities: Model<CommunityDoc>;
  memberships: Model<MembershipDoc>;
  rateLimits: Model<RateLimitDoc>;
  meta: Model<MetaDoc>;
  posts: Model<PostDoc>;
  revisions: Model<RevisionDoc>;
  votes: Model<VoteDoc>;
  comments: Model<CommentDoc>;
  tags: Model<TagDoc>;
  faqCategories: Model<FaqCategoryDoc>;
  faqEntries: Model<FaqEntryDoc>;
  faqEntryRevisions: Model<FaqEntryRevisionDoc>;
  faqHelpfulVotes: Model<FaqHelpfulVoteDoc>;
  faqDismissals: Model<FaqDismissalDoc>;
  faqEntryEvents: Model<FaqEntryEventDoc>;
  searchLog: Model<SearchLogDoc>;
  searchOutbox: Model<SearchOutboxDoc>;
  jobLeases: Model<JobLeaseDoc>;
  eventOutbox: Model<EventOutboxDoc>;
  searchSynonyms: Model<SearchSynonymDoc>;
  importSources: Model<ImportSourceDoc>;
  postAttributions: Model<PostAttributionDoc>;
  importedPostLinks: Model<ImportedPostLinkDoc>;
  auditLog: Model<AuditLogDoc>;
  postStates: Model<PostStateDoc>;
  closeVotes: Model<CloseVoteDoc>;
  flags: Model<FlagDoc>;
  mailQueue: Model<MailQueueDoc>;
  notificationPrefs: Model<NotificationPrefDoc>;
  mailProfiles: Model<MailProfileDoc>;
  accountTokens: Model<AccountTokenDoc>;
  inboundHeld: Model<InboundHeldDoc>;
  supportSettings: Model<SupportSettingsDoc>;
  supportTickets: Model<SupportTicketDoc>;
  supportEvents: Model<SupportEventDoc>;
  supportEscalations: Model<SupportEscalationDoc>;
  supportRatings: Model<SupportRatingDoc>;
  supportDaily: Model<SupportDailyDoc>;
  supportSelfService: Model<SupportSelfServiceDoc>;
  notifications: Model<NotificationDoc>;
  watches: Model<WatchDoc>;
  suspensions: Model<SuspensionDoc>;
  digestSubscriptions: Model<DigestSubscriptionDoc>;
  newsletters: Model<NewsletterDoc>;
  communityNews: Model<CommunityNewsDoc>;
}

/**
 * Compiles every model on the given connection (never on mongoose's global one, so two
 * storages — or a test's offline connection — never share models). Compiling needs no
 * server: the offline tests call this on `mongoose.createConnection()` with no URI.
 */
export function createModels(conn: Connection): Models {
  const model = <T>(name: string, schema: import('mongoose').Schema<T>): Model<T> =>
    (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
  return {
    counters: model(COUNTER_MODEL, counterSchema),
    users: model(USER_MODEL, userSchema),
    sessions: model(SESSION_MODEL, sessionSchema),
    communities: model(COMMUNITY_MODEL, communitySchema),
    memberships: model(MEMBERSHIP_MODEL, membershipSchema),
    rateLimits: model(RATE_LIMIT_MODEL, rateLimitSchema),
    meta: model(META_MODEL, metaSchema),
    posts: model(POST_MODEL, postSchema),
    revisions: model(REVISION_MODEL, revisionSchema),
    votes: model(VOTE_MODEL, voteSchema),
    comments: model(COMMENT_MODEL, commentSchema),
    tags: model(TAG_MODEL, tagSchema),
    faqCategories: model(FAQ_CATEGORY_MODEL, faqCategorySchema),
    faqEntries: model(FAQ_ENTRY_MODEL, faqEntrySchema),
    faqEntryRevisions: model(FAQ_ENTRY_REVISION_MODEL, faqEntryRevisionSchema),
    faqHelpfulVotes: model(FAQ_HELPFUL_VOTE_MODEL, faqHelpfulVoteSchema),
    faqDismissals: model(FAQ_DISMISSAL_MODEL, faqDismissalSchema),
    faqEntryEvents: model(FAQ_ENTRY_EVENT_MODEL, faqEntryEventSchema),
    searchLog: model(SEARCH_LOG_MODEL, searchLogSchema),
    searchOutbox: model(SEARCH_OUTBOX_MODEL, searchOutboxSchema),
    jobLeases: model(JOB_LEASE_MODEL, jobLeaseSchema),
    eventOutbox: model(EVENT_OUTBOX_MODEL, eventOutboxSchema),
    searchSynonyms: model(SEARCH_SYNONYM_MODEL, searchSynonymSchema),
    importSources: model(IMPORT_SOURCE_MODEL, importSourceSchema),
    postAttributions: model(POST_ATTRIBUTION_MODEL, postAttributionSchema),
    importedPostLinks: model(IMPORTED_POST_LINK_MODEL, importedPostLinkSchema),
    auditLog: model(AUDIT_LOG_MODEL, auditLogSchema),
    postStates: model(POST_STATE_MODEL, postStateSchema),
    closeVotes: model(CLOSE_VOTE_MODEL, closeVoteSchema),
    flags: model(FLAG_MODEL, flagSchema),
    mailQueue: model(MAIL_QUEUE_MODEL, mailQueueSchema),
    notificationPrefs: model(NOTIFICATION_PREF_MODEL, notificationPrefSchema),
    mailProfiles: model(MAIL_PROFILE_MODEL, mailProfileSchema),
    accountTokens: model(ACCOUNT_TOKEN_MODEL, accountTokenSchema),
    inboundHeld: model(INBOUND_HELD_MODEL, inboundHeldSchema),
    supportSettings: model(SUPPORT_SETTINGS_MODEL, supportSettingsSchema),
    supportTickets: model(SUPPORT_TICKET_MODEL, supportTicketSchema),
    supportEvents: model(SUPPORT_EVENT_MODEL, supportEventSchema),
    supportEscalations: model(SUPPORT_ESCALATION_MODEL, supportEscalationSchema),
    supportRatings: model(SUPPORT_RATING_MODEL, supportRatingSchema),
    supportDaily: model(SUPPORT_DAILY_MODEL, supportDailySchema),
    supportSelfService: model(SUPPORT_SELF_SERVICE_MODEL, supportSelfServiceSchema),
    notifications: model(NOTIFICATION_MODEL, notificationSchema),
    watches: model(WATCH_MODEL, watchSchema),
    suspensions: model(SUSPENSION_MODEL, suspensionSchema),
    digestSubscriptions: model(DIGEST_SUBSCRIPTION_MODEL, digestSubscriptionSchema),
    newsletters: model(NEWSLETTER_MODEL, newsletterSchema),
    communityNews: model(COMMUNITY_NEWS_MODEL, communityNewsSchema),
  };
}

/**
 * Creates every collection and its indexes. Run once at startup, before any request:
 * collections must exist before a transaction writes to them, and unique indexes are what
 * enforce "one vote per user and post" and friends. createIndexes only adds missing
 * indexes; it never drops one, so instances of two versions can run side by side.
 */
export async function ensureCollectionsAndIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Model<unknown>[]) {
    await model.createCollection();
    await model.createIndexes();
  }
}

export type {
  EventOutboxDoc,
  CounterDoc,
  UserDoc,
  SessionDoc,
  CommunityDoc,
  MembershipDoc,
  RateLimitDoc,
  MetaDoc,
  PostDoc,
  RevisionDoc,
  VoteDoc,
  CommentDoc,
  TagDoc,
  FaqCategoryDoc,
  FaqEntryDoc,
  FaqEntryRevisionDoc,
  FaqHelpfulVoteDoc,
  FaqDismissalDoc,
  FaqEntryEventDoc,
  SearchLogDoc,
  SearchOutboxDoc,
  JobLeaseDoc,
  SearchSynonymDoc,
  ImportSourceDoc,
  PostAttributionDoc,
  ImportedPostLinkDoc,
  AuditLogDoc,
  PostStateDoc,
  CloseVoteDoc,
  FlagDoc,
  MailQueueDoc,
  NotificationPrefDoc,
  MailProfileDoc,
  AccountTokenDoc,
  SupportSettingsDoc,
  SupportTicketDoc,
  SupportEventDoc,
  SupportEscalationDoc,
  SupportRatingDoc,
  SupportDailyDoc,
  SupportSelfServiceDoc,
  NotificationDoc,
  WatchDoc,
  SuspensionDoc,
  DigestSubscriptionDoc,
  NewsletterDoc,
  CommunityNewsDoc,
};
