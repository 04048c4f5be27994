import type { CommunityRepository, MailQueueCounts, MailStorage, QueuedMail, UserRepository } from '../../db/ports.js';
import type { DigestRepository, NewsletterRepository } from '../../db/digest-port.js';
import type { EventOutboxCounts, EventOutboxRepository, QueuedEvent } from '../../db/event-port.js';
import { NotFoundError } from '../../domain/errors.js';
import { ALL_MAIL, isNotificationKind } from '../../domain/notification-kinds.js';
import type { User } from '../../domain/types.js';
import { DIGEST_KIND, MailComposer, UNSUBSCRIBE_PURPOSE, type MailContent } from './compose.js';
import { verifyToken } from './signed-token.js';

export const ADMIN_MAIL_PAGE_SIZE = 30;
/** Failed notification events listed on /admin/mail (newest first). */
export const ADMIN_FAILED_EVENTS = 10;

export interface UnsubscribeTarget {
  userId: string;
  username: string;
  /** A notification kind, 'digest', 'news:<communityId>', or '*' for every notification mail. */
  scope: string;
  /** The community whose news the link stops (scope 'news:<id>'). */
  communityName?: string;
}

/** The mailing lists beside notification mail: the digest and each community's news. */
export interface MailingLists {
  digests: DigestRepository;
  newsletters: NewsletterRepository;
  communities: CommunityRepository;
}

/**
 * Queues mail and answers the admin and unsubscribe pages. Queuing never sends: the worker
 * does, and `wake` only tells a running worker to look now.
 */
export class MailService {
  constructor(
    private readonly mail: MailStorage,
    private readonly users: UserRepository,
    readonly composer: MailComposer,
    private readonly secret: string,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
    private readonly lists: MailingLists | null = null,
    /** The event outbox, so the admin page shows events that wait or failed (no mail comes of them). */
    private readonly events: EventOutboxRepository | null = null,
  ) {}

  /** Queues one mail (once per idempotency key); returns whether it was new. */
  async queue(content: MailContent): Promise<boolean> {
    const { created } = await this.mail.queue.enqueue(this.composer.compose(content, this.now()));
    if (created) this.wake();
    return created;
  }

  async adminPage(page: number): Promise<{ mails: QueuedMail[]; counts: MailQueueCounts; hasNext: boolean; events: { counts: EventOutboxCounts; failed: QueuedEvent[] } | null }> {
    const rows = await this.mail.queue.list((page - 1) * ADMIN_MAIL_PAGE_SIZE, ADMIN_MAIL_PAGE_SIZE + 1);
    const events = this.events ? { counts: await this.events.counts(), failed: await this.events.listFailed(ADMIN_FAILED_EVENTS) } : null;
    return { mails: rows.slice(0, ADMIN_MAIL_PAGE_SIZE), counts: await this.mail.queue.counts(), hasNext: rows.length > ADMIN_MAIL_PAGE_SIZE, events };
  }

  async get(id: string): Promise<QueuedMail> {
    const mail = await this.mail.queue.findById(id);
    if (!mail) throw new NotFoundError();
    return mail;
  }

  /** Reads a one-click unsubscribe token; an invalid or forged one, or a deleted member, is a 404. */
  async unsubscribeTarget(token: unknown): Promise<UnsubscribeTarget> {
    const payload = verifyToken(this.secret, UNSUBSCRIBE_PURPOSE, token);
    const m = payload ? /^(\d+):(.+)$/.exec(payload) : null;
    const news = m ? /^news:(\d{1,16})$/.exec(m[2]!) : null;
    const isList = Boolean(this.lists && m && (m[2] === DIGEST_KIND || news));
    if (!m || !(m[2] === ALL_MAIL || isNotificationKind(m[2]!) || isList)) throw new NotFoundError();
    const user: User | null = await this.users.findById(m[1]!);
    if (!user) throw new NotFoundError();
    if (news) {
      const community = await this.lists!.communities.findById(news[1]!);
      if (!community) throw new NotFoundError();
      return { userId: user.id, username: user.username, scope: m[2]!, communityName: community.name };
    }
    return { userId: user.id, username: user.username, scope: m[2]! };
  }

  /**
   * Stops the mail the token names. A notification kind keeps coming to the in-site inbox
   * (the member asked for less mail, not to miss answers); '*' stops all notification mail.
   * Repeating it changes nothing, as RFC 8058 clients may POST more than once.
   */
  async unsubscribe(token: unknown): Promise<UnsubscribeTarget> {
    const target = await this.unsubscribeTarget(token);
    if (target.scope === DIGEST_KIND) {
      await this.lists!.digests.setFrequency(target.userId, 'off', this.now());
      return target;
    }
    if (target.scope.startsWith('news:')) {
      await this.lists!.newsletters.setOptIn(target.userId, target.scope.slice('news:'.length), false, this.now());
      return target;
    }
    await this.mail.prefs.set(target.userId, target.scope, target.scope === ALL_MAIL ? 'off' : 'inbox', this.now());
    return target;
  }
}
