import type { MailStorage, NotificationWrite, UserRepository } from '../../db/ports.js';
import type { FlagOutcome } from '../../domain/moderation-types.js';
import { effectiveDelivery } from '../../domain/notification-kinds.js';
import type { Locale, User } from '../../domain/types.js';
import { translate } from '../../i18n/index.js';
import type { MailComposer } from '../mail/compose.js';
import type { ModerationNotice, ModerationNotifier } from '../moderation/moderation-service.js';
import type { NotificationLog } from './notification-service.js';

/** Inbox kinds (the message key is notify.event.<kind>). */
export const flagResolvedKind = (outcome: FlagOutcome) => `flag_${outcome}`;
export const WARNING_KIND = 'mod_warning';
const MAX_WARNING_CHARS = 300;

/*
 * Tells members what moderators did about them (issue 13): each flagger hears the outcome of
 * their flag, a warned author hears the warning. Delivery follows the member's 'moderation'
 * preference (in-site only by default). Failures are logged, never thrown: a moderator's
 * action is already saved and must not fail because a notification could not be written.
 */
export class ModerationNotifications implements ModerationNotifier {
  constructor(
    private readonly mail: MailStorage,
    private readonly users: UserRepository,
    private readonly isVerified: (user: User) => Promise<boolean>,
    private readonly composer: MailComposer,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly log: NotificationLog | null = null,
  ) {}

  async flagsResolved(actor: User, flaggerIds: string[], notice: ModerationNotice, outcome: FlagOutcome): Promise<void> {
    const kind = flagResolvedKind(outcome);
    await this.safely('flags-resolved', () =>
      this.deliver(
        actor,
        [...new Set(flaggerIds)].map((userId) => ({ userId, kind, title: notice.title, eventKey: `flag:${notice.postId}:${notice.at}` })),
        notice,
      ),
    );
  }

  async warned(actor: User, authorId: string, warning: string, notice: ModerationNotice): Promise<void> {
    // The inbox row carries the warning itself (its "title"): that is what the author must read.
    const text = Array.from(warning);
    const title = text.length > MAX_WARNING_CHARS ? `${text.slice(0, MAX_WARNING_CHARS).join('')}…` : warning;
    await this.safely('warned', () => this.deliver(actor, [{ userId: authorId, kind: WARNING_KIND, title, eventKey: `warn:${notice.postId}:${notice.at}` }], notice));
  }

  private async safely(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log?.error({ event: what, err: err instanceof Error ? err.message : String(err) }, 'moderation notification not recorded');
    }
  }

  private async deliver(actor: User, items: Array<{ userId: string; kind: string; title: string; eventKey: string }>, notice: ModerationNotice): Promise<void> {
    const wanted = items.filter((i) => i.userId !== actor.id);
    if (wanted.length === 0) return;
    const users = new Map((await this.users.findManyByIds(wanted.map((i) => i.userId))).map((u) => [u.id, u]));
    const profiles = await this.mail.accounts.profiles(wanted.map((i) => i.userId));
    const now = this.now();
    const writes: NotificationWrite[] = [];
    for (const item of wanted) {
      const user = users.get(item.userId);
      if (!user) continue;
      const delivery = effectiveDelivery('moderation', await this.mail.prefs.get(user.id));
      if (delivery === 'off') continue;
      const locale: Locale = profiles.get(user.id)?.locale ?? notice.community.defaultLocale;
      const mailIt = delivery === 'email' && (await this.isVerified(user));
      writes.push({
        notification: { userId: user.id, eventKey: item.eventKey, kind: item.kind, actorId: actor.id, threadId: notice.threadId, title: item.title, link: notice.link, now },
        mail: mailIt ? this.composeMail(user, locale, item, notice, now) : null,
      });
    }
    if (writes.length === 0) return;
    await this.mail.notifications.record(writes);
    if (writes.some((w) => w.mail)) this.wake();
  }

  private composeMail(user: User, locale: Locale, item: { kind: string; title: string; eventKey: string }, notice: ModerationNotice, now: number) {
    const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
    const heading = t(`notify.event.${item.kind}`, { title: notice.title, actor: '', community: notice.community.name });
    return this.composer.compose(
      {
        to: user.email,
        userId: user.id,
        locale,
        kind: 'moderation',
        idempotencyKey: `notify:${user.id}:${item.eventKey}`,
        subject: heading,
        heading,
        paragraphs: item.kind === WARNING_KIND ? [item.title] : [],
        action: { url: notice.link, label: t('notify.mail.open') },
      },
      now,
    );
  }
}
