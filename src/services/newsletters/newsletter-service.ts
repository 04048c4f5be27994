import type { Newsletter, NewsletterRepository } from '../../db/digest-port.js';
import type { MailStorage, MembershipRepository, NewMail, UserRepository } from '../../db/ports.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../../domain/errors.js';
import type { Community, Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import { renderMarkdown } from '../../markdown/render.js';
import type { CommunityService } from '../communities/community-service.js';
import { newsKind, type MailComposer } from '../mail/compose.js';
import type { NotificationLog } from '../notifications/notification-service.js';

export const ARCHIVE_PAGE_SIZE = 20;
const MAX_SUBJECT = 200;
const MAX_BODY = 50_000;
/** A schedule further ahead than this is surely a typo. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;
const ID = /^[1-9]\d{0,15}$/;

export interface NewsletterInput {
  subject: string;
  body: string;
}

export interface NewsOptIn {
  community: Community;
  on: boolean;
}

/*
 * Newsletters of business communities (issue 11): their staff and moderators (and site admins)
 * write one in Markdown, preview it, send a test to themselves, then send it now or at a set
 * time. It goes to the members who opted in to the community's news (never by default), each
 * mail with its own idempotency key, so a newsletter reaches each member at most once. Sent
 * newsletters are public in the community's archive; drafts are seen only by their writers.
 */
export class NewsletterService {
  constructor(
    private readonly newsletters: NewsletterRepository,
    private readonly memberships: MembershipRepository,
    private readonly users: UserRepository,
    private readonly mail: MailStorage,
    private readonly communities: CommunityService,
    private readonly isVerified: (user: User) => Promise<boolean>,
    private readonly composer: MailComposer,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly log: NotificationLog | null = null,
  ) {}

  /** Only business communities have news. */
  async community(slug: string): Promise<Community> {
    const community = await this.communities.getBySlug(slug);
    if (community.kind !== 'business') throw new NotFoundError();
    return community;
  }

  async canWrite(user: User | null, community: Community): Promise<boolean> {
    if (!user || community.kind !== 'business') return false;
    if (user.isAdmin) return true;
    const role = (await this.memberships.find(community.id, user.id))?.role;
    return role === 'staff' || role === 'moderator';
  }

  private async requireWriter(user: User, community: Community): Promise<void> {
    if (!(await this.canWrite(user, community))) throw new ForbiddenError();
  }

  async archive(community: Community, page: number): Promise<{ items: Newsletter[]; hasNext: boolean }> {
    const rows = await this.newsletters.listSent(community.id, (page - 1) * ARCHIVE_PAGE_SIZE, ARCHIVE_PAGE_SIZE + 1);
    return { items: rows.slice(0, ARCHIVE_PAGE_SIZE), hasNext: rows.length > ARCHIVE_PAGE_SIZE };
  }

  /** Drafts and scheduled newsletters, for the community's writers only. */
  async unsent(user: User | null, community: Community): Promise<Newsletter[]> {
    return (await this.canWrite(user, community)) ? this.newsletters.listUnsent(community.id, 50) : [];
  }

  /** A newsletter of the community: sent ones for everybody, unsent ones for its writers (else 404). */
  async get(user: User | null, community: Community, id: string): Promise<Newsletter> {
    const n = ID.test(id) ? await this.newsletters.findById(id) : null;
    if (!n || n.communityId !== community.id) throw new NotFoundError();
    if (n.status !== 'sent' && !(await this.canWrite(user, community))) throw new NotFoundError();
    return n;
  }

  /** Creates (id null) or updates a draft; a scheduled one goes back to draft until scheduled again. */
  async save(user: User, community: Community, id: string | null, input: NewsletterInput): Promise<Newsletter> {
    await this.requireWriter(user, community);
    const subject = input.subject.trim();
    const body = input.body.trim();
    const errors: FieldErrors = {};
    if (subject.length === 0) errors.subject = { key: 'news.error.subjectRequired' };
    else if (subject.length > MAX_SUBJECT) errors.subject = { key: 'news.error.subjectLong', params: { max: MAX_SUBJECT } };
    if (body.length === 0) errors.body = { key: 'news.error.bodyRequired' };
    else if (body.length > MAX_BODY) errors.body = { key: 'news.error.bodyLong', params: { max: MAX_BODY } };
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const { html, text } = renderMarkdown(body);
    const fields = { subject, bodyMd: body, bodyHtml: html, bodyText: text, now: this.now() };
    if (id === null) return this.newsletters.create({ communityId: community.id, authorId: user.id, ...fields });
    await this.get(user, community, id);
    const updated = await this.newsletters.update(id, fields);
    if (!updated) throw new ValidationError({ subject: { key: 'news.error.alreadySent' } });
    return updated;
  }

  /** Mails the newsletter to the writer's own address only (a new mail for every test). */
  async sendTest(user: User, community: Community, n: Newsletter): Promise<void> {
    await this.requireWriter(user, community);
    const locale = (await this.mail.accounts.profile(user.id))?.locale ?? community.defaultLocale;
    const now = this.now();
    const mail = this.compose(user, locale, community, n, `news-test:${n.id}:${user.id}:${now}`, now, true);
    await this.mail.queue.enqueue(mail);
    this.wake();
  }

  /** Schedules for `at` (null: now). A time in the past or more than a year ahead is refused. */
  async schedule(user: User, community: Community, n: Newsletter, at: number | null): Promise<void> {
    await this.requireWriter(user, community);
    const now = this.now();
    if (at !== null && (!Number.isFinite(at) || at <= now || at > now + MAX_SCHEDULE_AHEAD_MS)) throw new ValidationError({ sendAt: { key: 'news.error.sendAt' } });
    if (!(await this.newsletters.schedule(n.id, at ?? now, now))) throw new ValidationError({ subject: { key: 'news.error.alreadySent' } });
  }

  /** Sends every newsletter whose time has come (the leased job, and "send now"). */
  async deliverDue(): Promise<number> {
    let sent = 0;
    for (const n of await this.newsletters.due(this.now(), 20)) {
      try {
        if (await this.deliver(n)) sent++;
      } catch (err) {
        this.log?.error({ newsletterId: n.id, err: err instanceof Error ? err.message : String(err) }, 'newsletter not sent');
      }
    }
    if (sent > 0) this.wake();
    return sent;
  }

  private async deliver(n: Newsletter): Promise<boolean> {
    const community = await this.communities.byId(n.communityId);
    if (!community) return false;
    const ids = await this.newsletters.subscribers(community.id);
    const users = await this.users.findManyByIds(ids);
    const profiles = await this.mail.accounts.profiles(ids);
    const now = this.now();
    const mails: NewMail[] = [];
    for (const user of users) {
      // Unverified addresses get no mail from the forum but the one that verifies them.
      if (!(await this.isVerified(user))) continue;
      const locale = profiles.get(user.id)?.locale ?? community.defaultLocale;
      mails.push(this.compose(user, locale, community, n, `news:${n.id}:${user.id}`, now, false));
    }
    return this.newsletters.markSent(n.id, mails, now);
  }

  private compose(user: User, locale: Locale, community: Community, n: Newsletter, key: string, now: number, test: boolean): NewMail {
    const t = (k: string, params?: Record<string, string | number>) => translate(locale, k, params);
    return this.composer.compose(
      {
        to: user.email,
        userId: user.id,
        locale,
        kind: newsKind(community.id),
        idempotencyKey: key,
        subject: `${test ? `${t('news.mail.testPrefix')} ` : ''}${community.name}: ${n.subject}`,
        heading: n.subject,
        paragraphs: [t('news.mail.from', { community: community.name })],
        body: { html: n.bodyHtml, text: n.bodyText },
        list: { key: `news-${community.id}` },
        action: { url: `/c/${community.slug}/news/${n.id}`, label: t('news.mail.open') },
      },
      now,
    );
  }

  /** How many members would receive it now (opted in and still members). */
  async audience(community: Community): Promise<number> {
    return (await this.newsletters.subscribers(community.id)).length;
  }

  /* ---------- opt-ins ---------- */

  /** The business communities the member belongs to, with their news choice. */
  async optIns(user: User): Promise<NewsOptIn[]> {
    const mine = (await this.memberships.listForUser(user.id)).filter((m) => m.community.kind === 'business');
    const on = new Set(await this.newsletters.optedInCommunities(user.id));
    return mine.map((m) => ({ community: m.community, on: on.has(m.community.id) }));
  }

  /** Sets every listed community's choice from the form (`news_<id>` = '1' when ticked). */
  async setOptIns(user: User, form: Record<string, unknown>): Promise<void> {
    for (const { community } of await this.optIns(user)) {
      await this.newsletters.setOptIn(user.id, community.id, form[`news_${community.id}`] === '1', this.now());
    }
  }

  async setOptIn(user: User, community: Community, on: boolean): Promise<void> {
    await this.newsletters.setOptIn(user.id, community.id, on, this.now());
  }
}
