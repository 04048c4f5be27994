import type { MailStorage, MembershipRepository, NotificationWrite, PostRepository, UserRepository } from '../../db/ports.js';
import { effectiveDelivery, type NotificationKind } from '../../domain/notification-kinds.js';
import type { Community, Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { MailComposer } from '../mail/compose.js';
import type { CommunityService } from '../communities/community-service.js';
import type { EscalationEvent, SupportNotifier } from '../support/escalation-job.js';
import type { LowRatingEvent, RecoveryNotifier } from '../support/rating-service.js';
import { questionPath, type NotificationLog } from './notification-service.js';

/** Inbox kinds (message key notify.event.<kind>) and the preference each one follows. */
const INBOX_KIND = { warning: 'support_warning', breach: 'support_breach', lowRating: 'support_low_rating' } as const;

interface Item {
  userId: string;
  kind: string;
  preference: NotificationKind;
  eventKey: string;
  /** Extra line in the mail (the customer's comment). */
  detail: string;
}

/*
 * Tells staff and moderators about customer-service events (issue 12): an escalation at 75 %
 * of the target reaches the assignee (or, unassigned, every staff member), a missed target
 * reaches every staff member and moderator, and a rating of 1 or 2 reaches the moderators
 * (service recovery). One notification per member and event: the event key is unique per
 * recipient, so a job that runs twice records nothing new. Failures are logged; an
 * escalation's is also thrown, so the job leaves it unmarked and a later run sends it again
 * (a rating's is not: its caller is the customer's request, which must not fail for it).
 */
export class SupportNotifications implements SupportNotifier, RecoveryNotifier {
  constructor(
    private readonly mail: MailStorage,
    private readonly users: UserRepository,
    private readonly memberships: MembershipRepository,
    private readonly posts: PostRepository,
    private readonly communities: CommunityService,
    private readonly isVerified: (user: User) => Promise<boolean>,
    private readonly composer: MailComposer,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly log: NotificationLog | null = null,
  ) {}

  async escalated(event: EscalationEvent): Promise<void> {
    await this.safely('escalated', { rethrow: true }, async () => {
      const team = await this.memberships.listStaff(event.communityId);
      const staff = team.filter((m) => m.membership.role === 'staff').map((m) => m.user.id);
      const recipients =
        event.level === 'warning'
          ? event.assigneeId !== null
            ? [event.assigneeId]
            : staff
          : team.map((m) => m.user.id);
      const kind = INBOX_KIND[event.level];
      await this.deliver(
        event.questionId,
        event.communityId,
        recipients.map((userId) => ({ userId, kind, preference: 'support_escalation', eventKey: `support:${event.level}:${event.questionId}:${event.dueAt}`, detail: '' })),
      );
    });
  }

  async lowRating(event: LowRatingEvent): Promise<void> {
    await this.safely('low-rating', { rethrow: false }, async () => {
      const moderators = (await this.memberships.listStaff(event.communityId)).filter((m) => m.membership.role === 'moderator').map((m) => m.user.id);
      await this.deliver(
        event.questionId,
        event.communityId,
        moderators.map((userId) => ({ userId, kind: INBOX_KIND.lowRating, preference: 'support_low_rating', eventKey: `support:rating:${event.questionId}:${event.at}`, detail: `${event.score}/5${event.comment ? ` — ${event.comment}` : ''}` })),
      );
    });
  }

  private async safely(what: string, options: { rethrow: boolean }, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log?.error({ event: what, err: err instanceof Error ? err.message : String(err) }, 'support notification not recorded');
      if (options.rethrow) throw err;
    }
  }

  private async deliver(questionId: string, communityId: string, items: Item[]): Promise<void> {
    const unique = [...new Map(items.map((i) => [i.userId, i])).values()];
    if (unique.length === 0) return;
    const [question, community] = await Promise.all([this.posts.findQuestion(questionId), this.communities.byId(communityId)]);
    if (!question || !community) return;
    const link = questionPath(community, question);
    const users = new Map((await this.users.findManyByIds(unique.map((i) => i.userId))).map((u) => [u.id, u]));
    const profiles = await this.mail.accounts.profiles(unique.map((i) => i.userId));
    const now = this.now();
    const writes: NotificationWrite[] = [];
    for (const item of unique) {
      const user = users.get(item.userId);
      if (!user) continue;
      const delivery = effectiveDelivery(item.preference, await this.mail.prefs.get(user.id));
      if (delivery === 'off') continue;
      const locale: Locale = profiles.get(user.id)?.locale ?? community.defaultLocale;
      const mailIt = delivery === 'email' && (await this.isVerified(user));
      writes.push({
        notification: { userId: user.id, eventKey: item.eventKey, kind: item.kind, actorId: null, threadId: questionId, title: question.title, link, now },
        mail: mailIt ? this.composeMail(user, locale, item, question.title, community, link, now) : null,
      });
    }
    if (writes.length === 0) return;
    await this.mail.notifications.record(writes);
    if (writes.some((w) => w.mail)) this.wake();
  }

  private composeMail(user: User, locale: Locale, item: Item, title: string, community: Community, link: string, now: number) {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const heading = t(`notify.event.${item.kind}`, { title, actor: '', community: community.name });
    return this.composer.compose(
      {
        to: user.email,
        userId: user.id,
        locale,
        kind: item.preference,
        idempotencyKey: `notify:${user.id}:${item.eventKey}`,
        subject: `${heading}: ${title}`,
        heading,
        paragraphs: [title, ...(item.detail ? [item.detail] : [])],
        action: { url: link, label: t('notify.mail.open') },
      },
      now,
    );
  }
}
